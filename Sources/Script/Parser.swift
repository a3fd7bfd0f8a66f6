// The mtl grammar (EBNF). Recursive descent: one method per rule below.
//
//   program     = { statement } EOF ;
//   statement   = defStmt | ifStmt | forStmt | whileStmt
//               | ( returnStmt | "break" | "continue" | simpleStmt ) end ;
//   end         = NEWLINE | ";" | EOF | (before) "}" ;
//   block       = "{" { statement } "}" ;                 (* "{" on the header's line *)
//   defStmt     = "def" IDENT "(" [ param { "," param } [ "," ] ] ")" block ;
//   param       = IDENT [ "=" expression ] ;
//   ifStmt      = "if" expression block [ "else" ( ifStmt | block ) ] ;
//   forStmt     = "for" IDENT "in" expression block ;
//   whileStmt   = "while" expression block ;
//   returnStmt  = "return" [ expression ] ;
//   simpleStmt  = command | expression [ "=" ( command | expression ) ] ;
//   command     = IDENT cmdArg { cmdArg } ;                 (* only when the command rule holds *)
//   cmdArg      = IDENT "=" cmdValue | cmdValue ;           (* no spaces around "=" *)
//   cmdValue    = "-" cmdValue | primary { cmdPostfix } ;   (* "-" touching its operand *)
//   cmdPostfix  = postfixOp ;                                 (* touching what precedes it *)
//   expression  = or ;
//   or          = and { "or" and } ;
//   and         = not { "and" not } ;
//   not         = "not" not | comparison ;
//   comparison  = sum [ ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) sum ] ;
//   sum         = product { ( "+" | "-" ) product } ;
//   product     = unary { ( "*" | "/" | "%" ) unary } ;
//   unary       = "-" unary | postfix ;
//   postfix     = primary { postfixOp } ;
//   postfixOp   = "(" [ callArg { "," callArg } [ "," ] ] ")"
//               | "[" ( [ expression ] ":" [ expression ] | expression ) "]"
//               | "." IDENT ;
//   callArg     = [ IDENT "=" ] expression ;
//   primary     = NUMBER | STRING | "true" | "false" | "none" | IDENT
//               | "(" expression ")" | list | dict ;
//   list        = "[" [ expression { "," expression } [ "," ] ] "]" ;
//   dict        = "{" [ entry { "," entry } [ "," ] ] "}" ;
//   entry       = expression ":" expression ;                (* a bare IDENT key is a string *)
//
// Inside ( ) [ ] and dict { } line breaks are ignored; elsewhere a line break ends a statement.
//
// The command rule: a statement (or the right side of `target =`) is a command when it starts
// with an IDENT, the next token is on the same line, has whitespace before it, and can start an
// argument: a name, number, string, true/false/none, "(", "[", "{", or a "-" touching the token
// after it. So `f -1` is f(-1), `f - 1` and `f-1` subtract, `f (a)` is f((a)), `a = b` assigns,
// `a == b` compares, `f x y=2` is f(x, y=2). The rule is purely textual: it does not depend on
// what `f` holds when the line runs.

/// Builds the syntax tree from tokens, reporting every syntax error (it resynchronises at the
/// next statement after each one).
public struct Parser {
    /// The deepest nesting of brackets, blocks and operator chains accepted; deeper input gets an
    /// error instead of exhausting the stack.
    public static let maxDepth = 200
    /// Syntax errors reported before the parser gives up.
    public static let maxErrors = 50

    private let tokens: [Token]
    private var current = 0
    private var depth = 0
    private var ignoreNewlines = 0
    private var loopDepth = 0
    private var functionDepth = 0
    private let stackLimit = StackGuard.limit()
    private(set) var errors: [ScriptError] = []

    init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// Parses a whole source: the statements and all lexical and syntax errors, in source order.
    public static func parse(source: String, file: String = "<input>") -> (statements: [Statement], errors: [ScriptError]) {
        let (tokens, lexErrors) = Lexer.tokenize(source, file: file)
        var parser = Parser(tokens: tokens)
        let statements = parser.program()
        // A line the lexer already complained about gets no follow-on parser errors.
        let badLines = Set(lexErrors.compactMap { $0.location?.line })
        var errors = lexErrors + parser.errors.filter { !badLines.contains($0.location?.line ?? 0) }
        errors.sort { a, b in
            guard let x = a.location, let y = b.location else { return false }
            return (x.line, x.column) < (y.line, y.column)
        }
        return (statements, errors)
    }

