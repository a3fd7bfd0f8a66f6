/// Thrown by `exit(code)` / `quit`: stop the whole run now with an exit status.
///
/// Not an error: the interpreter lets it through untouched (no location, no message), and the
/// host decides what it means: `mtl run`, `-e` and standard input end the process with `code`,
/// the REPL leaves as it does for `exit` typed alone (asking to save first).
public struct ScriptExit: Error, Sendable, Equatable {
    /// The process exit status, 0…255.
    public var code: Int32

    public init(code: Int32) {
        self.code = code
    }
}
