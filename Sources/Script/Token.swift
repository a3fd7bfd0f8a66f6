/// The kinds of token the `Lexer` produces.
public enum TokenKind: Sendable, Hashable {
    case identifier(String)
    case number(Double)
    case string(String)
    // Keywords.
    case kwAnd, kwOr, kwNot, kwIf, kwElse, kwFor, kwIn, kwWhile, kwDef, kwReturn, kwBreak, kwContinue
    case kwTrue, kwFalse, kwNone
    // Punctuation and operators.
    case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
    case comma, dot, colon, semicolon
    case assign, equal, notEqual, less, lessEqual, greater, greaterEqual
    case plus, minus, star, slash, percent
    /// A line break outside any bracket (the parser decides whether it ends a statement).
    case newline
    case eof

    static let keywords: [String: TokenKind] = [
        "and": .kwAnd, "or": .kwOr, "not": .kwNot, "if": .kwIf, "else": .kwElse,
        "for": .kwFor, "in": .kwIn, "while": .kwWhile, "def": .kwDef, "return": .kwReturn,
        "break": .kwBreak, "continue": .kwContinue,
        "true": .kwTrue, "false": .kwFalse, "none": .kwNone,
    ]

    /// How the token is named in error messages.
    public var display: String {
        switch self {
        case .identifier(let name): return "name '\(name)'"
        case .number: return "number"
        case .string: return "string"
        case .newline: return "end of line"
        case .eof: return "end of input"
        default:
            if let word = TokenKind.keywords.first(where: { $0.value == self })?.key { return "'\(word)'" }
            return "'\(symbol)'"
        }
    }

    var symbol: String {
        switch self {
        case .leftParen: return "("
        case .rightParen: return ")"
        case .leftBracket: return "["
        case .rightBracket: return "]"
        case .leftBrace: return "{"
        case .rightBrace: return "}"
        case .comma: return ","
        case .dot: return "."
        case .colon: return ":"
        case .semicolon: return ";"
        case .assign: return "="
        case .equal: return "=="
        case .notEqual: return "!="
        case .less: return "<"
        case .lessEqual: return "<="
        case .greater: return ">"
        case .greaterEqual: return ">="
        case .plus: return "+"
        case .minus: return "-"
        case .star: return "*"
        case .slash: return "/"
        case .percent: return "%"
        default: return ""
        }
    }
}

/// One lexical token with its place in the source.
public struct Token: Sendable, Equatable {
    public var kind: TokenKind
    public var location: SourceLocation
    /// True when whitespace, a comment or a line start comes right before the token.
    /// The command-form rule (see `Parser`) depends on it: `f -1` versus `f - 1`.
    public var spaceBefore: Bool

    public init(kind: TokenKind, location: SourceLocation, spaceBefore: Bool) {
        self.kind = kind
        self.location = location
        self.spaceBefore = spaceBefore
    }
}