    // MARK: - Token helpers

    /// The current token, skipping line breaks while inside brackets.
    private mutating func peek() -> Token {
        if ignoreNewlines > 0 {
            while tokens[current].kind == .newline { current += 1 }
        }
        return tokens[current]
    }

    /// A token ahead of the current one, without skipping anything.
    private func raw(_ offset: Int) -> Token {
        let i = min(current + offset, tokens.count - 1)
        return tokens[i]
    }

    private mutating func check(_ kind: TokenKind) -> Bool { peek().kind == kind }

    @discardableResult
    private mutating func advance() -> Token {
        let token = peek()
        if token.kind != .eof { current += 1 }
        return token
    }

    private mutating func match(_ kind: TokenKind) -> Token? {
        peek().kind == kind ? advance() : nil
    }

    @discardableResult
    private mutating func consume(_ kind: TokenKind, _ message: String) throws -> Token {
        if check(kind) { return advance() }
        throw error(message + ", found \(peek().kind.display)", at: peek())
    }

    private mutating func identifier(_ message: String) throws -> (String, SourceLocation) {
        let token = peek()
        if case .identifier(let name) = token.kind {
            advance()
            return (name, token.location)
        }
        throw error(message + ", found \(token.kind.display)", at: token)
    }

    private func error(_ message: String, at token: Token) -> ScriptError {
        ScriptError(.syntax, message, at: token.location)
    }

    private func tooDeep(_ token: Token) -> ScriptError {
        error("expression nested too deeply (more than \(Parser.maxDepth) levels)", at: token)
    }

    /// Runs `body` one nesting level deeper, failing cleanly past `maxDepth` (or earlier, if
    /// the thread's stack is small).
    private mutating func nested<T>(_ body: (inout Parser) throws -> T) throws -> T {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth { throw tooDeep(peek()) }
        if let stackLimit, StackGuard.currentAddress() < stackLimit { throw tooDeep(peek()) }
        return try body(&self)
    }

    /// Runs `body` with line breaks ignored (inside brackets). The expressions inside count
    /// the nesting level.
    private mutating func bracketed<T>(_ body: (inout Parser) throws -> T) throws -> T {
        ignoreNewlines += 1
        defer { ignoreNewlines -= 1 }
        return try body(&self)
    }

    private mutating func record(_ error: Error) {
        if let e = error as? ScriptError, errors.count < Parser.maxErrors { errors.append(e) }
    }

    /// Skips to the start of the next statement: past the next line break or `;` outside
    /// braces, or up to the `}` closing the current block.
    private mutating func synchronize() {
        ignoreNewlines = 0
        var braces = 0
        while true {
            let token = tokens[current]
            switch token.kind {
            case .eof: return
            case .newline, .semicolon:
                if braces == 0 {
                    current += 1
                    return
                }
            case .leftBrace: braces += 1
            case .rightBrace:
                if braces == 0 { return }
                braces -= 1
            default: break
            }
            current += 1
        }
    }

    private mutating func skipSeparators() {
        while tokens[current].kind == .newline || tokens[current].kind == .semicolon { current += 1 }
    }

    // MARK: - Statements

    mutating func program() -> [Statement] {
        var statements: [Statement] = []
        while errors.count < Parser.maxErrors {
            skipSeparators()
            if tokens[current].kind == .eof { break }
            do {
                if tokens[current].kind == .rightBrace {
                    throw error("unexpected '}' with no block open", at: tokens[current])
                }
                statements.append(try statement())
            } catch {
                record(error)
                if tokens[current].kind == .rightBrace { current += 1 }
                synchronize()
            }
        }
        return statements
    }

