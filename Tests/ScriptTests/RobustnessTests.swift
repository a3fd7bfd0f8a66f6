import Foundation
import XCTest
@testable import Script

/// Hostile input gets a clear error, never a crash, a hang or a stack overflow.
final class RobustnessTests: XCTestCase {
    func errors(_ source: String) -> [ScriptError] { Self.errors(source) }

    static func errors(_ source: String) -> [ScriptError] {
        let interpreter = Interpreter()
        interpreter.output = { _ in }
        interpreter.maxSteps = 1_000_000
        do {
            try interpreter.run(source: source)
            return []
        } catch let f as ScriptFailure {
            return f.errors
        } catch {
            return [ScriptError(.runtime, "unexpected \(error)")]
        }
    }

    func testTenThousandOpenParenthesesAreTooDeep() {
        let e = errors(String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000))
        XCTAssertEqual(e.first?.message, "expression nested too deeply (more than 200 levels)")
        XCTAssertEqual(e.first?.kind, .syntax)
    }

    func testDeeplyNestedListsAndBlocksAreTooDeep() {
        XCTAssertEqual(errors(String(repeating: "[", count: 10_000)).first?.message, "expression nested too deeply (more than 200 levels)")
        XCTAssertEqual(errors(String(repeating: "if true {", count: 10_000)).first?.message, "expression nested too deeply (more than 200 levels)")
        XCTAssertEqual(errors("x = " + String(repeating: "-", count: 10_000) + "1").first?.message, "expression nested too deeply (more than 200 levels)")
        XCTAssertEqual(errors("x = " + String(repeating: "not ", count: 10_000) + "1").first?.message, "expression nested too deeply (more than 200 levels)")
        XCTAssertEqual(errors("f " + String(repeating: "-", count: 10_000) + "1").first?.message, "expression nested too deeply (more than 200 levels)")
        XCTAssertEqual(errors("x" + String(repeating: ".a", count: 10_000)).first?.message, "expression nested too deeply (more than 200 levels)")
    }

    func testLongOperatorChainsAreBoundedToo() {
        // `1+1+…` builds a tree as deep as the chain; 150 terms are fine, 10,000 are refused.
        XCTAssertEqual(errors("x = " + Array(repeating: "1", count: 150).joined(separator: "+") + "\nassert(x == 150)"), [])
        XCTAssertEqual(errors("x = " + Array(repeating: "1", count: 10_000).joined(separator: "+")).first?.message,
                       "expression nested too deeply (more than 200 levels)")
    }

    func testNestingJustUnderTheLimitRuns() {
        let source = "x = " + String(repeating: "(", count: 150) + "7" + String(repeating: ")", count: 150) + "\nassert(x == 7)"
        XCTAssertEqual(errors(source), [])
    }

    func testOneMegabyteStringLiteralRuns() {
        let string = "x = \"" + String(repeating: "a", count: 1 << 20) + "\"\nassert(len(x) == 1048576)"
        XCTAssertEqual(errors(string), [])
    }

    func testOneMegabyteListLineRuns() {
        let list = "x = [" + Array(repeating: "1", count: 300_000).joined(separator: ",") + "]\nassert(len(x) == 300000)"
        XCTAssertEqual(errors(list), [])
    }

    func testOneMegabyteLineOfStatementsRuns() {
        let statements = String(repeating: "y = 1;", count: 170_000) + "\nassert(y == 1)"
        XCTAssertEqual(errors(statements), [])
    }

    func testUnterminatedStringIsOneClearError() {
        let e = errors("print(\"never closed)\nx = 1")
        XCTAssertEqual(e.first?.shortDescription, "1:7: unterminated string; close it with \" on the same line")
    }

    func testUnterminatedBlockIsAnError() {
        let e = errors("if true {\n  x = 1\n")
        XCTAssertEqual(e.first?.shortDescription, "3:1: expected '}' to close the block opened at 1:9")
    }

    func testNonUTF8FileIsAClearError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mtl-bad-\(UUID().uuidString).mtls")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data([0x78, 0x20, 0x3D, 0x20, 0x31, 0x0A, 0x79, 0x20, 0x3D, 0x20, 0xFF, 0xFE, 0x0A]).write(to: url)
        XCTAssertThrowsError(try Interpreter().runFile(atPath: url.path)) { error in
            guard let f = error as? ScriptFailure, let e = f.errors.first else { return XCTFail("\(error)") }
            XCTAssertEqual(e.kind, .syntax)
            XCTAssertEqual(e.location?.line, 2)
            XCTAssertEqual(e.location?.column, 5)
            XCTAssertEqual(e.message, "file is not valid UTF-8 text (bad byte 0xFF at byte offset 10); save it as UTF-8")
        }
    }

    func testMissingFileIsAClearError() {
        XCTAssertThrowsError(try Interpreter().runFile(atPath: "/nonexistent/x.mtls")) { error in
            XCTAssertEqual(String(describing: error), "error: cannot read script '/nonexistent/x.mtls': no such file or not readable")
        }
    }

    func testByteOrderMarkAndCRLFAreAccepted() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mtl-bom-\(UUID().uuidString).mtls")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data([0xEF, 0xBB, 0xBF] + Array("x = 2\r\nx * 3\r\n".utf8)).write(to: url)
        XCTAssertEqual(try Interpreter().runFile(atPath: url.path), .number(6))
    }

    func testDeepRecursionIsAnErrorNotACrash() {
        let e = errors("def down(n) { return down(n + 1) }\ndown(0)")
        XCTAssertTrue(e.first?.message.hasPrefix("recursion too deep") ?? false, "\(e)")
    }

    func testRecursionLimitIsConfigurable() {
        let interpreter = Interpreter()
        interpreter.maxCallDepth = 50
        XCTAssertThrowsError(try interpreter.run(source: "def down(n) { return down(n + 1) }\ndown(0)")) { error in
            XCTAssertEqual((error as? ScriptFailure)?.errors.first?.message, "recursion too deep (more than 50 nested calls)")
        }
        XCTAssertEqual(try interpreter.run(source: "def count(n) { if n == 0 { return 0 }; return 1 + count(n - 1) }\ncount(40)"), .number(40))
    }

    func testRecursionOnASmallThreadStackIsCaught() {
        // Hosts may run scripts on secondary threads with small stacks; the guard measures the
        // real stack rather than trusting the call count.
        let done = expectation(description: "thread finished")
        let box = ResultBox()
        let thread = Thread {
            box.errors = RobustnessTests.errors("def down(n) { return down(n + 1) }\ndown(0)")
            done.fulfill()
        }
        thread.stackSize = 1 << 20
        thread.start()
        wait(for: [done], timeout: 60)
        XCTAssertTrue(box.errors.first?.message.hasPrefix("recursion too deep") ?? false, "\(box.errors)")
    }

    func testEndlesslyNestedListsAreRefusedBeforeTheyOverflowTheStack() {
        // Swift frees and compares nested arrays recursively; 200,000 levels would crash.
        let message = "lists and dicts may nest at most 1000 deep"
        XCTAssertEqual(errors("x = []\nfor k in range(200000) { x = [x] }").first?.shortDescription, "2:31: " + message)
        XCTAssertEqual(errors("x = [0]\nfor k in range(200000) { x[0] = x }").first?.message, message)
        XCTAssertEqual(errors("x = {a: 0}\nfor k in range(200000) { x.a = x }").first?.message, message)
        XCTAssertEqual(errors("x = {a: 0}\nfor k in range(200000) { x = {k: x} }").first?.message, message)
        XCTAssertEqual(errors("x = []\nfor k in range(900) { x = [x] }\nassert(x == x)\nassert(len(str(x)) > 10)"), [])
    }

    func testGrowingAStringWithoutEndHitsTheSizeLimit() {
        let e = errors("s = \"ab\"\nwhile true { s = s + s }")
        XCTAssertTrue(e.first?.message.hasPrefix("result too large") ?? false, "\(e)")
    }

    func testStepLimitStopsAnInfiniteLoop() {
        let interpreter = Interpreter()
        interpreter.maxSteps = 10_000
        XCTAssertThrowsError(try interpreter.run(source: "n = 0\nwhile true { n = n + 1 }")) { error in
            XCTAssertEqual((error as? ScriptFailure)?.kind, .interrupted)
        }
    }

    func testInterruptFlagStopsARunningLoop() {
        let interpreter = Interpreter()
        let flag = interpreter.interrupt
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { flag.raise() }
        let start = Date()
        XCTAssertThrowsError(try interpreter.run(source: "while true { }")) { error in
            XCTAssertEqual((error as? ScriptFailure)?.errors.first?.message, "interrupted")
            XCTAssertEqual((error as? ScriptFailure)?.kind, .interrupted)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        // The interpreter is usable again afterwards.
        XCTAssertEqual(try interpreter.run(source: "1 + 1"), .number(2))
    }

    #if os(Linux)
    func testInterruptFlagCanBeRaisedFromACSignalHandler() {
        // What the REPL does for Ctrl-C: a plain C handler (no captures) raises a global flag.
        let previous = signal(SIGUSR1) { _ in signalTestFlag.raise() }
        defer { signal(SIGUSR1, previous) }
        let interpreter = Interpreter(interrupt: signalTestFlag)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { kill(getpid(), SIGUSR1) }
        XCTAssertThrowsError(try interpreter.run(source: "n = 0\nwhile true { n = n + 1 }")) { error in
            XCTAssertEqual((error as? ScriptFailure)?.kind, .interrupted)
        }
    }
    #endif

    func testLargeIntegersAndOddNumbersDoNotTrap() {
        XCTAssertEqual(errors("x = [1][1e300]").first?.message, "an index must be a whole number, got 1e+300")
        XCTAssertEqual(errors("x = range(1e300)").first?.message, "range: argument 'start' must be an integer, got number. usage: range(start, stop=none, step=1)")
        XCTAssertEqual(errors("x = \"a\" * 1e300").first?.message.hasPrefix("can only repeat"), true)
        XCTAssertEqual(errors("s = \"abcdefghij\" * 2000\nx = s * 9e15").first?.message, "result too large")
        XCTAssertEqual(errors("x = [1, 2, 3] * 5e6").first?.message, "result too large (15000000 items; the limit is 10000000)")
        XCTAssertEqual(errors("x = 1e308 * 10\nassert(str(x) == \"inf\")\ny = round(1e308, 15)"), [])
    }
}

/// The flag a C signal handler raises in `testInterruptFlagCanBeRaisedFromACSignalHandler`.
let signalTestFlag = InterruptFlag()

/// Carries a result out of a thread in a test.
final class ResultBox: @unchecked Sendable {
    // @unchecked: written by one thread before `fulfill`, read after `wait`.
    var errors: [ScriptError] = []
}
