import Foundation
import Script
import Tensors

/// The state of one mtl session besides its variables: the random generator every command
/// draws from, the transcript of what was typed, and whether anything changed since the last save.
///
/// Variables live in the interpreter's global scope; `save` stores them with this state and
/// `restore` replaces both, after validating the whole archive.
public final class ShellSession {
    /// The seed a new session starts from.
    public static let defaultSeed: UInt64 = 42

    /// The session's one random generator: initialisation, dropout, shuffling, dummy data.
    public var generator = SeededGenerator(seed: ShellSession.defaultSeed)
    /// Top-level statements that ran successfully, in order (saved as `transcript.mtls`).
    public private(set) var transcript: [String] = []
    /// Whether objects or variables changed since the last save or restore.
    public var hasUnsavedChanges = false
    /// Where the session was last saved or restored from (`save` with no path reuses it).
    public var lastPath: String?
    /// Rebuilders of saved objects, by kind.
    public var decoders: [String: ObjectDecoder] = SessionObjectKinds.base
    /// The variables as they were when last compared (to notice changes made by an entry).
    private var snapshot: [(name: String, value: Value)] = []

    public init() {}

    // MARK: - Recording

    /// Notes that an entry is about to run (what it changes is found by `finishStatement`).
    public func beginEntry(_ interpreter: Interpreter) {
        snapshot = Self.savable(interpreter.userVariables)
    }

    /// Notes that the top-level statement `source` ran successfully: it joins the transcript,
    /// and the session counts as changed when it rebound a variable (or a command said it
    /// changed an object).
    public func finishStatement(_ source: String, _ interpreter: Interpreter) {
        let trimmed = source.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { transcript.append(trimmed) }
        let now = Self.savable(interpreter.userVariables)
        if now.count != snapshot.count || zip(now, snapshot).contains(where: { $0.name != $1.name || $0.value != $1.value }) {
            hasUnsavedChanges = true
        }
        snapshot = now
    }

    /// The variables a save would keep: functions are not saved (their source is in the
    /// transcript), so defining one does not make the session unsaved.
    private static func savable(_ variables: [(name: String, value: Value)]) -> [(name: String, value: Value)] {
        variables.filter { variable in
            if case .function = variable.value { return false }
            return true
        }
    }

    /// Called by commands that change an object in place (training, freezing, seeding).
    public func markChanged() {
        hasUnsavedChanges = true
    }

    /// The transcript as a script file: a header, then one entry per line (or block).
    public var transcriptText: String {
        var lines = ["# mtl session transcript: the commands that built this session, for reading.",
                     "# Restoring a session never runs it.", ""]
        lines.append(contentsOf: transcript)
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Save and restore

    /// Saves every variable, the generator and the transcript to `path` (or the last path).
    ///
    /// - Returns: the path written and the names of variables that were skipped (functions).
    @discardableResult
    public func save(to path: String?, interpreter: Interpreter) throws -> (path: String, skipped: [String]) {
        guard let target = path ?? lastPath else {
            throw SessionArchiveError.writeFailed(path: "(no path)", reason: "the session has never been saved; give a path: save \"NAME.mtlsession\"")
        }
        let writer = SessionArchiveWriter()
        let (manifest, files) = try writer.build(variables: interpreter.userVariables, generator: generator,
                                                 transcript: transcriptText)
        try SessionArchiveWriter.write(manifest: manifest, files: files, to: target)
        lastPath = target
        hasUnsavedChanges = false
        snapshot = Self.savable(interpreter.userVariables)
        return (target, manifest.skipped)
    }

    /// Replaces the variables, generator and transcript with those saved at `path`.
    ///
    /// The archive is read and validated completely first; on any error the session is untouched.
    @discardableResult
    public func restore(from path: String, interpreter: Interpreter) throws -> RestoredSession {
        let reader = SessionArchiveReader(decoders: decoders, builtins: interpreter.registry)
        let restored = try reader.read(path)
        for (name, _) in interpreter.userVariables { interpreter.globals.remove(name) }
        for (name, value) in restored.variables { interpreter.globals.define(name, value) }
        generator = restored.generator
        transcript = Self.entries(ofTranscript: restored.transcript)
        lastPath = path
        hasUnsavedChanges = false
        snapshot = Self.savable(interpreter.userVariables)
        return restored
    }

    /// The entries of a saved transcript (its header comment dropped).
    static func entries(ofTranscript text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let first = lines.first, first.hasPrefix("#") || first.isEmpty { lines.removeFirst() }
        while lines.last == "" { lines.removeLast() }
        return lines.isEmpty ? [] : [lines.joined(separator: "\n")]
    }
}

/// `SessionHooks` over a `ShellSession`: what the REPL and `mtl run --restore/--save` call.
public final class ShellSessionHooks: SessionHooks {
    private let session: ShellSession
    private weak var interpreter: Interpreter?

    public init(session: ShellSession, interpreter: Interpreter) {
        self.session = session
        self.interpreter = interpreter
    }

    public var hasUnsavedChanges: Bool { session.hasUnsavedChanges }

    public var savePath: String? { session.lastPath }

    public func save(to path: String?) throws {
        guard let interpreter else { return }
        try session.save(to: path, interpreter: interpreter)
    }

    public func restore(from path: String) throws {
        guard let interpreter else { return }
        try session.restore(from: path, interpreter: interpreter)
    }
}
