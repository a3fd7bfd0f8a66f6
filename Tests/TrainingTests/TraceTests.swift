import Foundation
import Models
import NN
import Tensors
import TestSupport
import Tokenizers
import Training
import XCTest

/// Five AdamW steps of the PyTorch multi-task trace (Tests/Fixtures/mtl-trace, see its README):
/// tiny-bert (dropout 0) → mean pooling → Linear(32→16) + tanh → two heads 16→8→3, the
/// embeddings and block 0 frozen, AdamW lr 1e-3, betas (0.9, 0.999), eps 1e-8, wd 0.01,
/// full batch of 6. Losses, totals and logged gradients at every step, and every final weight,
/// must agree with PyTorch within 1e-4.
final class TraceTests: XCTestCase {
    typealias Trace = TraceFixture

    private let tasks = [TaskSpec(name: "sentence_type", labels: ["statement", "question", "command"], hiddenSize: 8, dropout: 0),
                         TaskSpec(name: "sentiment", labels: ["negative", "neutral", "positive"], hiddenSize: 8, dropout: 0)]


    /// The trace's model with `initial.safetensors` loaded and its parameters frozen as the trace says.
    private func traceModel(_ trace: Trace) throws -> MultiTaskModel {
        var config = try TransformerConfig(contentsOf: Fixtures.url("tiny-bert/config.json"))
        config.hiddenDropout = 0
        config.attentionDropout = 0
        let random = RandomSource(seed: 1)
        let transformer = try Transformers.random(config: config, seed: 1, random: random, namePrefix: "encoder.")
        var generator = SeededGenerator(seed: 1)
        let projection = try Linear(inFeatures: config.hiddenSize, outFeatures: 16, name: "projection", generator: &generator)
        let encoder = try SentenceEncoder(transformer: transformer, tokenizer: WordPieceTokenizer.load(folder: Fixtures.url("tiny-bert")),
                                          pooling: .mean, projection: projection, random: random)
        let model = try MultiTaskModel(encoder: encoder, tasks: tasks, seed: 1)
        _ = try model.loadWeights(from: Fixtures.url("mtl-trace/initial.safetensors"), strict: true)
        for pattern in trace.frozen { _ = try model.freeze(pattern) }
        return model
    }

    /// The trace's texts with their labels as names (the heads' label order).
    private func dataset(_ trace: Trace) throws -> Dataset {
        let examples = try trace.texts.enumerated().map { i, text in
            var labels: [String: String] = [:]
            for spec in tasks {
                let index = try XCTUnwrap(trace.labels[spec.name]?[i])
                labels[spec.name] = spec.labels[index]
            }
            return Example(text: text, labels: labels)
        }
        return Dataset(examples: examples, tasks: tasks.map(\.name), name: "trace")
    }

    private func assertFinalWeightsMatch(_ model: MultiTaskModel, file: StaticString = #filePath, line: UInt = #line) throws {
        let final = try SafetensorsFile(contentsOf: Fixtures.url("mtl-trace/final.safetensors"))
        let initial = try SafetensorsFile(contentsOf: Fixtures.url("mtl-trace/initial.safetensors"))
        let parameters = Dictionary(model.namedParameters(), uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(Set(parameters.keys), Set(final.names), file: file, line: line)
        var moved = 0
        for name in final.names {
            let mine = try XCTUnwrap(parameters[name], name).value.toArray()
            let expected = try final.floats(name)
            assertClose(mine, expected, tolerance: 1e-4, name, file: file, line: line)
            if try initial.floats(name) != expected { moved += 1 }
        }
        XCTAssertGreaterThan(moved, 0, "the trace's weights changed, so the comparison means something", file: file, line: line)
    }

    func testFiveStepsMatchTheTraceLossesGradientsAndFinalWeights() throws {
        let trace = try Trace.load()
        let model = try traceModel(trace)
        let data = try dataset(trace)
        let optimizer = try AdamW(learningRate: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01)
        let parameters = Dictionary(model.namedParameters(), uniquingKeysWith: { a, _ in a })
        var generator = SeededGenerator(seed: 0)
        let batch = StepBatch(texts: data.texts, targets: trace.labels.mapValues { $0.map { Optional($0) } })
        XCTAssertEqual(trace.steps.count, 5)
        for expected in trace.steps {
            var gradients = GradientStore()
            let outcome = try TrainingStep.run(model: model, batch: batch, tasks: model.trainableTasks, optimizer: optimizer,
                                               step: expected.step + 1, generator: &generator) { gradients = $0 }
            for (task, loss) in expected.loss {
                XCTAssertEqual(Double(try XCTUnwrap(outcome.losses[task])), loss, accuracy: 1e-4, "step \(expected.step) \(task)")
            }
            XCTAssertEqual(Double(outcome.total), expected.total, accuracy: 1e-4, "step \(expected.step) total")
            for (name, values) in expected.grad_head {
                let parameter = try XCTUnwrap(parameters[name], name)
                let gradient = Array(try XCTUnwrap(gradients[parameter], name).toArray().prefix(values.count))
                assertClose(gradient, values, tolerance: 1e-4, "step \(expected.step) \(name)")
                // Relative too, as some of these gradients are ~1e-7 in size.
                let scale = values.map(abs).max() ?? 0
                assertClose(gradient, values, tolerance: 1e-2 * scale + 1e-10, "step \(expected.step) \(name) relative")
            }
            XCTAssertNil(gradients[try XCTUnwrap(parameters["encoder.embeddings.word_embeddings.weight"])], "frozen: no gradient")
        }
        try assertFinalWeightsMatch(model)
    }

    func testTheTrainerReproducesTheTraceEndToEnd() throws {
        let trace = try Trace.load()
        let model = try traceModel(trace)
        var generator = SeededGenerator(seed: 0)
        let result = try Trainer(options: TrainingOptions(steps: 5, batchSize: 6, shuffle: false))
            .train(model, on: dataset(trace), optimizer: AdamW(), generator: &generator)
        XCTAssertEqual(result.history.steps.count, 5)
        for (record, expected) in zip(result.history.steps, trace.steps) {
            XCTAssertEqual(record.totalLoss, expected.total, accuracy: 1e-4)
            for (task, loss) in expected.loss { XCTAssertEqual(record.losses[task] ?? .nan, loss, accuracy: 1e-4) }
        }
        try assertFinalWeightsMatch(model)
    }
}
