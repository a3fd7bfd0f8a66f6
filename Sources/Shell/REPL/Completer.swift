import Foundation

/// The candidates for the word before the cursor.
public struct Completion: Equatable, Sendable {
    /// What is being completed; it decides how the line editor finishes a single match.
    public enum Kind: Equatable, Sendable {
        /// Nothing to complete here (inside a comment, after a number, …).
        case none
        /// Commands, variables and language keywords.
        case name
        /// Attribute names after `.`.
        case attribute
        /// A file path inside a string literal.
        case path
    }

    public var kind: Kind
    /// The text just before the cursor that each candidate replaces (may be empty).
    public var word: String
    /// Full replacements for `word`, sorted, without duplicates. Keyword arguments end in `=`,
    /// folders in `/`.
    public var candidates: [String]

    public init(kind: Kind, word: String, candidates: [String]) {
        self.kind = kind
        self.word = word
        self.candidates = candidates
    }

    static let nothing = Completion(kind: .none, word: "", candidates: [])
}

/// Tab completion as a pure function of the text before the cursor and a `CompletionSource`.
///
/// It reads the input with a small scanner of its own rather than the language's lexer,
/// because the line being completed is unfinished by nature (open strings, open brackets).
/// Four cases, tried in this order:
/// 1. inside a string literal: file paths (`dataset "data/tr⇥"`);
/// 2. after `name.`, `name[0].`: attributes of that value;
/// 3. at an argument position of a call (`train(model, ep⇥` or command form `train model ep⇥`):
///    the callee's keyword names as `epochs=`, then the names of case 4;
/// 4. anywhere else: commands, variables and language keywords.
public struct Completer {
    /// Words of the language offered with the names (keywords and literals).
    public static let languageWords = ["and", "break", "continue", "def", "else", "false", "for", "if",
                                       "in", "none", "not", "or", "return", "true", "while"]

    public let source: CompletionSource

    public init(source: CompletionSource) {
        self.source = source
    }

    /// Candidates for the end of `prefix` (the line up to the cursor, possibly several lines
    /// when a block is being typed).
    public func complete(_ prefix: String) -> Completion {
        let text = Array(prefix)
        let scan = Scan(text)
        if scan.inComment { return .nothing }
        if let contentStart = scan.openStringContentStart {
            return completePath(String(text[contentStart...]))
        }

        // The identifier being typed, possibly empty.
        var start = text.count
        while start > 0, Completer.isIdentifierCharacter(text[start - 1]) { start -= 1 }
        let word = String(text[start...])
        // Digits first: a number (`1.5e`), not a name.
        if let first = word.first, !Completer.isIdentifierStart(first) { return .nothing }

        if start > 0, text[start - 1] == "." {
            guard let (base, path) = Completer.accessChain(endingBefore: start - 1, in: text) else {
                return .nothing
            }
            let names = source.attributeNames(of: base, path: path)
            return Completion(kind: .attribute, word: word, candidates: Completer.matching(names, word))
        }

        let names = Completer.matching(source.commandNames() + source.variableNames()
                                       + Completer.languageWords, word)
        var keywords: [String] = []
        if let callee = calleeForKeyword(at: start, in: text, scan: scan) {
            keywords = Completer.matching(source.keywordNames(of: callee), word).map { $0 + "=" }
        }
        return Completion(kind: .name, word: word, candidates: keywords + names)
    }

    // MARK: - Paths

    private func completePath(_ typed: String) -> Completion {
        let slash = typed.lastIndex(of: "/")
        let directoryPart = slash.map { String(typed[...$0]) } ?? ""
        let namePrefix = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        var listed = directoryPart.isEmpty ? "." : directoryPart
        if listed.hasPrefix("~") { listed = (listed as NSString).expandingTildeInPath }
        let showHidden = namePrefix.hasPrefix(".")
        let candidates = source.directoryEntries(atPath: listed)
            .filter { $0.name.hasPrefix(namePrefix) && (showHidden || !$0.name.hasPrefix(".")) }
            .map { directoryPart + $0.name + ($0.isDirectory ? "/" : "") }
        return Completion(kind: .path, word: typed, candidates: Array(Set(candidates)).sorted())
    }

    // MARK: - Keyword arguments

