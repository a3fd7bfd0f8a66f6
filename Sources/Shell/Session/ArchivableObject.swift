import Script
import Tensors

/// A host object that a session archive can store and bring back.
///
/// `archive(into:)` returns the object's settings, tensors and references (obtained with
/// `writer.reference(_:)`, which stores the referred object first, once, however many variables
/// share it). The matching decoder is registered in `SessionObjectKinds` under `archiveKind`.
public protocol ArchivableObject: HostObject {
    /// The `kind` written in the manifest.
    var archiveKind: String { get }
    /// What to store for this object.
    func archive(into writer: SessionArchiveWriter) throws -> ArchivedParts
}

/// What an object stores: its settings (any `Codable`, as JSON), its tensors and references.
public struct ArchivedParts {
    public var info: JSONValue
    public var tensors: [SafetensorsWriter.NamedTensor]
    public var references: [String: Int]

    public init(info: JSONValue = .null, tensors: [SafetensorsWriter.NamedTensor] = [], references: [String: Int] = [:]) {
        self.info = info
        self.tensors = tensors
        self.references = references
    }
}

/// What a decoder gets to rebuild one object: its record, its validated tensors, and the
/// objects already rebuilt (every reference points to one of those).
public struct ArchivedObjectSource {
    public let record: ObjectRecord
    /// The object's tensors, validated: every tensor the record lists is there, F32, with its shape.
    public let file: SafetensorsFile?
    let objects: [Int: any HostObject]
    let archivePath: String

    /// The stored tensor `name` (its shape was checked against the manifest).
    public func tensor(_ name: String) throws -> Tensor {
        guard let file, let entry = file.entry(name) else { throw problem("it has no tensor '\(name)'") }
        return try Tensor(shape: entry.shape, values: try file.floats(name))
    }

    /// Whether the object stored a tensor called `name`.
    public func hasTensor(_ name: String) -> Bool { file?.entry(name) != nil }

    /// The settings decoded as `T`.
    public func info<T: Decodable>(as type: T.Type) throws -> T {
        do { return try record.info.decode(as: T.self) } catch {
            throw problem("its settings do not read as \(T.self): \(error)")
        }
    }

    /// The object referred to as `role`, of the Swift type `T`.
    public func reference<T: HostObject>(_ role: String, as type: T.Type) throws -> T {
        guard let id = record.references[role] else { throw problem("it lacks its '\(role)' reference") }
        guard let object = objects[id] as? T else { throw problem("its '\(role)' reference (object \(id)) is not a \(T.self)") }
        return object
    }

    /// An error naming this object.
    public func problem(_ text: String) -> SessionArchiveError {
        .badObject(path: archivePath, object: record.id, kind: record.kind, problem: text)
    }
}

/// Rebuilds an object of one kind from its stored parts.
public typealias ObjectDecoder = (ArchivedObjectSource) throws -> any HostObject
