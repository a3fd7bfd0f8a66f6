import Foundation

/// A value in the mtl language.
///
/// Lists and dicts are values: assigning one copies it (`b = a; b[0] = 9` leaves `a` alone).
/// Functions, builtins and host objects are references.
public enum Value {
    case number(Double)
    case string(String)
    case bool(Bool)
    /// The `none` literal (named `null` in Swift to keep clear of `Optional.none`).
    case null
    case list([Value])
    case dict(ValueDict)
    /// A function made by `def`, with the scope it closes over.
    case function(UserFunction)
    case builtin(Builtin)
    case object(any HostObject)

    /// The type name `type(x)` returns.
    public var typeName: String {
        switch self {
        case .number: return "number"
        case .string: return "string"
        case .bool: return "bool"
        case .null: return "none"
        case .list: return "list"
        case .dict: return "dict"
        case .function: return "function"
        case .builtin: return "builtin"
        case .object(let object): return object.typeName
        }
    }

    /// Truthiness for `if`, `while`, `and`, `or`, `not`: `false`, `none`, `0`, `""`, `[]` and
    /// `{}` are false; everything else (including every function and host object) is true.
    public var isTruthy: Bool {
        switch self {
        case .bool(let b): return b
        case .null: return false
        case .number(let n): return n != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .dict(let d): return !d.isEmpty
        case .function, .builtin, .object: return true
        }
    }

    /// Whether the value can be called.
    public var isCallable: Bool {
        switch self {
        case .function, .builtin: return true
        default: return false
        }
    }

    /// The integer a number holds exactly, or nil (fractional, too large, NaN, or not a number).
    public var exactInteger: Int? {
        guard case .number(let n) = self, n.isFinite, n == n.rounded(), abs(n) <= 9.0e15 else { return nil }
        return Int(n)
    }

    /// How deeply lists and dicts nest inside this value (0 for a scalar), counting no further
    /// than `limit + 1`.
    public func nestingDepth(limit: Int) -> Int {
        var deepest = 0
        switch self {
        case .list where limit <= 0, .dict where limit <= 0:
            return 1
        case .list(let items):
            for item in items {
                deepest = max(deepest, item.nestingDepth(limit: limit - 1))
                if deepest >= limit { break }
            }
        case .dict(let dict):
            for (_, item) in dict.entries {
                deepest = max(deepest, item.nestingDepth(limit: limit - 1))
                if deepest >= limit { break }
            }
        default:
            return 0
        }
        return deepest + 1
    }

    /// How `print` shows the value: strings bare, everything else as at the prompt.
    public var description: String {
        if case .string(let s) = self { return s }
        return repr
    }

    /// How the prompt shows the value: strings quoted, lists and dicts in literal syntax.
    public var repr: String { repr(depth: 0) }

    private func repr(depth: Int) -> String {
        if depth > 64 { return "…" }
        switch self {
        case .number(let n): return Value.format(n)
        case .string(let s): return Value.quote(s)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "none"
        case .list(let items):
            return "[" + items.map { $0.repr(depth: depth + 1) }.joined(separator: ", ") + "]"
        case .dict(let dict):
            let entries = dict.entries.map { key, value in
                (Value.isPlainName(key) ? key : Value.quote(key)) + ": " + value.repr(depth: depth + 1)
            }
            return "{" + entries.joined(separator: ", ") + "}"
        case .function(let f): return "<function \(f.signature)>"
        case .builtin(let b): return "<builtin \(b.signature)>"
        case .object(let o): return o.summary
        }
    }

    /// Numbers print without a fractional part when they are whole: `3`, `0.5`, `2e-05`.
    public static func format(_ n: Double) -> String {
        if n.isNaN { return "nan" }
        if n.isInfinite { return n < 0 ? "-inf" : "inf" }
        if n == n.rounded(), abs(n) < 1e16 { return String(Int64(n)) }
        return "\(n)"
    }

    /// A string literal that reads back as `s`.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    static func isPlainName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, Lexer.isIdentifierStart(first) else { return false }
        return s.unicodeScalars.allSatisfy(Lexer.isIdentifierPart) && TokenKind.keywords[s] == nil
    }
}

extension Value: Equatable {
    /// Structural equality for numbers, strings, bools, none, lists and dicts; identity for
    /// functions, builtins and host objects. Values of different types are never equal.
    public static func == (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.null, .null): return true
        case (.list(let x), .list(let y)): return x == y
        case (.dict(let x), .dict(let y)): return x == y
        case (.function(let x), .function(let y)): return x === y
        case (.builtin(let x), .builtin(let y)): return x === y
        case (.object(let x), .object(let y)): return x === y
        default: return false
        }
    }
}

/// A function defined with `def`: its declaration and the scope it was defined in.
public final class UserFunction {
    public let declaration: FunctionDeclaration
    let closure: Environment

    init(declaration: FunctionDeclaration, closure: Environment) {
        self.declaration = declaration
        self.closure = closure
    }

    public var name: String { declaration.name }

    /// `name(a, b=1)`.
    public var signature: String {
        let parameters = declaration.parameters.map { p in
            p.defaultValue.map { "\(p.name)=\($0.sourceSketch)" } ?? p.name
        }
        return "\(name)(\(parameters.joined(separator: ", ")))"
    }
}

extension Expression {
    /// A short rendering of a default value for signatures: literals as written, else `…`.
    var sourceSketch: String {
        switch self {
        case .number(let n, _): return Value.format(n)
        case .string(let s, _): return Value.quote(s)
        case .bool(let b, _): return b ? "true" : "false"
        case .null: return "none"
        case .variable(let name, _): return name
        case .unary(.negate, .number(let n, _), _): return Value.format(-n)
        case .list(let items, _) where items.isEmpty: return "[]"
        case .dict(let entries, _) where entries.isEmpty: return "{}"
        default: return "…"
        }
    }
}

/// `noun` with "a" or "an" in front: "a number", "an integer", "an encoder".
func article(_ noun: String) -> String {
    guard let first = noun.lowercased().first else { return noun }
    return ("aeiou".contains(first) ? "an " : "a ") + noun
}
