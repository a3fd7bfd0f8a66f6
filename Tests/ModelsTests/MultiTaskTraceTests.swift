import Foundation
import Models
import NN
import Tensors
import TestSupport
import XCTest

/// Loading the PyTorch trace's initial weights reproduces its first step: the per-task losses
/// and the gradients it recorded (Tests/Fixtures/mtl-trace/trace.json, step 0).
final class MultiTaskTraceTests: XCTestCase {
    func testInitialWeightsLoadUnderPyTorchNames() throws {
        let model = try makeTraceModel()
        let file = try SafetensorsFile(contentsOf: Fixtures.url("mtl-trace/initial.safetensors"))
        XCTAssertEqual(Set(model.namedParameters().map(\.0)), Set(file.names))
        let report = try model.loadWeights(from: file, strict: true)
        XCTAssertEqual(report.loaded.count, file.names.count)
        XCTAssertEqual(report.missing, [])
        XCTAssertEqual(report.unexpected, [])
        XCTAssertEqual(model.encoder.projection?.weight.value.toArray(), try file.floats("projection.weight"))
        for (name, parameter) in model.namedParameters() { XCTAssertEqual(parameter.name, name) }
    }

    func testFirstStepLossesAndGradientsMatchTheTrace() throws {
        let trace = try Trace.load()
        let model = try makeTraceModel()
        try model.loadWeights(from: Fixtures.url("mtl-trace/initial.safetensors"), strict: true)
        let outputs = try model.forward(ids: trace.input_ids, attentionMask: trace.attention_mask, training: true)
        XCTAssertFalse(model.isTraining, "forward restores evaluation mode")
        var total: Tensor?
        for task in model.taskNames {
            let logits = try XCTUnwrap(outputs[task])
            XCTAssertEqual(logits.shape, [trace.texts.count, 3])
            let loss = try crossEntropy(logits, labels: XCTUnwrap(trace.labels[task]))
            XCTAssertEqual(Double(try loss.item()), try XCTUnwrap(trace.steps[0].loss[task]), accuracy: 1e-5, task)
            total = try total.map { try $0.add(loss) } ?? loss
        }
        let loss = try XCTUnwrap(total)
        XCTAssertEqual(Double(try loss.item()), trace.steps[0].total, accuracy: 1e-5)

        let gradients = try loss.backward()
        let parameters = Dictionary(model.namedParameters(), uniquingKeysWith: { a, _ in a })
        for (name, expected) in trace.steps[0].grad_head {
            let gradient = try XCTUnwrap(gradients[XCTUnwrap(parameters[name], name)], name).toArray()
            let scale = expected.map(abs).max() ?? 0
            assertClose(Array(gradient.prefix(expected.count)), expected, tolerance: 2e-3 * scale + 1e-9, name)
        }
    }

    func testTextsGiveTheSameLogitsAsTheirIds() throws {
        let trace = try Trace.load()
        let model = try makeTraceModel()
        try model.loadWeights(from: Fixtures.url("mtl-trace/initial.safetensors"), strict: true)
        let fromIds = try withoutGrad { try model.forward(ids: trace.input_ids, attentionMask: trace.attention_mask, training: false) }
        let fromTexts = try withoutGrad { try model.forward(texts: trace.texts, training: false) }
        for task in model.taskNames {
            assertClose(try XCTUnwrap(fromTexts[task]).toArray(), try XCTUnwrap(fromIds[task]).toArray(), tolerance: 1e-6, task)
        }
        // predict batches by length (batch 4 splits and reorders); results stay in input order.
        let predictions = try model.predict(trace.texts, batchSize: 4)
        let logits = try XCTUnwrap(fromIds["sentiment"]).toArray()
        for (i, prediction) in predictions.enumerated() {
            let sentiment = try XCTUnwrap(prediction["sentiment"])
            assertClose(sentiment.logits, Array(logits[i * 3 ..< i * 3 + 3]), tolerance: 1e-5, "text \(i)")
        }
    }
}
