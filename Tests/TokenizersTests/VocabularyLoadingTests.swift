import Foundation
import TestSupport
import Tokenizers
import XCTest

/// Loading vocab.txt, tokenizer.json and tokenizer settings from a checkpoint folder.
final class VocabularyLoadingTests: XCTestCase {
    let specials = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n"

    /// A repeated line keeps its LAST index (HF's `load_vocab` assigns an OrderedDict line by
    /// line); the earlier index then has no token, and `count` is the number of distinct tokens.
    func testDuplicateLineKeepsLastIndex() throws {
        let folder = try TemporaryFolder()
        let url = try folder.write("vocab.txt", specials + "hello\nworld\nhello\n")
        let vocabulary = try WordPieceTokenizer.loadVocabularyText(url)
        XCTAssertEqual(vocabulary.id(for: "hello"), 6)
        XCTAssertEqual(vocabulary.id(for: "world"), 5)
        XCTAssertNil(vocabulary.token(for: 4))
        XCTAssertEqual(vocabulary.token(for: 6), "hello")
        XCTAssertEqual(vocabulary.count, 6)
    }

    /// Lines end at \n, \r\n or a lone \r (Python's universal newlines); a final newline adds no
    /// token, a missing one loses none, and an empty line in the middle is the token "".
    func testLineEndingsAsPython() throws {
        let folder = try TemporaryFolder()
        let url = try folder.write("vocab.txt", "[PAD]\r\n[UNK]\r[CLS]\n\n[SEP]")
        let vocabulary = try WordPieceTokenizer.loadVocabularyText(url)
        XCTAssertEqual(vocabulary.count, 5)
        XCTAssertEqual(vocabulary.id(for: "[UNK]"), 1)
        XCTAssertEqual(vocabulary.id(for: "[CLS]"), 2)
        XCTAssertEqual(vocabulary.id(for: ""), 3)
        XCTAssertEqual(vocabulary.id(for: "[SEP]"), 4)
        XCTAssertNil(vocabulary.id(for: "[SEP]\r"))
    }

    /// Tokens are compared by code points, not canonical equivalence: "é" and "e\u{301}" are
    /// two entries, as in Python.
    func testCanonicallyEquivalentTokensStayDistinct() {
        let vocabulary = Vocabulary(tokens: ["\u{E9}", "e\u{301}"])
        XCTAssertEqual(vocabulary.count, 2)
        XCTAssertEqual(vocabulary.id(for: "\u{E9}"), 0)
        XCTAssertEqual(vocabulary.id(for: "e\u{301}"), 1)
    }

    /// Invalid UTF-8 is reported with the file and the 1-based line.
    func testInvalidUTF8NamesTheLine() throws {
        let folder = try TemporaryFolder()
        let url = try folder.write("vocab.txt", Array("[PAD]\n[UNK]\n".utf8) + [0x61, 0xFF, 0x0A] + Array("[SEP]\n".utf8))
        XCTAssertThrowsError(try WordPieceTokenizer.loadVocabularyText(url)) { error in
            XCTAssertEqual(error as? TokenizerError, .invalidUTF8(file: url.path, line: 3))
            XCTAssertTrue("\(error)".contains("vocab.txt:3"), "\(error)")
        }
    }

    /// An empty vocab.txt, a vocabulary without [PAD], and a folder without any vocabulary fail.
    func testMissingOrEmptyVocabularyFails() throws {
        let empty = try TemporaryFolder()
        let emptyFile = try empty.write("vocab.txt", "")
        XCTAssertThrowsError(try WordPieceTokenizer.load(folder: empty.url)) { error in
            XCTAssertEqual(error as? TokenizerError, .emptyVocabulary(file: emptyFile.path))
        }
        let noPad = try TemporaryFolder()
        let noPadFile = try noPad.write("vocab.txt", "[UNK]\n[CLS]\n[SEP]\nhello\n")
        XCTAssertThrowsError(try WordPieceTokenizer.load(folder: noPad.url)) { error in
            XCTAssertEqual(error as? TokenizerError, .missingSpecialToken("[PAD]", file: noPadFile.path))
        }
        let none = try TemporaryFolder()
        try none.write("config.json", "{}")
        XCTAssertThrowsError(try WordPieceTokenizer.load(folder: none.url)) { error in
            XCTAssertEqual(error as? TokenizerError, .noVocabulary(folder: none.url.path))
        }
    }

