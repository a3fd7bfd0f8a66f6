import XCTest
@testable import Script

/// What a prompt (REPL) needs: the value to echo, `;` to silence it, state kept between
/// inputs, survival after errors, and knowing when an input is unfinished.
final class PromptTests: XCTestCase {
    func testExpressionStatementValueIsReturnedForEcho() throws {
        let interpreter = Interpreter()
        XCTAssertEqual(try interpreter.run(source: "1 + 2"), .number(3))
        XCTAssertEqual(try interpreter.run(source: "\"s\""), .string("s"))
    }

    func testTrailingSemicolonSuppressesTheEcho() throws {
        let interpreter = Interpreter()
        XCTAssertNil(try interpreter.run(source: "1 + 2;"))
    }

    func testAssignmentsDefinitionsAndNoneAreNotEchoed() throws {
        let interpreter = Interpreter()
        XCTAssertNil(try interpreter.run(source: "x = 5"))
        XCTAssertNil(try interpreter.run(source: "def f() { }"))
        XCTAssertNil(try interpreter.run(source: "none"))
        XCTAssertNil(try interpreter.run(source: "f()"))
    }

    func testOnlyTheLastStatementOfAnInputIsEchoed() throws {
        let interpreter = Interpreter()
        XCTAssertEqual(try interpreter.run(source: "1; 2"), .number(2))
        XCTAssertNil(try interpreter.run(source: "1\ny = 2"))
    }

    func testVariablesPersistAcrossInputs() throws {
        let interpreter = Interpreter()
        try interpreter.run(source: "x = 5")
        try interpreter.run(source: "def twice(v) { return v * 2 }")
        XCTAssertEqual(try interpreter.run(source: "twice(x)"), .number(10))
    }

    func testStateSurvivesAnError() throws {
        let interpreter = Interpreter()
        try interpreter.run(source: "x = 1")
        XCTAssertThrowsError(try interpreter.run(source: "x = 2; y = nope; x = 3"))
        XCTAssertEqual(try interpreter.run(source: "x"), .number(2), "statements before the error ran, later ones did not")
    }

    func testBareCommandWithOnlyOptionalParametersIsCalled() throws {
        let interpreter = Interpreter()
        var lines: [String] = []
        interpreter.output = { lines.append($0) }
        try interpreter.run(source: "help")
        XCTAssertTrue(lines.first?.hasPrefix("general:") ?? false, "help lists groups: \(lines)")
        XCTAssertTrue(lines.joined().contains("print"))
        // `len` needs an argument, so the bare name is just the builtin value.
        guard case .builtin(let b)? = try interpreter.run(source: "len") else { return XCTFail("len should evaluate to the builtin") }
        XCTAssertEqual(b.name, "len")
        XCTAssertEqual(Value.builtin(b).repr, "<builtin len(value)>")
    }

    func testIncompleteInputAsksForMore() {
        XCTAssertTrue(Parser.isIncomplete("x = (1 +"))
        XCTAssertTrue(Parser.isIncomplete("x = [1,\n 2,"))
        XCTAssertTrue(Parser.isIncomplete("def f(a) {"))
        XCTAssertTrue(Parser.isIncomplete("if x {\n  print(x)"))
        XCTAssertTrue(Parser.isIncomplete("d = {a: 1,"))
        XCTAssertTrue(Parser.isIncomplete("if x"))
        XCTAssertTrue(Parser.isIncomplete("if x { } else"))
        XCTAssertTrue(Parser.isIncomplete("def f()"))
    }

    func testCompleteOrBrokenInputIsNotIncomplete() {
        XCTAssertFalse(Parser.isIncomplete("x = 1"))
        XCTAssertFalse(Parser.isIncomplete("if x { print(x) }"))
        XCTAssertFalse(Parser.isIncomplete(""))
        XCTAssertFalse(Parser.isIncomplete("x = )"), "a stray closer is an error, not unfinished")
        XCTAssertFalse(Parser.isIncomplete("print(\"open"), "an unterminated string cannot be finished on the next line")
        XCTAssertFalse(Parser.isIncomplete("x = 1 +"), "a dangling operator is an error")
        XCTAssertFalse(Parser.isIncomplete("if x y"))
    }

    func testCompletionOffersNamesAndAttributes() throws {
        let interpreter = Interpreter()
        try interpreter.run(source: "config = {lr: 1, layers: 2}\nconfirm = 1")
        XCTAssertEqual(interpreter.completions(for: "conf"), ["config", "confirm"])
        XCTAssertEqual(interpreter.completions(for: "config.l"), ["config.layers", "config.lr"])
        XCTAssertEqual(interpreter.completions(for: "pri"), ["print"])
        XCTAssertEqual(interpreter.completions(for: "nothing.x"), [])
    }

    func testUserVariablesAreListedInOrder() throws {
        let interpreter = Interpreter()
        try interpreter.run(source: "b = 1\na = \"x\"\nb = 2")
        XCTAssertEqual(interpreter.userVariables.map(\.name), ["b", "a"])
        XCTAssertEqual(interpreter.userVariables.map(\.value), [.number(2), .string("x")])
    }
}
