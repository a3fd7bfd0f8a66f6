@testable import Tokenizers

/// A hand-made vocabulary for rule tests: ids are list positions, so expected ids read off directly.
enum TinyVocabulary {
    static let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]   // ids 0–4

    static let words = [
        "hello", "world", "un", "##aff", "##able", "a", "##a", ",", "!", "[", "]",
        "cafe", "Café", "Cafe", "angstrom", "οδος", "σα", "世", "界", "—", "«", "»", "hi", "$", "5", "##€",
        "sep", "i",
    ]

    static var tokens: [String] { specials + words }

    static func id(_ token: String) -> Int {
        tokens.firstIndex(of: token) ?? -1
    }

    static func tokenizer(extra: [String] = [], lowercase: Bool = true, stripAccents: Bool? = nil,
                          maxLength: Int = 512) throws -> WordPieceTokenizer {
        try WordPieceTokenizer(vocabulary: Vocabulary(tokens: tokens + extra), lowercase: lowercase,
                               stripAccents: stripAccents, maxLength: maxLength)
    }
}
