import Script
@testable import Shell
import XCTest

/// A host object with attributes, one of them another host object (as `model.encoder`).
private final class FakeModel: HostObject {
    let depth: Int
    init(depth: Int = 0) { self.depth = depth }
    var typeName: String { "model" }
    var summary: String { "fake model" }
    var attributeNames: [String] { depth == 0 ? ["encoder", "heads"] : ["layers", "config"] }
    func attribute(_ name: String) throws -> Value? {
        name == "encoder" && depth == 0 ? .object(FakeModel(depth: 1)) : nil
    }
}

/// Completion names read from a real interpreter: builtins, variables, parameters, attributes.
final class ScriptCompletionSourceTests: XCTestCase {
    private func source(running code: String) throws -> (InterpreterCompletionSource, Interpreter) {
        let context = ShellContext()
        try context.interpreter.run(source: code, file: "<test>")
        return (InterpreterCompletionSource(interpreter: context.interpreter), context.interpreter)
    }

    func testCommandsAreTheRegisteredBuiltinsAndVariablesTheUsersNames() throws {
        let (source, _) = try source(running: "alpha = 1\ndef beta() { return 2 }\n")
        XCTAssertTrue(source.commandNames().contains("print"))
        XCTAssertTrue(source.commandNames().contains("help"))
        XCTAssertEqual(source.variableNames(), ["alpha", "beta"])
    }

    func testKeywordNamesComeFromBuiltinParametersAndDefParameters() throws {
        let (source, _) = try source(running: "def scale(value, factor=2) { return value * factor }\n")
        XCTAssertEqual(source.keywordNames(of: "range"), ["start", "stop", "step"])
        XCTAssertEqual(source.keywordNames(of: "scale"), ["value", "factor"])
        XCTAssertEqual(source.keywordNames(of: "no_such_thing"), [])
    }

    func testDictKeysAndNestedValuesAreAttributes() throws {
        let (source, _) = try source(running: "cfg = {lr: 1, opt: {momentum: 0.9}}\nparts = [{a: 1}, {b: 2}]\n")
        XCTAssertEqual(source.attributeNames(of: "cfg", path: []), ["lr", "opt"])
        XCTAssertEqual(source.attributeNames(of: "cfg", path: [.attribute("opt")]), ["momentum"])
        XCTAssertEqual(source.attributeNames(of: "cfg", path: [.key("opt")]), ["momentum"])
        XCTAssertEqual(source.attributeNames(of: "parts", path: [.index(0)]), ["a"])
        XCTAssertEqual(source.attributeNames(of: "parts", path: [.index(-1)]), ["b"])
        XCTAssertEqual(source.attributeNames(of: "parts", path: [.index(5)]), [], "out of range is no names, not a trap")
    }

    func testHostObjectAttributesAreFollowed() throws {
        let (source, interpreter) = try source(running: "")
        interpreter.globals.define("model", .object(FakeModel()))
        XCTAssertEqual(source.attributeNames(of: "model", path: []), ["encoder", "heads"])
        XCTAssertEqual(source.attributeNames(of: "model", path: [.attribute("encoder")]), ["layers", "config"])
        let completer = Completer(source: source)
        XCTAssertEqual(completer.complete("freeze model.encoder.la").candidates, ["layers"])
    }
}