    private mutating func statement() throws -> Statement {
        let token = peek()
        switch token.kind {
        case .kwDef, .kwIf, .kwFor, .kwWhile:
            let compound: Statement
            switch token.kind {
            case .kwDef: compound = try defStatement()
            case .kwIf: compound = try ifStatement()
            case .kwFor: compound = try forStatement()
            default: compound = try whileStatement()
            }
            _ = try end()
            return compound
        case .kwReturn:
            let s = try returnStatement()
            _ = try end()
            return s
        case .kwBreak, .kwContinue:
            advance()
            guard loopDepth > 0 else {
                throw error("'\(token.kind == .kwBreak ? "break" : "continue")' outside a loop", at: token)
            }
            _ = try end()
            return token.kind == .kwBreak ? .breakLoop(token.location) : .continueLoop(token.location)
        case .kwElse:
            throw error("'else' without an 'if' before it", at: token)
        default:
            return try simpleStatement()
        }
    }

    /// The end of a simple statement; returns true for `;` (which silences the prompt echo).
    private mutating func end() throws -> Bool {
        let token = tokens[current]
        switch token.kind {
        case .semicolon:
            current += 1
            return true
        case .newline:
            current += 1
            return false
        case .eof, .rightBrace:
            return false
        default:
            throw error("expected the end of the statement (a new line or ';'), found \(token.kind.display)", at: token)
        }
    }

    private mutating func block(after what: String) throws -> [Statement] {
        let open = tokens[current]
        guard open.kind == .leftBrace else {
            throw error("expected '{' after \(what) (on the same line), found \(open.kind.display)", at: open)
        }
        current += 1
        return try nested { p in
            let saved = p.ignoreNewlines
            p.ignoreNewlines = 0
            defer { p.ignoreNewlines = saved }
            var body: [Statement] = []
            while true {
                p.skipSeparators()
                let token = p.tokens[p.current]
                if token.kind == .rightBrace {
                    p.current += 1
                    return body
                }
                if token.kind == .eof {
                    throw p.error("expected '}' to close the block opened at \(open.location.line):\(open.location.column)", at: token)
                }
                do {
                    body.append(try p.statement())
                } catch {
                    p.record(error)
                    p.synchronize()
                    if p.errors.count >= Parser.maxErrors { return body }
                }
            }
        }
    }

    private mutating func defStatement() throws -> Statement {
        let keyword = advance()
        let (name, _) = try identifier("expected a function name after 'def'")
        try consume(.leftParen, "expected '(' after the function name")
        var parameters: [ParameterDeclaration] = []
        try bracketed { p in
            while !p.check(.rightParen) {
                let (param, location) = try p.identifier("expected a parameter name")
                if parameters.contains(where: { $0.name == param }) {
                    throw ScriptError(.syntax, "parameter '\(param)' appears twice", at: location)
                }
                var defaultValue: Expression?
                if p.match(.assign) != nil {
                    defaultValue = try p.expression()
                } else if parameters.last?.defaultValue != nil {
                    throw ScriptError(.syntax, "parameter '\(param)' needs a default because the one before it has one", at: location)
                }
                parameters.append(ParameterDeclaration(name: param, defaultValue: defaultValue))
                if p.match(.comma) == nil { break }
            }
            try p.consume(.rightParen, "expected ')' after the parameters")
        }
        let savedLoops = loopDepth
        loopDepth = 0
        functionDepth += 1
        defer {
            loopDepth = savedLoops
            functionDepth -= 1
        }
        let body = try block(after: "the parameters of '\(name)'")
        let declaration = FunctionDeclaration(name: name, parameters: parameters, body: body, location: keyword.location)
        return .function(declaration, keyword.location)
    }

    private mutating func ifStatement() throws -> Statement {
        let keyword = advance()
        let condition = try expression()
        let then = try block(after: "the 'if' condition")
        var otherwise: [Statement]?
        // `else` may follow the `}` on the same line or on the next one.
        if tokens[current].kind == .newline, raw(1).kind == .kwElse { current += 1 }
        if tokens[current].kind == .kwElse {
            current += 1
            if tokens[current].kind == .kwIf {
                otherwise = [try nested { try $0.ifStatement() }]
            } else {
                otherwise = try block(after: "'else'")
            }
        }
        return .ifElse(condition: condition, then: then, otherwise: otherwise, keyword.location)
    }

