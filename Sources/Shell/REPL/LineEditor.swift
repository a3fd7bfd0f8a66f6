// readline's configuration is C global variables, which Swift 6 flags as shared mutable state;
// `@preconcurrency` accepts them because only the REPL's thread touches them (see `LineEditor`).
@preconcurrency import CEditLine
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Line editing at the prompt, on libedit's readline-compatible API.
///
/// libedit's native `el_set`/`history` calls are C-variadic and cannot be called from Swift;
/// the readline face (`readline`, `add_history`, `rl_attempted_completion_function`, …) is not
/// and gives emacs keys, arrows, history recall and Tab completion as libedit's defaults.
/// readline is process-global state, so there is one line editor per process: creating a second
/// one replaces the first's completion function.
public final class LineEditor {
    /// What one call to `readLine` produced.
    public enum Input: Equatable, Sendable {
        /// A line, without its newline.
        case line(String)
        /// Ctrl-C: the line typed so far is dropped.
        case interrupted
        /// Ctrl-D on an empty line, or the terminal went away.
        case endOfInput
    }

    /// The completion function libedit calls back. A global because a C function pointer cannot
    /// capture context; only the REPL's thread sets it (in `init`) and libedit only calls back on
    /// that same thread inside `readline`, so there is no concurrent access.
    nonisolated(unsafe) static var completer: ((String) -> Completion)?
    /// Command names, to decide whether a completed name gets a trailing space. Same rule as above.
    nonisolated(unsafe) static var commandNames: () -> [String] = { [] }

    /// Characters that end a word for libedit; the completer's own word is reconciled with
    /// libedit's in `completionMatches`, so this only has to be close. This and `programName` are
    /// C strings allocated once, never written or freed, so sharing them is safe.
    nonisolated(unsafe) private static let wordBreaks: UnsafeMutablePointer<CChar>? = strdup(" \t\n\"\\'`@$><=;|&{(,.[]+-*/%:)}!#~")
    nonisolated(unsafe) private static let programName: UnsafeMutablePointer<CChar>? = strdup("mtl")

    /// Sets up readline: its name, no signal handling of its own (the REPL's `InterruptHandler`
    /// owns SIGINT), history kept to `historyLimit` entries, and completion by `complete`.
    public init(historyLimit: Int, commandNames: @escaping () -> [String], complete: @escaping (String) -> Completion) {
        LineEditor.completer = complete
        LineEditor.commandNames = commandNames
        LineEditor.useUTF8Locale()
        rl_readline_name = UnsafePointer(LineEditor.programName)
        rl_catch_signals = 0
        rl_basic_word_break_characters = UnsafePointer(LineEditor.wordBreaks)
        // libedit prints the prompt first and enters raw mode only when it reads the first key;
        // a key typed in between (Ctrl-D, or any key, which the terminal would echo twice) meets
        // the cooked terminal. Entering raw mode before the prompt closes that window.
        rl_pre_input_hook = {
            rl_prep_terminal(1)
            return 0
        }
        rl_attempted_completion_function = { text, start, end in
            LineEditor.completionMatches(text: text, start: start, end: end)
        }
        using_history()
        stifle_history(Int32(clamping: historyLimit))
    }

    /// libedit decodes keys with the C library's multibyte functions, which treat every byte
    /// above 0x7F as invalid until a UTF-8 locale is set: `é` would be dropped. The user's
    /// locale is taken when it is UTF-8, else C.UTF-8 (mtl's text is UTF-8 throughout).
    private static func useUTF8Locale() {
        if let name = setlocale(LC_CTYPE, ""), String(cString: name).lowercased().replacingOccurrences(of: "-", with: "").contains("utf8") {
            return
        }
        if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "C.utf8") }
    }

    /// Reads one line after showing `prompt`.
    public func readLine(prompt: String) -> Input {
        InterruptHandler.beginReading()
        let raw = prompt.withCString { readline($0) }
        let interrupted = InterruptHandler.takePromptInterrupt()
        guard let raw else { return interrupted ? .interrupted : .endOfInput }
        defer { free(raw) }
        if interrupted { return .interrupted }
        return .line(String(decoding: UnsafeRawBufferPointer(start: raw, count: strlen(raw)), as: UTF8.self))
    }

    /// Replaces libedit's in-memory history with `entries` (oldest first).
    public func setHistory(_ entries: [String]) {
        clear_history()
        for entry in entries { addHistory(entry) }
    }

    /// Appends one entry to libedit's in-memory history (what the Up arrow recalls).
    public func addHistory(_ entry: String) {
        _ = entry.withCString { add_history($0) }
    }

    // MARK: - Completion callback

    /// Builds readline's match array for the word libedit cut out (`text`), from the completer's
    /// answer for the line up to the cursor.
    private static func completionMatches(text: UnsafePointer<CChar>?, start: Int32, end: Int32)
        -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        rl_attempted_completion_over = 1  // never fall back to libedit's own filename completion
        guard let completer, let text, let buffer = rl_line_buffer else { return nil }
        // rl_point counts wide characters (Unicode scalars), not bytes of rl_line_buffer.
        let line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: strlen(buffer)), as: UTF8.self)
        var prefix = String.UnicodeScalarView()
        prefix.append(contentsOf: line.unicodeScalars.prefix(max(0, Int(rl_point))))
        let completion = completer(String(prefix))
        let candidates = reconcile(completion, withLibeditWord: String(cString: text))
        guard let first = candidates.first else { return nil }

        if candidates.count == 1 {
            rl_completion_append_character = appendCharacter(after: first, kind: completion.kind)
        }
        let substitution = candidates.count == 1 ? first : longestCommonPrefix(candidates)
        let list = [substitution] + (candidates.count == 1 ? [] : candidates)
        // readline frees the array and every string with free(), so both come from malloc.
        // libedit reads matches[2] to detect a single match even when the array is shorter,
        // so there are always two NULLs at the end.
        let slots = list.count + 2
        guard let array = malloc(slots * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride)?
            .bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: slots) else { return nil }
        for (index, item) in list.enumerated() { array[index] = strdup(item) }
        array[list.count] = nil
        array[list.count + 1] = nil
        return array
    }

    /// The completer replaces its own `word`; libedit replaces the word it cut with its break
    /// characters. Rewrites the candidates so that they replace libedit's word instead.
    static func reconcile(_ completion: Completion, withLibeditWord text: String) -> [String] {
        let word = completion.word
        if word.hasSuffix(text) {
            let extra = String(word.dropLast(text.count))
            return completion.candidates.filter { $0.hasPrefix(extra) }.map { String($0.dropFirst(extra.count)) }
        }
        if text.hasSuffix(word) {
            let extra = String(text.dropLast(word.count))
            return completion.candidates.map { extra + $0 }
        }
        return []
    }

    /// After a single match: nothing after `name=` or `folder/`, a closing quote after a file,
    /// a space after a command name, nothing after a variable or attribute (`(`, `.` may follow).
    private static func appendCharacter(after candidate: String, kind: Completion.Kind) -> Int32 {
        if candidate.hasSuffix("=") || candidate.hasSuffix("/") { return 0 }
        switch kind {
        case .path: return Int32(UInt8(ascii: "\""))
        case .name: return commandNames().contains(candidate) ? Int32(UInt8(ascii: " ")) : 0
        case .attribute, .none: return 0
        }
    }

    static func longestCommonPrefix(_ strings: [String]) -> String {
        guard var prefix = strings.first else { return "" }
        for string in strings.dropFirst() {
            while !string.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
