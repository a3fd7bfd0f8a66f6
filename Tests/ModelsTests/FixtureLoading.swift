import Foundation
import Models
import NN
import Tensors
import TestSupport

/// `expected.json` of the tiny-bert / tiny-distilbert fixtures (made with transformers, eval mode).
struct EncoderExpectation: Decodable {
    let texts: [String]
    let input_ids: [[Int]]
    let attention_mask: [[Int]]
    let last_hidden_state: [[[Float]]]
    let mean_pooled: [[Float]]

    static func load(_ fixture: String) throws -> EncoderExpectation {
        try JSONDecoder().decode(EncoderExpectation.self,
                                 from: Data(contentsOf: Fixtures.url("\(fixture)/expected.json")))
    }
}

/// A fixture checkpoint's encoder, loaded through the public loading path.
func loadFixtureEncoder(_ fixture: String) throws -> (encoder: any TransformerEncoder, unused: [String]) {
    let folder = Fixtures.url(fixture)
    let config = try TransformerConfig(contentsOf: folder.appendingPathComponent("config.json"))
    let file = try SafetensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
    return try Transformers.load(config: config, weights: file, random: RandomSource(seed: 0))
}
