import Foundation
import Models
import NN
import Tensors
import TestSupport
import XCTest

/// Loading models by name and the errors for bad folders, files and arguments.
final class ModelLoadingTests: XCTestCase {
    private func load(_ folder: URL, options: SentenceEncoder.Options = .init()) throws -> SentenceEncoder {
        try SentenceEncoder.load(folder.path, options: options)
    }

    func testFixtureFolderEncodesLikeTransformers() throws {
        let expected = try EncoderExpectation.load("tiny-bert")
        let encoder = try load(Fixtures.url("tiny-bert"))
        XCTAssertEqual(encoder.pooling, .mean)
        XCTAssertEqual(encoder.dimension, 32)
        XCTAssertTrue(encoder.namedParameters().allSatisfy { $0.0.hasPrefix("encoder.") && $0.0 == $0.1.name })
        let vectors = try encoder.encode(expected.texts, batchSize: 4)
        assertClose(vectors.flatMap { $0 }, expected.mean_pooled.flatMap { $0 }, tolerance: 1e-4)
    }

    func testPrefixedAndExtraTensorsAreAcceptedAndListed() throws {
        // bert.-prefixed names (a BertFor… checkpoint) plus a pooler the encoder does not use.
        let scratch = try ScratchFolder()
        let folder = try scratch.copyOfFixture("tiny-bert")
        let original = try SafetensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
        var tensors = try original.names.map { (name: "bert." + $0, shape: original.entry($0)?.shape ?? [], values: try original.floats($0)) }
        tensors.append((name: "bert.pooler.dense.bias", shape: [32], values: Array(repeating: 0, count: 32)))
        try SafetensorsWriter.write(tensors, to: folder.appendingPathComponent("model.safetensors"))
        let encoder = try load(folder)
        XCTAssertEqual(encoder.unusedWeights, ["bert.pooler.dense.bias"])
        let expected = try EncoderExpectation.load("tiny-bert")
        assertClose(try encoder.encode(expected.texts[0]), expected.mean_pooled[0], tolerance: 1e-4)
    }

    func testMissingFolderIsAnError() {
        XCTAssertThrowsError(try SentenceEncoder.load("/nonexistent/mtl-model")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/mtl-model"), "\(error)")
        }
    }

