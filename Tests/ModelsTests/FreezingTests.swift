import Foundation
import Models
import NN
import Tensors
import TestSupport
import XCTest

/// Freezing by address and strategy: exactly the expected parameters stay trainable, frozen
/// parameters get no gradient, and the summary groups what trains.
final class FreezingTests: XCTestCase {
    /// Per BERT block: q, k, v, attention output dense, its LayerNorm, intermediate, output
    /// dense, its LayerNorm — 8 layers × (weight, bias) = 16 tensors. Embeddings: 3 tables + LayerNorm (2) = 5.
    private let perLayer = 16, embeddings = 5, projection = 2, perHead = 4

    private func names(layer: Int) -> Set<String> {
        let model = try? makeSmallModel()
        return Set(model?.namedParameters().map(\.0).filter { $0.hasPrefix("encoder.encoder.layer.\(layer).") } ?? [])
    }

    func testEachStrategyLeavesExactlyTheExpectedParametersTrainable() throws {
        let model = try makeSmallModel(layers: 6)
        let all = model.namedParameters().map(\.0)
        XCTAssertEqual(all.count, embeddings + 6 * perLayer + projection + 2 * perHead)

        try model.apply(.all)
        XCTAssertEqual(model.trainableParameterNames, [])

        try model.apply(.none)
        XCTAssertEqual(model.trainableParameterNames, all)

        try model.apply(.encoder)
        XCTAssertEqual(model.trainableParameterNames, all.filter { $0.hasPrefix("projection.") || $0.hasPrefix("heads.") })
        XCTAssertEqual(model.trainableParameterNames.count, projection + 2 * perHead)

        try model.apply(.head("sentiment"))
        XCTAssertEqual(model.trainableParameterNames, all.filter { !$0.hasPrefix("heads.sentiment.") })
        XCTAssertEqual(all.count - model.trainableParameterNames.count, perHead)

        try model.apply(.embeddingsAndLowerLayers(3))
        let frozen = Set(all).subtracting(model.trainableParameterNames)
        XCTAssertEqual(frozen.count, embeddings + 3 * perLayer)
        XCTAssertTrue(frozen.allSatisfy { $0.hasPrefix("encoder.embeddings.") || $0.hasPrefix("encoder.encoder.layer.0.")
                || $0.hasPrefix("encoder.encoder.layer.1.") || $0.hasPrefix("encoder.encoder.layer.2.") })
    }

    func testStructuredAddressesAndGlobsNameTheSameBlocks() throws {
        let model = try makeSmallModel(layers: 6)
        func set(_ address: String) throws -> Set<String> { Set(try model.parameters(at: address).map(\.0)) }
        let lower3 = try set("encoder.layers[0:3]")
        XCTAssertEqual(lower3.count, 3 * perLayer)
        XCTAssertEqual(try set("encoder.*.layer.[0-2].*"), lower3)
        XCTAssertEqual(try set("encoder.layers[:3]"), lower3)
        XCTAssertEqual(try set("encoder.layers[1]"), names(layer: 1))
        XCTAssertEqual(try set("encoder.layers[-1]"), names(layer: 5))
        XCTAssertEqual(try set("encoder.layers[4:]"), names(layer: 4).union(names(layer: 5)))
        XCTAssertEqual(try set("encoder.encoder.layer.2"), names(layer: 2), "a dotted prefix of names")
        XCTAssertEqual(try set("heads.*.2.bias"), ["heads.sentence_type.2.bias", "heads.sentiment.2.bias"])
        XCTAssertEqual(try set("heads.sentence_?ype.0.weight"), ["heads.sentence_type.0.weight"])
        XCTAssertEqual(try set("encoder").count, embeddings + 6 * perLayer)
        XCTAssertEqual(try set("model").count, model.namedParameters().count)

        try model.freeze("encoder.*.layer.[0-2].*")
        try model.unfreeze("encoder.layers[1]")
        let frozen = Set(model.namedParameters().filter { !$0.1.requiresGrad }.map(\.0))
        XCTAssertEqual(frozen, names(layer: 0).union(names(layer: 2)))
    }