    private mutating func forStatement() throws -> Statement {
        let keyword = advance()
        let (name, _) = try identifier("expected a loop variable after 'for'")
        try consume(.kwIn, "expected 'in' after the loop variable")
        let sequence = try expression()
        loopDepth += 1
        defer { loopDepth -= 1 }
        let body = try block(after: "the 'for' sequence")
        return .forIn(variable: name, sequence: sequence, body: body, keyword.location)
    }

    private mutating func whileStatement() throws -> Statement {
        let keyword = advance()
        let condition = try expression()
        loopDepth += 1
        defer { loopDepth -= 1 }
        let body = try block(after: "the 'while' condition")
        return .whileLoop(condition: condition, body: body, keyword.location)
    }

    private mutating func returnStatement() throws -> Statement {
        let keyword = advance()
        guard functionDepth > 0 else { throw error("'return' outside a function", at: keyword) }
        switch tokens[current].kind {
        case .newline, .semicolon, .eof, .rightBrace:
            return .returnValue(nil, keyword.location)
        default:
            return .returnValue(try expression(), keyword.location)
        }
    }

    private mutating func simpleStatement() throws -> Statement {
        let start = peek()
        if isCommandStart() {
            let command = try self.command()
            return .expression(command, silent: try end(), start.location)
        }
        let expression = try self.expression()
        if match(.assign) != nil {
            try checkAssignable(expression)
            let value = isCommandStart() ? try command() : try self.expression()
            _ = try end()
            return .assign(target: expression, value: value, start.location)
        }
        return .expression(expression, silent: try end(), start.location)
    }

    private func checkAssignable(_ target: Expression) throws {
        switch target {
        case .variable, .attribute, .index: return
        default:
            throw ScriptError(.syntax, "cannot assign to this; the left side of '=' must be a name, an attribute (a.b) or an index (a[i])", at: target.startLocation)
        }
    }

    // MARK: - Command form

    /// Whether a token can begin a command argument; `next` is the token after it.
    private static func canStartArgument(_ token: Token, _ next: Token) -> Bool {
        switch token.kind {
        case .identifier, .number, .string, .kwTrue, .kwFalse, .kwNone, .leftParen, .leftBracket, .leftBrace:
            return true
        case .minus:
            return !next.spaceBefore && next.kind != .newline && next.kind != .eof
        default:
            return false
        }
    }

    /// The command rule (see the grammar comment at the top of this file).
    private func isCommandStart() -> Bool {
        guard ignoreNewlines == 0, case .identifier = tokens[current].kind else { return false }
        let next = raw(1)
        return next.spaceBefore && Parser.canStartArgument(next, raw(2))
    }

    private mutating func command() throws -> Expression {
        let head = advance()
        guard case .identifier(let name) = head.kind else { throw error("expected a command name", at: head) }
        var arguments: [CallArgument] = []
        while true {
            let token = tokens[current]
            switch token.kind {
            case .newline, .semicolon, .eof, .rightBrace:
                return .call(.variable(name, head.location), arguments, command: true, head.location)
            default: break
            }
            guard token.spaceBefore else {
                throw error("expected a space before the next argument of command '\(name)'", at: token)
            }
            if token.kind == .assign {
                throw error("unexpected '=' in the arguments of command '\(name)'; write keyword arguments without spaces: name=value", at: token)
            }
            guard Parser.canStartArgument(token, raw(1)) else {
                throw error("unexpected \(token.kind.display) in the arguments of command '\(name)'; arguments are separated by spaces, so put an expression with operators in parentheses, e.g. \(name) (a + b), or use the call form \(name)(…)", at: token)
            }
            if case .identifier(let keyword) = token.kind, raw(1).kind == .assign, !raw(1).spaceBefore {
                current += 2
                let valueToken = tokens[current]
                guard !valueToken.spaceBefore, Parser.canStartArgument(valueToken, raw(1)) else {
                    throw error("expected a value right after '\(keyword)=' (no spaces in command keyword arguments)", at: valueToken)
                }
                if arguments.contains(where: { $0.name == keyword }) {
                    throw error("argument '\(keyword)' given twice", at: token)
                }
                arguments.append(CallArgument(name: keyword, value: try commandValue(), location: token.location))
            } else {
                arguments.append(CallArgument(name: nil, value: try commandValue(), location: token.location))
            }
        }
    }

