import Foundation
import Models
import NN
import Tensors
import TestSupport
import XCTest

/// Heads, shapes, names, predictions and the errors of building a multi-task model.
final class MultiTaskModelTests: XCTestCase {
    func testHeadsHaveTheirShapesAndPyTorchNames() throws {
        let model = try makeSmallModel(layers: 1)
        XCTAssertEqual(model.taskNames, ["sentence_type", "sentiment"])
        let heads = model.namedParameters().filter { $0.0.hasPrefix("heads.") }
        XCTAssertEqual(heads.map(\.0), ["heads.sentence_type.0.weight", "heads.sentence_type.0.bias",
                                        "heads.sentence_type.2.weight", "heads.sentence_type.2.bias",
                                        "heads.sentiment.0.weight", "heads.sentiment.0.bias",
                                        "heads.sentiment.2.weight", "heads.sentiment.2.bias"])
        XCTAssertEqual(heads.map(\.1.shape), [[5, 4], [5], [3, 5], [3], [5, 4], [5], [3, 5], [3]])
        XCTAssertTrue(model.namedParameters().allSatisfy { $0.0 == $0.1.name })
        let outputs = try model.forward(texts: ["one", "two words", "and three words"], training: false)
        XCTAssertEqual(outputs.embeddings.shape, [3, 4])
        XCTAssertEqual(try XCTUnwrap(outputs["sentiment"]).shape, [3, 3])
        XCTAssertNil(outputs["topic"])
    }

    func testPredictGivesSoftmaxAndTheArgmaxLabel() throws {
        let model = try makeSmallModel(layers: 1)
        let texts = ["is this a question?", "close the door.", "fine"]
        let predictions = try model.predict(texts, batchSize: 2)
        let logits = try withoutGrad { try model.forward(texts: texts, training: false) }
        for (i, prediction) in predictions.enumerated() {
            for (t, task) in model.taskNames.enumerated() {
                let p = try XCTUnwrap(prediction[task])
                let expected = Array(logits.logits[t].toArray()[i * 3 ..< i * 3 + 3])
                assertClose(p.logits, expected, tolerance: 1e-5)
                // softmax by hand in Double.
                let exps = expected.map { exp(Double($0)) }
                assertClose(p.probabilities, exps.map { Float($0 / exps.reduce(0, +)) }, tolerance: 1e-6)
                let best = try XCTUnwrap(p.logits.indices.max { p.logits[$0] < p.logits[$1] })
                XCTAssertEqual(p.label, model.head(task)?.spec.labels[best])
            }
        }
        XCTAssertFalse(model.isTraining)
    }

    func testTrainingModeUsesDropoutAndEvaluationDoesNot() throws {
        let model = try makeSmallModel(layers: 1)
        let texts = ["dropout changes training outputs"]
        let a = try XCTUnwrap(try model.forward(texts: texts, training: false)["sentiment"]).toArray()
        let b = try XCTUnwrap(try model.forward(texts: texts, training: false)["sentiment"]).toArray()
        let c = try XCTUnwrap(try model.forward(texts: texts, training: true)["sentiment"]).toArray()
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertFalse(model.isTraining)
    }

    func testWeightsRoundTripThroughSafetensors() throws {
        let scratch = try ScratchFolder()
        let source = try makeSmallModel(layers: 2)
        let file = scratch.url.appendingPathComponent("model.safetensors")
        try source.saveWeights(to: file)
        let target = try makeSmallModel(layers: 2)
        try target.apply(.all)   // loading keeps the freezing state
        target.encoder.transformer.parameters().forEach { p in p.update { $0.initialize(repeating: 0) } }
        let report = try target.loadWeights(from: file, strict: true)
        XCTAssertEqual(report.loaded.count, source.namedParameters().count)
        for ((name, a), (_, b)) in zip(source.namedParameters(), target.namedParameters()) {
            XCTAssertEqual(a.value.toArray(), b.value.toArray(), name)
        }
        XCTAssertEqual(target.trainableParameterNames, [])

        // A subset file: the rest is reported missing (not an error unless strict).
        let heads = source.weightTensors().filter { $0.name.hasPrefix("heads.") }
        let headsFile = scratch.url.appendingPathComponent("heads.safetensors")
        try SafetensorsWriter.write(heads + [(name: "extra.weight", shape: [1], values: [0])], to: headsFile)
        let partial = try target.loadWeights(from: headsFile)
        XCTAssertEqual(partial.loaded.count, 8)
        XCTAssertEqual(partial.unexpected, ["extra.weight"])
        XCTAssertEqual(partial.missing.count, source.namedParameters().count - 8)
        XCTAssertThrowsError(try target.loadWeights(from: headsFile, strict: true))
    }

    func testBadTaskSpecificationsAreClearErrors() throws {
        let encoder = try makeSmallModel(layers: 1).encoder
        func message(_ tasks: [TaskSpec]) -> String {
            do { _ = try MultiTaskModel(encoder: encoder, tasks: tasks); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(message([]).contains("at least one task"))
        XCTAssertTrue(message([TaskSpec(name: "a", labels: ["x"]), TaskSpec(name: "a", labels: ["y"])]).contains("'a' is given twice"))
        XCTAssertTrue(message([TaskSpec(name: "a", labels: [])]).contains("no labels"))
        XCTAssertTrue(message([TaskSpec(name: "a", labels: ["x", "y", "x"])]).contains("label 'x' twice"))
        XCTAssertTrue(message([TaskSpec(name: "a", labels: ["x"], hiddenSize: 0)]).contains("hidden size must be positive"))
        XCTAssertTrue(message([TaskSpec(name: "a", labels: ["x"], dropout: 1)]).contains("dropout"))
        XCTAssertTrue(message([TaskSpec(name: "a b", labels: ["x"])]).contains("task name"))
    }

    func testBadBatchesAreClearErrors() throws {
        let model = try makeSmallModel(layers: 1)
        XCTAssertThrowsError(try model.forward(ids: [[2, 5, 3], [2, 3]], training: false)) { XCTAssertTrue("\($0)".contains("row 1"), "\($0)") }
        XCTAssertThrowsError(try model.forward(ids: [[2, 99_999, 3]], training: false)) { XCTAssertTrue("\($0)".contains("99999"), "\($0)") }
        XCTAssertThrowsError(try model.forward(ids: [[2, 3]], attentionMask: [[1, 2]], training: false))
        XCTAssertThrowsError(try model.forward(ids: [Array(repeating: 5, count: 65)], training: false)) { XCTAssertTrue("\($0)".contains("64 positions"), "\($0)") }
        XCTAssertThrowsError(try model.predict(["x"], batchSize: 0))
    }
}
