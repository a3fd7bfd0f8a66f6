import Foundation

/// What tab completion may ask of the running session: the names it knows.
///
/// The REPL gives the completer one of these backed by the interpreter; tests give it a fixed
/// table. Nothing here evaluates code, so pressing Tab never runs a command.
public protocol CompletionSource {
    /// Commands and builtins registered in the interpreter (`encoder`, `print`, `help`, …).
    func commandNames() -> [String]
    /// Variables defined in the session (including functions made with `def`).
    func variableNames() -> [String]
    /// Attribute names of the value reached from variable `base` by `path`
    /// (`model.encoder.` → base `model`, path `[.attribute("encoder")]`); empty when unknown.
    func attributeNames(of base: String, path: [AccessStep]) -> [String]
    /// Keyword parameter names of command or function `callee` (without the `=`).
    func keywordNames(of callee: String) -> [String]
    /// The entries of directory `path` (as typed, `~` already expanded); empty when unreadable.
    func directoryEntries(atPath path: String) -> [DirectoryEntry]
}

/// One step from a variable to the value whose attributes are completed.
public enum AccessStep: Equatable, Sendable {
    /// `.name`
    case attribute(String)
    /// `[3]`, `[-1]`
    case index(Int)
    /// `["key"]`
    case key(String)
}

/// A file or folder seen while completing a path.
public struct DirectoryEntry: Equatable, Sendable {
    public var name: String
    public var isDirectory: Bool

    public init(name: String, isDirectory: Bool) {
        self.name = name
        self.isDirectory = isDirectory
    }
}

extension CompletionSource {
    /// Lists `path` with FileManager; the default for every source.
    public func directoryEntries(atPath path: String) -> [DirectoryEntry] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: path) else { return [] }
        return names.map { name in
            var isDirectory: ObjCBool = false
            let full = (path as NSString).appendingPathComponent(name)
            _ = manager.fileExists(atPath: full, isDirectory: &isDirectory)
            return DirectoryEntry(name: name, isDirectory: isDirectory.boolValue)
        }
    }
}
