import Foundation
import Models
import Script
import Tensors
import TestSupport
import XCTest
@testable import Shell

/// `export` writes a Hugging Face folder plus mtl's heads; loading it back gives the same model.
final class ExportTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws { folder = try temporaryFolder() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// `mtl embed --model DIR` embeds as `encode (encoder "DIR")` does: the export's projection
    /// (16 numbers, not the 32 of tiny-bert's hidden size), pooling and normalisation; flags override.
    func testEmbedUsesTheExportsSettingsUnlessFlagsOverrideThem() throws {
        let shell = ShellHarness()
        let path = folder.appendingPathComponent("for-embed").path
        try shell.run("""
        enc = encoder "tiny-bert" dim=16 pooling="max" normalize=true
        model = multitask enc hidden=4
        export model "\(path)"
        again = encoder "\(path)"
        e = encode again "hello there"
        """)
        guard case .object(let expected as TensorObject)? = shell.variable("e") else { return XCTFail("no embedding") }
        func embed(_ flags: [String]) throws -> [Double] {
            let result = try runMTL(["embed", "--model", path] + flags, input: Data("hello there\n".utf8))
            XCTAssertEqual(result.status, 0, result.standardError)
            let row = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [Double]
            return try XCTUnwrap(row, result.standardOutput)
        }
        let plain = try embed([])
        XCTAssertEqual(plain.count, 16)
        for (a, b) in zip(plain, expected.tensor.toArray()) { XCTAssertEqual(a, Double(b), accuracy: 1e-6) }
        XCTAssertEqual(plain.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-5, "normalised as exported")
        let raw = try embed(["--no-normalize"])
        XCTAssertEqual(raw.count, 16)
        XCTAssertNotEqual(raw.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-3, "--no-normalize overrides")
        XCTAssertNotEqual(try embed(["--pooling", "cls"]), plain, "--pooling overrides")
    }

    func testExportThenLoadGivesIdenticalPredictions() throws {
        let shell = ShellHarness()
        let path = folder.appendingPathComponent("exported").path
        try shell.run("""
        enc = encoder "tiny-bert" dim=12 pooling="max"
        model = multitask enc heads={topic: ["a", "b", "c", "d"], mood: ["sad", "glad"]} hidden=6
        d = dummy 16 tasks={topic: ["a", "b", "c", "d"], mood: ["sad", "glad"]} seed=4
        opt = adamw model lr=1e-2
        run = train model d opt steps=2 batch=8
        export model "\(path)"
        again = encoder "\(path)"
        """)
        guard case .object(let original as ModelObject)? = shell.variable("model"),
              case .object(let loaded as ModelObject)? = shell.variable("again") else { return XCTFail("models missing") }
        XCTAssertEqual(loaded.model.taskNames, ["topic", "mood"])
        XCTAssertEqual(loaded.model.heads.map(\.spec.hiddenSize), [6, 6])
        XCTAssertEqual(loaded.model.encoder.pooling, .max)
        let texts = ["Hello, How Are you?", "Water the plants before noon.", "I love this!"]
        let a = try original.model.predict(texts), b = try loaded.model.predict(texts)
        for (x, y) in zip(a, b) {
            for (p, q) in zip(x.tasks, y.tasks) {
                XCTAssertEqual(p.logits.map(\.bitPattern), q.logits.map(\.bitPattern), p.task)
                XCTAssertEqual(p.label, q.label)
            }
        }
    }

    func testTheEncoderFolderUsesHuggingFaceNamesAndShapes() throws {
        let shell = ShellHarness()
        let path = folder.appendingPathComponent("hf").path
        try shell.run("enc = encoder \"tiny-bert\"\nmodel = multitask enc hidden=4\nexport model \"\(path)\"")
        let exported = try SafetensorsFile(contentsOf: URL(fileURLWithPath: path).appendingPathComponent("model.safetensors"))
        // The fixture was written by transformers (Tests/Fixtures/README.md): every tensor we write must
        // be one BertModel has, with its shape, so AutoModel.from_pretrained loads it.
        let reference = try SafetensorsFile(contentsOf: Fixtures.url("tiny-bert/model.safetensors"))
        let prefix = reference.names.contains { $0.hasPrefix("bert.") } ? "bert." : ""
        XCTAssertFalse(exported.names.isEmpty)
        for name in exported.names {
            let entry = try XCTUnwrap(reference.entry(prefix + name), "\(name) is not a BertModel tensor name")
            XCTAssertEqual(exported.entry(name)?.shape, entry.shape, name)
        }
        XCTAssertEqual(exported.metadata["format"], "pt")
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path).appendingPathComponent("config.json"))) as? [String: Any]
        XCTAssertEqual(config?["model_type"] as? String, "bert")
        let vocab = try String(contentsOfFile: path + "/vocab.txt", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        guard case .object(let enc as EncoderObject)? = shell.variable("enc") else { return XCTFail("enc missing") }
        XCTAssertEqual(vocab.count - 1, enc.encoder.tokenizer.vocabulary.count, "one token per line, final newline")
        let heads = try SafetensorsFile(contentsOf: URL(fileURLWithPath: path).appendingPathComponent("mtl_heads.safetensors"))
        XCTAssertEqual(Set(heads.names), ["heads.sentence_type.0.weight", "heads.sentence_type.0.bias", "heads.sentence_type.2.weight",
                                          "heads.sentence_type.2.bias", "heads.sentiment.0.weight", "heads.sentiment.0.bias",
                                          "heads.sentiment.2.weight", "heads.sentiment.2.bias"])
    }

    func testAnIncompleteExportIsRefusedByName() throws {
        let shell = ShellHarness()
        let path = folder.appendingPathComponent("partial").path
        try shell.run("enc = encoder \"tiny-bert\"\nmodel = multitask enc hidden=4\nexport model \"\(path)\"")
        try SafetensorsWriter.write([(name: "heads.sentiment.0.bias", shape: [4], values: [0, 0, 0, 0])],
                                    to: URL(fileURLWithPath: path).appendingPathComponent("mtl_heads.safetensors"))
        XCTAssertThrowsError(try shell.run("again = encoder \"\(path)\"")) { error in
            XCTAssertTrue("\(error)".contains("is missing; the export is incomplete"), "\(error)")
        }
    }
}
