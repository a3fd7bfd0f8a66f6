import Script

/// The REPL's engine: entries run in the shell's interpreter as `<prompt>`, values shown as at a
/// prompt (`Value.repr`), errors rendered by Script (`<prompt>:1:5: error: …`, line and caret).
public final class ScriptEngine: REPLEngine {
    private let context: ShellContext
    private var interpreter: Interpreter { context.interpreter }

    public init(context: ShellContext) {
        self.context = context
    }

    public func isIncomplete(_ source: String) -> Bool {
        Parser.isIncomplete(source)
    }

    public func evaluate(_ entry: String) throws -> String? {
        do {
            return try context.run(source: entry, file: "<prompt>").map(\.repr)
        } catch let failure as ScriptFailure where failure.kind == .interrupted {
            // After Ctrl-C a caret under the loop adds nothing; say where it stopped, briefly.
            guard let error = failure.errors.first, error.message == "interrupted" else { throw failure }
            throw REPLMessage(text: "interrupted" + (error.location.map { " at \($0)" } ?? ""))
        }
    }

    public var interruptAction: @Sendable () -> Void {
        let flag = interpreter.interrupt
        return { flag.raise() }
    }

    public func clearInterrupt() {
        _ = interpreter.interrupt.consume()
    }

    public var completionSource: CompletionSource {
        InterpreterCompletionSource(interpreter: interpreter)
    }
}

/// Completion names read from the interpreter: its registry, its globals, and attributes of
/// values reached without calling anything.
struct InterpreterCompletionSource: CompletionSource {
    let interpreter: Interpreter

    func commandNames() -> [String] {
        interpreter.registry.names
    }

    func variableNames() -> [String] {
        interpreter.userVariables.map(\.name)
    }

    func attributeNames(of base: String, path: [AccessStep]) -> [String] {
        guard var value = interpreter.globals.lookup(base) else { return [] }
        for step in path {
            guard let next = InterpreterCompletionSource.step(value, step) else { return [] }
            value = next
        }
        switch value {
        case let .object(object): return object.attributeNames
        case let .dict(dict): return dict.keys
        default: return []
        }
    }

    func keywordNames(of callee: String) -> [String] {
        if let function = interpreter.globals.lookup(callee), case let .function(user) = function {
            return user.declaration.parameters.map(\.name)
        }
        guard let builtin = interpreter.registry.lookup(callee) else { return [] }
        return builtin.parameters.filter { !$0.isVariadic }.map(\.name)
    }

    /// One step of an access chain, or nil when it does not apply (never throws, never calls).
    private static func step(_ value: Value, _ step: AccessStep) -> Value? {
        switch (value, step) {
        case let (.object(object), .attribute(name)): return (try? object.attribute(name)) ?? nil
        case let (.dict(dict), .attribute(name)): return dict[name]
        case let (.dict(dict), .key(key)): return dict[key]
        case let (.object(object), .key(key)): return try? object.element(at: .string(key))
        case let (.list(items), .index(index)):
            let position = index < 0 ? items.count + index : index
            return items.indices.contains(position) ? items[position] : nil
        case let (.object(object), .index(index)): return try? object.element(at: .number(Double(index)))
        default: return nil
        }
    }
}

/// An error the REPL shows as its plain text.
struct REPLMessage: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}
