import XCTest
@testable import Script

/// Errors name the place: `file:line:col: error: message`, the source line, a caret.
final class ErrorRenderingTests: XCTestCase {
    func failure(_ source: String, file: String = "part3.mtls") -> ScriptFailure? {
        do {
            try Interpreter().run(source: source, file: file)
            return nil
        } catch {
            return error as? ScriptFailure
        }
    }

    func testRuntimeErrorShowsLocationSourceLineAndCaret() {
        let f = failure("x = 1\ny = x + nope\n")
        XCTAssertEqual(f?.description, """
        part3.mtls:2:9: error: undefined name 'nope'
        y = x + nope
                ^
        """)
        XCTAssertEqual(f?.kind, .runtime)
    }

    func testWindowsLineEndsShowTheRightLine() {
        XCTAssertEqual(failure("x = 1\r\ny = nope\r\n")?.description, "part3.mtls:2:5: error: undefined name 'nope'\ny = nope\n    ^")
    }

    func testAllSyntaxErrorsAreRenderedInOrder() {
        let f = failure("x = )\ny = 2\nz = (\n")
        XCTAssertEqual(f?.kind, .syntax)
        XCTAssertEqual(f?.errors.map(\.shortDescription), [
            "1:5: expected an expression, found ')'",
            "4:1: expected an expression, found end of input",
        ])
        XCTAssertEqual(f?.description.components(separatedBy: "\n").first, "part3.mtls:1:5: error: expected an expression, found ')'")
    }

    func testCaretCountsUnicodeScalarsAndKeepsTabs() {
        let f = failure("\tprint(\"é✓\", nope)")
        XCTAssertEqual(f?.errors.first?.location?.column, 14)
        XCTAssertEqual(f?.description, "part3.mtls:1:14: error: undefined name 'nope'\n\tprint(\"é✓\", nope)\n\t            ^")
    }

    func testLongLinesAreShownAroundTheColumn() {
        let line = "x = [" + String(repeating: "1, ", count: 2000) + "nope]"
        guard let f = failure(line), let error = f.errors.first else { return XCTFail("expected an error") }
        let rendered = error.description.components(separatedBy: "\n")
        XCTAssertEqual(rendered.count, 3)
        XCTAssertLessThan(rendered[1].unicodeScalars.count, 130, "the source line is cut to a window")
        // The caret still points at `nope` inside the window.
        let caret = rendered[2].unicodeScalars.count - 1
        let shown = Array(rendered[1].unicodeScalars)
        XCTAssertEqual(String(String.UnicodeScalarView(shown[caret..<caret + 4])), "nope")
    }

    func testInterruptedErrorsSayInterrupted() {
        let interpreter = Interpreter()
        interpreter.maxSteps = 100
        do {
            try interpreter.run(source: "while true { }", file: "loop.mtls")
            XCTFail("expected the step limit to stop the loop")
        } catch let f as ScriptFailure {
            XCTAssertEqual(f.kind, .interrupted)
            XCTAssertTrue(f.description.hasPrefix("loop.mtls:1:7: interrupted: stopped after 100 evaluation steps"), f.description)
        } catch {
            XCTFail("unexpected \(error)")
        }
    }

    func testErrorsInEarlierInputsShowTheirOwnLine() throws {
        // A function defined in one prompt input fails when called from a later one.
        let interpreter = Interpreter()
        try interpreter.run(source: "def bad() {\n  return 1 / 0\n}", file: "<prompt 1>")
        XCTAssertThrowsError(try interpreter.run(source: "bad()", file: "<prompt 2>")) { error in
            XCTAssertEqual(String(describing: error), "<prompt 1>:2:12: error: division by zero\n  return 1 / 0\n           ^")
        }
    }
}
