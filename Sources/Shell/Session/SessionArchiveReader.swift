import Foundation
import Script
import Tensors

/// A session read back from an archive, fully validated and rebuilt, not yet installed.
public struct RestoredSession {
    public var variables: [(name: String, value: Value)]
    public var generator: SeededGenerator
    /// The commands that built the session, as saved.
    public var transcript: String
    public var manifest: SessionManifest
    /// The directory actually read (`NAME.previous` when `NAME` was lost mid-save).
    public var directory: String
}

/// Reads a `.mtlsession` directory, validating the whole archive before building anything.
///
/// Checked, in order: the manifest is JSON of the right shape, format and version; every file
/// it lists is a plain relative path inside the directory (no absolute paths, no `..`, no
/// symbolic link leading out), exists, and has the recorded size and CRC-32; every object's
/// safetensors file is valid and holds exactly the recorded tensors, all F32 with the recorded
/// shapes; references and variables point to existing objects; the RNG state is valid. Only
/// then are objects rebuilt (by the decoders registered per kind). No code from the archive runs.
public struct SessionArchiveReader {
    /// Rebuilders of each object kind.
    public var decoders: [String: ObjectDecoder]
    /// The builtins a variable may name (`p = print`).
    public var builtins: BuiltinRegistry
    /// The largest manifest accepted (a larger one is not something mtl wrote).
    public static let maximumManifestBytes = 256 << 20

    public init(decoders: [String: ObjectDecoder], builtins: BuiltinRegistry) {
        self.decoders = decoders
        self.builtins = builtins
    }

    /// Reads, validates and rebuilds the session saved at `path`.
    public func read(_ path: String) throws -> RestoredSession {
        let directory = try Self.locate(path)
        let root = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        let manifest = try readManifest(root, path: path)
        let contents = try readFiles(manifest, root: root, path: path)
        let tensors = try validateObjects(manifest, contents: contents, path: path)
        try validateVariables(manifest, path: path)
        let generator = try readGenerator(manifest, path: path)
        let transcript = manifest.transcript.flatMap { contents[$0] }.flatMap { String(data: $0, encoding: .utf8) } ?? ""

        // Everything is checked: rebuild.
        var objects: [Int: any HostObject] = [:]
        for record in manifest.objects {
            guard let decode = decoders[record.kind] else {
                throw SessionArchiveError.badObject(path: path, object: record.id, kind: record.kind, problem: "unknown kind")
            }
            let source = ArchivedObjectSource(record: record, file: tensors[record.id],
                                              objects: objects, archivePath: path)
            do {
                objects[record.id] = try decode(source)
            } catch let error as SessionArchiveError {
                throw error
            } catch {
                throw source.problem("\(error)")
            }
        }
        var variables: [(name: String, value: Value)] = []
        for variable in manifest.variables {
            variables.append((variable.name, try value(variable.value, objects: objects, name: variable.name, path: path)))
        }
        return RestoredSession(variables: variables, generator: generator, transcript: transcript,
                               manifest: manifest, directory: directory)
    }

    // MARK: - Steps

