import Foundation

/// What a model name resolved to: checkpoint files on disk, or a random-weight model.
public enum ResolvedModel: Equatable, Sendable {
    /// A folder holding a Hugging Face checkpoint, and where it was found.
    case checkpoint(CheckpointFiles, origin: ModelOrigin)
    /// A model with seeded random weights built from a known configuration.
    case random(RandomModelSpec)

    /// The model's configuration: parsed from `config.json` for a checkpoint.
    /// - Throws: `TransformerConfigError` when the checkpoint's config is unusable.
    public func loadConfig() throws -> TransformerConfig {
        switch self {
        case let .checkpoint(files, _): return try TransformerConfig(contentsOf: files.config)
        case let .random(spec): return spec.config
        }
    }

    /// Where the tokenizer's vocabulary comes from.
    public var vocabulary: VocabularySource {
        switch self {
        case let .checkpoint(files, _): return files.vocabulary
        case let .random(spec): return spec.vocabulary
        }
    }
}

/// Where a checkpoint folder was found.
public enum ModelOrigin: String, Equatable, Sendable {
    /// A folder path the user gave.
    case path
    /// mtl's cache (`<mtlHome>/models/NAME`, filled by `Scripts/bootstrap --model`).
    case mtlCache
    /// A snapshot in the Hugging Face hub cache.
    case huggingFaceCache
}

/// Where a tokenizer's vocabulary comes from.
public enum VocabularySource: Equatable, Sendable {
    /// A WordPiece `vocab.txt`, one token per line, id = line number from 0.
    case vocabTxt(URL)
    /// A Hugging Face `tokenizer.json` (its `model.vocab`), used when there is no `vocab.txt`.
    case tokenizerJSON(URL)
    /// `BuiltinVocabulary.tokens`.
    case builtin
}

/// The files of a checkpoint folder, found and checked by `ModelResolver.checkpoint(at:)`.
public struct CheckpointFiles: Equatable, Sendable {
    /// The folder itself.
    public var directory: URL
    /// `config.json` (always present).
    public var config: URL
    /// `model.safetensors` (always present).
    public var weights: URL
    /// `vocab.txt`, when present.
    public var vocabTxt: URL?
    /// `tokenizer.json`, when present.
    public var tokenizerJSON: URL?
    /// `tokenizer_config.json` (`do_lower_case`, `model_max_length`), when present.
    public var tokenizerConfig: URL?
    /// `sentence_bert_config.json` (`max_seq_length`), when present (sentence-transformers models).
    public var sentenceBertConfig: URL?
    /// `1_Pooling/config.json` (the pooling mode), when present (sentence-transformers models).
    public var poolingConfig: URL?

    public init(directory: URL, config: URL, weights: URL, vocabTxt: URL? = nil, tokenizerJSON: URL? = nil,
                tokenizerConfig: URL? = nil, sentenceBertConfig: URL? = nil, poolingConfig: URL? = nil) {
        self.directory = directory
        self.config = config
        self.weights = weights
        self.vocabTxt = vocabTxt
        self.tokenizerJSON = tokenizerJSON
        self.tokenizerConfig = tokenizerConfig
        self.sentenceBertConfig = sentenceBertConfig
        self.poolingConfig = poolingConfig
    }

    /// `vocab.txt` when present, else `tokenizer.json` (the resolver guarantees one of them).
    public var vocabulary: VocabularySource {
        if let vocabTxt { return .vocabTxt(vocabTxt) }
        if let tokenizerJSON { return .tokenizerJSON(tokenizerJSON) }
        return .builtin
    }
}

/// A random-weight model: a built-in configuration and a vocabulary.
public struct RandomModelSpec: Equatable, Sendable {
    /// The built-in configuration's name (`tiny-bert`, `bert-base-uncased`, …).
    public var configName: String
    /// The configuration; with the built-in vocabulary its `vocabSize` is that vocabulary's size.
    public var config: TransformerConfig
    public var vocabulary: VocabularySource

    public init(configName: String, config: TransformerConfig, vocabulary: VocabularySource) {
        self.configName = configName
        self.config = config
        self.vocabulary = vocabulary
    }
}
