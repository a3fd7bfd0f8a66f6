import Foundation
import Script

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the REPL asks of the language; `ScriptEngine` answers it with the interpreter.
public protocol REPLEngine: AnyObject {
    /// Whether `source` needs more lines (an open bracket or block): show `...> ` and read on.
    func isIncomplete(_ source: String) -> Bool
    /// Runs one entry typed at the prompt. Returns the text to print for its value (nil when
    /// there is nothing to print); throws an error whose description is the rendered message.
    func evaluate(_ entry: String) throws -> String?
    /// Asks the running `evaluate` to stop at its next safe point. Called from another thread.
    var interruptAction: @Sendable () -> Void { get }
    /// Clears an interrupt request that arrived after the entry had already finished.
    func clearInterrupt()
    /// The names Tab completion offers.
    var completionSource: CompletionSource { get }
}

/// Where the REPL's lines come from: `LineEditor` on a terminal, a scripted list in tests.
public protocol LineReader: AnyObject {
    /// Shows `prompt` and reads one line.
    func readLine(prompt: String) -> LineEditor.Input
    /// Replaces the in-memory history (what the Up arrow recalls).
    func setHistory(_ entries: [String])
    /// Appends one entry to the in-memory history.
    func addHistory(_ entry: String)
}

extension LineEditor: LineReader {}

/// How the REPL is set up.
public struct REPLOptions {
    /// Where history is kept across runs (`$MTL_HISTORY` or `~/.mtl_history`).
    public var historyFile: URL
    public var historyLimit: Int
    /// Ask "save the session first?" on leaving when the session hooks report unsaved changes.
    public var confirmExit: Bool
    public var showBanner: Bool

    public init(historyFile: URL = History.defaultFileURL(), historyLimit: Int = History.defaultLimit,
                confirmExit: Bool = true, showBanner: Bool = true) {
        self.historyFile = historyFile
        self.historyLimit = historyLimit
        self.confirmExit = confirmExit
        self.showBanner = showBanner
    }
}

/// The `mtl>` prompt: read an entry (several lines while a block is open), run it, print the
/// value or the error, and go on until `exit`, `quit` or Ctrl-D.
///
/// Besides the language, it understands `:time on|off` (show how long each entry took).
/// Errors never end the loop; Ctrl-C clears the line at the prompt and stops a running entry.
public final class REPL {
    public static let prompt = "mtl> "
    public static let continuationPrompt = "...> "

    private let engine: REPLEngine
    private let hooks: SessionHooks
    private let options: REPLOptions
    private var history: History
    private let editor: LineReader
    private var showsTime = false
    /// Whether a history-file problem was already reported (once per run is enough).
    private var historyWarned = false

    /// A REPL reading from `reader`, or from a libedit `LineEditor` with completion over the
    /// engine's names when `reader` is nil.
    public init(engine: REPLEngine, hooks: SessionHooks, options: REPLOptions = REPLOptions(),
                reader: LineReader? = nil) {
        self.engine = engine
        self.hooks = hooks
        self.options = options
        if let reader {
            editor = reader
        } else {
            let source = engine.completionSource
            let completer = Completer(source: source)
            editor = LineEditor(historyLimit: options.historyLimit,
                                commandNames: { source.commandNames() },
                                complete: { completer.complete($0) })
        }
        do {
            history = try History.load(from: options.historyFile, limit: options.historyLimit)
        } catch {
            history = History(limit: options.historyLimit)
            Console.error("warning: \(error)")
        }
        editor.setHistory(history.entries)
    }

    /// Runs the loop until the person leaves. Returns the process exit status (0).
    public func run() -> Int32 {
        InterruptHandler.install()
        if options.showBanner { Console.output(Banner.text()) }
        var pending: [String] = []
        while true {
            Console.flush()
            switch editor.readLine(prompt: pending.isEmpty ? REPL.prompt : REPL.continuationPrompt) {
            case .interrupted:
                // The typed line (and any open block) is dropped; a fresh prompt follows.
                Console.output("^C")
                pending = []
            case .endOfInput:
                if !pending.isEmpty {
                    Console.output("")
                    pending = []
                    continue
                }
                Console.output("")
                if confirmLeaving() { return 0 }
            case let .line(line):
                pending.append(line)
                let entry = pending.joined(separator: "\n")
                if entry.allSatisfy(\.isWhitespace) { pending = []; continue }
                if engine.isIncomplete(entry) { continue }
                pending = []
                remember(entry)
                if REPL.isExitCommand(entry) {
                    if confirmLeaving() { return 0 }
                    continue
                }
                if let reply = metaCommand(entry) {
                    Console.output(reply)
                    continue
                }
                if let code = execute(entry) { return code }
            }
        }
    }

