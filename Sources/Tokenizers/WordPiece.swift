/// One token of the output: its vocabulary string and id.
public struct Piece: Equatable, Sendable {
    public var token: String
    public var id: Int
}

/// Greedy longest-match-first WordPiece, as transformers' `WordpieceTokenizer.tokenize`.
///
/// A word longer than `maxInputCharsPerWord` scalars (Python counts code points), or one with a
/// stretch no vocabulary piece matches, becomes the single unknown token.
struct WordPiece: Sendable {
    var vocabulary: Vocabulary
    var unknown: Piece
    var continuingPrefix: String
    var maxInputCharsPerWord: Int
    /// No candidate longer than the longest vocabulary token can match; skip those.
    private var longestToken: Int

    init(vocabulary: Vocabulary, unknown: Piece, continuingPrefix: String = "##", maxInputCharsPerWord: Int = 100) {
        self.vocabulary = vocabulary
        self.unknown = unknown
        self.continuingPrefix = continuingPrefix
        self.maxInputCharsPerWord = maxInputCharsPerWord
        self.longestToken = vocabulary.longestTokenLength
    }

    /// Appends the pieces of `word` to `output`.
    func tokenize(_ word: [Unicode.Scalar], into output: inout [Piece]) {
        if word.count > maxInputCharsPerWord {
            output.append(unknown)
            return
        }
        let firstNew = output.count
        var start = 0
        while start < word.count {
            var end = min(word.count, start + longestToken)
            var match: Piece?
            while start < end {
                var candidate = start > 0 ? continuingPrefix : ""
                candidate.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = vocabulary.id(for: candidate) {
                    match = Piece(token: candidate, id: id)
                    break
                }
                end -= 1
            }
            guard let match else {
                output.removeSubrange(firstNew...)
                output.append(unknown)
                return
            }
            output.append(match)
            start = end
        }
    }
}
