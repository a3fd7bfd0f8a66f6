import NN
import Tensors

// BERT as in transformers `models/bert/modeling_bert.py` (BertModel without the pooler):
// embeddings (word + token type + position → LayerNorm → dropout), then post-LN blocks.

/// `BertEmbeddings`: word + token-type (all type 0) + learned position embeddings.
final class BertEmbeddings: Module, @unchecked Sendable {
    let word: Embedding
    let position: Embedding
    let tokenType: Embedding
    let norm: LayerNorm
    let dropout: Dropout
    var isTraining = false

    init(config: TransformerConfig, factory: ParameterFactory, random: RandomSource) throws {
        let h = config.hiddenSize
        word = try factory.embedding("embeddings.word_embeddings", count: config.vocabSize, width: h, paddingRow: config.padTokenId)
        position = try factory.embedding("embeddings.position_embeddings", count: config.maxPositions, width: h)
        tokenType = try factory.embedding("embeddings.token_type_embeddings", count: config.typeVocabSize, width: h)
        norm = try factory.layerNorm("embeddings.LayerNorm", width: h, eps: config.layerNormEps)
        dropout = try Dropout(p: Float(config.hiddenDropout), random: random)
    }

    var children: [(String, any Module)] {
        [("word_embeddings", word), ("position_embeddings", position), ("token_type_embeddings", tokenType),
         ("LayerNorm", norm), ("dropout", dropout)]
    }

    func callAsFunction(_ batch: TokenBatch) throws -> Tensor {
        let types = try IndexTensor(shape: [batch.batchSize, batch.length],
                                    values: Array(repeating: 0, count: batch.batchSize * batch.length))
        let positions = IndexTensor(Array(0..<batch.length))
        // Same summation order as HF: (inputs + token types) + positions.
        let sum = try word(batch.ids).add(tokenType(types)).add(position(positions))
        return try dropout(norm(sum))
    }
}

/// `BertLayer`: self-attention and feed-forward, each followed by dropout, residual, LayerNorm.
final class BertLayer: Module, @unchecked Sendable {
    let query, key, value, attentionOutput, intermediate, output: Linear
    let attentionNorm, outputNorm: LayerNorm
    let attentionDropout, attentionOutputDropout, outputDropout: Dropout
    let heads: Int
    let activation: Activation
    var isTraining = false

    init(config: TransformerConfig, index: Int, factory: ParameterFactory, random: RandomSource) throws {
        let p = "encoder.layer.\(index)."
        let h = config.hiddenSize
        query = try factory.linear(p + "attention.self.query", in: h, out: h)
        key = try factory.linear(p + "attention.self.key", in: h, out: h)
        value = try factory.linear(p + "attention.self.value", in: h, out: h)
        attentionOutput = try factory.linear(p + "attention.output.dense", in: h, out: h)
        attentionNorm = try factory.layerNorm(p + "attention.output.LayerNorm", width: h, eps: config.layerNormEps)
        intermediate = try factory.linear(p + "intermediate.dense", in: h, out: config.intermediateSize)
        output = try factory.linear(p + "output.dense", in: config.intermediateSize, out: h)
        outputNorm = try factory.layerNorm(p + "output.LayerNorm", width: h, eps: config.layerNormEps)
        attentionDropout = try Dropout(p: Float(config.attentionDropout), random: random)
        attentionOutputDropout = try Dropout(p: Float(config.hiddenDropout), random: random)
        outputDropout = try Dropout(p: Float(config.hiddenDropout), random: random)
        heads = config.heads
        activation = config.activation == .relu ? .relu : .gelu
    }

    var children: [(String, any Module)] {
        [("attention.self.query", query), ("attention.self.key", key), ("attention.self.value", value),
         ("attention.self.dropout", attentionDropout),
         ("attention.output.dense", attentionOutput), ("attention.output.LayerNorm", attentionNorm),
         ("attention.output.dropout", attentionOutputDropout),
         ("intermediate.dense", intermediate),
         ("output.dense", output), ("output.LayerNorm", outputNorm), ("output.dropout", outputDropout)]
    }

    func callAsFunction(_ x: Tensor, additiveMask: Tensor) throws -> Tensor {
        let context = try Attention.attend(query: query(x), key: key(x), value: value(x), heads: heads,
                                           additiveMask: additiveMask, dropout: attentionDropout)
        let attended = try attentionNorm(attentionOutputDropout(attentionOutput(context)).add(x))
        let expanded = try activation(intermediate(attended))
        return try outputNorm(outputDropout(output(expanded)).add(attended))
    }
}

/// `BertModel` (no pooler): the encoder of all-MiniLM-L6-v2 and bert-base-uncased.
public final class BertModel: TransformerEncoder, @unchecked Sendable {
    public let config: TransformerConfig
    let embeddings: BertEmbeddings
    let layers: [BertLayer]
    public var isTraining = false
    public var embeddingsPrefix: String { "embeddings" }
    public var layerPrefix: String { "encoder.layer" }

    init(config: TransformerConfig, factory: ParameterFactory, random: RandomSource) throws {
        self.config = config
        embeddings = try BertEmbeddings(config: config, factory: factory, random: random)
        layers = try (0..<config.layers).map { try BertLayer(config: config, index: $0, factory: factory, random: random) }
    }

    public var children: [(String, any Module)] {
        [("embeddings", embeddings)] + layers.enumerated().map { ("encoder.layer.\($0.offset)", $0.element) }
    }

    public func forward(_ batch: TokenBatch) throws -> Tensor {
        try batch.validate(for: config)
        let mask = try batch.additiveMask()
        var hidden = try embeddings(batch)
        for layer in layers { hidden = try layer(hidden, additiveMask: mask) }
        return hidden
    }
}
