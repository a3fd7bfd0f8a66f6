import Foundation

/// Why a tokenizer could not be loaded: each case names the file (and line) at fault.
public enum TokenizerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The folder holds neither `vocab.txt` nor `tokenizer.json`.
    case noVocabulary(folder: String)
    /// A file exists but cannot be read.
    case unreadable(file: String, reason: String)
    /// A line of a text file is not valid UTF-8 (lines counted from 1).
    case invalidUTF8(file: String, line: Int)
    /// The vocabulary has no tokens.
    case emptyVocabulary(file: String)
    /// A special token BERT needs (`[CLS]`, `[SEP]`, `[PAD]`, `[UNK]`) is not in the vocabulary.
    case missingSpecialToken(String, file: String)
    /// A JSON file is malformed or a field has the wrong type.
    case invalidJSON(file: String, reason: String)
    /// The file describes a tokenizer this module does not implement.
    case unsupported(file: String, reason: String)

    public var description: String {
        switch self {
        case .noVocabulary(let folder):
            return "\(folder): no vocab.txt or tokenizer.json; point at a BERT checkpoint folder that has one"
        case .unreadable(let file, let reason):
            return "\(file): cannot read (\(reason))"
        case .invalidUTF8(let file, let line):
            return "\(file):\(line): not valid UTF-8; re-save the file as UTF-8"
        case .emptyVocabulary(let file):
            return "\(file): the vocabulary is empty; expected one token per line"
        case .missingSpecialToken(let token, let file):
            return "\(file): the vocabulary lacks \(token), which BERT needs; is this a BERT WordPiece vocabulary?"
        case .invalidJSON(let file, let reason):
            return "\(file): invalid JSON (\(reason))"
        case .unsupported(let file, let reason):
            return "\(file): unsupported tokenizer (\(reason)); only BERT WordPiece tokenizers are supported"
        }
    }
}
