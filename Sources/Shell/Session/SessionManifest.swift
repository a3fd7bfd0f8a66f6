import Foundation

/// `manifest.json` of a `.mtlsession` directory: what the archive holds and how to check it.
///
/// Every file the archive uses is listed in `files` with its size and CRC-32, so restore can
/// validate everything before it touches the session. Numbers are stored as text
/// (`Double.description` round-trips exactly and allows nan/inf), the RNG words as hex.
public struct SessionManifest: Codable, Equatable, Sendable {
    /// The value of `format`; anything else is not an mtl session.
    public static let formatName = "mtl-session"
    /// The archive layout this mtl writes and reads.
    public static let currentVersion = 1

    public var format: String
    public var version: Int
    /// The mtl that wrote it (informational).
    public var writer: String
    /// ISO 8601 time of the save (informational).
    public var created: String
    /// The session generator's four state words, hex.
    public var rng: [String]
    /// Objects in dependency order: an object only refers to objects listed before it.
    public var objects: [ObjectRecord]
    /// The user's variables in the order they were made.
    public var variables: [VariableRecord]
    /// Every file of the archive besides the manifest.
    public var files: [FileRecord]
    /// The transcript file (the commands that built the session, for people to read).
    public var transcript: String?
    /// Variables that could not be saved (functions), with why.
    public var skipped: [String]

    /// The manifest's file name inside the archive directory.
    public static let fileName = "manifest.json"
}

/// One host object: its kind, its tensors (in `file`), its references to other objects and its settings.
public struct ObjectRecord: Codable, Equatable, Sendable {
    public var id: Int
    /// "tensor", "dataset", "history", "encoder", "model", "optimizer", …
    public var kind: String
    /// The safetensors file holding its tensors (relative to the archive), nil when it has none.
    public var file: String?
    /// The tensors it stores, with their shapes (checked against the file on restore).
    public var tensors: [TensorRecord]
    /// Other objects it refers to, by role ("encoder" → 3); ids are always smaller than `id`.
    public var references: [String: Int]
    /// Kind-specific settings.
    public var info: JSONValue

    public init(id: Int, kind: String, file: String? = nil, tensors: [TensorRecord] = [],
                references: [String: Int] = [:], info: JSONValue = .null) {
        self.id = id
        self.kind = kind
        self.file = file
        self.tensors = tensors
        self.references = references
        self.info = info
    }
}

/// A tensor's name inside an object's safetensors file and its shape.
public struct TensorRecord: Codable, Equatable, Sendable {
    public var name: String
    public var shape: [Int]
}

/// A variable: its name and value.
public struct VariableRecord: Codable, Equatable, Sendable {
    public var name: String
    public var value: ArchivedValue
}

/// A file of the archive with the size and CRC-32 it must have.
public struct FileRecord: Codable, Equatable, Sendable {
    public var path: String
    public var bytes: Int
    public var crc32: String
}

/// A language value as stored: plain values inline, host objects by id.
public indirect enum ArchivedValue: Codable, Equatable, Sendable {
    case number(String)
    case string(String)
    case bool(Bool)
    case none
    case list([ArchivedValue])
    case dict([DictEntryRecord])
    case object(Int)
    /// A builtin, by name (`p = print`).
    case builtin(String)

    private enum CodingKeys: String, CodingKey { case number, string, bool, none, list, dict, object, builtin }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard c.allKeys.count == 1, let key = c.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "a value must have exactly one of number, string, bool, none, list, dict, object, builtin"))
        }
        switch key {
        case .number: self = .number(try c.decode(String.self, forKey: .number))
        case .string: self = .string(try c.decode(String.self, forKey: .string))
        case .bool: self = .bool(try c.decode(Bool.self, forKey: .bool))
        case .none: self = .none
        case .list: self = .list(try c.decode([ArchivedValue].self, forKey: .list))
        case .dict: self = .dict(try c.decode([DictEntryRecord].self, forKey: .dict))
        case .object: self = .object(try c.decode(Int.self, forKey: .object))
        case .builtin: self = .builtin(try c.decode(String.self, forKey: .builtin))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .number(let n): try c.encode(n, forKey: .number)
        case .string(let s): try c.encode(s, forKey: .string)
        case .bool(let b): try c.encode(b, forKey: .bool)
        case .none: try c.encode(true, forKey: .none)
        case .list(let l): try c.encode(l, forKey: .list)
        case .dict(let d): try c.encode(d, forKey: .dict)
        case .object(let id): try c.encode(id, forKey: .object)
        case .builtin(let name): try c.encode(name, forKey: .builtin)
        }
    }
}

/// One entry of a dict value (a list of entries keeps the dict's order).
public struct DictEntryRecord: Codable, Equatable, Sendable {
    public var key: String
    public var value: ArchivedValue
}
