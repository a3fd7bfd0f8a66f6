import Tokenizers
import XCTest

/// Greedy longest-match-first WordPiece and the special tokens, on `TinyVocabulary`.
final class WordPieceTests: XCTestCase {
    /// A word is covered left to right by the longest matching piece, continuations with "##".
    func testContinuationPieces() throws {
        let t = try TinyVocabulary.tokenizer()
        XCTAssertEqual(t.tokenize("unaffable"), ["un", "##aff", "##able"])
        XCTAssertEqual(t.encode("unaffable"),
                       [2, TinyVocabulary.id("un"), TinyVocabulary.id("##aff"), TinyVocabulary.id("##able"), 3])
    }

    /// The longest piece wins: with "##affable" present, "unaffable" is two pieces.
    func testLongestMatchWins() throws {
        let t = try TinyVocabulary.tokenizer(extra: ["##affable"])
        XCTAssertEqual(t.tokenize("unaffable"), ["un", "##affable"])
    }

    /// One unmatched stretch makes the whole word [UNK]; neighbouring words are unaffected.
    func testUnmatchedPieceMakesWholeWordUnknown() throws {
        let t = try TinyVocabulary.tokenizer()
        XCTAssertEqual(t.tokenize("hello unaffablez world"), ["hello", "[UNK]", "world"])
        XCTAssertEqual(t.encode("unaffablez"), [2, 1, 3])
    }

    /// 100 characters are split as usual; 101 (max_input_chars_per_word = 100) is [UNK].
    func testWordOverOneHundredCharactersIsUnknown() throws {
        let t = try TinyVocabulary.tokenizer()
        XCTAssertEqual(t.tokenize(String(repeating: "a", count: 100)),
                       ["a"] + Array(repeating: "##a", count: 99))
        XCTAssertEqual(t.tokenize(String(repeating: "a", count: 101)), ["[UNK]"])
    }

    /// Length is counted in Unicode scalars, as Python counts a str, not in Swift Characters:
    /// "a" + COMBINING LOW LINE (no precomposed form, so NFC keeps 2 scalars) is one Character.
    func testWordLengthCountsScalars() throws {
        let t = try TinyVocabulary.tokenizer(extra: ["##\u{332}"], lowercase: false)
        let pair = "a\u{332}"
        XCTAssertEqual(t.tokenize(String(repeating: pair, count: 50)),   // 100 scalars, 50 Characters
                       ["a", "##\u{332}"] + Array(repeating: ["##a", "##\u{332}"], count: 49).flatMap { $0 })
        XCTAssertEqual(t.tokenize(String(repeating: pair, count: 51)), ["[UNK]"])   // 102 scalars
    }

    /// Special tokens in the raw text are kept whole (case-sensitive), even inside a word;
    /// a lowercase "[sep]" is ordinary text.
    func testSpecialTokensAreNeverSplit() throws {
        let t = try TinyVocabulary.tokenizer()
        XCTAssertEqual(t.tokenize("hello [SEP] world[MASK]"), ["hello", "[SEP]", "world", "[MASK]"])
        XCTAssertEqual(t.encode("[CLS]"), [2, 2, 3])
        XCTAssertEqual(t.tokenize("[sep]"), ["[", "sep", "]"])
        // Python's BasicTokenizer checks never_split after cleaning: NUL removed → "[CLS]".
        XCTAssertEqual(t.encode("[CL\u{0}S]"), [2, 2, 3])
    }

    /// Ids that no token has decode to [UNK], as HF's `_convert_id_to_token`.
    func testDecodeShowsUnknownIdsAsUNK() throws {
        let t = try TinyVocabulary.tokenizer()
        XCTAssertEqual(t.decode([2, TinyVocabulary.id("hello"), 9999, 3]), ["[CLS]", "hello", "[UNK]", "[SEP]"])
    }
}
