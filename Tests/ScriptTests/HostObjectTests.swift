import XCTest
@testable import Script

/// A stand-in for a Shell object: a named vector with attributes, indexing and slicing.
final class FakeVector: HostObject {
    var values: [Double]
    var label: String

    init(_ values: [Double], label: String = "v") {
        self.values = values
        self.label = label
    }

    var typeName: String { "vector" }
    var summary: String { "vector \(label) [\(values.count)]" }
    var attributeNames: [String] { ["label", "size"] }
    var count: Int? { values.count }

    func attribute(_ name: String) throws -> Value? {
        switch name {
        case "label": return .string(label)
        case "size": return .number(Double(values.count))
        default: return nil
        }
    }

    func setAttribute(_ name: String, to value: Value) throws {
        guard name == "label" else { throw ScriptError.runtime("vector: attribute '\(name)' is read-only") }
        guard case .string(let s) = value else { throw ScriptError.runtime("vector: label must be a string") }
        label = s
    }

    func element(at key: Value) throws -> Value {
        guard let i = key.exactInteger, values.indices.contains(i) else {
            throw ScriptError.runtime("vector index \(key.repr) out of range")
        }
        return .number(values[i])
    }

    func slice(lower: Int?, upper: Int?) throws -> Value {
        .object(FakeVector(Array(values[(lower ?? 0)..<(upper ?? values.count)]), label: label + "[slice]"))
    }
}