    private mutating func commandValue() throws -> Expression {
        if tokens[current].kind == .minus {
            let minus = advance()
            return .unary(.negate, try nested { try $0.commandValue() }, minus.location)
        }
        return try postfix(spaced: false)
    }

    // MARK: - Expressions

    mutating func expression() throws -> Expression {
        try nested { try $0.or() }
    }

    private mutating func or() throws -> Expression {
        var left = try and()
        var chain = 0
        defer { depth -= chain }
        while let op = match(.kwOr) {
            chain += 1
            depth += 1
            if depth > Parser.maxDepth { throw tooDeep(op) }
            left = .logical(left, .or, try and(), op.location)
        }
        return left
    }

    private mutating func and() throws -> Expression {
        var left = try not()
        var chain = 0
        defer { depth -= chain }
        while let op = match(.kwAnd) {
            chain += 1
            depth += 1
            if depth > Parser.maxDepth { throw tooDeep(op) }
            left = .logical(left, .and, try not(), op.location)
        }
        return left
    }

    private mutating func not() throws -> Expression {
        if let op = match(.kwNot) {
            return .unary(.not, try nested { try $0.not() }, op.location)
        }
        return try comparison()
    }

    private static let comparisons: [TokenKind: BinaryOperator] = [
        .equal: .equal, .notEqual: .notEqual, .less: .less, .lessEqual: .lessEqual,
        .greater: .greater, .greaterEqual: .greaterEqual,
    ]

    private mutating func comparison() throws -> Expression {
        let left = try sum()
        guard let op = Parser.comparisons[peek().kind] else { return left }
        let opToken = advance()
        let right = try sum()
        if Parser.comparisons[peek().kind] != nil {
            throw error("comparisons cannot be chained; write a < b and b < c", at: peek())
        }
        return .binary(left, op, right, opToken.location)
    }

    private static let sums: [TokenKind: BinaryOperator] = [.plus: .add, .minus: .subtract]
    private static let products: [TokenKind: BinaryOperator] = [.star: .multiply, .slash: .divide, .percent: .remainder]

    private mutating func sum() throws -> Expression {
        try binaryChain(operators: Parser.sums) { try $0.product() }
    }

    private mutating func product() throws -> Expression {
        try binaryChain(operators: Parser.products) { try $0.unary() }
    }

    /// A left-associative chain; each operator counts one nesting level, since the tree it
    /// builds is as deep as the chain is long.
    private mutating func binaryChain(operators: [TokenKind: BinaryOperator],
                                      operand: (inout Parser) throws -> Expression) throws -> Expression {
        var left = try operand(&self)
        var chain = 0
        defer { depth -= chain }
        while let op = operators[peek().kind] {
            let opToken = advance()
            chain += 1
            depth += 1
            if depth > Parser.maxDepth { throw tooDeep(opToken) }
            left = .binary(left, op, try operand(&self), opToken.location)
        }
        return left
    }

    private mutating func unary() throws -> Expression {
        if let op = match(.minus) {
            return .unary(.negate, try nested { try $0.unary() }, op.location)
        }
        return try postfix(spaced: true)
    }

    /// A primary followed by calls, indexes and attributes. In command arguments (`spaced`
    /// false) a postfix operator must touch what precedes it: `f a [1]` has two arguments.
    private mutating func postfix(spaced: Bool) throws -> Expression {
        var expression = try primary()
        var chain = 0
        defer { depth -= chain }
        while true {
            let token = peek()
            guard token.kind == .leftParen || token.kind == .leftBracket || token.kind == .dot else { break }
            if !spaced && token.spaceBefore { break }
            chain += 1
            depth += 1
            if depth > Parser.maxDepth { throw tooDeep(token) }
            advance()
            switch token.kind {
            case .leftParen:
                expression = .call(expression, try callArguments(), command: false, expression.startLocation)
            case .leftBracket:
                expression = try subscriptOf(expression, bracket: token)
            default:
                let (name, location) = try identifier("expected an attribute name after '.'")
                expression = .attribute(expression, name, location)
            }
        }
        return expression
    }

