import Foundation
import Script

/// What one `mtl` process works with: the interpreter, holding every command, the session state
/// (random generator, transcript, unsaved-changes flag) and the hooks that save and restore it.
///
/// The REPL, `mtl run`, `mtl -e` and standard-input scripts all start here, so a command
/// registered in `init` exists everywhere, with help and completion.
public final class ShellContext {
    /// The language, with the generic builtins and the shell's commands registered.
    public let interpreter: Interpreter
    /// The session's generator, transcript and save state.
    public let session: ShellSession
    /// Save/restore of the session, for the REPL's exit question and `mtl run --restore/--save`.
    public var sessionHooks: SessionHooks

    /// A fresh session; `scriptArguments` are the `name=value` pairs `arg()` reads.
    public init(scriptArguments: [String: String] = [:]) {
        interpreter = Interpreter(registry: .standard())
        interpreter.scriptArguments = scriptArguments
        // Flushed per call so progress shows at once through a pipe (`mtl run x.mtls | tee log`)
        // and stays in order with errors on standard error.
        interpreter.output = { text in
            print(text)
            fflush(nil)
        }
        session = ShellSession()
        sessionHooks = ShellSessionHooks(session: session, interpreter: interpreter)
        for builtin in ShellCommands.all(session: session) { interpreter.registry.register(builtin) }
        interpreter.registry.alias("load_model", for: "encoder")
    }

    /// Runs one top-level entry (a line at the prompt, a `-e` text, a script) and records it.
    ///
    /// This is the transcript hook: each top-level statement that completes joins the session's
    /// transcript (saved as `transcript.mtls`) at once, so a `save` inside a script holds the
    /// statements before it, and a changed variable marks the session unsaved.
    /// The REPL and script runner call this rather than `interpreter.run` directly.
    @discardableResult
    public func run(source: String, file: String) throws -> Value? {
        let session = self.session
        session.beginEntry(interpreter)
        interpreter.onTopLevelStatement = { [unowned interpreter] text in
            session.finishStatement(text, interpreter)
        }
        defer { interpreter.onTopLevelStatement = nil }
        return try interpreter.run(source: source, file: file)
    }
}

/// Every command the shell adds to the language, family by family (Sources/Shell/Commands).
public enum ShellCommands {
    public static func all(session: ShellSession) -> [Builtin] {
        ModelCommands.all(session: session)
            + DataCommands.all(session: session)
            + TrainingCommands.all(session: session)
            + SessionCommands.all(session: session)
            + PlotCommands.all(session: session)
    }
}
