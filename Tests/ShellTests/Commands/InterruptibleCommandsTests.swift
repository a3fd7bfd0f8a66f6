import Foundation
@testable import Script
import XCTest
@testable import Shell

/// `encode`, `predict` and `evaluate` check for Ctrl-C between batches: with the interpreter's
/// interrupt flag raised they stop with the `interrupted` error after their first batch.
final class InterruptibleCommandsTests: XCTestCase {
    private func shell() throws -> ShellHarness {
        let shell = ShellHarness()
        try shell.run("enc = encoder \"tiny-bert\"\nmodel = multitask enc hidden=4\nd = dummy 6 seed=1")
        return shell
    }

    /// Calls builtin `name` directly (the interpreter would consume a raised flag before the
    /// call), as if Ctrl-C had been pressed just as it started.
    private func callInterrupted(_ shell: ShellHarness, _ name: String, _ values: [String: Value]) throws -> Value {
        let builtin = try XCTUnwrap(shell.interpreter.registry.lookup(name))
        let call = BuiltinCall(name: name, interpreter: shell.interpreter,
                               location: SourceLocation(file: "<test>", line: 1, column: 1), values: values, rest: [])
        shell.interpreter.interrupt.raise()
        return try builtin.body(call)
    }

    private func assertInterrupted(_ shell: ShellHarness, _ name: String, _ values: [String: Value],
                                   file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertThrowsError(try callInterrupted(shell, name, values), file: file, line: line) { error in
            guard let error = error as? ScriptError else { return XCTFail("not a script error: \(error)", file: file, line: line) }
            XCTAssertEqual(error.kind, .interrupted, file: file, line: line)
            XCTAssertEqual(error.message, "\(name): interrupted", file: file, line: line)
        }
        XCTAssertFalse(shell.interpreter.interrupt.isRaised, "the flag is consumed", file: file, line: line)
    }

    func testEncodeStopsBetweenBatches() throws {
        let shell = try shell()
        try assertInterrupted(shell, "encode", ["encoder": shell.variable("enc") ?? .null, "texts": shell.variable("d") ?? .null, "batch": .number(2)])
    }

    func testPredictStopsBetweenBatches() throws {
        let shell = try shell()
        let texts = Value.list(["one", "two words", "three more words"].map { .string($0) })
        try assertInterrupted(shell, "predict", ["model": shell.variable("model") ?? .null, "texts": texts, "batch": .number(1)])
    }

    func testEvaluateStopsBetweenBatches() throws {
        let shell = try shell()
        try assertInterrupted(shell, "evaluate", ["model": shell.variable("model") ?? .null, "data": shell.variable("d") ?? .null, "batch": .number(4)])
    }

    func testWorkThatFitsOneBatchIsNotInterruptedAndLeavesTheFlag() throws {
        // The check runs between batches, never before the first: one batch always completes.
        let shell = try shell()
        let result = try callInterrupted(shell, "encode", ["encoder": shell.variable("enc") ?? .null, "texts": shell.variable("d") ?? .null, "batch": .number(32)])
        guard case .object(let tensor as TensorObject) = result else { return XCTFail("not a tensor: \(result.repr)") }
        XCTAssertEqual(tensor.tensor.shape, [6, 32])
        XCTAssertTrue(shell.interpreter.interrupt.isRaised)
    }

    func testChunkedEncodingGivesTheSameVectorsInInputOrder() throws {
        // Chunking by batch must not reorder or change anything: batch=2 equals one text at a time.
        let shell = try shell()
        guard case .object(let chunked as TensorObject) = try shell.value("encode(enc, d, batch=2)"),
              case .object(let enc as EncoderObject)? = shell.variable("enc"),
              case .object(let data as DatasetObject)? = shell.variable("d") else { return XCTFail("missing objects") }
        let single = try data.dataset.texts.flatMap { try enc.encoder.encode($0) }
        let values = chunked.tensor.toArray()
        XCTAssertEqual(values.count, single.count)
        for (a, b) in zip(values, single) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }
}