    private mutating func callArguments() throws -> [CallArgument] {
        try bracketed { p in
            var arguments: [CallArgument] = []
            while !p.check(.rightParen) {
                let start = p.peek()
                let value = try p.expression()
                if case .variable(let name, _) = value, p.match(.assign) != nil {
                    if arguments.contains(where: { $0.name == name }) {
                        throw p.error("argument '\(name)' given twice", at: start)
                    }
                    arguments.append(CallArgument(name: name, value: try p.expression(), location: start.location))
                } else {
                    if arguments.last?.name != nil {
                        throw p.error("a positional argument cannot follow a keyword argument", at: start)
                    }
                    arguments.append(CallArgument(name: nil, value: value, location: start.location))
                }
                if p.match(.comma) == nil { break }
            }
            try p.consume(.rightParen, "expected ')' after the arguments")
            return arguments
        }
    }

    private mutating func subscriptOf(_ base: Expression, bracket: Token) throws -> Expression {
        try bracketed { p in
            var lower: Expression?
            if !p.check(.colon) {
                lower = try p.expression()
                if p.match(.rightBracket) != nil, let lower {
                    return .index(base, lower, bracket.location)
                }
            }
            try p.consume(.colon, "expected ']' or ':' in the subscript")
            var upper: Expression?
            if !p.check(.rightBracket) { upper = try p.expression() }
            try p.consume(.rightBracket, "expected ']' after the slice")
            return .slice(base, lower, upper, bracket.location)
        }
    }

    private mutating func primary() throws -> Expression {
        let token = peek()
        switch token.kind {
        case .number(let value):
            advance()
            return .number(value, token.location)
        case .string(let text):
            advance()
            return .string(text, token.location)
        case .kwTrue:
            advance()
            return .bool(true, token.location)
        case .kwFalse:
            advance()
            return .bool(false, token.location)
        case .kwNone:
            advance()
            return .null(token.location)
        case .identifier(let name):
            advance()
            return .variable(name, token.location)
        case .leftParen:
            advance()
            return try bracketed { p in
                let inner = try p.expression()
                try p.consume(.rightParen, "expected ')' to close the '(' at \(token.location.line):\(token.location.column)")
                return inner
            }
        case .leftBracket:
            advance()
            return try bracketed { p in
                var items: [Expression] = []
                while !p.check(.rightBracket) {
                    items.append(try p.expression())
                    if p.match(.comma) == nil { break }
                }
                try p.consume(.rightBracket, "expected ']' to close the list opened at \(token.location.line):\(token.location.column)")
                return .list(items, token.location)
            }
        case .leftBrace:
            advance()
            return try bracketed { p in
                var entries: [DictEntry] = []
                while !p.check(.rightBrace) {
                    var key = try p.expression()
                    if case .variable(let name, let location) = key { key = .string(name, location) }
                    try p.consume(.colon, "expected ':' after the dict key")
                    entries.append(DictEntry(key: key, value: try p.expression()))
                    if p.match(.comma) == nil { break }
                }
                try p.consume(.rightBrace, "expected '}' to close the dict opened at \(token.location.line):\(token.location.column)")
                return .dict(entries, token.location)
            }
        default:
            throw error("expected an expression, found \(token.kind.display)", at: token)
        }
    }
}

extension Parser {
    /// Whether `source` is unfinished, so a prompt should read a continuation line: a bracket,
    /// brace or parenthesis is still open, or a block header (`if x`, `else`, `def f()`) waits
    /// for its `{`. Input with a lexical error (e.g. an unterminated string) is not incomplete:
    /// more lines cannot fix it, so the error should be shown.
    public static func isIncomplete(_ source: String) -> Bool {
        let (tokens, lexErrors) = Lexer.tokenize(source)
        guard lexErrors.isEmpty else { return false }
        var open = 0
        for token in tokens {
            switch token.kind {
            case .leftParen, .leftBracket, .leftBrace: open += 1
            case .rightParen, .rightBracket, .rightBrace:
                open -= 1
                if open < 0 { return false }
            default: break
            }
        }
        if open > 0 { return true }
        // The header's `{` is missing only if the error sits after the last real token.
        guard let last = tokens.last(where: { $0.kind != .newline && $0.kind != .eof })?.location else { return false }
        let (_, errors) = parse(source: source)
        return errors.contains { error in
            guard let at = error.location, error.message.hasPrefix("expected '{'") else { return false }
            return (at.line, at.column) > (last.line, last.column)
        }
    }
}
