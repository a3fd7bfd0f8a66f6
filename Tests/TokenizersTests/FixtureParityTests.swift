import Foundation
import TestSupport
import Tokenizers
import XCTest

/// Parity with Hugging Face `BertTokenizer(vocab.txt, do_lower_case=True)` on the reference cases.
final class FixtureParityTests: XCTestCase {
    struct Case: Decodable {
        let text: String
        let ids: [Int]
        let tokens: [String]
    }

    static func cases() throws -> [Case] {
        let data = try Data(contentsOf: Fixtures.url("tokenizer_cases.jsonl"))
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        return try lines.map { try JSONDecoder().decode(Case.self, from: Data($0.utf8)) }
    }

    /// Every fixture line gives HF's ids and tokens ([CLS] … [SEP], no padding).
    func testEveryFixtureCaseMatchesHuggingFace() throws {
        let vocabulary = try WordPieceTokenizer.loadVocabularyText(Fixtures.url("tiny-bert/vocab.txt"))
        XCTAssertEqual(vocabulary.count, 30522)
        let tokenizer = try WordPieceTokenizer(vocabulary: vocabulary)
        let cases = try Self.cases()
        XCTAssertEqual(cases.count, 18)
        for c in cases {
            let ids = tokenizer.encode(c.text)
            XCTAssertEqual(ids, c.ids, "ids of \(c.text.debugDescription)")
            XCTAssertEqual(["[CLS]"] + tokenizer.tokenize(c.text) + ["[SEP]"], c.tokens,
                           "tokens of \(c.text.debugDescription)")
            XCTAssertEqual(tokenizer.decode(ids), c.tokens, "decode of \(c.text.debugDescription)")
        }
    }

    /// The fixture folder (vocab.txt + config.json, 128 positions) loads with its settings.
    func testTinyBertFolderLoadsWithPositionLimit() throws {
        let tokenizer = try WordPieceTokenizer.load(folder: Fixtures.url("tiny-bert"))
        XCTAssertEqual(tokenizer.maxLength, 128)   // config.json max_position_embeddings
        XCTAssertEqual(tokenizer.padTokenId, 0)
        XCTAssertEqual(tokenizer.clsTokenId, 101)
        XCTAssertEqual(tokenizer.sepTokenId, 102)
        XCTAssertTrue(tokenizer.lowercase)
    }

    /// all-MiniLM-L6-v2 (when downloaded): its vocab.txt and its tokenizer.json alone give the
    /// fixture ids, and the folder's limit is sentence-transformers' max_seq_length 256.
    func testMiniLMTokenizerJSONAndVocabTextAgree() throws {
        let folder = FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".cache/mtl/models/all-MiniLM-L6-v2")
        let json = folder.appendingPathComponent("tokenizer.json")
        guard FileManager.default.fileExists(atPath: json.path),
              FileManager.default.fileExists(atPath: folder.appendingPathComponent("vocab.txt").path) else {
            throw XCTSkip("all-MiniLM-L6-v2 is not at \(folder.path)")
        }
        let fromVocab = try WordPieceTokenizer.load(folder: folder)
        XCTAssertEqual(fromVocab.maxLength, 256)

        let jsonOnly = try TemporaryFolder()
        try FileManager.default.copyItem(at: json, to: jsonOnly.url.appendingPathComponent("tokenizer.json"))
        let fromJSON = try WordPieceTokenizer.load(folder: jsonOnly.url)
        XCTAssertEqual(fromJSON.maxLength, 512)
        XCTAssertEqual(fromJSON.vocabulary.count, fromVocab.vocabulary.count)
        for c in try Self.cases() {
            XCTAssertEqual(fromVocab.encode(c.text), c.ids, "vocab.txt: \(c.text.debugDescription)")
            XCTAssertEqual(fromJSON.encode(c.text), c.ids, "tokenizer.json: \(c.text.debugDescription)")
        }
    }
}