    /// `exit`, `quit` (also with `()`), alone on the line.
    static func isExitCommand(_ entry: String) -> Bool {
        let word = entry.trimmingCharacters(in: .whitespacesAndNewlines)
        return ["exit", "quit", "exit()", "quit()"].contains(word)
    }

    /// Runs one entry and shows its value or error. Returns an exit status when the entry
    /// called `exit(code)` / `quit` and the person confirmed leaving, else nil.
    private func execute(_ entry: String) -> Int32? {
        let clock = ContinuousClock()
        let start = clock.now
        let (outcome, interrupted) = InterruptHandler.whileRunning(onInterrupt: engine.interruptAction) {
            Result { try engine.evaluate(entry) }
        }
        let elapsed = clock.now - start
        engine.clearInterrupt()
        if interrupted { Console.output("") }  // end the line where the terminal echoed ^C
        switch outcome {
        case let .success(text):
            if let text { Console.output(text) }
            if interrupted { Console.error("interrupted") }
        case let .failure(exit as ScriptExit):
            if showsTime { Console.output("time: \(REPL.format(elapsed))") }
            return confirmLeaving() ? exit.code : nil
        case let .failure(error):
            Console.error(ErrorReport.render(error))
        }
        if showsTime { Console.output("time: \(REPL.format(elapsed))") }
        return nil
    }

    /// REPL-only commands starting with `:`. Returns the reply, or nil when `entry` is not one.
    private func metaCommand(_ entry: String) -> String? {
        let words = entry.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first, first.hasPrefix(":") else { return nil }
        switch (first, words.dropFirst().first) {
        case (":time", "on"?): showsTime = true; return "time per command: on"
        case (":time", "off"?): showsTime = false; return "time per command: off"
        case (":time", nil): return "time per command: \(showsTime ? "on" : "off") (use :time on or :time off)"
        default: return "unknown REPL command \(entry.trimmingCharacters(in: .whitespaces)); known: :time on|off"
        }
    }

    private func remember(_ entry: String) {
        guard history.add(entry) else { return }
        editor.addHistory(history.entries.last ?? entry)
        do { try history.save(to: options.historyFile) } catch {
            if !historyWarned { Console.error("warning: \(error)") }
            historyWarned = true
        }
    }

    /// Whether to leave now: asks first when there are unsaved changes (unless disabled).
    private func confirmLeaving() -> Bool {
        guard options.confirmExit, hooks.hasUnsavedChanges else { return true }
        switch editor.readLine(prompt: "save the session first? [y/N] ") {
        case .interrupted:
            Console.output("^C")
            return false
        case .endOfInput:
            Console.output("")
            return true
        case let .line(answer):
            guard ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased()) else { return true }
            // A session never saved has no path yet: ask for one. No answer means no save, and
            // leaving would lose the session, so it stays.
            guard let path = hooks.savePath ?? askSavePath() else {
                Console.output("not saved; still in mtl (save \"NAME.mtlsession\", or exit and answer n to leave without saving)")
                return false
            }
            do {
                try hooks.save(to: path)
                Console.output("saved to \(path)")
                return true
            } catch {
                Console.error("error: \(error)")
                return false
            }
        }
    }

    /// Asks where to save a session that has no path yet; nil when nothing is given.
    private func askSavePath() -> String? {
        switch editor.readLine(prompt: "save to (path): ") {
        case .interrupted:
            Console.output("^C")
            return nil
        case .endOfInput:
            Console.output("")
            return nil
        case let .line(text):
            let path = text.trimmingCharacters(in: .whitespaces)
            return path.isEmpty ? nil : path
        }
    }

    static func format(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        if seconds < 1 { return String(format: "%.1f ms", seconds * 1000) }
        return String(format: "%.3f s", seconds)
    }
}

/// Writes to the standard streams. Standard output goes through `print` (C stdio, the buffer
/// libedit also writes the prompt through) and is flushed at once, so output and prompts never
/// cross; standard error is unbuffered.
enum Console {
    static func output(_ text: String) {
        print(text)
        fflush(nil)
    }

    static func error(_ text: String) {
        fflush(nil)
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func flush() {
        fflush(nil)
    }
}
