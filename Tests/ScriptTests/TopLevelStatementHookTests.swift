import Script
import XCTest

/// `Interpreter.onTopLevelStatement`: each top-level statement's exact source text, as soon as
/// it completes (the Shell's transcript is built from it).
final class TopLevelStatementHookTests: XCTestCase {
    private func statements(of source: String, interpreter: Interpreter = Interpreter()) -> (texts: [String], error: Error?) {
        var texts: [String] = []
        interpreter.output = { _ in }
        interpreter.onTopLevelStatement = { texts.append($0) }
        do { try interpreter.run(source: source, file: "t.mtls") } catch { return (texts, error) }
        return (texts, nil)
    }

    func testEachStatementIsReportedWithItsOwnTextInOrder() {
        let source = "a = 1\n  b = [1,\n 2]; c = \"é → x\"\ndef f(x) {\n  return x\n}\nprint(f(a))\n"
        XCTAssertEqual(statements(of: source).texts,
                       ["a = 1", "b = [1,\n 2];", "c = \"é → x\"", "def f(x) {\n  return x\n}", "print(f(a))"])
    }

    func testStatementsBeforeAFailureAreReportedAndTheFailingOneIsNot() {
        let (texts, error) = statements(of: "x = 1\ny = nope\nz = 3")
        XCTAssertEqual(texts, ["x = 1"])
        XCTAssertNotNil(error)
    }

    func testStatementsBeforeExitAreReportedAndExitCarriesItsCode() {
        let (texts, error) = statements(of: "x = 1\nexit(7)\nz = 3")
        XCTAssertEqual(texts, ["x = 1"])
        XCTAssertEqual(error as? ScriptExit, ScriptExit(code: 7))
    }

    func testExitRejectsAStatusOutside0To255() {
        let (_, error) = statements(of: "quit(-1)")
        XCTAssertEqual((error as? ScriptFailure)?.errors.first?.message, "quit: the exit status must be 0 to 255, got -1")
    }

    func testStatementsInsideFunctionsAndNestedRunsAreNotTopLevel() {
        let interpreter = Interpreter()
        interpreter.registry.register(Builtin(name: "nested", parameters: [], summary: "runs code", example: "nested") { call in
            try call.interpreter.run(source: "inner = 1\ninner2 = 2", file: "<nested>")
            return .null
        })
        let (texts, _) = statements(of: "def g() {\n  y = 1\n  return y\n}\ng()\nnested", interpreter: interpreter)
        XCTAssertEqual(texts, ["def g() {\n  y = 1\n  return y\n}", "g()", "nested"])
    }

    func testAnInterruptionIsNotSaidTwice() {
        let error = ScriptError(.interrupted, "interrupted", at: SourceLocation(file: "<command line>", line: 1, column: 5))
        XCTAssertEqual(error.description, "<command line>:1:5: interrupted")
    }
}
