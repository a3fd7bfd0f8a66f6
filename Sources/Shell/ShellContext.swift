import Foundation
import Script

/// What one `mtl` process works with: the interpreter, holding every command, and the hooks
/// that save and restore the session.
///
/// The REPL, `mtl run`, `mtl -e` and standard-input scripts all start here, so a command
/// registered in `init` exists everywhere, with help and completion.
public final class ShellContext {
    /// The language, with the generic builtins and the shell's commands registered.
    public let interpreter: Interpreter
    /// Save/restore of the session (`UnbuiltSessionHooks` until session archives exist).
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
        sessionHooks = UnbuiltSessionHooks()
        // The ML commands (Sources/Shell/Commands) register into `interpreter.registry` here.
    }
}