    /// The directory to read: `path`, or `path.previous` when a save was cut between its renames.
    static func locate(_ path: String) throws -> String {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw SessionArchiveError.notAnArchive(path: path, reason: "it is a file, not a folder") }
            return path
        }
        let previous = path + AtomicReplace.previousSuffix
        if fm.fileExists(atPath: previous, isDirectory: &isDirectory), isDirectory.boolValue { return previous }
        throw SessionArchiveError.notAnArchive(path: path, reason: "no such folder")
    }

    private func readManifest(_ root: URL, path: String) throws -> SessionManifest {
        let url = root.appendingPathComponent(SessionManifest.fileName)
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        guard let size = attributes?[.size] as? Int else {
            throw SessionArchiveError.notAnArchive(path: path, reason: "it has no manifest.json")
        }
        guard size <= Self.maximumManifestBytes else {
            throw SessionArchiveError.invalidManifest(path: path, problem: "it is \(size) bytes, more than the \(Self.maximumManifestBytes)-byte limit")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SessionArchiveError.notAnArchive(path: path, reason: "manifest.json cannot be read")
        }
        // Check format and version before the full shape, so an old or foreign manifest gets the right message.
        struct Header: Decodable { var format: String?; var version: Int? }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw SessionArchiveError.invalidManifest(path: path, problem: "it is not a JSON object")
        }
        guard header.format == SessionManifest.formatName else {
            throw SessionArchiveError.invalidManifest(path: path, problem: "its format is \(header.format.map { "'\($0)'" } ?? "missing"), expected '\(SessionManifest.formatName)'")
        }
        guard let version = header.version else {
            throw SessionArchiveError.invalidManifest(path: path, problem: "it has no format version")
        }
        guard version == SessionManifest.currentVersion else {
            throw SessionArchiveError.unsupportedVersion(path: path, found: version, supported: SessionManifest.currentVersion)
        }
        do {
            return try JSONDecoder().decode(SessionManifest.self, from: data)
        } catch {
            throw SessionArchiveError.invalidManifest(path: path, problem: Self.describe(error))
        }
    }

    /// Whether `name` is a plain relative path: no leading `/`, no empty, `.` or `..` component.
    static func isSafeRelativePath(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\"), !name.contains("\0") else { return false }
        return name.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    private func readFiles(_ manifest: SessionManifest, root: URL, path: String) throws -> [String: Data] {
        let realRoot = root.resolvingSymlinksInPath().path
        var contents: [String: Data] = [:]
        for file in manifest.files {
            func bad(_ problem: String) -> SessionArchiveError { .badFile(path: path, file: file.path, problem: problem) }
            guard Self.isSafeRelativePath(file.path) else {
                throw bad("the path must be relative and stay inside the session folder (no leading '/', no '..')")
            }
            guard contents[file.path] == nil else { throw bad("it is listed twice") }
            guard file.path != SessionManifest.fileName else { throw bad("the manifest cannot list itself") }
            let url = root.appendingPathComponent(file.path)
            let real = url.resolvingSymlinksInPath().path
            guard real.hasPrefix(realRoot + "/") else { throw bad("it leads outside the session folder") }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { throw bad("it is missing") }
            guard !isDirectory.boolValue else { throw bad("it is a folder, not a file") }
            guard let data = FileManager.default.contents(atPath: url.path) else { throw bad("it cannot be read") }
            guard data.count == file.bytes else { throw bad("it has \(data.count) bytes, the manifest says \(file.bytes)") }
            let crc = CRC32.hex(CRC32.checksum(data))
            guard crc == file.crc32.lowercased() else {
                throw bad("its checksum is \(crc), the manifest says \(file.crc32): the file is damaged")
            }
            contents[file.path] = data
        }
        if let transcript = manifest.transcript, contents[transcript] == nil {
            throw SessionArchiveError.badFile(path: path, file: transcript, problem: "the transcript is not listed among the files")
        }
        return contents
    }

    private func validateObjects(_ manifest: SessionManifest, contents: [String: Data],
                                 path: String) throws -> [Int: SafetensorsFile] {
        var result: [Int: SafetensorsFile] = [:]
        for (index, record) in manifest.objects.enumerated() {
            func bad(_ problem: String) -> SessionArchiveError {
                .badObject(path: path, object: record.id, kind: record.kind, problem: problem)
            }
            guard record.id == index else { throw bad("objects must be numbered 0, 1, 2… in order; found id \(record.id) at position \(index)") }
            guard decoders[record.kind] != nil else {
                throw bad("unknown kind '\(record.kind)' (known: \(decoders.keys.sorted().joined(separator: ", ")))")
            }
            for (role, id) in record.references where !(0..<record.id).contains(id) {
                throw bad("its '\(role)' reference \(id) is not an object stored before it")
            }
            guard let file = record.file else {
                guard record.tensors.isEmpty else { throw bad("it lists tensors but no file") }
                continue
            }
            guard let data = contents[file] else { throw bad("its file '\(file)' is not listed among the archive's files") }
            let safetensors: SafetensorsFile
            do { safetensors = try SafetensorsFile(data: data, file: file) } catch {
                throw SessionArchiveError.badFile(path: path, file: file, problem: "\(error)")
            }
            let expected = Set(record.tensors.map(\.name))
            guard expected.count == record.tensors.count else { throw bad("it lists a tensor twice") }
            if let extra = safetensors.names.first(where: { !expected.contains($0) }) {
                throw SessionArchiveError.badFile(path: path, file: file, problem: "it holds tensor '\(extra)', which the manifest does not list")
            }
            for tensor in record.tensors {
                guard let entry = safetensors.entry(tensor.name) else {
                    throw SessionArchiveError.badFile(path: path, file: file, problem: "tensor '\(tensor.name)' is missing")
                }
                guard entry.dtype == .f32 else {
                    throw SessionArchiveError.badFile(path: path, file: file, problem: "tensor '\(tensor.name)' is \(entry.dtype.rawValue), sessions store F32")
                }
                guard entry.shape == tensor.shape else {
                    throw SessionArchiveError.badFile(path: path, file: file, problem: "tensor '\(tensor.name)' has shape \(entry.shape), the manifest says \(tensor.shape)")
                }
            }
            result[record.id] = safetensors
        }
        return result
    }

    private func validateVariables(_ manifest: SessionManifest, path: String) throws {
        var seen: Set<String> = []
        for variable in manifest.variables {
            guard seen.insert(variable.name).inserted else {
                throw SessionArchiveError.badVariable(path: path, name: variable.name, problem: "it is stored twice")
            }
            guard Self.isIdentifier(variable.name) else {
                throw SessionArchiveError.badVariable(path: path, name: variable.name, problem: "it is not a valid variable name")
            }
            try check(variable.value, count: manifest.objects.count, name: variable.name, path: path, depth: 0)
        }
    }

    private func check(_ value: ArchivedValue, count: Int, name: String, path: String, depth: Int) throws {
        func bad(_ problem: String) -> SessionArchiveError { .badVariable(path: path, name: name, problem: problem) }
        guard depth < 200 else { throw bad("the value is nested too deeply") }
        switch value {
        case .number(let text): guard Double(text) != nil else { throw bad("'\(text)' is not a number") }
        case .string, .bool, .none: break
        case .list(let items): for item in items { try check(item, count: count, name: name, path: path, depth: depth + 1) }
        case .dict(let entries): for entry in entries { try check(entry.value, count: count, name: name, path: path, depth: depth + 1) }
        case .object(let id): guard (0..<count).contains(id) else { throw bad("it refers to object \(id), which the archive does not hold") }
        case .builtin(let builtinName): guard builtins.lookup(builtinName) != nil else { throw bad("it names the builtin '\(builtinName)', which this mtl does not have") }
        }
    }

    private func readGenerator(_ manifest: SessionManifest, path: String) throws -> SeededGenerator {
        let words = manifest.rng.compactMap { text -> UInt64? in
            let digits = text.hasPrefix("0x") ? String(text.dropFirst(2)) : text
            return UInt64(digits, radix: 16)
        }
        guard words.count == manifest.rng.count, let generator = SeededGenerator(state: words) else {
            throw SessionArchiveError.invalidManifest(path: path, problem: "the random generator state \(manifest.rng) is not four hex words, not all zero")
        }
        return generator
    }

    private func value(_ archived: ArchivedValue, objects: [Int: any HostObject], name: String, path: String) throws -> Value {
        switch archived {
        case .number(let text): return .number(Double(text) ?? .nan)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .none: return .null
        case .list(let items):
            return .list(try items.map { try value($0, objects: objects, name: name, path: path) })
        case .dict(let entries):
            var dict = ValueDict()
            for entry in entries { dict[entry.key] = try value(entry.value, objects: objects, name: name, path: path) }
            return .dict(dict)
        case .object(let id):
            guard let object = objects[id] else {
                throw SessionArchiveError.badVariable(path: path, name: name, problem: "object \(id) is missing")
            }
            return .object(object)
        case .builtin(let builtinName):
            guard let b = builtins.lookup(builtinName) else {
                throw SessionArchiveError.badVariable(path: path, name: name, problem: "no builtin '\(builtinName)'")
            }
            return .builtin(b)
        }
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }

    /// A decoding error in words: what is wrong and where in the JSON.
    static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func at(_ path: [CodingKey]) -> String {
            path.isEmpty ? "" : " at " + path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing field '\(key.stringValue)'\(at(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.debugDescription + at(context.codingPath)
        @unknown default: return "\(error)"
        }
    }
}
