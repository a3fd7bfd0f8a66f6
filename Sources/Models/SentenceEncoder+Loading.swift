import Foundation
import NN
import Tensors
import Tokenizers

/// Building a `SentenceEncoder` from a model name (anything `ModelResolver` accepts).
extension SentenceEncoder {
    /// Choices made when loading; nil fields take the checkpoint's own settings.
    public struct Options: Sendable {
        /// nil: the checkpoint's `1_Pooling/config.json` mode, else mean.
        public var pooling: Pooling?
        /// The output size of a Linear + Tanh projection; nil for none.
        public var projectionDimension: Int?
        /// L2-normalise the outputs.
        public var normalize: Bool
        /// Seeds random weights (random models, the projection) and the dropout stream.
        public var seed: UInt64
        /// Overrides the tokenizer's maximum length (default: the checkpoint's).
        public var maxLength: Int?

        public init(pooling: Pooling? = nil, projectionDimension: Int? = nil, normalize: Bool = false,
                    seed: UInt64 = 0, maxLength: Int? = nil) {
            self.pooling = pooling
            self.projectionDimension = projectionDimension
            self.normalize = normalize
            self.seed = seed
            self.maxLength = maxLength
        }
    }

    /// Loads `name`: a checkpoint folder (config.json + model.safetensors + vocabulary), a
    /// built-in tiny model, or `random:<config>`, resolved by `resolver`.
    /// - Throws: `ModelResolutionError` (not found, incomplete folder), `TransformerConfigError`
    ///   (bad config.json), `SafetensorsError` (damaged weights), `ModelError.incompatibleWeights`
    ///   (missing or mis-shaped tensors, each named), `TokenizerError` (bad vocabulary).
    public static func load(_ name: String, options: Options = Options(),
                            resolver: ModelResolver = ModelResolver()) throws -> SentenceEncoder {
        try load(resolver.resolve(name), options: options)
    }

    /// Loads a model already resolved.
    public static func load(_ resolved: ResolvedModel, options: Options = Options()) throws -> SentenceEncoder {
        if let dimension = options.projectionDimension, dimension <= 0 {
            throw ModelError.invalidArgument("projection dimension must be positive, got \(dimension)")
        }
        let config = try resolved.loadConfig()
        let random = RandomSource(seed: options.seed)
        let transformer: any TransformerEncoder
        let tokenizer: WordPieceTokenizer
        var unused: [String] = []
        var pooling = options.pooling ?? .mean
        switch resolved {
        case let .checkpoint(files, _):
            let weights = try SafetensorsFile(contentsOf: files.weights)
            (transformer, unused) = try Transformers.load(config: config, weights: weights, random: random, namePrefix: "encoder.")
            tokenizer = try WordPieceTokenizer.load(folder: files.directory, maxLength: options.maxLength)
            if options.pooling == nil, let file = files.poolingConfig { pooling = try Self.pooling(from: file) }
        case let .random(spec):
            transformer = try Transformers.random(config: config, seed: options.seed, random: random, namePrefix: "encoder.")
            let vocabulary: Vocabulary
            switch spec.vocabulary {
            case let .vocabTxt(url): vocabulary = try WordPieceTokenizer.loadVocabularyText(url)
            case let .tokenizerJSON(url):
                tokenizer = try WordPieceTokenizer.load(folder: url.deletingLastPathComponent(), maxLength: options.maxLength)
                return try finish(tokenizer)
            case .builtin: vocabulary = Vocabulary(tokens: BuiltinVocabulary.tokens)
            }
            tokenizer = try WordPieceTokenizer(vocabulary: vocabulary, maxLength: options.maxLength ?? config.maxPositions)
        }
        return try finish(tokenizer)

        func finish(_ tokenizer: WordPieceTokenizer) throws -> SentenceEncoder {
            var projection: Linear?
            if let dimension = options.projectionDimension {
                var generator = SeededGenerator(seed: options.seed &+ 1)
                projection = try Linear(inFeatures: config.hiddenSize, outFeatures: dimension, name: "projection", generator: &generator)
            }
            let encoder = try SentenceEncoder(transformer: transformer, tokenizer: tokenizer, pooling: pooling,
                                              projection: projection, normalize: options.normalize, random: random)
            encoder.unusedWeights = unused
            return encoder
        }
    }

    /// The pooling mode of a sentence-transformers `1_Pooling/config.json`
    /// (`pooling_mode_mean_tokens`, `pooling_mode_cls_token`, `pooling_mode_max_tokens`).
    static func pooling(from url: URL) throws -> Pooling {
        guard let data = FileManager.default.contents(atPath: url.path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ModelError.invalidArgument("\(url.path) is not a JSON object; delete it or fix it to choose the pooling mode")
        }
        if object["pooling_mode_cls_token"] as? Bool == true { return .cls }
        if object["pooling_mode_max_tokens"] as? Bool == true { return .max }
        return .mean
    }
}
