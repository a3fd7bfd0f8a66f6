import Foundation
import TestSupport
import XCTest

/// The built `mtl tokenize` binary on a temporary checkpoint folder (fixture vocab + config).
///
/// TokenizersTests does not depend on the `mtl` product, so the test looks for it next to the
/// test bundle (`.build/<config>/`) and skips when it has not been built.
final class TokenizeCommandTests: XCTestCase {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func mtlBinary() throws -> URL {
        let bundleDirectory = Bundle.main.bundleURL
        let candidates = [
            bundleDirectory.appendingPathComponent("mtl"),
            bundleDirectory.deletingLastPathComponent().appendingPathComponent("mtl"),
            Fixtures.repositoryRoot.appendingPathComponent(".build/debug/mtl"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("mtl is not built (looked at \(candidates.map(\.path))); run `swift build` first")
        }
        return found
    }

    func run(_ arguments: [String], stdin: [UInt8]) throws -> Run {
        let process = Process()
        process.executableURL = try mtlBinary()
        process.arguments = arguments
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data(stdin))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    /// A checkpoint folder with the fixture vocab and 16 positions (so the max length is 16).
    func checkpoint() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try FileManager.default.copyItem(at: Fixtures.url("tiny-bert/vocab.txt"),
                                         to: folder.url.appendingPathComponent("vocab.txt"))
        try folder.write("config.json", #"{"model_type": "bert", "max_position_embeddings": 16}"#)
        return folder
    }

    /// One JSON array per line: fixture ids for "Hello, How Are you?" (CRLF stripped), [101, 102]
    /// for an empty line, and a 100 KB line truncated to 16 ids ending in [SEP].
    func testPrintsIdsPerLine() throws {
        let folder = try checkpoint()
        let long = String(repeating: "word ", count: 20_000)   // 100 KB; "word" is id 2773
        let result = try run(["tokenize", "--model", folder.url.path],
                             stdin: Array("Hello, How Are you?\r\n\n\(long)\n".utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 4)   // three texts and the final newline
        XCTAssertEqual(lines.first, "[101, 7592, 1010, 2129, 2024, 2017, 1029, 102]")
        XCTAssertEqual(lines.dropFirst().first, "[101, 102]")
        XCTAssertEqual(String(lines[2]), "[101, " + Array(repeating: "2773", count: 14).joined(separator: ", ") + ", 102]")
    }

    /// --max-length overrides the model's limit.
    func testMaxLengthOption() throws {
        let folder = try checkpoint()
        let result = try run(["tokenize", "--model", folder.url.path, "--max-length", "4"],
                             stdin: Array("Hello, How Are you?".utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "[101, 7592, 1010, 102]\n")
    }

    /// Invalid UTF-8 on line 2 is a one-line error naming the line and a non-zero exit.
    func testInvalidUTF8FailsNamingTheLine() throws {
        let folder = try checkpoint()
        let result = try run(["tokenize", "--model", folder.url.path], stdin: Array("ok\n".utf8) + [0xC3, 0x28, 0x0A])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(result.stderr, "mtl tokenize: line 2 is not valid UTF-8\n")
    }

    /// A folder without a vocabulary fails with the tokenizer's message.
    func testFolderWithoutVocabularyFails() throws {
        let folder = try TemporaryFolder()
        let result = try run(["tokenize", "--model", folder.url.path], stdin: Array("hi\n".utf8))
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.hasPrefix("mtl tokenize: "), result.stderr)
        XCTAssertTrue(result.stderr.contains("no vocab.txt or tokenizer.json"), result.stderr)
    }
}
