import Foundation
import Models
import TestSupport
import XCTest

/// `mtl embed` on the tiny-bert fixture checkpoint: input order, formats, empty lines, long
/// lines, invalid UTF-8. Runs the built binary (skipped when it is not built).
final class EmbedCommandTests: XCTestCase {
    private struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    private func run(_ arguments: [String], stdin: [UInt8]) throws -> Result {
        let binary = Fixtures.repositoryRoot.appendingPathComponent(".build/debug/mtl")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "\(binary.path) is not built; run swift build")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["embed", "--model", Fixtures.url("tiny-bert").path] + arguments
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(stdin))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }

    func testPrintsOneEmbeddingPerLineInInputOrder() throws {
        // Mixed lengths with batch 2, so sorting by length reorders the work.
        let texts = ["short", "a much longer sentence than the others in this input", "", "medium length text"]
        let result = try run(["--batch", "2"], stdin: Array(texts.map { $0 + "\n" }.joined().utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, texts.count)
        let encoder = try SentenceEncoder.load(Fixtures.url("tiny-bert").path)
        for (i, text) in texts.enumerated() {
            let printed = try JSONDecoder().decode([Float].self, from: Data(lines[i].utf8))
            assertClose(printed, try encoder.encode(text), tolerance: 1e-5, "line \(i + 1)")
        }
    }

    func testTSVAndPoolingAndNormalize() throws {
        let result = try run(["--format", "tsv", "--pooling", "cls", "--normalize"], stdin: Array("Open the window.\r\n".utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        let values = result.stdout.dropLast().split(separator: "\t").compactMap { Float($0) }
        XCTAssertEqual(values.count, 32)
        XCTAssertEqual(values.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-4)
        let encoder = try SentenceEncoder.load(Fixtures.url("tiny-bert").path, options: .init(pooling: .cls, normalize: true))
        assertClose(values, try encoder.encode("Open the window."), tolerance: 1e-5)
    }

    func testAHundredKilobyteLineIsTruncatedNotAnError() throws {
        let long = String(repeating: "word ", count: 20_000)   // 100,000 bytes
        let result = try run([], stdin: Array((long + "\nok\n").utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").count, 2)
    }

    func testInvalidUTF8IsAOneLineErrorAndNonZeroExit() throws {
        let result = try run([], stdin: Array("ok\n".utf8) + [0xC3, 0x28, 0x0A])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(result.stderr, "mtl embed: line 2 is not valid UTF-8\n")
        XCTAssertEqual(result.stdout.split(separator: "\n").count, 1, "the line before is still printed")
    }

    func testBadOptionsAreRejected() throws {
        XCTAssertNotEqual(try run(["--pooling", "median"], stdin: []).status, 0)
        XCTAssertNotEqual(try run(["--batch", "0"], stdin: []).status, 0)
        XCTAssertNotEqual(try run(["--format", "csv"], stdin: []).status, 0)
    }
}
