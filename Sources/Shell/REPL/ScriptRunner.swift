import Foundation
import Script

/// Exit statuses of `mtl run`, `mtl -e` and standard-input scripts (BSD sysexits.h names).
public enum ScriptExitStatus {
    public static let success: Int32 = 0
    /// EX_DATAERR: the script has syntax errors (all are printed) or is not UTF-8.
    public static let syntaxError: Int32 = 65
    /// EX_NOINPUT: the script file, or the session to restore, cannot be read.
    public static let cannotRead: Int32 = 66
    /// EX_SOFTWARE: the script stopped at a runtime error.
    public static let runtimeError: Int32 = 70
    /// EX_CANTCREAT: the session could not be saved after the run.
    public static let cannotSave: Int32 = 73
    /// 128 + SIGINT: stopped by Ctrl-C.
    public static let interrupted: Int32 = 130
}

/// Runs whole scripts without a prompt: a file, a `-e` line or standard input.
///
/// Errors go to standard error as Script renders them (`file:line:col: error: …`, the line and a
/// caret); the result is an exit status from `ScriptExitStatus`. Ctrl-C stops the script at its
/// next safe point.
public struct ScriptRunner {
    public let context: ShellContext

    public init(context: ShellContext) {
        self.context = context
    }

    /// The longest line accepted, in UTF-8 bytes. Commands are short; a longer line is a pasted
    /// file or garbage, and refusing it at once beats minutes of lexing and a megabyte error.
    public static let maxLineLength = 1 << 20

    /// Runs `source`, reporting errors against `file`.
    public func run(source: String, file: String) -> Int32 {
        if let (line, length) = ScriptRunner.overlongLine(in: source) {
            Console.error("\(file):\(line): error: line \(line) is \(length) bytes long; lines longer than \(ScriptRunner.maxLineLength) bytes are not accepted")
            return ScriptExitStatus.syntaxError
        }
        InterruptHandler.install()
        let context = self.context
        let flag = context.interpreter.interrupt
        // Through the context, so the session's transcript records what ran.
        let (outcome, _) = InterruptHandler.whileRunning(onInterrupt: { flag.raise() }) {
            Result { try context.run(source: source, file: file) }
        }
        switch outcome {
        case .success: return ScriptExitStatus.success
        case let .failure(error): return report(error)
        }
    }

    /// Runs the script at `path`, after restoring the session at `restoring` and, when it
    /// succeeds, saving the session to `savingTo`.
    public func runFile(path: String, restoring: String? = nil, savingTo: String? = nil) -> Int32 {
        let source: String
        do {
            source = try Interpreter.readSource(atPath: path)
        } catch let failure as ScriptFailure {
            Console.error(ErrorReport.render(failure))
            return failure.kind == .syntax ? ScriptExitStatus.syntaxError : ScriptExitStatus.cannotRead
        } catch {
            Console.error("\(path): error: \(error)")
            return ScriptExitStatus.cannotRead
        }
        if let restoring {
            do { try context.sessionHooks.restore(from: restoring) } catch {
                Console.error("\(restoring): error: \(error)")
                return ScriptExitStatus.cannotRead
            }
        }
        let status = run(source: source, file: path)
        guard status == ScriptExitStatus.success, let savingTo else { return status }
        do { try context.sessionHooks.save(to: savingTo) } catch {
            Console.error("\(savingTo): error: \(error)")
            return ScriptExitStatus.cannotSave
        }
        return status
    }

    /// Reads all of standard input and runs it as the script `<stdin>`.
    public func runStandardInput() -> Int32 {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let source: String
        do {
            source = try Interpreter.decodeSource([UInt8](data), file: "<stdin>")
        } catch {
            Console.error(ErrorReport.render(error))
            return ScriptExitStatus.syntaxError
        }
        return run(source: source, file: "<stdin>")
    }

    /// The first line longer than `maxLineLength` (1-based number and length), if any.
    static func overlongLine(in source: String) -> (line: Int, length: Int)? {
        var line = 1
        var length = 0
        var found: (Int, Int)?
        for byte in source.utf8 {
            if byte == UInt8(ascii: "\n") {
                if length > maxLineLength { found = (line, length); break }
                line += 1
                length = 0
            } else {
                length += 1
            }
        }
        if found == nil, length > maxLineLength { found = (line, length) }
        return found
    }

    private func report(_ error: Error) -> Int32 {
        if let exit = error as? ScriptExit { return exit.code }  // `exit(code)`: not an error
        guard let failure = error as? ScriptFailure else {
            Console.error("error: \(error)")
            return ScriptExitStatus.runtimeError
        }
        Console.error(ErrorReport.render(failure))
        switch failure.kind {
        case .syntax: return ScriptExitStatus.syntaxError
        case .runtime: return ScriptExitStatus.runtimeError
        case .interrupted: return ScriptExitStatus.interrupted
        }
    }
}
