/// The syntax tree the `Parser` builds and the `Interpreter` walks.

public enum UnaryOperator: String, Sendable {
    case negate = "-"
    case not = "not"
}

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
}

public enum LogicalOperator: String, Sendable {
    case and, or
}

/// One argument of a call: positional (`name == nil`) or keyword (`name=value`).
public struct CallArgument: Sendable {
    public var name: String?
    public var value: Expression
    public var location: SourceLocation
}

/// A key and value of a dict literal; a bare identifier key is already a `.string`.
public struct DictEntry: Sendable {
    public var key: Expression
    public var value: Expression
}

/// An expression; the location is where an error about it should point.
public indirect enum Expression: Sendable {
    case number(Double, SourceLocation)
    case string(String, SourceLocation)
    case bool(Bool, SourceLocation)
    case null(SourceLocation)
    case variable(String, SourceLocation)
    case list([Expression], SourceLocation)
    case dict([DictEntry], SourceLocation)
    /// Location of the operator.
    case unary(UnaryOperator, Expression, SourceLocation)
    /// Location of the operator.
    case binary(Expression, BinaryOperator, Expression, SourceLocation)
    case logical(Expression, LogicalOperator, Expression, SourceLocation)
    /// Location of the callee's first token; `command` is true for the command form.
    case call(Expression, [CallArgument], command: Bool, SourceLocation)
    /// Location of the `[`.
    case index(Expression, Expression, SourceLocation)
    case slice(Expression, Expression?, Expression?, SourceLocation)
    /// Location of the attribute name.
    case attribute(Expression, String, SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .number(_, let l), .string(_, let l), .bool(_, let l), .null(let l), .variable(_, let l),
             .list(_, let l), .dict(_, let l), .unary(_, _, let l), .binary(_, _, _, let l),
             .logical(_, _, _, let l), .call(_, _, _, let l), .index(_, _, let l), .slice(_, _, _, let l),
             .attribute(_, _, let l):
            return l
        }
    }

    /// Where the expression starts in the source (for pointing at a whole operand).
    public var startLocation: SourceLocation {
        switch self {
        case .binary(let left, _, _, _), .logical(let left, _, _, _): return left.startLocation
        case .call(let callee, _, _, _), .index(let callee, _, _), .slice(let callee, _, _, _),
             .attribute(let callee, _, _):
            return callee.startLocation
        default: return location
        }
    }
}

/// A parameter of a `def`: a name and an optional default expression (evaluated at each call).
public struct ParameterDeclaration: Sendable {
    public var name: String
    public var defaultValue: Expression?
}

/// A `def`: shared by every closure made from it.
public final class FunctionDeclaration: Sendable {
    public let name: String
    public let parameters: [ParameterDeclaration]
    public let body: [Statement]
    public let location: SourceLocation

    init(name: String, parameters: [ParameterDeclaration], body: [Statement], location: SourceLocation) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.location = location
    }
}

/// A statement; the location is its first token.
public indirect enum Statement: Sendable {
    /// An expression or command; `silent` when a `;` ends it (nothing is echoed at the prompt).
    case expression(Expression, silent: Bool, SourceLocation)
    /// `target = value`; target is a variable, attribute or index expression.
    case assign(target: Expression, value: Expression, SourceLocation)
    case ifElse(condition: Expression, then: [Statement], otherwise: [Statement]?, SourceLocation)
    case forIn(variable: String, sequence: Expression, body: [Statement], SourceLocation)
    case whileLoop(condition: Expression, body: [Statement], SourceLocation)
    case function(FunctionDeclaration, SourceLocation)
    case returnValue(Expression?, SourceLocation)
    case breakLoop(SourceLocation)
    case continueLoop(SourceLocation)
}
