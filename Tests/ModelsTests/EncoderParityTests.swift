import Foundation
import Models
import NN
import Tensors
import TestSupport
import Tokenizers
import XCTest

/// The BERT and DistilBERT encoders reproduce transformers' outputs on the fixture checkpoints
/// (Tests/Fixtures/tiny-*/expected.json, PyTorch in eval mode) within 1e-4.
final class EncoderParityTests: XCTestCase {
    private func checkParity(_ fixture: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try EncoderExpectation.load(fixture)
        let (encoder, _) = try loadFixtureEncoder(fixture)
        let batch = try TokenBatch(ids: expected.input_ids, attentionMask: expected.attention_mask)
        let (hidden, pooled) = try withoutGrad {
            let hidden = try encoder.forward(batch)
            return (hidden, try Pooling.mean(hidden, mask: batch.maskTensor()))
        }
        XCTAssertEqual(hidden.shape, [expected.texts.count, batch.length, encoder.config.hiddenSize], file: file, line: line)
        assertClose(hidden.toArray(), expected.last_hidden_state.flatMap { $0.flatMap { $0 } }, tolerance: 1e-4,
                    "\(fixture) last_hidden_state", file: file, line: line)
        assertClose(pooled.toArray(), expected.mean_pooled.flatMap { $0 }, tolerance: 1e-4,
                    "\(fixture) mean_pooled", file: file, line: line)
    }

    func testTinyBertMatchesTransformers() throws { try checkParity("tiny-bert") }

    func testTinyDistilBertMatchesTransformers() throws { try checkParity("tiny-distilbert") }

    func testTokenizerGivesTheFixtureIds() throws {
        for fixture in ["tiny-bert", "tiny-distilbert"] {
            let expected = try EncoderExpectation.load(fixture)
            let tokenizer = try WordPieceTokenizer.load(folder: Fixtures.url(fixture))
            let encoding = tokenizer.encodeBatch(expected.texts)
            XCTAssertEqual(encoding.ids, expected.input_ids, fixture)
            XCTAssertEqual(encoding.attentionMask, expected.attention_mask, fixture)
        }
    }

    func testEvalModeIsDeterministicAndTrainModeAppliesDropout() throws {
        let (encoder, _) = try loadFixtureEncoder("tiny-bert")
        let batch = try TokenBatch(ids: [[101, 7592, 2088, 102]])
        let a = try withoutGrad { try encoder.forward(batch) }.toArray()
        let b = try withoutGrad { try encoder.forward(batch) }.toArray()
        XCTAssertEqual(a, b)
        let dropped = try encoder.withMode(training: true) { try withoutGrad { try encoder.forward(batch) } }.toArray()
        XCTAssertGreaterThan(maxAbsDifference(a, dropped), 1e-3, "config dropout 0.1 must change training outputs")
        XCTAssertFalse(encoder.isTraining, "withMode restores evaluation mode")
    }

    func testParameterNamesAreTheCheckpointNames() throws {
        for fixture in ["tiny-bert", "tiny-distilbert"] {
            let (encoder, unused) = try loadFixtureEncoder(fixture)
            let file = try SafetensorsFile(contentsOf: Fixtures.url("\(fixture)/model.safetensors"))
            let prefix = fixture == "tiny-distilbert" ? "distilbert." : ""
            let names = encoder.namedParameters().map { prefix + $0.0 }
            XCTAssertEqual(Set(names), Set(file.names), fixture)
            XCTAssertEqual(names.count, file.names.count, "no parameter twice in \(fixture)")
            XCTAssertEqual(unused, [], fixture)
            for (name, parameter) in encoder.namedParameters() {
                XCTAssertEqual(parameter.name, name)
                XCTAssertEqual(parameter.shape, file.entry(prefix + name)?.shape, name)
            }
        }
    }
}
