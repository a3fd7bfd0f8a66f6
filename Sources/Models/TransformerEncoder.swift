import NN
import Tensors

/// A BERT-family encoder: token ids → contextual hidden states [B, T, H].
///
/// Parameter names are the checkpoint's own (`embeddings.word_embeddings.weight`, …), without
/// a `bert.` / `distilbert.` prefix.
public protocol TransformerEncoder: Module {
    var config: TransformerConfig { get }
    /// The name prefix of the embedding parameters (`embeddings`).
    var embeddingsPrefix: String { get }
    /// The name prefix of block `i`'s parameters, without the index (`encoder.layer` for BERT,
    /// `transformer.layer` for DistilBERT).
    var layerPrefix: String { get }
    /// The last hidden state, [B, T, H]. Dropout follows the module's training mode.
    func forward(_ batch: TokenBatch) throws -> Tensor
}

/// Building encoders of either kind.
public enum Transformers {
    /// An encoder of `config.kind` whose parameters come from `factory` and whose dropouts draw
    /// from `random`.
    static func make(config: TransformerConfig, factory: ParameterFactory, random: RandomSource) throws -> any TransformerEncoder {
        switch config.kind {
        case .bert: return try BertModel(config: config, factory: factory, random: random)
        case .distilbert: return try DistilBertModel(config: config, factory: factory, random: random)
        }
    }

    /// The checkpoint prefixes accepted before the model's own names (`bert.` for BertFor…
    /// checkpoints, `distilbert.` for distilbert-base-uncased).
    static let acceptedPrefixes = ["", "bert.", "distilbert.", "model."]

    /// The prefix under which `file` stores the encoder's names: the one in front of
    /// `embeddings.word_embeddings.weight` ("" when absent, so every name is reported missing).
    static func keyPrefix(in file: SafetensorsFile) -> String {
        acceptedPrefixes.first { file.entry($0 + "embeddings.word_embeddings.weight") != nil } ?? ""
    }

    /// A randomly initialised encoder (`_init_weights` of transformers), reproducible from `seed`.
    public static func random(config: TransformerConfig, seed: UInt64, random: RandomSource? = nil,
                              namePrefix: String = "") throws -> any TransformerEncoder {
        let factory = ParameterFactory(source: .random(SeededGenerator(seed: seed)), namePrefix: namePrefix)
        return try make(config: config, factory: factory, random: random ?? RandomSource(seed: seed))
    }

    /// An encoder with the weights of `file`, checked against `config`.
    /// - Returns: the encoder and the names in the file it did not use (e.g. `pooler.*`).
    /// - Throws: `ModelError.incompatibleWeights` listing every missing or mis-shaped tensor.
    public static func load(config: TransformerConfig, weights file: SafetensorsFile, random: RandomSource,
                            namePrefix: String = "") throws -> (encoder: any TransformerEncoder, unused: [String]) {
        let factory = ParameterFactory(source: .checkpoint(file, keyPrefix: keyPrefix(in: file)), namePrefix: namePrefix)
        let encoder = try make(config: config, factory: factory, random: random)
        try factory.finish()
        return (encoder, factory.unused)
    }
}