/// How the Shell plugs in: host objects and builtins registered into the same registry.
final class HostObjectTests: XCTestCase {
    func makeInterpreter() -> (Interpreter, () -> [String]) {
        let registry = BuiltinRegistry.standard()
        registry.register("vec", group: "tensors", parameters: [
            Parameter("values", .list, summary: "the numbers"),
            Parameter("label", .string, default: .string("v")),
        ], summary: "Makes a vector.", help: "A vector holds numbers.", example: "vec([1, 2])") { call in
            let numbers = try call.list("values").map { v -> Double in
                guard case .number(let n) = v else { throw ScriptError.runtime("vec: values must be numbers, got \(v.typeName)") }
                return n
            }
            return .object(FakeVector(numbers, label: try call.string("label")))
        }
        registry.register("total", group: "tensors", parameters: [Parameter("v", .object("vector"))],
                          summary: "Sums a vector.") { call in
            .number(try call.object("v", as: FakeVector.self).values.reduce(0, +))
        }
        registry.alias("sum", for: "total")
        let interpreter = Interpreter(registry: registry)
        var lines: [String] = []
        interpreter.output = { lines.append(contentsOf: $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)) }
        return (interpreter, { lines })
    }

    func testHostCommandsWorkInBothCallForms() throws {
        let (interpreter, output) = makeInterpreter()
        try interpreter.run(source: """
        a = vec [1, 2, 3] label="a"
        b = vec([4, 5], label="b")
        t1 = total a
        t2 = sum b
        print(a, total(b), t1, t2)
        """)
        XCTAssertEqual(output(), ["vector a [3] 9 6 9"])
    }

    func testAttributesIndexingSlicingAndLoops() throws {
        let (interpreter, output) = makeInterpreter()
        try interpreter.run(source: """
        v = vec [10, 20, 30]
        print(v.size, v[1], v[0:2], len(v), type(v))
        v.label = "renamed"
        print(v.label)
        for x in v { print(x) }
        """)
        XCTAssertEqual(output(), ["3 20 vector v[slice] [2] 3 vector", "renamed", "10", "20", "30"])
    }

    func testHostErrorsGetTheCallLocation() {
        let (interpreter, _) = makeInterpreter()
        XCTAssertThrowsError(try interpreter.run(source: "v = vec [1]\nv.size = 3", file: "h.mtls")) { error in
            XCTAssertEqual((error as? ScriptFailure)?.errors.first?.shortDescription, "2:3: vector: attribute 'size' is read-only")
        }
        XCTAssertThrowsError(try interpreter.run(source: "v = vec [1]\nprint(v.sise)")) { error in
            XCTAssertEqual((error as? ScriptFailure)?.errors.first?.shortDescription, "2:9: a vector has no attribute 'sise' (did you mean 'size'?)")
        }
        XCTAssertThrowsError(try interpreter.run(source: "vec [\"x\"]")) { error in
            XCTAssertEqual((error as? ScriptFailure)?.errors.first?.shortDescription, "1:1: vec: values must be numbers, got string")
        }
    }

    func testObjectParameterTypesAreChecked() {
        let (interpreter, _) = makeInterpreter()
        XCTAssertThrowsError(try interpreter.run(source: "total [1, 2]")) { error in
            XCTAssertEqual((error as? ScriptFailure)?.errors.first?.shortDescription,
                           "1:7: total: argument 'v' must be a vector, got list. usage: total(v)")
        }
        XCTAssertThrowsError(try interpreter.run(source: "vec()")) { error in
            XCTAssertEqual((error as? ScriptFailure)?.errors.first?.message,
                           "vec: missing argument 'values'. usage: vec(values, label=\"v\")")
        }
    }

    func testHostObjectsCompareByIdentityAndAreTruthy() throws {
        let (interpreter, _) = makeInterpreter()
        XCTAssertEqual(try interpreter.run(source: "a = vec [1]\nb = a\nc = vec [1]\n[a == b, a == c, not a]"),
                       .list([.bool(true), .bool(false), .bool(false)]))
    }

    func testHelpListsHostCommandsByGroupAndExplainsObjects() throws {
        let (interpreter, output) = makeInterpreter()
        try interpreter.run(source: "help\nhelp sum\nv = vec [1]\nhelp v")
        let lines = output()
        XCTAssertTrue(lines.contains("tensors:"), "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("  vec ") && $0.hasSuffix("Makes a vector.") })
        XCTAssertTrue(lines.contains("total(v)"))
        XCTAssertTrue(lines.contains("  aliases: sum"))
        XCTAssertTrue(lines.contains("vector: vector v [1]"))
        XCTAssertTrue(lines.contains("attributes: label, size"))
    }

    func testCompletionOffersHostAttributes() throws {
        let (interpreter, _) = makeInterpreter()
        try interpreter.run(source: "v = vec [1]")
        XCTAssertEqual(interpreter.completions(for: "v."), ["v.label", "v.size"])
        XCTAssertEqual(interpreter.completions(for: "ve"), ["vec"])
    }

    func testLongHostCommandsCanPollTheInterruptFlag() {
        let registry = BuiltinRegistry.standard()
        registry.register("train", parameters: [], summary: "Pretends to train.") { call in
            for step in 0..<1_000 {
                if step == 3 { call.interpreter.interrupt.raise() }  // as Ctrl-C would, from another thread
                try call.checkInterrupt()
            }
            return .null
        }
        let interpreter = Interpreter(registry: registry)
        XCTAssertThrowsError(try interpreter.run(source: "x = 1\ntrain")) { error in
            XCTAssertEqual((error as? ScriptFailure)?.kind, .interrupted)
            XCTAssertEqual((error as? ScriptFailure)?.errors.first?.shortDescription, "2:1: train: interrupted")
        }
        XCTAssertFalse(interpreter.interrupt.isRaised, "checking lowers the flag")
    }

    func testHostCanCallScriptFunctions() throws {
        let (interpreter, _) = makeInterpreter()
        try interpreter.run(source: "def scale(x, by=2) { return x * by }")
        guard let f = interpreter.globals.lookup("scale") else { return XCTFail("scale not defined") }
        let here = SourceLocation(file: "host", line: 1, column: 1)
        let result = try interpreter.call(f, [EvaluatedArgument(value: .number(3), location: here),
                                              EvaluatedArgument(name: "by", value: .number(5), location: here)], at: here)
        XCTAssertEqual(result, .number(15))
    }
}
