import XCTest
@testable import Script

/// The command-form rule (docs/LANGUAGE.md, "When a line is a command"): a statement starting
/// with a name, then whitespace, then something that can start an argument, is a call.
final class CommandFormTests: XCTestCase {
    func testMinusTouchingItsOperandStartsAnArgument() {
        XCTAssertEqual(parseSketch("f -1"), "(cmd f (- 1))")
        XCTAssertEqual(parseSketch("f -x"), "(cmd f (- x))")
        XCTAssertEqual(parseSketch("f x -1"), "(cmd f x (- 1))")
    }

    func testMinusWithSpaceAfterOrNoSpaceBeforeIsSubtraction() {
        XCTAssertEqual(parseSketch("f - 1"), "(- f 1)")
        XCTAssertEqual(parseSketch("f-1"), "(- f 1)")
        XCTAssertEqual(parseSketch("f- 1"), "(- f 1)")
    }

    func testBareNameIsAnExpression() {
        XCTAssertEqual(parseSketch("x"), "x")
        XCTAssertEqual(parseSketch("x;"), "x;")
    }

    func testSpaceBeforeParenthesisMakesAParenthesisedArgument() {
        XCTAssertEqual(parseSketch("f (a)"), "(cmd f a)")
        XCTAssertEqual(parseSketch("f(a)"), "(call f a)")
        XCTAssertEqual(parseSketch("f (a) (b)"), "(cmd f a b)")
        XCTAssertEqual(parseSketch("f (a + 1)"), "(cmd f (+ a 1))")
    }

    func testAssignmentAndComparisonAreNotCommands() {
        XCTAssertEqual(parseSketch("a = b"), "(= a b)")
        XCTAssertEqual(parseSketch("a=b"), "(= a b)")
        XCTAssertEqual(parseSketch("a == b"), "(== a b)")
        XCTAssertEqual(parseSketch("a != b"), "(!= a b)")
        XCTAssertEqual(parseSketch("a < b"), "(< a b)")
    }

    func testKeywordArgumentsAndPositionals() {
        XCTAssertEqual(parseSketch("f x y=2"), "(cmd f x y=2)")
        XCTAssertEqual(parseSketch("f y=-2"), "(cmd f y=(- 2))")
        XCTAssertEqual(parseSketch(#"encode enc "text" batch=8"#), #"(cmd encode enc "text" batch=8)"#)
    }

    func testCommandOnTheRightOfAssignment() {
        XCTAssertEqual(parseSketch(#"e = encode enc "t""#), #"(= e (cmd encode enc "t"))"#)
        XCTAssertEqual(parseSketch("a.b = f x"), "(= (. a b) (cmd f x))")
        XCTAssertEqual(parseSketch("g = f"), "(= g f)")
        XCTAssertEqual(parseSketch("g = f - 1"), "(= g (- f 1))")
    }

    func testArgumentsAreFullPostfixExpressions() {
        XCTAssertEqual(parseSketch("encode enc data[0:3]"), "(cmd encode enc (slice data 0 3))")
        XCTAssertEqual(parseSketch("train model parts[0] opt epochs=3"), "(cmd train model (index parts 0) opt epochs=3)")
        XCTAssertEqual(parseSketch("freeze model.encoder.layers[0:3]"), "(cmd freeze (slice (. (. model encoder) layers) 0 3))")
        XCTAssertEqual(parseSketch("f g(1) h.k"), "(cmd f (call g 1) (. h k))")
    }

    func testSpaceBeforeBracketStartsANewArgument() {
        XCTAssertEqual(parseSketch("f a [1]"), "(cmd f a [1])")
        XCTAssertEqual(parseSketch("f [1, 2]"), "(cmd f [1 2])")
        XCTAssertEqual(parseSketch("f {a: 1}"), "(cmd f {\"a\":1})")
    }

    func testLiteralsStartArguments() {
        XCTAssertEqual(parseSketch("f 1 \"s\" true false none"), "(cmd f 1 \"s\" true false none)")
    }

    func testOnlyAWholeStatementIsACommand() {
        // Inside brackets and in conditions a name followed by a space is just a name.
        XCTAssertTrue(parseSketch("print(f x)").hasPrefix("error 1:9:"))
        XCTAssertEqual(parseSketch("if f { }"), "(if f {})")
        XCTAssertEqual(parseSketch("model.encoder x").hasPrefix("error 1:15:"), true)
    }

    func testKeywordsAreNeverCommandNames() {
        XCTAssertEqual(parseSketch("not x"), "(not x)")
        XCTAssertEqual(parseSketch("a and b"), "(and a b)")
    }

    func testStatementsEndAtSemicolonOrNewline() {
        XCTAssertEqual(parseSketch("f 1; g 2\nh 3"), "(cmd f 1); | (cmd g 2) | (cmd h 3)")
    }

    func testOperatorsAfterCommandArgumentsAreErrors() {
        XCTAssertTrue(parseSketch("f x - 1").hasPrefix("error 1:5: unexpected '-' in the arguments of command 'f'"))
        XCTAssertTrue(parseSketch("f x + 1").hasPrefix("error 1:5: unexpected '+'"))
    }

    func testBothFormsCallTheSameWay() throws {
        let interpreter = Interpreter()
        var lines: [String] = []
        interpreter.output = { lines.append($0) }
        try interpreter.run(source: """
        def f(a, b=2, c=3) { return [a, b, c] }
        a = f(1, c=9)
        b = f 1 c=9
        print(a == b)
        c = f -1 5
        print(c)
        """)
        XCTAssertEqual(lines, ["true", "[-1, 5, 3]"])
    }
}
