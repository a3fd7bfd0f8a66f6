import Foundation

/// Plain words for a file-system error.
///
/// Foundation's errors print as `Error Domain=NSCocoaErrorDomain Code=516 "…" UserInfo={…}` or
/// `(NSCocoaErrorDomain error 256.)`, which tell a user little. `reason` reads the POSIX errno
/// underneath (or the Cocoa code, or the path itself) and says what is wrong in a few words,
/// for "cannot read/write PATH: REASON" messages across datasets, shell commands and the CLI.
public enum FileErrorText {
    /// What went wrong with `path`: "it is a folder", "a file with that name already exists",
    /// "no such file or folder", "permission denied", …; the error's own description when it is
    /// not a file-system error.
    public static func reason(_ error: any Error, path: String) -> String {
        // Creating a/b/c where a/b is a file fails with "exists", "not a folder" or "no such
        // file" depending on the call: name the file instead.
        let domain = (error as NSError).domain
        if domain == NSCocoaErrorDomain || domain == NSPOSIXErrorDomain, let file = fileInTheWay(of: path) {
            return "\(file) is a file, not a folder"
        }
        if let code = errno(of: error), let text = posixReason(code) { return text }
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: nsError.code) {
            case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
            case .fileWriteFileExists: return "a file with that name already exists"
            case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
            case .fileWriteOutOfSpace: return "no space left on the device"
            case .fileWriteVolumeReadOnly: return "the file system is read-only"
            default: break
            }
            // An unknown read error (256) on Linux is typically a folder given as a file.
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return "it is a folder" }
            if !FileManager.default.fileExists(atPath: path) { return "no such file or folder" }
            return "the operation failed (Cocoa error \(nsError.code))"
        }
        return "\(error)"
    }

    /// The file standing where a folder was needed: the deepest existing one of the folders
    /// above `path` when it is not a folder; nil otherwise.
    static func fileInTheWay(of path: String) -> String? {
        var url = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        while url.path != "/" && !url.path.isEmpty {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
                return isDirectory.boolValue ? nil : url.path
            }
            url = url.deletingLastPathComponent()
        }
        return nil
    }

    /// The POSIX error number inside `error`: its own, or that of its underlying error.
    static func errno(of error: any Error) -> Int32? {
        if let posix = error as? POSIXError { return posix.code.rawValue }
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return Int32(nsError.code) }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        return nil
    }

    /// A few words for the error numbers a user can act on; nil for the rest.
    static func posixReason(_ code: Int32) -> String? {
        switch code {
        case EISDIR: return "it is a folder"
        case ENOTDIR: return "a part of the path is a file, not a folder"
        case EEXIST: return "a file with that name already exists"
        case ENOENT: return "no such file or folder"
        case EACCES, EPERM: return "permission denied"
        case EROFS: return "the file system is read-only"
        case ENOSPC: return "no space left on the device"
        case ENAMETOOLONG: return "the name is too long"
        default: return nil
        }
    }
}

/// A file that could not be read or written, with a plain reason (see `FileErrorText`).
public struct FileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// "cannot read", "cannot write", "cannot create".
    public let action: String
    public let path: String
    public let reason: String

    public init(_ action: String, _ path: String, reason: String) {
        self.action = action
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(action) \(path): \(reason)" }

    /// Runs `body`, turning a Foundation file error into a `FileError` about `path`
    /// (other errors, already worded by their own module, pass through).
    public static func translating<T>(_ action: String, _ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as NSError where error.domain == NSCocoaErrorDomain || error.domain == NSPOSIXErrorDomain {
            throw FileError(action, path, reason: FileErrorText.reason(error, path: path))
        }
    }
}
