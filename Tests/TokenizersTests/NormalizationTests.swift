import Tokenizers
import XCTest

/// The BasicTokenizer rules of transformers' `tokenization_bert.py`, one behaviour per test,
/// checked on the hand-made vocabulary of `TinyVocabulary`.
final class NormalizationTests: XCTestCase {
    /// NUL, U+FFFD, Cc (BEL) and Cf (ZERO WIDTH SPACE) are dropped, not turned into spaces.
    func testControlCharactersAreDropped() throws {
        let t = try TinyVocabulary.tokenizer()
        XCTAssertEqual(t.tokenize("he\u{0}ll\u{7}o\u{200B}\u{FFFD}"), ["hello"])
    }

    /// Tab, newline, carriage return and Zs (NO-BREAK SPACE, IDEOGRAPHIC SPACE) separate words.
    func testWhitespaceAndZsSeparateWords() throws {
        let t = try TinyVocabulary.tokenizer()
        XCTAssertEqual(t.tokenize(" hello\u{A0}world\u{3000}hello\tworld\r\nhello  "),
                       ["hello", "world", "hello", "world", "hello"])
    }

    /// LINE SEPARATOR (Zl) is kept by cleaning but Python's `str.split()` splits on it.
    func testLineSeparatorSplitsWords() throws {
        let t = try TinyVocabulary.tokenizer()
        XCTAssertEqual(t.tokenize("hello\u{2028}world"), ["hello", "world"])
    }

    /// CJK ideographs become words of their own; kana (outside `_is_chinese_char`) does not.
    func testCJKIdeographsAreSpacedButKanaIsNot() throws {
        let t = try TinyVocabulary.tokenizer()
        XCTAssertEqual(t.tokenize("hello世界world"), ["hello", "世", "界", "world"])
        // "aこ" stays one word; no "aこ" or "##こ" in the vocabulary → [UNK].
        XCTAssertEqual(t.tokenize("aこ 世"), ["[UNK]", "世"])
    }

    /// Lowercasing strips accents (NFD, drop Mn), for composed and decomposed input alike.
    func testLowercaseStripsAccents() throws {
        let t = try TinyVocabulary.tokenizer()
        XCTAssertEqual(t.tokenize("CAFÉ cafe\u{301} ÅNGSTRÖM"), ["cafe", "cafe", "angstrom"])
    }

    /// Without lowercasing, accents stay unless strip_accents is true; decomposed input is
    /// first composed (NFC), so "Cafe\u{301}" finds the vocabulary's "Café".
    func testCasedKeepsAccentsUnlessAsked() throws {
        let cased = try TinyVocabulary.tokenizer(lowercase: false)
        XCTAssertEqual(cased.tokenize("Café Cafe\u{301}"), ["Café", "Café"])
        let stripped = try TinyVocabulary.tokenizer(lowercase: false, stripAccents: true)
        XCTAssertEqual(stripped.tokenize("Café"), ["Cafe"])
        let keepAccents = try TinyVocabulary.tokenizer(lowercase: true, stripAccents: false)
        XCTAssertEqual(keepAccents.tokenize("CAFÉ"), ["[UNK]"])   // "café" is not in the vocabulary
    }

    /// Python's `str.lower()` gives final sigma at a word's end: "ΟΔΟΣ".lower() == "οδος" and
    /// "ΣΑ".lower() == "σα" (checked with python3 3.11).
    func testCapitalSigmaLowercasesToFinalSigmaAtWordEnd() throws {
        let t = try TinyVocabulary.tokenizer()
        XCTAssertEqual(t.tokenize("ΟΔΟΣ ΣΑ"), ["οδος", "σα"])
    }

    /// Unicode P* characters (— Pd, « Pi, » Pf) and ASCII symbols ($) split; € (Sc) does not.
    func testPunctuationSplitsButCurrencySignDoesNot() throws {
        let t = try TinyVocabulary.tokenizer()
        XCTAssertEqual(t.tokenize("hello—world«hi»!"), ["hello", "—", "world", "«", "hi", "»", "!"])
        XCTAssertEqual(t.tokenize("$5€"), ["$", "5", "##€"])
    }
}
