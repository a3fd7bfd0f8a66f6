import Foundation
import Script
import Tensors
import Training

/// Turns a session (variables, generator, transcript) into the files of a `.mtlsession`
/// directory, then writes them so that a crash at any point leaves the previous save loadable.
///
/// Objects are stored once however many variables (or other objects) share them; an object's
/// references are stored before it, so the reader can rebuild them in manifest order.
public final class SessionArchiveWriter {
    private var ids: [ObjectIdentifier: Int] = [:]
    private var inProgress: Set<ObjectIdentifier> = []
    private var records: [ObjectRecord] = []
    private var files: [String: Data] = [:]
    /// The variable being stored, for error messages.
    private var currentName = ""

    public init() {}

    /// The id under which `object` is stored, storing it (and what it refers to) the first time.
    public func reference(_ object: any HostObject) throws -> Int {
        let key = ObjectIdentifier(object)
        if let id = ids[key] { return id }
        guard let archivable = object as? any ArchivableObject else {
            throw SessionArchiveError.unsavable(name: currentName, reason: "a \(object.typeName) cannot be saved in a session")
        }
        guard inProgress.insert(key).inserted else {
            throw SessionArchiveError.unsavable(name: currentName, reason: "a \(object.typeName) refers to itself")
        }
        defer { inProgress.remove(key) }
        let parts = try archivable.archive(into: self)
        let id = records.count
        var record = ObjectRecord(id: id, kind: archivable.archiveKind, references: parts.references, info: parts.info)
        if !parts.tensors.isEmpty {
            let file = "object-\(id)-\(archivable.archiveKind).safetensors"
            do {
                files[file] = try SafetensorsWriter.encode(parts.tensors, metadata: ["mtl": "session object \(id)"], file: file)
            } catch {
                throw SessionArchiveError.unsavable(name: currentName, reason: "\(error)")
            }
            record.file = file
            record.tensors = parts.tensors.map { TensorRecord(name: $0.name, shape: $0.shape) }
        }
        records.append(record)
        ids[key] = id
        return id
    }

    /// The manifest and file contents for a session.
    ///
    /// Functions defined with `def` are not stored (no code runs on restore); they are listed
    /// in `skipped` and their definitions stay readable in the transcript.
    public func build(variables: [(name: String, value: Value)], generator: SeededGenerator,
                      transcript: String) throws -> (manifest: SessionManifest, files: [String: Data]) {
        var variableRecords: [VariableRecord] = []
        var skipped: [String] = []
        for (name, value) in variables {
            currentName = name
            if case .function = value {
                skipped.append("\(name) (a function: functions are not saved; its definition is in the transcript)")
                continue
            }
            if Self.holdsFunction(value, depth: 0) {
                skipped.append("\(name) (it holds a function, and functions are not saved)")
                continue
            }
            variableRecords.append(VariableRecord(name: name, value: try encode(value, depth: 0)))
        }
        let transcriptName = "transcript.mtls"
        files[transcriptName] = Data(transcript.utf8)
        let fileRecords = files.keys.sorted().map { path -> FileRecord in
            let data = files[path] ?? Data()
            return FileRecord(path: path, bytes: data.count, crc32: CRC32.hex(CRC32.checksum(data)))
        }
        let manifest = SessionManifest(
            format: SessionManifest.formatName, version: SessionManifest.currentVersion,
            writer: "mtl \(MTLVersion.string)", created: ISO8601DateFormatter().string(from: Date()),
            rng: generator.state.map { "0x" + String($0, radix: 16) },
            objects: records, variables: variableRecords, files: fileRecords,
            transcript: transcriptName, skipped: skipped)
        return (manifest, files)
    }

    /// Whether a list or dict (at any depth) holds a `def` function.
    static func holdsFunction(_ value: Value, depth: Int) -> Bool {
        guard depth < 200 else { return false }
        switch value {
        case .function: return true
        case .list(let items): return items.contains { holdsFunction($0, depth: depth + 1) }
        case .dict(let dict): return dict.entries.contains { holdsFunction($0.value, depth: depth + 1) }
        default: return false
        }
    }

