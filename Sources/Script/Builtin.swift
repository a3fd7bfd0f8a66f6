/// The type a builtin parameter accepts; arguments are checked against it before the body runs.
public indirect enum ParameterType: Sendable, Equatable {
    case any
    case number
    /// A number holding a whole value.
    case integer
    case string
    case bool
    case list
    case dict
    /// A `def` function or a builtin.
    case callable
    /// A host object whose `typeName` is the given name ("encoder", "model").
    case object(String)
    case oneOf([ParameterType])

    /// The name used in messages and help: "number", "string or list".
    public var name: String {
        switch self {
        case .any: return "any value"
        case .number: return "number"
        case .integer: return "integer"
        case .string: return "string"
        case .bool: return "bool"
        case .list: return "list"
        case .dict: return "dict"
        case .callable: return "function"
        case .object(let typeName): return typeName
        case .oneOf(let types): return types.map(\.name).joined(separator: " or ")
        }
    }

    /// Whether `value` is of this type.
    public func accepts(_ value: Value) -> Bool {
        switch (self, value) {
        case (.any, _), (.number, .number), (.string, .string), (.bool, .bool), (.list, .list), (.dict, .dict):
            return true
        case (.integer, _): return value.exactInteger != nil
        case (.callable, _): return value.isCallable
        case (.object(let typeName), .object(let object)): return object.typeName == typeName
        case (.oneOf(let types), _): return types.contains { $0.accepts(value) }
        default: return false
        }
    }
}

/// One parameter of a builtin.
public struct Parameter {
    public var name: String
    public var type: ParameterType
    /// The value used when the argument is omitted; nil makes the parameter required.
    /// A default of `.null` also lets callers pass `none` explicitly.
    public var defaultValue: Value?
    /// Collects all remaining positional arguments (`print(values...)`). Parameters after a
    /// variadic one can only be passed by keyword.
    public var isVariadic: Bool
    /// What the parameter means, for `help`.
    public var summary: String

    public init(_ name: String, _ type: ParameterType = .any, default defaultValue: Value? = nil,
                variadic: Bool = false, summary: String = "") {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.isVariadic = variadic
        self.summary = summary
    }

    var isRequired: Bool { defaultValue == nil && !isVariadic }

    /// `name`, `name=default` or `name...`.
    var signature: String {
        if isVariadic { return "\(name)..." }
        if let defaultValue { return "\(name)=\(defaultValue.repr)" }
        return name
    }
}

/// The checked arguments a builtin body receives, with the interpreter that called it.
public struct BuiltinCall {
    public let name: String
    /// The interpreter running the call (for output, calling back into functions, variables).
    public let interpreter: Interpreter
    /// Where the call is in the source.
    public let location: SourceLocation
    let values: [String: Value]
    /// The arguments gathered by a variadic parameter, in order.
    public let rest: [Value]

    /// The argument for parameter `name` (its default when omitted; `.null` if none at all).
    public subscript(_ name: String) -> Value { values[name] ?? .null }

    /// Whether the caller passed a non-none value for `name`.
    public func has(_ name: String) -> Bool {
        if case .null = self[name] { return false }
        return true
    }

    public func number(_ name: String) throws -> Double {
        guard case .number(let n) = self[name] else { throw mismatch(name, "number") }
        return n
    }

    public func integer(_ name: String) throws -> Int {
        guard let n = self[name].exactInteger else { throw mismatch(name, "integer") }
        return n
    }

    public func string(_ name: String) throws -> String {
        guard case .string(let s) = self[name] else { throw mismatch(name, "string") }
        return s
    }

    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let b) = self[name] else { throw mismatch(name, "bool") }
        return b
    }

    public func list(_ name: String) throws -> [Value] {
        guard case .list(let l) = self[name] else { throw mismatch(name, "list") }
        return l
    }

    public func dict(_ name: String) throws -> ValueDict {
        guard case .dict(let d) = self[name] else { throw mismatch(name, "dict") }
        return d
    }

    /// The host object passed for `name`, as the Swift type the host expects.
    public func object<T: HostObject>(_ name: String, as type: T.Type) throws -> T {
        guard case .object(let o) = self[name], let typed = o as? T else {
            throw mismatch(name, String(describing: T.self))
        }
        return typed
    }

    /// Throws the `interrupted` error if the host's interrupt flag is raised (lowering it).
    /// Long-running commands (training loops) call this between steps so Ctrl-C stops them.
    public func checkInterrupt() throws {
        if interpreter.interrupt.consume() {
            throw ScriptError(.interrupted, "\(name): interrupted", at: location)
        }
    }

    private func mismatch(_ parameter: String, _ expected: String) -> ScriptError {
        ScriptError(.runtime, "\(name): argument '\(parameter)' must be \(article(expected)), got \(self[parameter].typeName)", at: location)
    }
}

/// A command or function implemented by the host: its signature, help and body.
///
/// "Help is data": `help`, completion and argument errors all come from this registration.
public final class Builtin {
    public let name: String
    /// Heading under which `help` lists it ("general", "model", "data"…).
    public let group: String
    public let parameters: [Parameter]
    /// One line for the `help` listing.
    public let summary: String
    /// The longer text `help NAME` shows.
    public let help: String
    /// A snippet that runs (tests run every example of the generic builtins).
    public let example: String
    let body: (BuiltinCall) throws -> Value

    public init(name: String, group: String = "general", parameters: [Parameter], summary: String,
                help: String = "", example: String = "", body: @escaping (BuiltinCall) throws -> Value) {
        self.name = name
        self.group = group
        self.parameters = parameters
        self.summary = summary
        self.help = help
        self.example = example
        self.body = body
    }

    /// `name(a, b, c=1)`, as shown in usage messages.
    public var signature: String {
        "\(name)(\(parameters.map(\.signature).joined(separator: ", ")))"
    }

    /// Whether calling it with no arguments is allowed (then a bare `name` statement calls it).
    public var takesNoRequiredArguments: Bool { !parameters.contains(where: \.isRequired) }
}
