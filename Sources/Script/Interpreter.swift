import Foundation

/// Runs mtl programs by walking their syntax tree.
///
/// One interpreter holds one session's global scope, so a REPL calls `run` once per input and
/// definitions persist. A script stops at the first runtime error; syntax errors are all
/// reported before anything runs.
public final class Interpreter {
    /// The builtins scripts can call; the Shell registers its commands here.
    public let registry: BuiltinRegistry
    /// The global scope (user variables).
    public let globals = Environment()
    /// Receives what `print`, `help` and `vars` write: one or more lines, without the final newline.
    public var output: (String) -> Void = { print($0) }
    /// `name=value` pairs given on the command line (`mtl run FILE name=value`), read by `arg`.
    public var scriptArguments: [String: String] = [:]
    /// Raised by the host on Ctrl-C; checked in every loop iteration and call.
    public let interrupt: InterruptFlag
    /// Stop with an `interrupted` error after this many evaluation steps (nil: no limit).
    public var maxSteps: Int?
    /// The deepest chain of nested calls allowed.
    public var maxCallDepth = 1000
    /// The longest string or list an operation may build.
    public var maxCollectionSize = 10_000_000
    /// How deeply lists and dicts may nest. Swift frees and compares nested values
    /// recursively, so unbounded nesting (`x = [x]` in a long loop) would overflow the stack.
    public static let maxNesting = 1000

    /// Called after each top-level statement of an outermost `run` completes, with that
    /// statement's source text (from its first character up to the next statement's, trimmed).
    /// The Shell records its transcript here, so a `save` inside a script already holds the
    /// statements before it.
    public var onTopLevelStatement: ((String) -> Void)?

    /// Evaluation steps taken by the current (or last) `run`.
    public private(set) var steps = 0
    private var callDepth = 0
    private var stackLimit: UInt?
    private var sourceLines: [String: [String]] = [:]

    public init(registry: BuiltinRegistry = .standard(), interrupt: InterruptFlag = InterruptFlag()) {
        self.registry = registry
        self.interrupt = interrupt
    }

    // MARK: - Entry points

