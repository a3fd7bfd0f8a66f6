/// What the shell asks of the session archive: save, restore, and whether anything is unsaved.
///
/// The REPL calls it when leaving (`exit`, Ctrl-D) and `mtl run --restore/--save` call it around
/// a script. Until session archives are built, `UnbuiltSessionHooks` answers: nothing unsaved,
/// and save/restore fail with a clear message.
public protocol SessionHooks: AnyObject {
    /// Whether objects were made or changed since the last save; when true, leaving the REPL
    /// asks "save the session first?".
    var hasUnsavedChanges: Bool { get }
    /// Saves the session to `path`, or, when nil (the answer 'y' on leaving), to where it was last
    /// saved or restored from.
    func save(to path: String?) throws
    /// Replaces the session's objects and variables with those saved at `path`.
    func restore(from path: String) throws
    /// Where `save(to: nil)` would write: the path last saved to or restored from (nil: none yet,
    /// so leaving asks for one).
    var savePath: String? { get }
}

extension SessionHooks {
    public var savePath: String? { nil }
}

/// The hooks in place until session archives exist.
public final class UnbuiltSessionHooks: SessionHooks {
    public init() {}

    public var hasUnsavedChanges: Bool { false }

    public func save(to path: String?) throws {
        throw SessionHookError.notBuilt(operation: "save")
    }

    public func restore(from path: String) throws {
        throw SessionHookError.notBuilt(operation: "restore")
    }
}

/// Why a session operation could not run.
public enum SessionHookError: Error, CustomStringConvertible, Equatable {
    case notBuilt(operation: String)

    public var description: String {
        switch self {
        case let .notBuilt(operation):
            return "cannot \(operation) the session: sessions are not built yet in this version of mtl"
        }
    }
}
