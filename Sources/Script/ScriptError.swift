/// What went wrong while reading or running a script.
public enum ScriptErrorKind: String, Sendable {
    /// The text does not follow the grammar (reported before anything runs).
    case syntax
    /// Evaluation failed; the script stops at the first one.
    case runtime
    /// The host asked the interpreter to stop (Ctrl-C) or the step limit ran out.
    case interrupted
}

/// One error with the place it names.
///
/// `description` renders it as `file:line:col: error: message`, then the source line and a
/// caret under the column (when the source line is known).
public struct ScriptError: Error, Sendable, CustomStringConvertible, Equatable {
    public var kind: ScriptErrorKind
    public var message: String
    public var location: SourceLocation?
    /// The text of the line `location` points into, filled in by the interpreter for rendering.
    public var sourceLine: String?

    public init(_ kind: ScriptErrorKind, _ message: String, at location: SourceLocation? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    /// A runtime error without a location yet; the interpreter adds the location of the call.
    /// Host code (builtins, host objects) throws these.
    public static func runtime(_ message: String) -> ScriptError {
        ScriptError(.runtime, message)
    }

    /// `line:col: message` (or just the message), the form golden tests compare.
    public var shortDescription: String {
        guard let location else { return message }
        return "\(location.line):\(location.column): \(message)"
    }

    public var description: String {
        let label = kind == .interrupted ? "interrupted" : "error"
        guard let location else { return "error: \(message)" }
        // An interruption's message is often just "interrupted": don't say it twice.
        var text = message == label ? "\(location): \(label)" : "\(location): \(label): \(message)"
        if let sourceLine {
            let (shown, caretColumn) = ScriptError.window(sourceLine, column: location.column)
            text += "\n" + shown + "\n" + ScriptError.caretPrefix(shown, column: caretColumn) + "^"
        }
        return text
    }

    /// Shows at most ~120 scalars of a long line, keeping the column in view.
    static func window(_ line: String, column: Int) -> (String, Int) {
        let scalars = Array(line.unicodeScalars)
        let limit = 120
        guard scalars.count > limit else { return (line, column) }
        let start = max(0, min(column - 1 - limit / 2, scalars.count - limit))
        let end = min(scalars.count, start + limit)
        var view = String.UnicodeScalarView()
        if start > 0 { view.append("…") }
        view.append(contentsOf: scalars[start..<end])
        if end < scalars.count { view.append("…") }
        return (String(view), column - start + (start > 0 ? 1 : 0))
    }

    /// Spaces (tabs kept as tabs) so the caret lands under `column`.
    static func caretPrefix(_ line: String, column: Int) -> String {
        var prefix = String.UnicodeScalarView()
        for (i, c) in line.unicodeScalars.enumerated() where i < column - 1 {
            prefix.append(c == "\t" ? "\t" : " ")
        }
        let missing = column - 1 - prefix.count
        if missing > 0 { prefix.append(contentsOf: repeatElement(" ", count: missing)) }
        return String(prefix)
    }
}

/// Everything that stopped a `run`: all syntax errors of the input, or one runtime error.
public struct ScriptFailure: Error, Sendable, CustomStringConvertible {
    public var errors: [ScriptError]

    public init(_ errors: [ScriptError]) { self.errors = errors }

    /// The kind of the first error (`.syntax` when the input did not parse).
    public var kind: ScriptErrorKind { errors.first?.kind ?? .runtime }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