    /// Parses and runs `source`.
    ///
    /// - Returns: the value of the last statement when it is an expression or command not ended
    ///   by `;` and not `none` (a prompt prints it; a script ignores it), else nil.
    /// - Throws: `ScriptFailure` holding every syntax error, or the first runtime error
    ///   (or an `interrupted` one).
    @discardableResult
    public func run(source: String, file: String = "<input>") throws -> Value? {
        // Split on scalars: as Characters, "\r\n" is one grapheme and would not split at "\n".
        sourceLines[file] = source.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            String(String.UnicodeScalarView(line.last == "\r" ? line.dropLast() : line[...]))
        }
        let (statements, errors) = Parser.parse(source: source, file: file)
        guard errors.isEmpty else { throw ScriptFailure(errors.map(withSource)) }
        let outermost = callDepth == 0
        if outermost {
            steps = 0
            stackLimit = StackGuard.limit()
            _ = interrupt.consume()  // a Ctrl-C pressed while idle must not stop this run
        }
        let slicer = outermost && onTopLevelStatement != nil ? StatementSlicer(source: source) : nil
        do {
            var last: Value?
            for (index, statement) in statements.enumerated() {
                last = nil
                if case .expression(let expression, let silent, _) = statement {
                    let value = try evaluateStatement(expression, globals)
                    if !silent, value != .null { last = value }
                } else {
                    _ = try execute(statement, globals)
                }
                if let slicer, let onTopLevelStatement {
                    let next = index + 1 < statements.count ? statements[index + 1].location : nil
                    onTopLevelStatement(slicer.text(from: statement.location, upTo: next))
                }
            }
            return last
        } catch let error as ScriptError {
            throw ScriptFailure([withSource(error)])
        }
    }

    /// Reads a UTF-8 script file and runs it (see `run(source:file:)`).
    @discardableResult
    public func runFile(atPath path: String) throws -> Value? {
        let source = try Interpreter.readSource(atPath: path)
        return try run(source: source, file: path)
    }

    /// The text of a script file, or a `ScriptFailure` saying why it cannot be read (missing,
    /// or not UTF-8, with the line of the first bad byte).
    public static func readSource(atPath path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScriptFailure([ScriptError(.runtime, "cannot read script '\(path)': no such file or not readable")])
        }
        return try decodeSource([UInt8](data), file: path, advice: "; save it as UTF-8")
    }

    /// Script text from raw bytes (a byte-order mark dropped), or a `ScriptFailure` naming the
    /// first bad byte: its value, byte offset, line and column (`file:line:col`).
    public static func decodeSource(_ data: [UInt8], file: String, advice: String = "") throws -> String {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let (offset, line, column) = firstInvalidUTF8(bytes)
        let what = file.hasPrefix("<") ? "input" : "file"
        throw ScriptFailure([ScriptError(.syntax, "\(what) is not valid UTF-8 text (bad byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) at byte offset \(offset))\(advice)",
                                         at: SourceLocation(file: file, line: line, column: column))])
    }

    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> (offset: Int, line: Int, column: Int) {
        var offset = 0, line = 1, column = 1
        while offset < bytes.count {
            let b = bytes[offset]
            let length: Int
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return (offset, line, column)
            }
            guard offset + length <= bytes.count,
                  String(validating: bytes[offset..<offset + length], as: UTF8.self) != nil else {
                return (offset, line, column)
            }
            if b == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            offset += length
        }
        return (min(offset, max(bytes.count - 1, 0)), line, column)
    }

    /// Calls a function or builtin value from host code (e.g. a callback a command received).
    public func call(_ callee: Value, _ arguments: [EvaluatedArgument], at location: SourceLocation) throws -> Value {
        if callDepth == 0, stackLimit == nil { stackLimit = StackGuard.limit() }
        if interrupt.consume() { throw ScriptError(.interrupted, "interrupted", at: location) }
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > maxCallDepth {
            throw ScriptError(.runtime, "recursion too deep (more than \(maxCallDepth) nested calls)", at: location)
        }
        if let stackLimit, StackGuard.currentAddress() < stackLimit {
            throw ScriptError(.runtime, "recursion too deep (the stack is nearly full after \(callDepth - 1) nested calls)", at: location)
        }
        switch callee {
        case .builtin(let builtin): return try callBuiltin(builtin, arguments, at: location)
        case .function(let function): return try callFunction(function, arguments, at: location)
        default: throw ScriptError(.runtime, "\(article(callee.typeName)) is not a function", at: location)
        }
    }

    /// Whether a prompt should read another line before running `source` (see
    /// `Parser.isIncomplete`).
    public static func isIncomplete(_ source: String) -> Bool { Parser.isIncomplete(source) }

    /// The user's global variables in the order they were made.
    public var userVariables: [(name: String, value: Value)] { globals.bindings }

    /// Names completing `prefix`: variables, builtins and keywords; after `a.b.` the attributes
    /// of that object or the keys of that dict (evaluated without calling anything).
    public func completions(for prefix: String) -> [String] {
        if let dot = prefix.lastIndex(of: ".") {
            let path = prefix[..<dot].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            let partial = String(prefix[prefix.index(after: dot)...])
            guard let first = path.first, var value = globals.lookup(first) else { return [] }
            for name in path.dropFirst() {
                guard let next = try? attribute(of: value, name, at: SourceLocation(file: "", line: 0, column: 0)) else { return [] }
                value = next
            }
            let names: [String]
            switch value {
            case .object(let object): names = object.attributeNames
            case .dict(let dict): names = dict.keys
            default: names = []
            }
            let base = String(prefix[...dot])
            return names.filter { $0.hasPrefix(partial) }.sorted().map { base + $0 }
        }
        let names = Set(globals.bindings.map(\.name) + registry.names + TokenKind.keywords.keys)
        return names.filter { $0.hasPrefix(prefix) }.sorted()
    }

    private func withSource(_ error: ScriptError) -> ScriptError {
        var error = error
        if let location = error.location, let lines = sourceLines[location.file],
           location.line >= 1, location.line <= lines.count {
            error.sourceLine = lines[location.line - 1]
        }
        return error
    }

    // MARK: - Statements

    private enum Flow {
        case normal, breakLoop, continueLoop
        case returned(Value)
    }

    private func tick(_ location: SourceLocation) throws {
        steps += 1
        if let maxSteps, steps > maxSteps {
            throw ScriptError(.interrupted, "stopped after \(maxSteps) evaluation steps (the step limit)", at: location)
        }
    }

    private func checkInterrupt(_ location: SourceLocation) throws {
        if interrupt.consume() { throw ScriptError(.interrupted, "interrupted", at: location) }
    }

    private func executeBlock(_ statements: [Statement], _ env: Environment) throws -> Flow {
        for statement in statements {
            let flow = try execute(statement, env)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    private func execute(_ statement: Statement, _ env: Environment) throws -> Flow {
        switch statement {
        case .expression(let expression, _, let location):
            try tick(location)
            _ = try evaluateStatement(expression, env)
            return .normal
        case .assign(let target, let value, let location):
            try tick(location)
            try assign(try evaluate(value, env), to: target, env)
            return .normal
        case .ifElse(let condition, let then, let otherwise, let location):
            try tick(location)
            if try evaluate(condition, env).isTruthy { return try executeBlock(then, env) }
            if let otherwise { return try executeBlock(otherwise, env) }
            return .normal
        case .forIn(let variable, let sequence, let body, _):
            return try executeFor(variable, sequence, body, env)
        case .whileLoop(let condition, let body, let location):
            while try evaluate(condition, env).isTruthy {
                try checkInterrupt(location)
                try tick(location)
                switch try executeBlock(body, env) {
                case .breakLoop: return .normal
                case .returned(let value): return .returned(value)
                case .normal, .continueLoop: continue
                }
            }
            return .normal
        case .function(let declaration, let location):
            try tick(location)
            env.define(declaration.name, .function(UserFunction(declaration: declaration, closure: env)))
            return .normal
        case .returnValue(let expression, let location):
            try tick(location)
            return .returned(try expression.map { try evaluate($0, env) } ?? .null)
        case .breakLoop: return .breakLoop
        case .continueLoop: return .continueLoop
        }
    }

    private func executeFor(_ variable: String, _ sequence: Expression, _ body: [Statement], _ env: Environment) throws -> Flow {
        let location = sequence.startLocation
        let items = try elements(of: try evaluate(sequence, env), at: location)
        for item in items {
            try checkInterrupt(location)
            try tick(location)
            env.assign(variable, item)
            switch try executeBlock(body, env) {
            case .breakLoop: return .normal
            case .returned(let value): return .returned(value)
            case .normal, .continueLoop: continue
            }
        }
        return .normal
    }

    /// An expression statement: like `evaluate`, except that a bare name holding a function
    /// that needs no arguments is called (`help`, `vars`, a `def f()` typed alone).
    private func evaluateStatement(_ expression: Expression, _ env: Environment) throws -> Value {
        let value = try evaluate(expression, env)
        guard case .variable(_, let location) = expression else { return value }
        switch value {
        case .builtin(let builtin) where builtin.takesNoRequiredArguments:
            return try call(value, [], at: location)
        case .function(let function) where function.declaration.parameters.allSatisfy({ $0.defaultValue != nil }):
            return try call(value, [], at: location)
        default:
            return value
        }
    }

    // MARK: - Assignment

    /// Refuses to put `value` into a container when that would nest too deeply (see `maxNesting`).
    private func checkNesting(_ value: Value, at location: SourceLocation) throws {
        switch value {
        case .list(let items) where !items.isEmpty: break
        case .dict(let dict) where !dict.isEmpty: break
        default: return
        }
        if value.nestingDepth(limit: Interpreter.maxNesting) >= Interpreter.maxNesting {
            throw ScriptError(.runtime, "lists and dicts may nest at most \(Interpreter.maxNesting) deep", at: location)
        }
    }

    private func assign(_ value: Value, to target: Expression, _ env: Environment) throws {
        if case .variable = target {} else { try checkNesting(value, at: target.startLocation) }
        switch target {
        case .variable(let name, _):
            env.assign(name, value)
        case .attribute(let baseExpression, let name, let location):
            let base = try evaluate(baseExpression, env)
            switch base {
            case .object(let object):
                try host(location) { try object.setAttribute(name, to: value) }
            case .dict(var dict):
                dict[name] = value
                try assign(.dict(dict), to: baseExpression, env)
            default:
                throw ScriptError(.runtime, "cannot set attribute '\(name)' of \(article(base.typeName))", at: location)
            }
        case .index(let baseExpression, let indexExpression, let location):
            let base = try evaluate(baseExpression, env)
            let key = try evaluate(indexExpression, env)
            switch base {
            case .list(var items):
                items[try position(key, count: items.count, at: location)] = value
                try assign(.list(items), to: baseExpression, env)
            case .dict(var dict):
                guard case .string(let name) = key else {
                    throw ScriptError(.runtime, "dict keys are strings, got \(key.typeName)", at: location)
                }
                dict[name] = value
                try assign(.dict(dict), to: baseExpression, env)
            case .object(let object):
                try host(location) { try object.setElement(at: key, to: value) }
            default:
                throw ScriptError(.runtime, "cannot assign to an element of \(article(base.typeName))", at: location)
            }
        default:
            throw ScriptError(.runtime, "cannot assign into the result of an expression; store it in a variable first", at: target.startLocation)
        }
    }

    // MARK: - Expressions

    func evaluate(_ expression: Expression, _ env: Environment) throws -> Value {
        try tick(expression.location)
        switch expression {
        case .number(let n, _): return .number(n)
        case .string(let s, _): return .string(s)
        case .bool(let b, _): return .bool(b)
        case .null: return .null
        case .variable(let name, let location): return try lookup(name, env, at: location)
        case .list(let items, _): return try evaluateList(items, env)
        case .dict(let entries, _): return try evaluateDict(entries, env)
        case .unary(let op, let operand, let location):
            return try unary(op, try evaluate(operand, env), at: location)
        case .binary(let left, let op, let right, let location):
            let a = try evaluate(left, env)
            let b = try evaluate(right, env)
            return try binary(op, a, b, at: location)
        case .logical(let left, let op, let right, _):
            // Like Python: the operand that decided the result (`x or "default"`).
            let a = try evaluate(left, env)
            switch op {
            case .and: return a.isTruthy ? try evaluate(right, env) : a
            case .or: return a.isTruthy ? a : try evaluate(right, env)
            }
        case .call(let callee, let arguments, let command, let location):
            return try evaluateCall(callee, arguments, command: command, env, at: location)
        case .index(let base, let key, let location):
            return try element(of: try evaluate(base, env), try evaluate(key, env), at: location)
        case .slice(let base, let lower, let upper, let location):
            return try evaluateSlice(base, lower, upper, env, at: location)
        case .attribute(let base, let name, let location):
            return try attribute(of: try evaluate(base, env), name, at: location)
        }
    }

    private func lookup(_ name: String, _ env: Environment, at location: SourceLocation) throws -> Value {
        if let value = env.lookup(name) { return value }
        if let builtin = registry.lookup(name) { return .builtin(builtin) }
        var known = registry.names
        var scope: Environment? = env
        while let s = scope {
            known += s.bindings.map(\.name)
            scope = s.enclosing
        }
        var message = "undefined name '\(name)'"
        if let guess = Suggestion.closest(to: name, in: known) { message += " (did you mean '\(guess)'?)" }
        throw ScriptError(.runtime, message, at: location)
    }

    private func evaluateList(_ items: [Expression], _ env: Environment) throws -> Value {
        var values: [Value] = []
        values.reserveCapacity(items.count)
        for item in items {
            let value = try evaluate(item, env)
            try checkNesting(value, at: item.startLocation)
            values.append(value)
        }
        return .list(values)
    }

    private func evaluateDict(_ entries: [DictEntry], _ env: Environment) throws -> Value {
        var dict = ValueDict()
        for entry in entries {
            let key = try evaluate(entry.key, env)
            guard case .string(let name) = key else {
                throw ScriptError(.runtime, "dict keys are strings, got \(key.typeName)", at: entry.key.startLocation)
            }
            let value = try evaluate(entry.value, env)
            try checkNesting(value, at: entry.value.startLocation)
            dict[name] = value
        }
        return .dict(dict)
    }

    private func evaluateCall(_ calleeExpression: Expression, _ arguments: [CallArgument], command: Bool,
                              _ env: Environment, at location: SourceLocation) throws -> Value {
        let callee = try evaluate(calleeExpression, env)
        guard callee.isCallable else {
            var message = "\(article(callee.typeName)) is not a function"
            if case .variable(let name, _) = calleeExpression {
                message = "'\(name)' is \(article(callee.typeName)), not a function"
                if command, let first = arguments.first, case .unary(.negate, let operand, _) = first.value {
                    let shown = operand.sourceSketch
                    message += "; '\(name) -\(shown)' is read as the command \(name)(-\(shown)): write '\(name) - \(shown)' to subtract"
                } else if command {
                    message += "; a name followed by a space and an argument is read as a command call"
                }
            }
            throw ScriptError(.runtime, message, at: location)
        }
        var evaluated: [EvaluatedArgument] = []
        evaluated.reserveCapacity(arguments.count)
        for argument in arguments {
            evaluated.append(EvaluatedArgument(name: argument.name, value: try evaluate(argument.value, env),
                                               location: argument.location))
        }
        return try call(callee, evaluated, at: location)
    }

    private func callBuiltin(_ builtin: Builtin, _ arguments: [EvaluatedArgument], at location: SourceLocation) throws -> Value {
        let binder = ArgumentBinder(function: builtin.name, usage: builtin.signature, slots: builtin.parameters.map {
            ArgumentBinder.Slot(name: $0.name, isRequired: $0.isRequired, isVariadic: $0.isVariadic)
        })
        let (bound, rest) = try binder.bind(arguments, at: location)
        var values: [String: Value] = [:]
        var restValues: [Value] = []
        for parameter in builtin.parameters {
            if parameter.isVariadic {
                for argument in rest {
                    guard parameter.type.accepts(argument.value) else {
                        throw binder.fail("\(builtin.name): each of '\(parameter.name)' must be \(article(parameter.type.name)), got \(argument.value.typeName)", at: argument.location)
                    }
                    restValues.append(argument.value)
                }
            } else if let argument = bound[parameter.name] {
                let noneAllowed = parameter.defaultValue == .null && argument.value == .null
                guard noneAllowed || parameter.type.accepts(argument.value) else {
                    throw binder.fail("\(builtin.name): argument '\(parameter.name)' must be \(article(parameter.type.name)), got \(argument.value.typeName)", at: argument.location)
                }
                values[parameter.name] = argument.value
            } else if let defaultValue = parameter.defaultValue {
                values[parameter.name] = defaultValue
            }
        }
        let invocation = BuiltinCall(name: builtin.name, interpreter: self, location: location, values: values, rest: restValues)
        return try host(location) { try builtin.body(invocation) }
    }

    private func callFunction(_ function: UserFunction, _ arguments: [EvaluatedArgument], at location: SourceLocation) throws -> Value {
        let declaration = function.declaration
        let binder = ArgumentBinder(function: declaration.name, usage: function.signature, slots: declaration.parameters.map {
            ArgumentBinder.Slot(name: $0.name, isRequired: $0.defaultValue == nil, isVariadic: false)
        })
        let (bound, _) = try binder.bind(arguments, at: location)
        let scope = Environment(enclosing: function.closure)
        for parameter in declaration.parameters {
            if let argument = bound[parameter.name] {
                scope.define(parameter.name, argument.value)
            } else if let defaultValue = parameter.defaultValue {
                // Defaults are evaluated at each call, in the new scope (they may use earlier parameters).
                scope.define(parameter.name, try evaluate(defaultValue, scope))
            }
        }
        if case .returned(let value) = try executeBlock(declaration.body, scope) { return value }
        return .null
    }

    /// Runs host code (a builtin body, a host object method), giving its errors a location.
    private func host<T>(_ location: SourceLocation, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as ScriptError {
            if error.location == nil { error.location = location }
            throw error
        } catch let failure as ScriptFailure {
            throw failure
        } catch let exit as ScriptExit {
            throw exit
        } catch {
            throw ScriptError(.runtime, String(describing: error), at: location)
        }
    }

    // MARK: - Operators

    private func unary(_ op: UnaryOperator, _ value: Value, at location: SourceLocation) throws -> Value {
        switch op {
        case .not: return .bool(!value.isTruthy)
        case .negate:
            guard case .number(let n) = value else {
                throw ScriptError(.runtime, "cannot negate \(article(value.typeName))", at: location)
            }
            return .number(-n)
        }
    }

    private func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, at location: SourceLocation) throws -> Value {
        func fail(_ message: String) -> ScriptError { ScriptError(.runtime, message, at: location) }
        switch op {
        case .equal: return .bool(a == b)
        case .notEqual: return .bool(a != b)
        case .less, .lessEqual, .greater, .greaterEqual:
            let order: Int
            switch (a, b) {
            case (.number(let x), .number(let y)): order = x < y ? -1 : (x > y ? 1 : 0)
            case (.string(let x), .string(let y)): order = x < y ? -1 : (x > y ? 1 : 0)
            default: throw fail("cannot compare \(a.typeName) and \(b.typeName) with '\(op.rawValue)'")
            }
            if case .number(let x) = a, case .number(let y) = b, x.isNaN || y.isNaN { return .bool(false) }
            switch op {
            case .less: return .bool(order < 0)
            case .lessEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case .add:
            switch (a, b) {
            case (.number(let x), .number(let y)): return .number(x + y)
            case (.string(let x), .string(let y)):
                try checkSize(x.utf8.count + y.utf8.count, at: location)
                return .string(x + y)
            case (.list(let x), .list(let y)):
                try checkSize(x.count + y.count, at: location)
                return .list(x + y)
            case (.string, _), (_, .string):
                throw fail("cannot add \(a.typeName) and \(b.typeName); use str(x) to turn a value into text")
            default: throw fail("cannot add \(a.typeName) and \(b.typeName)")
            }
        case .multiply:
            switch (a, b) {
            case (.number(let x), .number(let y)): return .number(x * y)
            case (.string(let s), .number), (.number, .string(let s)):
                let n = try repeatCount(a, b, at: location)
                try checkSize(s.utf8.count.multipliedReportingOverflow(by: n), at: location)
                return .string(String(repeating: s, count: n))
            case (.list(let l), .number), (.number, .list(let l)):
                let n = try repeatCount(a, b, at: location)
                try checkSize(l.count.multipliedReportingOverflow(by: n), at: location)
                return .list(Array([[Value]](repeating: l, count: n).joined()))
            default: throw fail("cannot multiply \(a.typeName) and \(b.typeName)")
            }
        case .subtract, .divide, .remainder:
            guard case .number(let x) = a, case .number(let y) = b else {
                let verb = op == .subtract ? "subtract" : "divide"
                throw fail("cannot \(verb) \(a.typeName) and \(b.typeName) with '\(op.rawValue)'")
            }
            switch op {
            case .subtract: return .number(x - y)
            case .divide:
                if y == 0 { throw fail("division by zero") }
                return .number(x / y)
            default:
                if y == 0 { throw fail("division by zero (in '%')") }
                // Floored, as in Python: the result has the sign of the divisor (-1 % 3 == 2).
                let r = x.truncatingRemainder(dividingBy: y)
                return .number(r != 0 && (r < 0) != (y < 0) ? r + y : r)
            }
        }
    }

    private func repeatCount(_ a: Value, _ b: Value, at location: SourceLocation) throws -> Int {
        let count = a.exactInteger ?? b.exactInteger
        guard let count, count >= 0 else {
            throw ScriptError(.runtime, "can only repeat \(article(a.typeName == "number" ? b.typeName : a.typeName)) a whole, non-negative number of times", at: location)
        }
        return count
    }

    private func checkSize(_ product: (partialValue: Int, overflow: Bool), at location: SourceLocation) throws {
        if product.overflow { throw ScriptError(.runtime, "result too large", at: location) }
        try checkSize(product.partialValue, at: location)
    }

    private func checkSize(_ size: Int, at location: SourceLocation) throws {
        if size > maxCollectionSize {
            throw ScriptError(.runtime, "result too large (\(size) items; the limit is \(maxCollectionSize))", at: location)
        }
    }

    // MARK: - Indexing, slicing, attributes, iteration

    /// The position `key` names in a sequence of `count` items (negative counts from the end).
    private func position(_ key: Value, count: Int, at location: SourceLocation) throws -> Int {
        guard let i = key.exactInteger else {
            throw ScriptError(.runtime, "an index must be a whole number, got \(key.typeName == "number" ? key.repr : key.typeName)", at: location)
        }
        let resolved = i < 0 ? i + count : i
        guard resolved >= 0, resolved < count else {
            throw ScriptError(.runtime, "index \(i) out of range (length \(count))", at: location)
        }
        return resolved
    }

    private func element(of base: Value, _ key: Value, at location: SourceLocation) throws -> Value {
        switch base {
        case .list(let items):
            return items[try position(key, count: items.count, at: location)]
        case .string(let s):
            let characters = Array(s)
            return .string(String(characters[try position(key, count: characters.count, at: location)]))
        case .dict(let dict):
            guard case .string(let name) = key else {
                throw ScriptError(.runtime, "dict keys are strings, got \(key.typeName)", at: location)
            }
            guard let value = dict[name] else { throw missingKey(name, dict, at: location) }
            return value
        case .object(let object):
            return try host(location) { try object.element(at: key) }
        default:
            throw ScriptError(.runtime, "\(article(base.typeName)) cannot be indexed", at: location)
        }
    }

    private func missingKey(_ name: String, _ dict: ValueDict, at location: SourceLocation) -> ScriptError {
        let keys = dict.keys.prefix(10).joined(separator: ", ")
        return ScriptError(.runtime, "no key '\(name)' in dict" + (dict.isEmpty ? " (it is empty)" : " (keys: \(keys)\(dict.count > 10 ? ", …" : ""))"), at: location)
    }

    private func evaluateSlice(_ baseExpression: Expression, _ lowerExpression: Expression?, _ upperExpression: Expression?,
                               _ env: Environment, at location: SourceLocation) throws -> Value {
        let base = try evaluate(baseExpression, env)
        func bound(_ expression: Expression?) throws -> Int? {
            guard let expression else { return nil }
            let value = try evaluate(expression, env)
            if value == .null { return nil }
            guard let i = value.exactInteger else {
                throw ScriptError(.runtime, "slice bounds must be whole numbers, got \(value.typeName == "number" ? value.repr : value.typeName)", at: expression.startLocation)
            }
            return i
        }
        let lower = try bound(lowerExpression)
        let upper = try bound(upperExpression)
        /// Python's clamping: negative bounds count from the end, out-of-range bounds are cut.
        func range(_ count: Int) -> Range<Int> {
            func clamp(_ i: Int?, _ fallback: Int) -> Int {
                guard let i else { return fallback }
                return min(max(i < 0 ? i + count : i, 0), count)
            }
            let from = clamp(lower, 0)
            return from..<max(from, clamp(upper, count))
        }
        switch base {
        case .list(let items): return .list(Array(items[range(items.count)]))
        case .string(let s):
            let characters = Array(s)
            return .string(String(characters[range(characters.count)]))
        case .object(let object):
            return try host(location) { try object.slice(lower: lower, upper: upper) }
        default:
            throw ScriptError(.runtime, "\(article(base.typeName)) cannot be sliced", at: location)
        }
    }

    private func attribute(of base: Value, _ name: String, at location: SourceLocation) throws -> Value {
        switch base {
        case .dict(let dict):
            guard let value = dict[name] else { throw missingKey(name, dict, at: location) }
            return value
        case .object(let object):
            if let value = try host(location, { try object.attribute(name) }) { return value }
            var message = "\(article(object.typeName)) has no attribute '\(name)'"
            if let guess = Suggestion.closest(to: name, in: object.attributeNames) {
                message += " (did you mean '\(guess)'?)"
            } else if !object.attributeNames.isEmpty {
                message += " (it has: \(object.attributeNames.prefix(12).joined(separator: ", ")))"
            }
            throw ScriptError(.runtime, message, at: location)
        default:
            throw ScriptError(.runtime, "\(article(base.typeName)) has no attribute '\(name)'", at: location)
        }
    }

    /// The items `for` walks: list items, string characters, dict keys, host-object elements.
    private func elements(of value: Value, at location: SourceLocation) throws -> [Value] {
        switch value {
        case .list(let items): return items
        case .string(let s): return s.map { .string(String($0)) }
        case .dict(let dict): return dict.keys.map { .string($0) }
        case .object(let object):
            guard let count = object.count else {
                throw ScriptError(.runtime, "cannot loop over \(article(object.typeName))", at: location)
            }
            return try (0..<count).map { i in try host(location) { try object.element(at: .number(Double(i))) } }
        default:
            throw ScriptError(.runtime, "cannot loop over \(article(value.typeName)); use range(n) for numbers", at: location)
        }
    }
}
