import Foundation
import XCTest
@testable import Script

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator so every fuzz run is the same.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Thousands of random and mutated inputs go through the lexer, parser and interpreter (with a
/// step limit): every one must end in a value or a `ScriptFailure` — no crash, no hang, no
/// other error type.
final class FuzzTests: XCTestCase {
    static let fragments: [String] = [
        "x", "f", "print", "len", "range", "help", "vars", "arg", "def", "if", "else", "for", "in", "while",
        "return", "break", "continue", "and", "or", "not", "true", "false", "none", "=", "==", "!=", "<", ">=",
        "+", "-", "*", "/", "%", "(", ")", "[", "]", "{", "}", ",", ".", ":", ";", "\n", " ", "  ", "\t",
        "0", "1", "-1", "2e-5", "1e999", "0.5", "\"s\"", "\"", "\\", "\"\\n\"", "#", "é", "✓", "@", "!",
        "a=1", "x[0]", "x[1:2]", "x.y", "f(1, b=2)", "f 1 b=2", "def g(a, b=1) { return a }", "[1, 2]",
        "{k: 1}", "g(", "range(5)", "assert(false)", "str(1)",
    ]

    /// Runs one input through everything; records anything that is neither a value nor a
    /// `ScriptFailure`.
    static func exercise(_ source: String) -> String? {
        _ = Lexer.tokenize(source)
        _ = Parser.isIncomplete(source)
        let interpreter = Interpreter()
        interpreter.maxSteps = 5_000
        interpreter.maxCollectionSize = 100_000
        interpreter.scriptArguments = ["model": "tiny", "n": "x"]
        interpreter.output = { _ in }
        do {
            if let value = try interpreter.run(source: source, file: "fuzz.mtls") { _ = value.repr }
            return nil
        } catch let failure as ScriptFailure {
            guard !failure.errors.isEmpty else { return "a ScriptFailure without errors" }
            _ = failure.description
            return nil
        } catch {
            return "unexpected error type \(type(of: error)): \(error)"
        }
    }

    static func mutate(_ source: String, _ rng: inout SplitMix64) -> String {
        var scalars = Array(source.unicodeScalars)
        let edits = Int.random(in: 1...4, using: &rng)
        for _ in 0..<edits {
            let n = scalars.count
            let i = n == 0 ? 0 : Int.random(in: 0..<n, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where n > 0:  // delete a run
                let j = min(n, i + Int.random(in: 1...12, using: &rng))
                scalars.removeSubrange(i..<j)
            case 1:  // insert a fragment
                scalars.insert(contentsOf: fragments.randomElement(using: &rng)!.unicodeScalars, at: i)
            case 2 where n > 0:  // duplicate a run
                let j = min(n, i + Int.random(in: 1...40, using: &rng))
                scalars.insert(contentsOf: Array(scalars[i..<j]), at: j)
            case 3 where n > 0:  // replace one scalar
                scalars[i] = fragments.randomElement(using: &rng)!.unicodeScalars.first ?? " "
            case 4:  // truncate
                scalars.removeSubrange(i..<n)
            default:  // swap two lines
                var lines = String(String.UnicodeScalarView(scalars)).split(separator: "\n", omittingEmptySubsequences: false)
                if lines.count > 1 {
                    lines.swapAt(Int.random(in: 0..<lines.count, using: &rng), Int.random(in: 0..<lines.count, using: &rng))
                }
                scalars = Array(lines.joined(separator: "\n").unicodeScalars)
            }
        }
        return String(String.UnicodeScalarView(scalars))
    }

    func testMutatedGoldenScriptsNeverCrashOrHang() throws {
        let folder = GoldenScriptTests.folder
        let scripts = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mtls") }.sorted()
            .map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
        XCTAssertFalse(scripts.isEmpty)
        var rng = SplitMix64(state: 20_261_129)
        var problems: [String] = []
        let start = Date()
        for round in 0..<6_000 {
            let source = Self.mutate(scripts[round % scripts.count], &rng)
            if let problem = Self.exercise(source) { problems.append("\(problem)\n--- input:\n\(source)") }
        }
        XCTAssertEqual(problems.count, 0, problems.prefix(3).joined(separator: "\n\n"))
        XCTAssertLessThan(Date().timeIntervalSince(start), 60, "fuzzing should stay fast")
    }

    func testRandomTokenSoupNeverCrashesOrHangs() {
        var rng = SplitMix64(state: 42)
        var problems: [String] = []
        for _ in 0..<5_000 {
            let count = Int.random(in: 1...40, using: &rng)
            let source = (0..<count).map { _ in Self.fragments.randomElement(using: &rng)! }
                .joined(separator: Bool.random(using: &rng) ? " " : "")
            if let problem = Self.exercise(source) { problems.append("\(problem)\n--- input:\n\(source)") }
        }
        XCTAssertEqual(problems.count, 0, problems.prefix(3).joined(separator: "\n\n"))
    }

    func testRandomBytesNeverCrash() {
        var rng = SplitMix64(state: 7)
        for _ in 0..<500 {
            let bytes = (0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let source = String(decoding: bytes, as: UTF8.self)
            XCTAssertNil(Self.exercise(source))
        }
    }
}
