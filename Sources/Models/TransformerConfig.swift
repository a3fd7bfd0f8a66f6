import Foundation

/// The shape and hyper-parameters of a BERT or DistilBERT encoder, read from a Hugging Face
/// `config.json`.
///
/// The two model types spell the same ideas differently (transformers
/// `models/bert/configuration_bert.py` vs `models/distilbert/configuration_distilbert.py`):
///
/// | field | bert key | distilbert key |
/// |---|---|---|
/// | hiddenSize | hidden_size | dim |
/// | layers | num_hidden_layers | n_layers |
/// | heads | num_attention_heads | n_heads |
/// | intermediateSize | intermediate_size | hidden_dim |
/// | activation | hidden_act | activation |
/// | hiddenDropout | hidden_dropout_prob | dropout |
/// | attentionDropout | attention_probs_dropout_prob | attention_dropout |
/// | layerNormEps | layer_norm_eps | — (1e-12, fixed in `modeling_distilbert.py`) |
/// | typeVocabSize | type_vocab_size | — (0: no token-type embeddings) |
/// | sinusoidalPositions | — (false) | sinusoidal_pos_embds |
///
/// `max_position_embeddings`, `vocab_size` and `pad_token_id` are shared.
public struct TransformerConfig: Equatable, Codable, Sendable {
    /// Which architecture the config describes (HF `model_type`).
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case bert, distilbert
    }

    /// The feed-forward activation. `gelu` is the exact erf form (HF `GELUActivation`).
    public enum Activation: String, Codable, CaseIterable, Sendable {
        case gelu, relu
    }

    public var kind: Kind
    public var hiddenSize: Int
    public var layers: Int
    public var heads: Int
    public var intermediateSize: Int
    public var activation: Activation
    public var maxPositions: Int
    /// Rows of the token-type embedding; 0 for DistilBERT, which has none.
    public var typeVocabSize: Int
    public var vocabSize: Int
    public var layerNormEps: Double
    public var hiddenDropout: Double
    public var attentionDropout: Double
    public var padTokenId: Int
    /// DistilBERT's fixed sinusoidal position table instead of learned positions.
    public var sinusoidalPositions: Bool

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / heads }

    public init(kind: Kind, hiddenSize: Int, layers: Int, heads: Int, intermediateSize: Int,
                activation: Activation = .gelu, maxPositions: Int, typeVocabSize: Int,
                vocabSize: Int, layerNormEps: Double = 1e-12, hiddenDropout: Double = 0.1,
                attentionDropout: Double = 0.1, padTokenId: Int = 0, sinusoidalPositions: Bool = false) {
        self.kind = kind
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.heads = heads
        self.intermediateSize = intermediateSize
        self.activation = activation
        self.maxPositions = maxPositions
        self.typeVocabSize = typeVocabSize
        self.vocabSize = vocabSize
        self.layerNormEps = layerNormEps
        self.hiddenDropout = hiddenDropout
        self.attentionDropout = attentionDropout
        self.padTokenId = padTokenId
        self.sinusoidalPositions = sinusoidalPositions
    }

    /// Reads and validates a `config.json`.
    /// - Throws: `TransformerConfigError` naming the file and the offending key.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TransformerConfigError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        try self.init(json: data, source: url.path)
    }

    /// Parses and validates HF config JSON; `source` names it in error messages.
    public init(json: Data, source: String) throws {
        let fields: [String: ConfigValue]
        do {
            fields = try JSONDecoder().decode([String: ConfigValue].self, from: json)
        } catch {
            throw TransformerConfigError.invalidJSON(file: source, reason: "not a JSON object (\(error.localizedDescription))")
        }
        let reader = ConfigReader(fields: fields, file: source)
        guard case let .string(typeName)? = fields["model_type"] else {
            throw TransformerConfigError.unknownModelType(file: source, found: fields["model_type"]?.description)
        }
        guard let kind = Kind(rawValue: typeName) else {
            throw TransformerConfigError.unknownModelType(file: source, found: "\"\(typeName)\"")
        }
        switch kind {
        case .bert:
            // Defaults where transformers' BertConfig has one that is not the model's size.
            self.init(kind: .bert,
                      hiddenSize: try reader.positive("hidden_size"),
                      layers: try reader.positive("num_hidden_layers"),
                      heads: try reader.positive("num_attention_heads"),
                      intermediateSize: try reader.positive("intermediate_size"),
                      activation: try reader.activation("hidden_act"),
                      maxPositions: try reader.positive("max_position_embeddings"),
                      typeVocabSize: try reader.positive("type_vocab_size", default: 2),
                      vocabSize: try reader.positive("vocab_size"),
                      layerNormEps: try reader.epsilon("layer_norm_eps", default: 1e-12),
                      hiddenDropout: try reader.probability("hidden_dropout_prob", default: 0.1),
                      attentionDropout: try reader.probability("attention_probs_dropout_prob", default: 0.1),
                      padTokenId: try reader.nonNegative("pad_token_id", default: 0),
                      sinusoidalPositions: false)
        case .distilbert:
            self.init(kind: .distilbert,
                      hiddenSize: try reader.positive("dim"),
                      layers: try reader.positive("n_layers"),
                      heads: try reader.positive("n_heads"),
                      intermediateSize: try reader.positive("hidden_dim"),
                      activation: try reader.activation("activation"),
                      maxPositions: try reader.positive("max_position_embeddings"),
                      typeVocabSize: 0,
                      vocabSize: try reader.positive("vocab_size"),
                      layerNormEps: 1e-12,
                      hiddenDropout: try reader.probability("dropout", default: 0.1),
                      attentionDropout: try reader.probability("attention_dropout", default: 0.1),
                      padTokenId: try reader.nonNegative("pad_token_id", default: 0),
                      sinusoidalPositions: try reader.bool("sinusoidal_pos_embds", default: false))
        }
        try validate(source: source)
    }

    /// Checks what every config must satisfy whatever its origin (a config.json, a session
    /// manifest): positive sizes, a hidden size the heads divide, a pad id inside the vocabulary,
    /// dropout probabilities in [0, 1) and a positive LayerNorm eps.
    /// - Throws: `TransformerConfigError.invalidValue` naming the key (in HF spelling) and `source`.
    public func validate(source: String) throws {
        let bert = kind == .bert
        let sizes: [(String, Int)] = [
            (bert ? "hidden_size" : "dim", hiddenSize), (bert ? "num_hidden_layers" : "n_layers", layers),
            (bert ? "num_attention_heads" : "n_heads", heads), (bert ? "intermediate_size" : "hidden_dim", intermediateSize),
            ("max_position_embeddings", maxPositions), ("vocab_size", vocabSize),
        ]
        for (key, value) in sizes where value <= 0 {
            throw TransformerConfigError.invalidValue(file: source, key: key, problem: "must be positive, found \(value)")
        }
        if bert, typeVocabSize <= 0 {
            throw TransformerConfigError.invalidValue(file: source, key: "type_vocab_size", problem: "must be positive, found \(typeVocabSize)")
        }
        let names = bert ? ("hidden_size", "num_attention_heads") : ("dim", "n_heads")
        guard hiddenSize % heads == 0 else {
            throw TransformerConfigError.invalidValue(
                file: source, key: names.0,
                problem: "\(names.0) \(hiddenSize) is not divisible by \(names.1) \(heads)")
        }
        guard padTokenId >= 0, padTokenId < vocabSize else {
            throw TransformerConfigError.invalidValue(
                file: source, key: "pad_token_id",
                problem: "pad_token_id \(padTokenId) is negative or not below vocab_size \(vocabSize)")
        }
        for (key, p) in [(bert ? "hidden_dropout_prob" : "dropout", hiddenDropout),
                         (bert ? "attention_probs_dropout_prob" : "attention_dropout", attentionDropout)] where !(p >= 0 && p < 1) {
            throw TransformerConfigError.invalidValue(file: source, key: key, problem: "must be a probability in [0, 1), found \(p)")
        }
        guard layerNormEps > 0, layerNormEps.isFinite else {
            throw TransformerConfigError.invalidValue(file: source, key: "layer_norm_eps", problem: "must be a positive number, found \(layerNormEps)")
        }
    }

    /// Checks a tokenizer length for this model: room for [CLS] and [SEP] (≥ 2) and no more
    /// tokens than it has positions.
    /// - Throws: `TransformerConfigError.invalidValue` (key `max_length`) saying the allowed range.
    public func validate(maxLength: Int, source: String) throws {
        guard maxLength >= 2, maxLength <= maxPositions else {
            throw TransformerConfigError.invalidValue(
                file: source, key: "max_length",
                problem: "\(maxLength) is out of range; it must be from 2 ([CLS] and [SEP]) to \(maxPositions) (the model's max_position_embeddings)")
        }
    }

    // MARK: - Export

    /// The config as Hugging Face `config.json` keys for its model type, so transformers
    /// (`AutoModel.from_pretrained`) can load an exported checkpoint.
    public var huggingFaceFields: [String: ConfigValue] {
        var fields: [String: ConfigValue] = [
            "model_type": .string(kind.rawValue),
            "max_position_embeddings": .integer(maxPositions),
            "vocab_size": .integer(vocabSize),
            "pad_token_id": .integer(padTokenId),
        ]
        switch kind {
        case .bert:
            fields["architectures"] = .array([.string("BertModel")])
            fields["hidden_size"] = .integer(hiddenSize)
            fields["num_hidden_layers"] = .integer(layers)
            fields["num_attention_heads"] = .integer(heads)
            fields["intermediate_size"] = .integer(intermediateSize)
            fields["hidden_act"] = .string(activation.rawValue)
            fields["type_vocab_size"] = .integer(typeVocabSize)
            fields["layer_norm_eps"] = .number(layerNormEps)
            fields["hidden_dropout_prob"] = .number(hiddenDropout)
            fields["attention_probs_dropout_prob"] = .number(attentionDropout)
        case .distilbert:
            fields["architectures"] = .array([.string("DistilBertModel")])
            fields["dim"] = .integer(hiddenSize)
            fields["n_layers"] = .integer(layers)
            fields["n_heads"] = .integer(heads)
            fields["hidden_dim"] = .integer(intermediateSize)
            fields["activation"] = .string(activation.rawValue)
            fields["dropout"] = .number(hiddenDropout)
            fields["attention_dropout"] = .number(attentionDropout)
            fields["sinusoidal_pos_embds"] = .bool(sinusoidalPositions)
        }
        return fields
    }

    /// `huggingFaceFields` as pretty-printed JSON with sorted keys, ready to write as `config.json`.
    public func huggingFaceJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(huggingFaceFields)
    }
}

