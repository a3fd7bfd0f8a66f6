import Foundation

/// Loading a tokenizer from a Hugging Face checkpoint folder.
extension WordPieceTokenizer {
    /// Loads the tokenizer of the checkpoint in `folder`.
    ///
    /// The vocabulary comes from `vocab.txt`, or from `tokenizer.json` when that is all the
    /// folder has (its `model.vocab`, and `normalizer.lowercase` / `strip_accents` /
    /// `handle_chinese_chars`). `tokenizer_config.json`, when present, overrides
    /// `do_lower_case`, `strip_accents` and `tokenize_chinese_chars` (as `BertTokenizerFast`
    /// re-builds its normalizer from these arguments).
    ///
    /// tokenizer.json's vocab is read through JSONSerialization, whose Swift dictionary merges
    /// canonically equivalent keys ("é" and "e\u{301}"); vocab.txt has no such limit, and BERT's
    /// English vocabulary has no such pair.
    ///
    /// - Parameter maxLength: the longest encoding; nil takes `defaultMaxLength(folder:)`.
    /// - Throws: `TokenizerError` naming the file (and line) at fault.
    public static func load(folder: URL, maxLength: Int? = nil) throws -> WordPieceTokenizer {
        let fm = FileManager.default
        let vocabURL = folder.appendingPathComponent("vocab.txt")
        let jsonURL = folder.appendingPathComponent("tokenizer.json")
        var lowercase = true
        var stripAccents: Bool?
        var chinese = true
        var maxChars = 100
        let vocabulary: Vocabulary
        let source: String
        if fm.fileExists(atPath: vocabURL.path) {
            vocabulary = try loadVocabularyText(vocabURL)
            source = vocabURL.path
        } else if fm.fileExists(atPath: jsonURL.path) {
            let json = try TokenizerJSON.load(jsonURL)
            vocabulary = json.vocabulary
            lowercase = json.lowercase
            stripAccents = json.stripAccents
            chinese = json.handleChineseChars
            maxChars = json.maxInputCharsPerWord
            source = jsonURL.path
        } else {
            throw TokenizerError.noVocabulary(folder: folder.path)
        }
        let configURL = folder.appendingPathComponent("tokenizer_config.json")
        if let config = try readJSONObject(configURL) {
            let file = configURL.path
            if let value = try optionalBool(config, "do_lower_case", file: file) { lowercase = value }
            if config.keys.contains("strip_accents") {
                stripAccents = try optionalBool(config, "strip_accents", file: file)
            }
            if let value = try optionalBool(config, "tokenize_chinese_chars", file: file) { chinese = value }
        }
        return try WordPieceTokenizer(
            vocabulary: vocabulary, lowercase: lowercase, stripAccents: stripAccents,
            maxLength: try maxLength ?? defaultMaxLength(folder: folder),
            tokenizeChineseChars: chinese, maxInputCharsPerWord: maxChars, source: source)
    }

    /// The encoding length a checkpoint supports: `max_seq_length` from
    /// `sentence_bert_config.json` when present (256 for all-MiniLM-L6-v2), else 512, capped by
    /// `max_position_embeddings` from `config.json` when present.
    public static func defaultMaxLength(folder: URL) throws -> Int {
        var length = 512
        let sbertURL = folder.appendingPathComponent("sentence_bert_config.json")
        if let sbert = try readJSONObject(sbertURL),
           let value = try optionalInt(sbert, "max_seq_length", file: sbertURL.path) {
            length = value
        }
        let configURL = folder.appendingPathComponent("config.json")
        if let config = try readJSONObject(configURL),
           let positions = try optionalInt(config, "max_position_embeddings", file: configURL.path) {
            length = min(length, positions)
        }
        return max(2, length)
    }

    /// Reads `vocab.txt` as transformers' `load_vocab`: one token per line, id = line index.
    ///
    /// Lines end at `\n`, `\r\n` or `\r` (Python's universal newlines); a final newline adds no
    /// empty token; a repeated token keeps its last index. Invalid UTF-8 is an error naming the line.
    public static func loadVocabularyText(_ url: URL) throws -> Vocabulary {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TokenizerError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        let bytes = [UInt8](data)
        var tokens: [String] = []
        var start = 0
        var i = 0
        func takeLine(_ end: Int) throws {
            guard let token = String(validating: bytes[start..<end], as: UTF8.self) else {
                throw TokenizerError.invalidUTF8(file: url.path, line: tokens.count + 1)
            }
            tokens.append(token)
        }
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\n"):
                try takeLine(i); i += 1; start = i
            case UInt8(ascii: "\r"):
                try takeLine(i)
                i += (i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n")) ? 2 : 1
                start = i
            default:
                i += 1
            }
        }
        if start < bytes.count { try takeLine(bytes.count) }
        guard !tokens.isEmpty else { throw TokenizerError.emptyVocabulary(file: url.path) }
        return Vocabulary(tokens: tokens)
    }
}

