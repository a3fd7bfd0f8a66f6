/// Turns source text into tokens, collecting every lexical error instead of stopping at the first.
///
/// Works on Unicode scalars; `column` counts scalars (see `SourceLocation`). Line breaks become
/// `.newline` tokens (consecutive ones collapse into one); the parser ignores them inside
/// brackets. Strings end on the same line they start.
public struct Lexer {
    private let scalars: [Unicode.Scalar]
    private let file: String
    private var index = 0
    private var line = 1
    private var column = 1
    private var spaceBefore = true
    private(set) var tokens: [Token] = []
    private(set) var errors: [ScriptError] = []

    public init(source: String, file: String) {
        self.scalars = Array(source.unicodeScalars)
        self.file = file
    }

    /// Lexes the whole source: the tokens (always ending in `.eof`) and the lexical errors.
    public static func tokenize(_ source: String, file: String = "<input>") -> (tokens: [Token], errors: [ScriptError]) {
        var lexer = Lexer(source: source, file: file)
        lexer.run()
        return (lexer.tokens, lexer.errors)
    }

    private var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let i = index + offset
        return i < scalars.count ? scalars[i] : nil
    }

    private mutating func advance() -> Unicode.Scalar {
        let c = scalars[index]
        index += 1
        if c == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        return c
    }

    private mutating func emit(_ kind: TokenKind, at location: SourceLocation) {
        if kind == .newline, tokens.last?.kind == .newline || tokens.isEmpty {
            spaceBefore = true
            return
        }
        tokens.append(Token(kind: kind, location: location, spaceBefore: spaceBefore))
        spaceBefore = kind == .newline
    }

    private mutating func error(_ message: String, at location: SourceLocation) {
        errors.append(ScriptError(.syntax, message, at: location))
    }

    mutating func run() {
        while let c = peek() {
            let start = here
            switch c {
            case " ", "\t", "\r":
                _ = advance()
                spaceBefore = true
            case "\n":
                _ = advance()
                emit(.newline, at: start)
            case "#":
                while let d = peek(), d != "\n" { _ = advance() }
                spaceBefore = true
            case "\"":
                lexString(start: start)
            case "0"..."9":
                lexNumber(start: start)
            default:
                if Lexer.isIdentifierStart(c) {
                    lexIdentifier(start: start)
                } else if let kind = lexOperator() {
                    emit(kind, at: start)
                } else {
                    let bad = advance()
                    error("unexpected character '\(Character(bad))' (U+\(String(bad.value, radix: 16, uppercase: true)))", at: start)
                    spaceBefore = true
                }
            }
        }
        emit(.newline, at: here)
        tokens.append(Token(kind: .eof, location: here, spaceBefore: true))
    }

    static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || (c.properties.isAlphabetic && c.value > 0x7F) || ("a"..."z").contains(c) || ("A"..."Z").contains(c)
    }

    static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool {
        isIdentifierStart(c) || ("0"..."9").contains(c)
    }

    private mutating func lexIdentifier(start: SourceLocation) {
        var name = String.UnicodeScalarView()
        while let c = peek(), Lexer.isIdentifierPart(c) { name.append(advance()) }
        let word = String(name)
        emit(TokenKind.keywords[word] ?? .identifier(word), at: start)
    }

    private static func isDigit(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return ("0"..."9").contains(c)
    }

    private mutating func lexNumber(start: SourceLocation) {
        var text = ""
        while Lexer.isDigit(peek()) { text.unicodeScalars.append(advance()) }
        if peek() == ".", Lexer.isDigit(peek(1)) {
            text.unicodeScalars.append(advance())
            while Lexer.isDigit(peek()) { text.unicodeScalars.append(advance()) }
        }
        if peek() == "e" || peek() == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if Lexer.isDigit(peek(signed ? 2 : 1)) {
                text.unicodeScalars.append(advance())
                if signed { text.unicodeScalars.append(advance()) }
                while Lexer.isDigit(peek()) { text.unicodeScalars.append(advance()) }
            }
        }
        guard let value = Double(text), value.isFinite else {
            error("number '\(text.prefix(40))' is too large", at: start)
            emit(.number(0), at: start)
            return
        }
        emit(.number(value), at: start)
    }

    private mutating func lexString(start: SourceLocation) {
        _ = advance()  // opening quote
        var text = String.UnicodeScalarView()
        while true {
            guard let c = peek(), c != "\n" else {
                error("unterminated string; close it with \" on the same line", at: start)
                break
            }
            _ = advance()
            if c == "\"" { break }
            if c == "\\" {
                let escapeStart = SourceLocation(file: file, line: line, column: column - 1)
                guard let e = peek(), e != "\n" else { continue }
                _ = advance()
                switch e {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "\"": text.append("\"")
                case "\\": text.append("\\")
                default:
                    error("unknown escape '\\\(Character(e))' in string; the escapes are \\n \\t \\\" \\\\", at: escapeStart)
                }
            } else {
                text.append(c)
            }
        }
        emit(.string(String(text)), at: start)
    }

    private mutating func lexOperator() -> TokenKind? {
        guard let c = peek() else { return nil }
        let next = peek(1)
        func two(_ kind: TokenKind) -> TokenKind { _ = advance(); _ = advance(); return kind }
        func one(_ kind: TokenKind) -> TokenKind { _ = advance(); return kind }
        switch c {
        case "(": return one(.leftParen)
        case ")": return one(.rightParen)
        case "[": return one(.leftBracket)
        case "]": return one(.rightBracket)
        case "{": return one(.leftBrace)
        case "}": return one(.rightBrace)
        case ",": return one(.comma)
        case ".": return one(.dot)
        case ":": return one(.colon)
        case ";": return one(.semicolon)
        case "+": return one(.plus)
        case "-": return one(.minus)
        case "*": return one(.star)
        case "/": return one(.slash)
        case "%": return one(.percent)
        case "=": return next == "=" ? two(.equal) : one(.assign)
        case "!": return next == "=" ? two(.notEqual) : nil
        case "<": return next == "=" ? two(.lessEqual) : one(.less)
        case ">": return next == "=" ? two(.greaterEqual) : one(.greater)
        default: return nil
        }
    }
}
