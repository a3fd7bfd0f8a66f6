import Foundation
import Models
import NN
import Script
import Tensors
import Tokenizers

/// A sentence encoder held in a variable (`enc = encoder "all-MiniLM-L6-v2" dim=256`).
///
/// `enc.layers[0:3]`, `enc.embeddings` and `enc.projection` are addresses for `freeze`.
public final class EncoderObject: HostObject, ArchivableObject {
    public let encoder: SentenceEncoder
    /// The name it was loaded by (a model name or folder), for display.
    public let name: String

    public init(_ encoder: SentenceEncoder, name: String) {
        self.encoder = encoder
        self.name = name
    }

    public var typeName: String { "encoder" }

    /// `encoder all-MiniLM-L6-v2 (bert, 6 layers, hidden 384) → mean pooling → Linear 384→256 + tanh · 22.8M params`.
    public var summary: String {
        "encoder " + description
    }

    /// The summary without the leading word (models embed it).
    var description: String {
        let config = encoder.config
        var text = "\(name) (\(config.kind.rawValue), \(config.layers) layer\(config.layers == 1 ? "" : "s"), hidden \(config.hiddenSize))"
        text += " → \(encoder.pooling.rawValue) pooling"
        if let projection = encoder.projection { text += " → Linear \(projection.inFeatures)→\(projection.outFeatures) + tanh" }
        if encoder.normalize { text += " → L2 normalize" }
        return text + " · \(NumberText.count(encoder.parameterCount)) params"
    }

    public var attributeNames: [String] {
        ["name", "kind", "dim", "hidden", "num_layers", "pooling", "normalize", "params", "vocab_size", "max_length",
         "layers", "embeddings", "projection"]
    }

    public func attribute(_ name: String) throws -> Value? {
        let config = encoder.config
        switch name {
        case "name": return .string(self.name)
        case "kind": return .string(config.kind.rawValue)
        case "dim": return .number(Double(encoder.dimension))
        case "hidden": return .number(Double(config.hiddenSize))
        case "num_layers": return .number(Double(config.layers))
        case "pooling": return .string(encoder.pooling.rawValue)
        case "normalize": return .bool(encoder.normalize)
        case "params": return .number(Double(encoder.parameterCount))
        case "vocab_size": return .number(Double(encoder.tokenizer.vocabulary.count))
        case "max_length": return .number(Double(encoder.tokenizer.maxLength))
        case "layers", "embeddings", "projection": return .object(AddressObject(root: .encoder(self), path: "encoder.\(name)"))
        default: return nil
        }
    }

    // MARK: - Archive

    struct Stored: Codable {
        var name: String
        var config: TransformerConfig
        /// Token of each id (index = id); ids the vocabulary lacks hold a placeholder.
        var vocabulary: [String]
        var lowercase: Bool
        var stripAccents: Bool?
        var maxLength: Int
        var pooling: Pooling
        var projection: Int?
        var normalize: Bool
        /// The dropout generator's state, hex words.
        var random: [String]
        /// Names of the parameters that do not train.
        var frozen: [String]
    }

    public var archiveKind: String { "encoder" }

    public func archive(into writer: SessionArchiveWriter) throws -> ArchivedParts {
        let parameters = encoder.namedParameters()
        let stored = Stored(name: name, config: encoder.config, vocabulary: Self.tokens(of: encoder.tokenizer.vocabulary, limit: encoder.config.vocabSize),
                            lowercase: encoder.tokenizer.lowercase, stripAccents: encoder.tokenizer.stripAccents,
                            maxLength: encoder.tokenizer.maxLength, pooling: encoder.pooling,
                            projection: encoder.projection?.outFeatures, normalize: encoder.normalize,
                            random: encoder.random.generator.state.map { String($0, radix: 16) },
                            frozen: parameters.filter { !$0.1.requiresGrad }.map(\.0))
        // The transformer's tensors under its checkpoint names (without the model's "encoder."), so
        // restore can hand the file straight to `Transformers.load`; the projection keeps its name.
        return ArchivedParts(info: try JSONValue.from(stored),
                             tensors: parameters.map { (name: Self.storedName($0.0), shape: $0.1.shape, values: $0.1.value.toArray()) })
    }

    /// The name a parameter is stored under: `encoder.X` → `X`, anything else as it is.
    static func storedName(_ name: String) -> String {
        name.hasPrefix("encoder.") ? String(name.dropFirst("encoder.".count)) : name
    }

    /// The placeholder for an id the vocabulary does not use (it can never match typed text).
    static let unusedToken = "[mtl:unused]"

    /// The tokens by id, 0 up to the largest id below `limit` (the model's vocab_size: ids at or
    /// above it could not be embedded anyway).
    static func tokens(of vocabulary: Vocabulary, limit: Int) -> [String] {
        var result = (0..<max(0, limit)).map { id in vocabulary.token(for: id) ?? unusedToken + "\(id)" }
        while let last = result.last, last.hasPrefix(unusedToken) { result.removeLast() }
        return result
    }

    static func decode(_ source: ArchivedObjectSource) throws -> any HostObject {
        let stored = try source.info(as: Stored.self)
        let words = stored.random.compactMap { UInt64($0, radix: 16) }
        guard words.count == stored.random.count, let generator = SeededGenerator(state: words) else {
            throw source.problem("its dropout generator state is not four hex words")
        }
        let random = RandomSource(generator: generator)
        guard let file = source.file else { throw source.problem("it has no weights file") }
        // A hand-edited manifest gets the checks a config.json gets, before any tensor is built.
        do {
            try stored.config.validate(source: "the encoder's config")
            try stored.config.validate(maxLength: stored.maxLength, source: "the encoder's config")
        } catch let error as TransformerConfigError {
            throw source.problem("\(error)")
        }
        let (transformer, _) = try Transformers.load(config: stored.config, weights: file, random: random, namePrefix: "encoder.")
        let tokenizer = try WordPieceTokenizer(vocabulary: Vocabulary(tokens: stored.vocabulary), lowercase: stored.lowercase,
                                               stripAccents: stored.stripAccents, maxLength: stored.maxLength)
        var projection: Linear?
        if let dimension = stored.projection {
            var unused = SeededGenerator(seed: 0)
            projection = try Linear(inFeatures: stored.config.hiddenSize, outFeatures: dimension, name: "projection", generator: &unused)
        }
        let encoder = try SentenceEncoder(transformer: transformer, tokenizer: tokenizer, pooling: stored.pooling,
                                          projection: projection, normalize: stored.normalize, random: random)
        try ArchivedWeights.load(into: encoder.projection?.namedParameters() ?? [], from: source, frozen: [], prefix: "projection.")
        let frozen = Set(stored.frozen)
        for (name, parameter) in encoder.namedParameters() { parameter.requiresGrad = !frozen.contains(name) }
        return EncoderObject(encoder, name: stored.name)
    }
}

/// Copying stored weights into a freshly built module.
enum ArchivedWeights {
    /// Sets each parameter's value from the tensor of the same name, and its trainable flag.
    static func load(into parameters: [(String, Tensors.Parameter)], from source: ArchivedObjectSource, frozen: Set<String>,
                     prefix: String = "") throws {
        for (shortName, parameter) in parameters {
            let name = prefix + shortName
            let tensor = try source.tensor(name)
            guard tensor.shape == parameter.shape else {
                throw source.problem("tensor '\(name)' has shape \(tensor.shape) but the rebuilt model needs \(parameter.shape)")
            }
            parameter.value = tensor
            parameter.requiresGrad = !frozen.contains(name)
        }
    }
}