// MARK: - Errors

/// Why a `config.json` could not be used.
public enum TransformerConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    case unreadable(file: String, reason: String)
    case invalidJSON(file: String, reason: String)
    /// `model_type` is absent or not one of `TransformerConfig.Kind`.
    case unknownModelType(file: String, found: String?)
    /// A required key is absent.
    case missingKey(file: String, key: String)
    /// A key holds the wrong kind of value or an impossible one.
    case invalidValue(file: String, key: String, problem: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the model config (\(reason))"
        case let .invalidJSON(file, reason):
            return "\(file): model config is not valid JSON: \(reason)"
        case let .unknownModelType(file, found):
            let supported = TransformerConfig.Kind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            let what = found.map { "model_type \($0) is not supported" } ?? "no \"model_type\" key"
            return "\(file): \(what); supported model types: \(supported)"
        case let .missingKey(file, key):
            return "\(file): required key \"\(key)\" is missing"
        case let .invalidValue(file, key, problem):
            return "\(file): key \"\(key)\": \(problem)"
        }
    }
}

// MARK: - JSON values

/// A JSON value from a config file, integers kept apart from other numbers.
public enum ConfigValue: Codable, Equatable, Sendable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([ConfigValue])
    case object([String: ConfigValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([ConfigValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: ConfigValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(b): try container.encode(b)
        case let .integer(n): try container.encode(n)
        case let .number(x): try container.encode(x)
        case let .string(s): try container.encode(s)
        case let .array(items): try container.encode(items)
        case let .object(fields): try container.encode(fields)
        }
    }

    public var description: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return String(b)
        case let .integer(n): return String(n)
        case let .number(x): return String(x)
        case let .string(s): return "\"\(s)\""
        case let .array(items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .object: return "an object"
        }
    }
}