    /// A folder with only tokenizer.json takes its vocab and its normalizer settings
    /// (here `lowercase: false`, so "Hello" must match the cased token).
    func testLoadsFromTokenizerJSON() throws {
        let folder = try TemporaryFolder()
        try folder.write("tokenizer.json", """
            {"version": "1.0", "normalizer": {"type": "BertNormalizer", "clean_text": true,
             "handle_chinese_chars": true, "strip_accents": null, "lowercase": false},
             "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                       "max_input_chars_per_word": 100,
                       "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "Hello": 7, "hello": 8, "!": 9}}}
            """)
        let tokenizer = try WordPieceTokenizer.load(folder: folder.url, maxLength: 16)
        XCTAssertFalse(tokenizer.lowercase)
        XCTAssertEqual(tokenizer.encode("Hello hello!"), [2, 7, 8, 9, 3])

        // tokenizer_config.json overrides the normalizer, as BertTokenizerFast does.
        try folder.write("tokenizer_config.json", #"{"do_lower_case": true}"#)
        let lowered = try WordPieceTokenizer.load(folder: folder.url, maxLength: 16)
        XCTAssertEqual(lowered.encode("Hello hello!"), [2, 8, 8, 9, 3])
    }

    /// Malformed tokenizer.json is an error naming the file, not a crash.
    func testMalformedTokenizerJSONFails() throws {
        let folder = try TemporaryFolder()
        let url = try folder.write("tokenizer.json", #"{"model": {"type": "WordPiece", "vocab": {"a": "x"}}}"#)
        XCTAssertThrowsError(try WordPieceTokenizer.load(folder: folder.url)) { error in
            guard case .invalidJSON(let file, _)? = error as? TokenizerError else {
                return XCTFail("expected invalidJSON, got \(error)")
            }
            XCTAssertEqual(file, url.path)
        }
        try folder.write("tokenizer.json", "{not json")
        XCTAssertThrowsError(try WordPieceTokenizer.load(folder: folder.url))
        try folder.write("tokenizer.json", #"{"model": {"type": "BPE", "vocab": {}}}"#)
        XCTAssertThrowsError(try WordPieceTokenizer.load(folder: folder.url)) { error in
            guard case .unsupported? = error as? TokenizerError else { return XCTFail("\(error)") }
        }
    }

    /// do_lower_case: false in tokenizer_config.json keeps case for a vocab.txt folder.
    func testTokenizerConfigSetsLowercase() throws {
        let folder = try TemporaryFolder()
        try folder.write("vocab.txt", specials + "Hello\nhello\n")
        try folder.write("tokenizer_config.json", #"{"do_lower_case": false, "strip_accents": null}"#)
        let tokenizer = try WordPieceTokenizer.load(folder: folder.url)
        XCTAssertEqual(tokenizer.encode("Hello hello"), [2, 4, 5, 3])
    }

    /// The default max length: sentence_bert max_seq_length, else 512, capped by positions.
    func testDefaultMaxLength() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try WordPieceTokenizer.defaultMaxLength(folder: folder.url), 512)
        try folder.write("config.json", #"{"max_position_embeddings": 512}"#)
        try folder.write("sentence_bert_config.json", #"{"max_seq_length": 256, "do_lower_case": false}"#)
        XCTAssertEqual(try WordPieceTokenizer.defaultMaxLength(folder: folder.url), 256)
        try folder.write("config.json", #"{"max_position_embeddings": 128}"#)
        XCTAssertEqual(try WordPieceTokenizer.defaultMaxLength(folder: folder.url), 128)
    }
}
