import Tokenizers
import XCTest

/// [CLS] … [SEP] framing, truncation and padding, as HF's `padding="longest", truncation=True`.
final class BatchEncodingTests: XCTestCase {
    /// With max length 5 the first text keeps 3 word ids and ends in [SEP]; shorter ones are
    /// padded with [PAD] (id 0) and masked out.
    func testPaddingMaskAndTruncationKeepSEP() throws {
        let t = try TinyVocabulary.tokenizer(maxLength: 5)
        let h = TinyVocabulary.id("hello"), w = TinyVocabulary.id("world")
        let batch = t.encodeBatch(["hello world hello world", "hello", ""])
        XCTAssertEqual(batch.ids, [[2, h, w, h, 3], [2, h, 3, 0, 0], [2, 3, 0, 0, 0]])
        XCTAssertEqual(batch.attentionMask, [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 1, 0, 0, 0]])
        XCTAssertEqual(batch.lengths, [5, 3, 2])
        XCTAssertEqual(batch.sequenceLength, 5)
    }

    /// Truncation counts WordPiece pieces, not words: "unaffable" is 3 pieces.
    func testTruncationCountsPieces() throws {
        let t = try TinyVocabulary.tokenizer(maxLength: 4)
        XCTAssertEqual(t.encode("unaffable hello"), [2, TinyVocabulary.id("un"), TinyVocabulary.id("##aff"), 3])
    }

    /// The batch pads to its own longest sequence, not to max length.
    func testPaddingIsToLongestInBatch() throws {
        let t = try TinyVocabulary.tokenizer(maxLength: 512)
        let batch = t.encodeBatch(["hello", "hello world"])
        XCTAssertEqual(batch.sequenceLength, 4)
        XCTAssertEqual(t.encodeBatch([]).ids, [])
    }

    /// A max length below 2 is raised to 2: [CLS] and [SEP] always fit.
    func testMaxLengthBelowTwoKeepsFraming() throws {
        let t = try TinyVocabulary.tokenizer(maxLength: 0)
        XCTAssertEqual(t.encode("hello world"), [2, 3])
    }
}
