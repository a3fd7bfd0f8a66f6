/// Why a session could not be saved or restored; each message names the archive and the part.
public enum SessionArchiveError: Error, CustomStringConvertible, Equatable {
    /// The path is not a session directory (missing, a file, no manifest).
    case notAnArchive(path: String, reason: String)
    /// manifest.json is not valid JSON of the expected shape.
    case invalidManifest(path: String, problem: String)
    /// The archive was written in a layout this mtl does not read.
    case unsupportedVersion(path: String, found: Int, supported: Int)
    /// A file named in the manifest is unsafe (absolute, `..`, outside the directory) or wrong.
    case badFile(path: String, file: String, problem: String)
    /// An object's record does not match its data.
    case badObject(path: String, object: Int, kind: String, problem: String)
    /// A variable's value cannot be restored.
    case badVariable(path: String, name: String, problem: String)
    /// A value of this kind cannot be saved.
    case unsavable(name: String, reason: String)
    /// Writing the archive failed.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notAnArchive(path, reason):
            return "\(path): not an mtl session (\(reason)); give the path of a NAME.mtlsession folder written by save"
        case let .invalidManifest(path, problem):
            return "\(path): manifest.json is damaged: \(problem); the session cannot be restored"
        case let .unsupportedVersion(path, found, supported):
            return "\(path): session format version \(found) is not supported (this mtl reads version \(supported))"
                + (found > supported ? "; it was written by a newer mtl — upgrade mtl to restore it" : "")
        case let .badFile(path, file, problem):
            return "\(path): file '\(file)': \(problem); the session cannot be restored"
        case let .badObject(path, object, kind, problem):
            return "\(path): object \(object) (\(kind)): \(problem); the session cannot be restored"
        case let .badVariable(path, name, problem):
            return "\(path): variable '\(name)': \(problem); the session cannot be restored"
        case let .unsavable(name, reason):
            return "cannot save '\(name)': \(reason)"
        case let .writeFailed(path, reason):
            return "\(path): cannot write the session: \(reason); the previous save, if any, is untouched"
        }
    }
}