    private func encode(_ value: Value, depth: Int) throws -> ArchivedValue {
        guard depth < 200 else { throw SessionArchiveError.unsavable(name: currentName, reason: "the value is nested too deeply") }
        switch value {
        case .number(let n): return .number(n.description)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .null: return .none
        case .list(let items): return .list(try items.map { try encode($0, depth: depth + 1) })
        case .dict(let dict):
            return .dict(try dict.entries.map { DictEntryRecord(key: $0.key, value: try encode($0.value, depth: depth + 1)) })
        case .object(let object): return .object(try reference(object))
        case .builtin(let builtin): return .builtin(builtin.name)
        case .function(let function):
            throw SessionArchiveError.unsavable(name: currentName, reason: "it holds the function \(function.name); functions are not saved (no code runs on restore)")
        }
    }

    // MARK: - Writing

    /// Writes `manifest` and `files` as the directory `path`, atomically replacing an existing save.
    ///
    /// The archive is written to a temporary sibling (`.NAME.saving-PID`), every file flushed to
    /// disk, then swapped into place with one `renameat2(RENAME_EXCHANGE)` where the system has
    /// it; otherwise the old save is renamed to `NAME.previous`, the new one renamed in, and the
    /// old one deleted — `restore` falls back to `NAME.previous` when `NAME` is missing.
    public static func write(manifest: SessionManifest, files: [String: Data], to path: String) throws {
        let target = URL(fileURLWithPath: path).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw SessionArchiveError.writeFailed(path: path, reason: "cannot create the folder \(parent.path): \(FileErrorText.reason(error, path: parent.path))")
        }
        // Refuse before writing anything when the target is someone else's file or folder.
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory), !isDirectory.boolValue || !AtomicReplace.isReplaceable(target) {
            throw SessionArchiveError.writeFailed(path: path, reason: "\(target.path) exists and is not a session folder; remove it or save elsewhere")
        }
        removeStaleTemporaries(of: target)
        let temporary = parent.appendingPathComponent(".\(target.lastPathComponent).saving-\(getpid())")
        try? fm.removeItem(at: temporary)
        do {
            try fm.createDirectory(at: temporary, withIntermediateDirectories: false)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try writeDurably(try encoder.encode(manifest), to: temporary.appendingPathComponent(SessionManifest.fileName))
            for (name, data) in files { try writeDurably(data, to: temporary.appendingPathComponent(name)) }
            try syncDirectory(temporary)
        } catch {
            try? fm.removeItem(at: temporary)
            let reason = error is SessionArchiveError ? "\(error)" : "cannot write in \(parent.path): \(FileErrorText.reason(error, path: temporary.path))"
            throw SessionArchiveError.writeFailed(path: path, reason: reason)
        }
        do {
            try AtomicReplace.replace(target, with: temporary)
        } catch {
            try? fm.removeItem(at: temporary)
            throw SessionArchiveError.writeFailed(path: path, reason: "\(error)")
        }
    }

    /// Writes `data` to `url` and flushes it to the disk.
    static func writeDurably(_ data: Data, to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw SessionArchiveError.writeFailed(path: url.path, reason: "cannot create the file")
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: data)
        try handle.synchronize()
    }

    /// fsync on a directory, so the names in it are on disk too.
    static func syncDirectory(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = fsync(fd)
    }

    /// Removes `.NAME.saving-PID` folders left by saves whose process no longer runs.
    static func removeStaleTemporaries(of target: URL) {
        let parent = target.deletingLastPathComponent()
        let prefix = ".\(target.lastPathComponent).saving-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)) else { continue }
            // kill(pid, 0) fails with ESRCH when no such process exists: the save was abandoned.
            if pid == getpid() || (kill(pid, 0) != 0 && errno == ESRCH) {
                try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