    func testFolderWithoutWeightsIsAnError() throws {
        let scratch = try ScratchFolder()
        let folder = try scratch.copyOfFixture("tiny-bert")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("model.safetensors"))
        XCTAssertThrowsError(try load(folder)) { XCTAssertTrue("\($0)".contains("model.safetensors"), "\($0)") }
    }

    func testTruncatedWeightsAreAnErrorNamingTheFile() throws {
        let scratch = try ScratchFolder()
        let folder = try scratch.copyOfFixture("tiny-bert")
        let weights = folder.appendingPathComponent("model.safetensors")
        let data = try Data(contentsOf: weights)
        try data.prefix(data.count / 2).write(to: weights)
        XCTAssertThrowsError(try load(folder)) { XCTAssertTrue("\($0)".contains(weights.path), "\($0)") }
    }

    func testUnknownModelTypeIsAnError() throws {
        let scratch = try ScratchFolder()
        let folder = try scratch.copyOfFixture("tiny-bert")
        let config = folder.appendingPathComponent("config.json")
        let text = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "\"bert\"", with: "\"gpt2\"")
        try text.write(to: config, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try load(folder)) { XCTAssertTrue("\($0)".contains("gpt2"), "\($0)") }
    }

    func testMisShapedAndMissingTensorsAreReportedByName() throws {
        let scratch = try ScratchFolder()
        let folder = try scratch.copyOfFixture("tiny-bert")
        // The config now says 3 layers and intermediate 48: layer 2 is missing, every FFN mis-shaped.
        let config = folder.appendingPathComponent("config.json")
        let text = try String(contentsOf: config, encoding: .utf8)
            .replacingOccurrences(of: "\"intermediate_size\": 64", with: "\"intermediate_size\": 48")
            .replacingOccurrences(of: "\"num_hidden_layers\": 2", with: "\"num_hidden_layers\": 3")
        try text.write(to: config, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try load(folder)) { error in
            guard case let ModelError.incompatibleWeights(_, missing, misShaped) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(missing.count, 16)
            XCTAssertTrue(missing.allSatisfy { $0.hasPrefix("encoder.layer.2.") })
            XCTAssertTrue(misShaped.contains(ShapeMismatch(name: "encoder.layer.0.intermediate.dense.weight", expected: [48, 32], found: [64, 32])))
            XCTAssertEqual(misShaped.count, 2 * 3, "intermediate weight and bias, output weight, per layer")
            XCTAssertTrue("\(error)".contains("encoder.layer.0.intermediate.dense.weight: expected shape [48, 32], found [64, 32]"), "\(error)")
        }
    }

    func testBuiltinAndRandomModelsLoad() throws {
        let tiny = try SentenceEncoder.load("tiny-distilbert", options: .init(projectionDimension: 16, normalize: true, seed: 9))
        XCTAssertEqual(tiny.config.kind, .distilbert)
        XCTAssertEqual(tiny.dimension, 16)
        let vector = try tiny.encode("a random model still encodes")
        XCTAssertEqual(vector.count, 16)
        XCTAssertEqual(vector.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-5)
        let again = try SentenceEncoder.load("random:tiny-distilbert", options: .init(projectionDimension: 16, normalize: true, seed: 9))
        XCTAssertEqual(try again.encode("a random model still encodes"), vector, "same seed, same weights")
        XCTAssertThrowsError(try SentenceEncoder.load("tiny-bert", options: .init(projectionDimension: 0)))
    }

    func testRandomInitialisationFollowsTransformers() throws {
        // _init_weights: Linear/Embedding N(0, 0.02²), biases 0, LayerNorm 1/0, the pad row 0.
        let encoder = try Transformers.random(config: BuiltinModels.tinyBert, seed: 1)
        let parameters = Dictionary(encoder.namedParameters(), uniquingKeysWith: { a, _ in a })
        let query = try XCTUnwrap(parameters["encoder.layer.0.attention.self.query.weight"]).value.toArray()
        let mean = query.reduce(0, +) / Float(query.count)
        let std = (query.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(query.count)).squareRoot()
        XCTAssertEqual(std, 0.02, accuracy: 0.003)
        XCTAssertEqual(try XCTUnwrap(parameters["encoder.layer.0.attention.self.query.bias"]).value.toArray(), Array(repeating: 0, count: 32))
        XCTAssertEqual(try XCTUnwrap(parameters["embeddings.LayerNorm.weight"]).value.toArray(), Array(repeating: 1, count: 32))
        let words = try XCTUnwrap(parameters["embeddings.word_embeddings.weight"]).value.toArray()
        XCTAssertEqual(Array(words[0..<32]), Array(repeating: 0, count: 32), "padding row 0")
    }
}

/// DistilBERT's `sinusoidal_pos_embds`: a fixed table (`create_sinusoidal_embeddings`).
final class SinusoidalPositionTests: XCTestCase {
    func testSinusoidalPositionsAreFixedSinesAndCosines() throws {
        var config = BuiltinModels.tinyDistilBert
        config.sinusoidalPositions = true
        let encoder = try Transformers.random(config: config, seed: 2)
        let table = try XCTUnwrap(encoder.namedParameters().first { $0.0 == "embeddings.position_embeddings.weight" }?.1)
        XCTAssertFalse(table.requiresGrad, "HF sets requires_grad = False")
        let values = table.value.toArray()
        // Row 3, columns 4 and 5: sin/cos(3 / 10000^(4/32)).
        let angle = 3 / pow(10_000, 4.0 / 32)
        XCTAssertEqual(values[3 * 32 + 4], Float(sin(angle)), accuracy: 1e-6)
        XCTAssertEqual(values[3 * 32 + 5], Float(cos(angle)), accuracy: 1e-6)
        XCTAssertEqual(values[0 * 32 + 1], 1, "cos(0)")
    }
}
