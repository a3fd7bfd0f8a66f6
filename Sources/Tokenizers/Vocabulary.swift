/// A WordPiece vocabulary: token ↔ id, compared by exact Unicode scalars.
///
/// Swift's `String ==` treats canonically equivalent strings as equal ("é" == "e\u{301}"),
/// but Python's dict in transformers' `load_vocab` compares code points; keys are therefore
/// wrapped in `ExactToken`, which hashes and compares UTF-8 bytes.
public struct Vocabulary: Sendable {
    private var ids: [ExactToken: Int]
    private var tokens: [Int: String]

    /// A vocabulary where each token's id is its index; a repeated token keeps its LAST index,
    /// as transformers' `load_vocab` (an OrderedDict assigned line by line) does.
    public init(tokens list: [String]) {
        var ids: [ExactToken: Int] = [:]
        ids.reserveCapacity(list.count)
        for (index, token) in list.enumerated() { ids[ExactToken(token)] = index }
        self.init(ids: ids)
    }

    /// A vocabulary from an explicit token → id table (as in `tokenizer.json`'s `model.vocab`).
    public init(ids table: [String: Int]) {
        var ids: [ExactToken: Int] = [:]
        ids.reserveCapacity(table.count)
        for (token, id) in table { ids[ExactToken(token)] = id }
        self.init(ids: ids)
    }

    private init(ids: [ExactToken: Int]) {
        self.ids = ids
        var tokens: [Int: String] = [:]
        tokens.reserveCapacity(ids.count)
        for (token, id) in ids { tokens[id] = token.string }
        self.tokens = tokens
    }

    /// The number of distinct tokens (HF's `vocab_size`, `len(vocab)`).
    public var count: Int { ids.count }

    /// The id of `token`, or nil when it is not in the vocabulary.
    public func id(for token: String) -> Int? { ids[ExactToken(token)] }

    /// The token with id `id`, or nil when no token has it.
    public func token(for id: Int) -> String? { tokens[id] }

    /// The longest token, in Unicode scalars: no WordPiece candidate longer than this can match.
    var longestTokenLength: Int {
        ids.keys.reduce(0) { max($0, $1.string.unicodeScalars.count) }
    }
}

/// A string compared and hashed by its exact UTF-8 bytes (code points), not by canonical equivalence.
struct ExactToken: Hashable, Sendable {
    let string: String
    init(_ string: String) { self.string = string }

    static func == (a: ExactToken, b: ExactToken) -> Bool {
        a.string.utf8.elementsEqual(b.string.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var string = string
        string.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