// MARK: - JSON helpers

/// The parts of a Hugging Face `tokenizer.json` a BERT WordPiece tokenizer needs.
struct TokenizerJSON {
    var vocabulary: Vocabulary
    var lowercase = true
    var stripAccents: Bool?
    var handleChineseChars = true
    var maxInputCharsPerWord = 100

    static func load(_ url: URL) throws -> TokenizerJSON {
        let file = url.path
        guard let root = try readJSONObject(url) else {
            throw TokenizerError.unreadable(file: file, reason: "no such file")
        }
        guard let model = root["model"] as? [String: Any] else {
            throw TokenizerError.invalidJSON(file: file, reason: "no \"model\" object")
        }
        if let type = model["type"] as? String, type != "WordPiece" {
            throw TokenizerError.unsupported(file: file, reason: "model type \(type)")
        }
        if let prefix = model["continuing_subword_prefix"] as? String, prefix != "##" {
            throw TokenizerError.unsupported(file: file, reason: "continuing_subword_prefix \(prefix)")
        }
        guard let table = model["vocab"] as? [String: Any] else {
            throw TokenizerError.invalidJSON(file: file, reason: "\"model.vocab\" is not an object of token → id")
        }
        var ids: [String: Int] = [:]
        for (token, value) in table {
            guard let id = jsonInt(value), id >= 0 else {
                throw TokenizerError.invalidJSON(file: file, reason: "id of \"\(token)\" in model.vocab is not a non-negative integer")
            }
            ids[token] = id
        }
        guard !ids.isEmpty else { throw TokenizerError.emptyVocabulary(file: file) }
        var result = TokenizerJSON(vocabulary: Vocabulary(ids: ids))
        if let value = try optionalInt(model, "max_input_chars_per_word", file: file) {
            result.maxInputCharsPerWord = value
        }
        if let normalizer = root["normalizer"] as? [String: Any] {
            let type = normalizer["type"] as? String ?? "?"
            guard type == "BertNormalizer" else {
                throw TokenizerError.unsupported(file: file, reason: "normalizer \(type)")
            }
            if let value = try optionalBool(normalizer, "lowercase", file: file) { result.lowercase = value }
            result.stripAccents = try optionalBool(normalizer, "strip_accents", file: file)
            if let value = try optionalBool(normalizer, "handle_chinese_chars", file: file) {
                result.handleChineseChars = value
            }
        }
        return result
    }
}

/// The top-level object of a JSON file, or nil when the file does not exist.
func readJSONObject(_ url: URL) throws -> [String: Any]? {
    guard FileManager.default.fileExists(atPath: url.path) else { return nil }
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
        throw TokenizerError.unreadable(file: url.path, reason: error.localizedDescription)
    }
    let object: Any
    do { object = try JSONSerialization.jsonObject(with: data) } catch {
        throw TokenizerError.invalidJSON(file: url.path, reason: "cannot parse: \(error.localizedDescription)")
    }
    guard let dictionary = object as? [String: Any] else {
        throw TokenizerError.invalidJSON(file: url.path, reason: "the top level is not an object")
    }
    return dictionary
}

/// Whether a JSONSerialization value is a JSON boolean: Foundation hands back booleans as an
/// NSNumber of ObjC type "c", and bridges plain 0/1 numbers to Bool too, so `is Bool` cannot tell.
private func isJSONBool(_ value: Any) -> Bool {
    guard let number = value as? NSNumber else { return false }
    return String(cString: number.objCType) == "c"
}

/// An integer JSON value; nil for booleans, fractions and non-numbers.
private func jsonInt(_ value: Any) -> Int? {
    guard let number = value as? NSNumber, !isJSONBool(value) else { return nil }
    let double = number.doubleValue
    guard double == double.rounded(), abs(double) < 1e15 else { return nil }
    return number.intValue
}

/// `object[key]` as a Bool; nil when absent or JSON null; an error for any other type.
func optionalBool(_ object: [String: Any], _ key: String, file: String) throws -> Bool? {
    guard let value = object[key], !(value is NSNull) else { return nil }
    guard isJSONBool(value), let bool = value as? Bool else {
        throw TokenizerError.invalidJSON(file: file, reason: "\"\(key)\" is not true, false or null")
    }
    return bool
}

/// `object[key]` as an Int; nil when absent or JSON null; an error for any other type.
func optionalInt(_ object: [String: Any], _ key: String, file: String) throws -> Int? {
    guard let value = object[key], !(value is NSNull) else { return nil }
    guard let int = jsonInt(value) else {
        throw TokenizerError.invalidJSON(file: file, reason: "\"\(key)\" is not an integer")
    }
    return int
}
