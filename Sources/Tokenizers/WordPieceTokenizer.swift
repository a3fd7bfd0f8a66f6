/// A BERT tokenizer that gives the same tokens and ids as Hugging Face's `BertTokenizer`.
///
/// Pipeline (transformers `tokenization_bert.py`): special tokens found in the raw text are kept
/// whole; the rest goes through `BasicTokenizer` (clean, CJK spacing, NFC, whitespace split,
/// lowercase, strip accents, punctuation split), then greedy WordPiece; `encode` wraps the ids
/// in `[CLS] … [SEP]` and truncates to `maxLength`, keeping `[SEP]` last.
///
/// It follows the Python `BertTokenizer` (transformers 5: `BertTokenizerLegacy`). The Rust
/// `BertTokenizerFast` differs from it in three corners, where this type sides with Python:
/// capital sigma at a word's end lowercases to final "ς" (Python `str.lower()`), cased
/// tokenizers compose input to NFC first, and a special token split by a control character
/// ("[CL\u{0}S]") is still recognised after cleaning.
public struct WordPieceTokenizer: Sendable {
    public let vocabulary: Vocabulary
    /// The longest encoding, special tokens included (at least 2: `[CLS]` and `[SEP]`).
    public let maxLength: Int
    public let lowercase: Bool
    public let stripAccents: Bool?
    public let clsTokenId: Int
    public let sepTokenId: Int
    public let padTokenId: Int
    public let unkTokenId: Int

    private let basic: BasicTokenizer
    private let wordPiece: WordPiece
    /// Special tokens as scalars, longest first, for matching in raw text.
    private let specialTokens: [[Unicode.Scalar]]
    /// The first scalar of each special token: a cheap test before trying to match.
    private let specialTokenStarts: Set<Unicode.Scalar>

    /// The standard BERT special tokens; those present in the vocabulary are never split.
    public static let specialTokenNames = ["[UNK]", "[SEP]", "[PAD]", "[CLS]", "[MASK]"]

    /// A tokenizer over `vocabulary`, which must hold `[CLS]`, `[SEP]`, `[PAD]` and `[UNK]`.
    ///
    /// - Parameters:
    ///   - lowercase: HF `do_lower_case`.
    ///   - stripAccents: HF `strip_accents`; nil follows `lowercase`.
    ///   - maxLength: the longest encoding; values below 2 are raised to 2.
    ///   - tokenizeChineseChars: HF `tokenize_chinese_chars` (spaces around CJK ideographs).
    ///   - maxInputCharsPerWord: longer words become `[UNK]` (HF: 100).
    /// - Throws: `TokenizerError.missingSpecialToken` (file "vocabulary") when one is absent.
    public init(vocabulary: Vocabulary, lowercase: Bool = true, stripAccents: Bool? = nil,
                maxLength: Int = 512, tokenizeChineseChars: Bool = true,
                maxInputCharsPerWord: Int = 100) throws {
        try self.init(vocabulary: vocabulary, lowercase: lowercase, stripAccents: stripAccents,
                      maxLength: maxLength, tokenizeChineseChars: tokenizeChineseChars,
                      maxInputCharsPerWord: maxInputCharsPerWord, source: "vocabulary")
    }

    init(vocabulary: Vocabulary, lowercase: Bool, stripAccents: Bool?, maxLength: Int,
         tokenizeChineseChars: Bool, maxInputCharsPerWord: Int, source: String) throws {
        func required(_ name: String) throws -> Int {
            guard let id = vocabulary.id(for: name) else {
                throw TokenizerError.missingSpecialToken(name, file: source)
            }
            return id
        }
        guard vocabulary.count > 0 else { throw TokenizerError.emptyVocabulary(file: source) }
        clsTokenId = try required("[CLS]")
        sepTokenId = try required("[SEP]")
        padTokenId = try required("[PAD]")
        unkTokenId = try required("[UNK]")
        self.vocabulary = vocabulary
        self.maxLength = max(2, maxLength)
        self.lowercase = lowercase
        self.stripAccents = stripAccents
        let specials = Self.specialTokenNames.filter { vocabulary.id(for: $0) != nil }
        specialTokens = specials.map { Array($0.unicodeScalars) }.sorted { $0.count > $1.count }
        specialTokenStarts = Set(specialTokens.compactMap(\.first))
        basic = BasicTokenizer(lowercase: lowercase, stripAccents: stripAccents,
                               tokenizeChineseChars: tokenizeChineseChars,
                               neverSplit: specials)
        wordPiece = WordPiece(vocabulary: vocabulary, unknown: Piece(token: "[UNK]", id: unkTokenId),
                              maxInputCharsPerWord: maxInputCharsPerWord)
    }

    // MARK: - Tokens

    /// The WordPiece tokens of `text`, without `[CLS]`/`[SEP]` and without truncation.
    public func tokenize(_ text: String) -> [String] {
        pieces(text, limit: .max).map(\.token)
    }

    /// The pieces of `text` (tokens with ids), stopping once `limit` pieces are found.
    ///
    /// Stopping early gives the same prefix HF's tokenize-then-truncate gives, since pieces come
    /// strictly left to right; it keeps a 100 KB line cheap.
    public func pieces(_ text: String, limit: Int) -> [Piece] {
        var output: [Piece] = []
        let scalars = Array(text.unicodeScalars)
        var chunkStart = 0
        var i = 0
        // Special tokens are matched in the raw text first, as HF's added-token split does.
        while i < scalars.count && output.count < limit {
            if specialTokenStarts.contains(scalars[i]), let special = specialToken(in: scalars, at: i) {
                appendPieces(scalars[chunkStart..<i], to: &output, limit: limit)
                if output.count < limit {
                    var token = ""
                    token.unicodeScalars.append(contentsOf: special)
                    if let id = vocabulary.id(for: token) { output.append(Piece(token: token, id: id)) }
                }
                i += special.count
                chunkStart = i
            } else {
                i += 1
            }
        }
        appendPieces(scalars[chunkStart..<scalars.count], to: &output, limit: limit)
        if output.count > limit { output.removeSubrange(limit...) }
        return output
    }

    private func specialToken(in scalars: [Unicode.Scalar], at i: Int) -> [Unicode.Scalar]? {
        specialTokens.first { token in
            i + token.count <= scalars.count && scalars[i..<(i + token.count)].elementsEqual(token)
        }
    }

    private func appendPieces(_ chunk: ArraySlice<Unicode.Scalar>, to output: inout [Piece], limit: Int) {
        guard !chunk.isEmpty else { return }
        for word in basic.words(chunk) {
            if output.count >= limit { return }
            wordPiece.tokenize(word, into: &output)
        }
    }

    // MARK: - Ids

    /// `[CLS] ids [SEP]`, truncated to `maxLength` with `[SEP]` kept last.
    public func encode(_ text: String) -> [Int] {
        [clsTokenId] + pieces(text, limit: maxLength - 2).map(\.id) + [sepTokenId]
    }

    /// Encodes each text and pads to the longest with `padTokenId`; the mask marks real tokens.
    public func encodeBatch(_ texts: [String]) -> BatchEncoding {
        BatchEncoding(sequences: texts.map(encode), padTokenId: padTokenId)
    }

    /// The token of each id, for display; an unknown id shows as `[UNK]` (HF `_convert_id_to_token`).
    public func decode(_ ids: [Int]) -> [String] {
        ids.map { vocabulary.token(for: $0) ?? "[UNK]" }
    }
}
