import Foundation
import XCTest
@testable import Script

/// Runs every `Scripts/*.mtls` and compares what it prints and the errors it reports with the
/// `# expect: …` and `# expect error: …` comments written in it (Crafting Interpreters style).
///
/// - `# expect: TEXT` — the next printed line is TEXT.
/// - `# expect error: L:C: MESSAGE` — an error at line L, column C (or `# expect error: MESSAGE`
///   to check the message only). A script expecting syntax errors lists every one, in order.
///   A trailing `…` makes it a prefix (for messages that vary by build, like stack depth).
/// - `# args: name=value …` — script arguments for `arg`.
/// - `# ---` on a line of its own splits a file into cases run one after another, each in a
///   fresh interpreter (so one file can hold many runtime errors); line numbers stay those of
///   the whole file.
final class GoldenScriptTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts")

    struct Expectations {
        var output: [String] = []
        var errors: [String] = []
        var arguments: [String: String] = [:]
    }

    static func expectations(in source: String) -> Expectations {
        var result = Expectations()
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            if let r = line.range(of: "# expect error: ") {
                result.errors.append(String(line[r.upperBound...]))
            } else if let r = line.range(of: "# expect:") {
                result.output.append(String(line[r.upperBound...].dropFirst()))
            } else if let r = line.range(of: "# args: ") {
                for pair in line[r.upperBound...].split(separator: " ") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    if parts.count == 2 { result.arguments[String(parts[0])] = String(parts[1]) }
                }
            }
        }
        return result
    }

    /// Runs a script the way `mtl run` would; returns the printed lines and the errors.
    static func run(_ source: String, file: String, arguments: [String: String] = [:]) -> (output: [String], errors: [ScriptError]) {
        let interpreter = Interpreter()
        interpreter.scriptArguments = arguments
        var lines: [String] = []
        interpreter.output = { text in lines.append(contentsOf: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)) }
        do {
            try interpreter.run(source: source, file: file)
            return (lines, [])
        } catch let failure as ScriptFailure {
            return (lines, failure.errors)
        } catch {
            return (lines, [ScriptError(.runtime, "unexpected error type: \(error)")])
        }
    }

    /// Compares `L:C: message` or just the message; a trailing `…` compares a prefix.
    static func matches(_ error: ScriptError, _ expected: String) -> Bool {
        let positioned = expected.range(of: #"^\d+:\d+: "#, options: .regularExpression) != nil
        let actual = positioned ? error.shortDescription : error.message
        if expected.hasSuffix("…") { return actual.hasPrefix(String(expected.dropLast())) }
        return actual == expected
    }

    func testGoldenScriptsExist() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".mtls") }
        XCTAssertGreaterThanOrEqual(files.count, 15, "golden scripts missing from \(Self.folder.path)")
    }

    func testEveryGoldenScriptPrintsAndFailsAsItsCommentsSay() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".mtls") }.sorted()
        for name in files {
            let whole = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
            let wholeExpected = Self.expectations(in: whole)
            XCTAssertFalse(wholeExpected.output.isEmpty && wholeExpected.errors.isEmpty, "\(name) states no expectations")
            for source in Self.cases(of: whole) {
                let expected = Self.expectations(in: source)
                check(name, source, expected)
            }
        }
    }

    /// The cases of a file split at `# ---` lines, each padded with empty lines so its line
    /// numbers match the file's.
    static func cases(of source: String) -> [String] {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var cases: [String] = []
        var start = 0
        for i in 0...lines.count where i == lines.count || lines[i] == "# ---" {
            let padding = Array(repeating: "", count: start)
            cases.append((padding + lines[start..<i]).joined(separator: "\n"))
            start = i + 1
        }
        return cases
    }

    func check(_ name: String, _ source: String, _ expected: Expectations) {
        let (output, errors) = Self.run(source, file: name, arguments: expected.arguments)
        XCTAssertEqual(output, expected.output, "\(name): printed output differs")
        XCTAssertEqual(errors.count, expected.errors.count,
                       "\(name): expected errors \(expected.errors), got \(errors.map(\.shortDescription))")
        for (error, wanted) in zip(errors, expected.errors) {
            XCTAssertTrue(Self.matches(error, wanted), "\(name): expected error '\(wanted)', got '\(error.shortDescription)'")
        }
    }
}
