import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Puts a freshly written directory in place of another so that no crash can lose both.
public enum AtomicReplace {
    /// The suffix of the old save kept while the fallback swap runs (`NAME.previous`).
    public static let previousSuffix = ".previous"

    /// Why a replacement failed.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Replaces `target` (a directory, or nothing) with `source` (a directory in the same folder).
    ///
    /// With `renameat2(RENAME_EXCHANGE)` (Linux ≥ 3.15; looked up at run time because Glibc's
    /// Swift overlay does not declare it) the two names swap in one atomic step and the old
    /// directory, now under `source`'s name, is deleted. Without it: rename `target` to
    /// `target.previous`, rename `source` to `target`, delete `target.previous`. A crash between
    /// the two renames leaves the old save as `target.previous`, which restore falls back to.
    public static func replace(_ target: URL, with source: URL) throws {
        try replace(target, with: source, exchanging: true)
    }

    /// `replace(_:with:)`; `exchanging: false` forces the two-rename fallback (for tests).
    static func replace(_ target: URL, with source: URL, exchanging: Bool) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: target.path, isDirectory: &isDirectory)
        if exists, !isDirectory.boolValue || !isReplaceable(target) {
            throw Failure(description: "\(target.path) exists and is not a session folder; remove it or save elsewhere")
        }
        let parent = target.deletingLastPathComponent()
        if !exists {
            guard rename(source.path, target.path) == 0 else { throw errnoFailure("rename \(source.path) → \(target.path)") }
            try? SessionArchiveWriter.syncDirectory(parent)
            return
        }
        if exchanging, exchange(source.path, target.path) {
            try? SessionArchiveWriter.syncDirectory(parent)
            try? fm.removeItem(at: source)
            return
        }
        let previous = URL(fileURLWithPath: target.path + previousSuffix)
        try? fm.removeItem(at: previous)
        guard rename(target.path, previous.path) == 0 else { throw errnoFailure("rename \(target.path) → \(previous.path)") }
        guard rename(source.path, target.path) == 0 else {
            let failure = errnoFailure("rename \(source.path) → \(target.path)")
            _ = rename(previous.path, target.path)
            throw failure
        }
        try? SessionArchiveWriter.syncDirectory(parent)
        try? fm.removeItem(at: previous)
    }

    /// Whether an existing folder may be replaced: a previous save (it has a manifest) or empty.
    /// Anything else is someone's folder, and `save "~/work"` must not delete it.
    static func isReplaceable(_ folder: URL) -> Bool {
        let fm = FileManager.default
        if fm.fileExists(atPath: folder.appendingPathComponent(SessionManifest.fileName).path) { return true }
        return (try? fm.contentsOfDirectory(atPath: folder.path))?.isEmpty ?? false
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// renameat2 from the C library, when it has one.
    private static let renameat2: RenameAt2? = {
        #if os(Linux)
        // dlopen(nil) is the running program; RTLD_DEFAULT is not importable in Swift.
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
        #else
        return nil
        #endif
    }()

    /// Atomically swaps two paths; false when the system cannot (then nothing changed).
    static func exchange(_ a: String, _ b: String) -> Bool {
        guard let renameat2 else { return false }
        let atFDCWD: Int32 = -100         // AT_FDCWD
        let renameExchange: UInt32 = 1 << 1 // RENAME_EXCHANGE, linux/fs.h
        return renameat2(atFDCWD, a, atFDCWD, b, renameExchange) == 0
    }

    private static func errnoFailure(_ what: String) -> Failure {
        Failure(description: "\(what) failed: \(String(cString: strerror(errno)))")
    }
}
