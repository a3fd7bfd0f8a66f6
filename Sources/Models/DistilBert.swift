import Foundation
import NN
import Tensors

// DistilBERT as in transformers `models/distilbert/modeling_distilbert.py` (DistilBertModel):
// word + position embeddings (no token types) → LayerNorm → dropout, then post-LN blocks named
// `transformer.layer.N.{attention.{q,k,v,out}_lin, sa_layer_norm, ffn.lin1, ffn.lin2, output_layer_norm}`.

/// DistilBERT's `Embeddings`.
final class DistilBertEmbeddings: Module, @unchecked Sendable {
    let word: Embedding
    let position: Embedding
    let norm: LayerNorm
    let dropout: Dropout
    var isTraining = false

    init(config: TransformerConfig, factory: ParameterFactory, random: RandomSource) throws {
        let h = config.hiddenSize
        word = try factory.embedding("embeddings.word_embeddings", count: config.vocabSize, width: h, paddingRow: config.padTokenId)
        if config.sinusoidalPositions {
            // create_sinusoidal_embeddings: fixed (requires_grad = False), sin on even columns,
            // cos on odd ones, angle pos / 10000^(2⌊j/2⌋/dim).
            var table = [Float](repeating: 0, count: config.maxPositions * h)
            for pos in 0..<config.maxPositions {
                for j in 0..<h {
                    let angle = Double(pos) / pow(10_000, Double(2 * (j / 2)) / Double(h))
                    table[pos * h + j] = Float(j % 2 == 0 ? sin(angle) : cos(angle))
                }
            }
            position = try Embedding(weight: factory.make("embeddings.position_embeddings.weight",
                                                          shape: [config.maxPositions, h], initial: .values(table),
                                                          trainable: false))
        } else {
            position = try factory.embedding("embeddings.position_embeddings", count: config.maxPositions, width: h)
        }
        norm = try factory.layerNorm("embeddings.LayerNorm", width: h, eps: config.layerNormEps)
        dropout = try Dropout(p: Float(config.hiddenDropout), random: random)
    }

    var children: [(String, any Module)] {
        [("word_embeddings", word), ("position_embeddings", position), ("LayerNorm", norm), ("dropout", dropout)]
    }

    func callAsFunction(_ batch: TokenBatch) throws -> Tensor {
        let sum = try word(batch.ids).add(position(IndexTensor(Array(0..<batch.length))))
        return try dropout(norm(sum))
    }
}

/// DistilBERT's `TransformerBlock`.
final class DistilBertLayer: Module, @unchecked Sendable {
    let query, key, value, attentionOutput, lin1, lin2: Linear
    let attentionNorm, outputNorm: LayerNorm
    let attentionDropout, outputDropout: Dropout
    let heads: Int
    let activation: Activation
    var isTraining = false

    init(config: TransformerConfig, index: Int, factory: ParameterFactory, random: RandomSource) throws {
        let p = "transformer.layer.\(index)."
        let h = config.hiddenSize
        query = try factory.linear(p + "attention.q_lin", in: h, out: h)
        key = try factory.linear(p + "attention.k_lin", in: h, out: h)
        value = try factory.linear(p + "attention.v_lin", in: h, out: h)
        attentionOutput = try factory.linear(p + "attention.out_lin", in: h, out: h)
        attentionNorm = try factory.layerNorm(p + "sa_layer_norm", width: h, eps: config.layerNormEps)
        lin1 = try factory.linear(p + "ffn.lin1", in: h, out: config.intermediateSize)
        lin2 = try factory.linear(p + "ffn.lin2", in: config.intermediateSize, out: h)
        outputNorm = try factory.layerNorm(p + "output_layer_norm", width: h, eps: config.layerNormEps)
        attentionDropout = try Dropout(p: Float(config.attentionDropout), random: random)
        outputDropout = try Dropout(p: Float(config.hiddenDropout), random: random)
        heads = config.heads
        activation = config.activation == .relu ? .relu : .gelu
    }

    var children: [(String, any Module)] {
        [("attention.q_lin", query), ("attention.k_lin", key), ("attention.v_lin", value),
         ("attention.out_lin", attentionOutput), ("attention.dropout", attentionDropout),
         ("sa_layer_norm", attentionNorm),
         ("ffn.lin1", lin1), ("ffn.lin2", lin2), ("ffn.dropout", outputDropout),
         ("output_layer_norm", outputNorm)]
    }

    func callAsFunction(_ x: Tensor, additiveMask: Tensor) throws -> Tensor {
        // DistilBERT has no dropout after out_lin; its FFN ends with dropout.
        let context = try Attention.attend(query: query(x), key: key(x), value: value(x), heads: heads,
                                           additiveMask: additiveMask, dropout: attentionDropout)
        let attended = try attentionNorm(attentionOutput(context).add(x))
        let ffn = try outputDropout(lin2(activation(lin1(attended))))
        return try outputNorm(ffn.add(attended))
    }
}

/// `DistilBertModel`: the encoder of distilbert-base-uncased.
public final class DistilBertModel: TransformerEncoder, @unchecked Sendable {
    public let config: TransformerConfig
    let embeddings: DistilBertEmbeddings
    let layers: [DistilBertLayer]
    public var isTraining = false
    public var embeddingsPrefix: String { "embeddings" }
    public var layerPrefix: String { "transformer.layer" }

    init(config: TransformerConfig, factory: ParameterFactory, random: RandomSource) throws {
        self.config = config
        embeddings = try DistilBertEmbeddings(config: config, factory: factory, random: random)
        layers = try (0..<config.layers).map { try DistilBertLayer(config: config, index: $0, factory: factory, random: random) }
    }

    public var children: [(String, any Module)] {
        [("embeddings", embeddings)] + layers.enumerated().map { ("transformer.layer.\($0.offset)", $0.element) }
    }

    public func forward(_ batch: TokenBatch) throws -> Tensor {
        try batch.validate(for: config)
        let mask = try batch.additiveMask()
        var hidden = try embeddings(batch)
        for layer in layers { hidden = try layer(hidden, additiveMask: mask) }
        return hidden
    }
}