    /// The command or function whose keyword names fit at `start`, if any.
    private func calleeForKeyword(at start: Int, in text: [Character], scan: Scan) -> String? {
        var before = start - 1
        while before >= 0, text[before] == " " || text[before] == "\t" { before -= 1 }

        // Function form: `f(a, ▮` — directly after `(` or `,` of a call.
        if let open = scan.openBrackets.last, open.character == "(" {
            guard let callee = open.callee, before >= 0, text[before] == "(" || text[before] == "," else {
                return nil
            }
            return callee
        }
        // Command form: `[name =] command arg … ▮` at top level of a statement, after a space.
        if let open = scan.openBrackets.last, open.character != "{" { return nil }
        guard start > 0, text[start - 1] == " " || text[start - 1] == "\t" else { return nil }
        // … and after a whole argument, not after an operator (`x = train + ep▮`).
        guard before >= 0, Completer.isIdentifierCharacter(text[before]) || "\")]}".contains(text[before]) else {
            return nil
        }
        var i = scan.statementStart
        func skipBlanks() { while i < text.count, text[i] == " " || text[i] == "\t" { i += 1 } }
        func identifier() -> String? {
            let from = i
            guard i < text.count, Completer.isIdentifierStart(text[i]) else { return nil }
            while i < text.count, Completer.isIdentifierCharacter(text[i]) { i += 1 }
            return String(text[from..<i])
        }
        skipBlanks()
        guard var command = identifier() else { return nil }
        var commandEnd = i
        skipBlanks()
        if i < text.count, text[i] == "=", i + 1 >= text.count || text[i + 1] != "=" {
            i += 1
            skipBlanks()
            guard let assigned = identifier() else { return nil }
            command = assigned
            commandEnd = i
        }
        // The command name must be followed by a blank and end before the word being typed.
        guard commandEnd < start, text[commandEnd] == " " || text[commandEnd] == "\t" else { return nil }
        return source.commandNames().contains(command) ? command : nil
    }

    // MARK: - Attribute chains

    /// Reads `base.a[0]["k"].b` backwards from the `.` at `dot`; nil when it is not such a chain
    /// (a call result, a literal), since completing those would mean running code.
    static func accessChain(endingBefore dot: Int, in text: [Character]) -> (String, [AccessStep])? {
        var steps: [AccessStep] = []
        var i = dot - 1
        while i >= 0 {
            if text[i] == "]" {
                guard let open = text[..<i].lastIndex(of: "[") else { return nil }
                let inside = String(text[(open + 1)..<i]).trimmingCharacters(in: .whitespaces)
                if let number = Int(inside) {
                    steps.append(.index(number))
                } else if inside.count >= 2, inside.first == "\"", inside.last == "\"" {
                    let key = String(inside.dropFirst().dropLast())
                    guard !key.contains("\"") else { return nil }
                    steps.append(.key(key))
                } else {
                    return nil
                }
                i = open - 1
                continue
            }
            var from = i
            while from >= 0, isIdentifierCharacter(text[from]) { from -= 1 }
            guard from < i else { return nil }  // not a name: `).`, `".`
            let name = String(text[(from + 1)...i])
            guard let first = name.first, isIdentifierStart(first) else { return nil }
            if from >= 0, text[from] == "." {
                steps.append(.attribute(name))
                i = from - 1
                continue
            }
            return (name, steps.reversed())
        }
        return nil
    }

    // MARK: - Helpers

    /// The language's identifiers (Script's `Lexer`): `_`, letters (any alphabet), then also
    /// ASCII digits.
    static func isIdentifierStart(_ c: Character) -> Bool {
        guard let scalar = c.unicodeScalars.first else { return false }
        if scalar.isASCII { return c == "_" || c.isLetter }
        return scalar.properties.isAlphabetic
    }

    static func isIdentifierCharacter(_ c: Character) -> Bool {
        isIdentifierStart(c) || ("0"..."9").contains(c)
    }

    static func matching(_ names: [String], _ prefix: String) -> [String] {
        Array(Set(names.filter { $0.hasPrefix(prefix) })).sorted()
    }
}

/// A left-to-right pass over the text before the cursor: open strings, comments and brackets.
private struct Scan {
    struct Open {
        var character: Character
        /// For `(`: the name right before it (`train(` → `train`), unless it follows a `.`.
        var callee: String?
    }

    var openBrackets: [Open] = []
    /// Index of the first character inside the string literal still open at the end, if any.
    var openStringContentStart: Int?
    var inComment = false
    /// Where the statement holding the cursor begins (after `;`, a newline, `{` or `}`).
    var statementStart = 0

    init(_ text: [Character]) {
        var i = 0
        while i < text.count {
            let c = text[i]
            if let _ = openStringContentStart {
                if c == "\\" { i += 2; continue }
                if c == "\"" { openStringContentStart = nil }
                if c == "\n" { openStringContentStart = nil }  // strings do not span lines
                i += 1
                continue
            }
            if inComment {
                if c == "\n" { inComment = false; statementStart = i + 1 }
                i += 1
                continue
            }
            switch c {
            case "\"": openStringContentStart = i + 1
            case "#": inComment = true
            case "(":
                var from = i
                while from > 0, Completer.isIdentifierCharacter(text[from - 1]) { from -= 1 }
                let name = String(text[from..<i])
                let afterDot = from > 0 && text[from - 1] == "."
                let callee = (name.first.map(Completer.isIdentifierStart) ?? false) && !afterDot ? name : nil
                openBrackets.append(Open(character: c, callee: callee))
            case "[", "{":
                openBrackets.append(Open(character: c, callee: nil))
                if c == "{" { statementStart = i + 1 }
            case ")", "]":
                if !openBrackets.isEmpty { openBrackets.removeLast() }
            case "}":
                if !openBrackets.isEmpty { openBrackets.removeLast() }
                statementStart = i + 1
            case ";", "\n":
                if openBrackets.last.map({ $0.character == "{" }) ?? true { statementStart = i + 1 }
            default:
                break
            }
            i += 1
        }
    }
}