    func testUnknownAddressesAreErrorsListingTheGroups() throws {
        let model = try makeSmallModel(layers: 2)
        for address in ["decoder", "encoder.nothing.*", "encoder.pooler"] {
            XCTAssertThrowsError(try model.freeze(address), address) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("encoder.embeddings") && text.contains("heads.sentiment")
                              && text.contains("encoder.layers[0:2]"), text)
            }
        }
        XCTAssertThrowsError(try model.freeze("heads.topic")) { XCTAssertTrue("\($0)".contains("sentence_type, sentiment"), "\($0)") }
        XCTAssertThrowsError(try model.freeze("encoder.layers[2]")) { XCTAssertTrue("\($0)".contains("layers 0 to 1"), "\($0)") }
        XCTAssertThrowsError(try model.freeze("encoder.layers[x]"))
        XCTAssertThrowsError(try model.freeze("encoder.[0-"))
        XCTAssertThrowsError(try model.apply(.embeddingsAndLowerLayers(3)))
        XCTAssertEqual(model.trainableParameterNames.count, model.namedParameters().count, "failed calls change nothing")
        XCTAssertThrowsError(try makeSmallModel(layers: 2, projection: false).freeze("projection"))
    }

    func testSummaryGroupsRunsOfLayersInTheSameState() throws {
        let model = try makeSmallModel(layers: 6)
        try model.apply(.embeddingsAndLowerLayers(3))
        try model.freeze("encoder.encoder.layer.4.attention.self.query")
        try model.freeze("heads.sentiment")
        let summary = model.parameterSummary()
        XCTAssertEqual(summary.groups.map(\.name),
                       ["encoder.embeddings", "encoder.layers[0:3]", "encoder.layers[3]", "encoder.layers[4]",
                        "encoder.layers[5]", "projection", "heads.sentence_type", "heads.sentiment"])
        XCTAssertEqual(summary.groups.map(\.state.rawValue),
                       ["frozen", "frozen", "trainable", "partial", "trainable", "trainable", "trainable", "frozen"])
        // One block, hidden 8, intermediate 16: 4 × (8·8 + 8) attention + 2 × 16 LayerNorm
        // + (16·8 + 16) intermediate + (8·16 + 8) output = 288 + 32 + 144 + 136 = 600.
        XCTAssertEqual(summary.groups[1].count, 3 * 600)
        XCTAssertEqual(summary.groups[3].trainable, 600 - 72)
        // Embeddings: vocabulary × 8 + 64 positions × 8 + 2 types × 8 + LayerNorm 16.
        XCTAssertEqual(summary.groups[0].count, BuiltinVocabulary.tokens.count * 8 + 512 + 16 + 16)
        XCTAssertEqual(summary.groups[5].count, 8 * 4 + 4)
        XCTAssertEqual(summary.groups[7].count, 4 * 5 + 5 + 5 * 3 + 3)
        XCTAssertEqual(summary.total, model.parameterCount)
        XCTAssertEqual(summary.trainable, model.parameters().filter(\.requiresGrad).reduce(0) { $0 + $1.value.elementCount })
        XCTAssertEqual(summary.frozen, summary.total - summary.trainable)
        XCTAssertTrue(summary.description.contains("encoder.layers[0:3]"), summary.description)
    }

    func testFrozenParametersGetNoGradientAndTheRestDo() throws {
        let trace = try Trace.load()
        let model = try makeTraceModel()
        try model.loadWeights(from: Fixtures.url("mtl-trace/initial.safetensors"), strict: true)
        // The trace's own freezing, written as globs, is embeddings + block 0.
        var frozen = Set<String>()
        for pattern in trace.frozen { frozen.formUnion(try model.freeze(pattern)) }
        XCTAssertEqual(frozen, Set(try model.parameters(at: "encoder.embeddings").map(\.0)
                                   + model.parameters(at: "encoder.layers[0]").map(\.0)))
        let outputs = try model.forward(ids: trace.input_ids, attentionMask: trace.attention_mask, training: true)
        let loss = try crossEntropy(XCTUnwrap(outputs["sentiment"]), labels: XCTUnwrap(trace.labels["sentiment"]))
            .add(crossEntropy(XCTUnwrap(outputs["sentence_type"]), labels: XCTUnwrap(trace.labels["sentence_type"])))
        let gradients = try loss.backward()
        for (name, parameter) in model.namedParameters() {
            if frozen.contains(name) {
                XCTAssertNil(gradients[parameter], "\(name) is frozen")
            } else {
                XCTAssertNotNil(gradients[parameter], "\(name) trains")
            }
        }
        XCTAssertEqual(gradients.count, model.namedParameters().count - frozen.count, "only trainable leaves get gradients")
        // The trace's step-0 gradients were taken with this freezing, and still match.
        let parameters = Dictionary(model.namedParameters(), uniquingKeysWith: { a, _ in a })
        for (name, expected) in trace.steps[0].grad_head {
            let gradient = try XCTUnwrap(gradients[XCTUnwrap(parameters[name])]).toArray()
            assertClose(Array(gradient.prefix(8)), expected, tolerance: 2e-3 * (expected.map(abs).max() ?? 0) + 1e-9, name)
        }
    }

    func testEverythingFrozenMeansNothingToDifferentiate() throws {
        let model = try makeSmallModel(layers: 1)
        try model.apply(.all)
        let outputs = try model.forward(texts: ["all frozen"], training: true)
        XCTAssertFalse(try XCTUnwrap(outputs["sentiment"]).requiresGrad, "no tape recorded when nothing trains")
    }
}
