import Foundation
import Script
import Tensors
import XCTest
@testable import Shell

/// `load_weights` maps an encoder checkpoint's names onto the model's `encoder.…` and refuses a
/// file that matches nothing.
final class LoadWeightsTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws { folder = try temporaryFolder() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// A source model exported to `exported`, and a second model with other random weights.
    private func shell() throws -> ShellHarness {
        let shell = ShellHarness()
        try shell.run("""
        src = multitask(encoder("tiny-bert", seed=1), hidden=4, seed=1)
        export src "\(folder.appendingPathComponent("exported").path)"
        dst = multitask(encoder("tiny-bert", seed=2), hidden=4, seed=2)
        """)
        _ = shell.takeOutput()
        return shell
    }

    private func encoderWeights(_ shell: ShellHarness, _ name: String) throws -> [String: [Float]] {
        guard case .object(let model as ModelObject)? = shell.variable(name) else { throw XCTSkip("no model \(name)") }
        return Dictionary(uniqueKeysWithValues: model.model.namedParameters().filter { $0.0.hasPrefix("encoder.") }.map { ($0.0, $0.1.value.toArray()) })
    }

    func testAnExportsEncoderFileLoadsIntoTheEncoder() throws {
        let shell = try shell()
        let source = try encoderWeights(shell, "src")
        XCTAssertNotEqual(try encoderWeights(shell, "dst"), source)
        try shell.run("load_weights dst \"\(folder.appendingPathComponent("exported/model.safetensors").path)\"")
        XCTAssertEqual(try encoderWeights(shell, "dst"), source)
        let report = shell.takeOutput()
        XCTAssertTrue(report.hasPrefix("loaded \(source.count) tensors; missing 8 (kept as they were): heads."), report)
    }

    func testBertAndDistilBertPrefixesAreMatched() throws {
        for prefix in ["bert.", "distilbert."] {
            let shell = try shell()
            let source = try encoderWeights(shell, "src")
            let file = folder.appendingPathComponent("\(prefix)safetensors")
            // A BertFor… checkpoint: the encoder's names with "bert." in front, plus a classifier.
            let tensors = source.map { (name: prefix + $0.key.dropFirst("encoder.".count), shape: [$0.value.count], values: $0.value) }
            guard case .object(let src as ModelObject)? = shell.variable("src") else { return XCTFail("no model") }
            let shapes = Dictionary(uniqueKeysWithValues: src.model.namedParameters().map { ($0.0, $0.1.shape) })
            let shaped = tensors.map { t in (name: t.name, shape: shapes["encoder." + t.name.dropFirst(prefix.count)] ?? t.shape, values: t.values) }
            try SafetensorsWriter.write(shaped + [(name: "classifier.weight", shape: [2, 2], values: [1, 2, 3, 4])], metadata: [:], to: file)
            try shell.run("load_weights dst \"\(file.path)\"")
            XCTAssertEqual(try encoderWeights(shell, "dst"), source, prefix)
            XCTAssertTrue(shell.takeOutput().contains("unexpected 1 (ignored): classifier.weight"), prefix)
        }
    }

    func testAFileMatchingNothingIsAnErrorNamingBothSides() throws {
        let shell = try shell()
        let file = folder.appendingPathComponent("other.safetensors")
        try SafetensorsWriter.write([(name: "fc.weight", shape: [1], values: [1]), (name: "fc.bias", shape: [1], values: [0])], metadata: [:], to: file)
        let before = try encoderWeights(shell, "dst")
        XCTAssertThrowsError(try shell.run("load_weights dst \"\(file.path)\"")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("none of the 2 tensors of \(file.path) is one of the model's parameters"), text)
            XCTAssertTrue(text.contains("the file holds fc.bias, fc.weight, the model's names start with encoder., heads."), text)
        }
        XCTAssertEqual(try encoderWeights(shell, "dst"), before)
    }
}