/// Typed, validated access to config keys, each failure naming the file and key.
private struct ConfigReader {
    let fields: [String: ConfigValue]
    let file: String

    private func invalid(_ key: String, _ problem: String) -> TransformerConfigError {
        .invalidValue(file: file, key: key, problem: problem)
    }

    /// The value of `key`, nil when absent or null (null means "use the default" in HF configs).
    private func value(_ key: String) -> ConfigValue? {
        switch fields[key] {
        case nil, .null?: return nil
        case let value?: return value
        }
    }

    func integer(_ key: String, default fallback: Int? = nil) throws -> Int {
        guard let value = value(key) else {
            if let fallback { return fallback }
            throw TransformerConfigError.missingKey(file: file, key: key)
        }
        guard case let .integer(n) = value else { throw invalid(key, "expected an integer, found \(value)") }
        return n
    }

    func positive(_ key: String, default fallback: Int? = nil) throws -> Int {
        let n = try integer(key, default: fallback)
        guard n > 0 else { throw invalid(key, "must be positive, found \(n)") }
        return n
    }

    func nonNegative(_ key: String, default fallback: Int) throws -> Int {
        let n = try integer(key, default: fallback)
        guard n >= 0 else { throw invalid(key, "must not be negative, found \(n)") }
        return n
    }

    private func double(_ key: String, default fallback: Double) throws -> Double {
        switch value(key) {
        case nil: return fallback
        case let .integer(n)?: return Double(n)
        case let .number(x)?: return x
        case let other?: throw invalid(key, "expected a number, found \(other)")
        }
    }

    func probability(_ key: String, default fallback: Double) throws -> Double {
        let p = try double(key, default: fallback)
        guard p >= 0, p < 1 else { throw invalid(key, "a dropout probability must be in [0, 1), found \(p)") }
        return p
    }

    func epsilon(_ key: String, default fallback: Double) throws -> Double {
        let eps = try double(key, default: fallback)
        guard eps > 0, eps.isFinite else { throw invalid(key, "must be a small positive number, found \(eps)") }
        return eps
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        switch value(key) {
        case nil: return fallback
        case let .bool(b)?: return b
        case let other?: throw invalid(key, "expected true or false, found \(other)")
        }
    }

    func activation(_ key: String) throws -> TransformerConfig.Activation {
        switch value(key) {
        case nil: return .gelu   // the default of both BertConfig and DistilBertConfig
        case let .string(name)?:
            guard let activation = TransformerConfig.Activation(rawValue: name) else {
                let supported = TransformerConfig.Activation.allCases.map(\.rawValue).joined(separator: ", ")
                throw invalid(key, "activation \"\(name)\" is not supported (supported: \(supported))")
            }
            return activation
        case let other?:
            throw invalid(key, "expected an activation name, found \(other)")
        }
    }
}
