import Foundation

/// Any JSON value, for the kind-specific part of an archived object.
///
/// Each object kind keeps its settings in its own `Codable` struct; `JSONValue` carries that
/// struct inside the manifest without the manifest knowing its fields.
public indirect enum JSONValue: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let n = try? container.decode(Double.self) { self = .number(n) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else if let a = try? container.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .number(let n): try container.encode(n)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }

    /// `value` as JSON (through its `Codable` conformance).
    public static func from<T: Encodable>(_ value: T) throws -> JSONValue {
        let data = try encoder().encode(value)
        return try JSONDecoder().decode(JSONValue.self, from: data)
    }

    // Non-finite numbers (a diverged loss) are written as the strings "nan", "inf", "-inf".
    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    private static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// This JSON read as `T`.
    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        let data = try JSONValue.encoder().encode(self)
        return try JSONValue.decoder().decode(T.self, from: data)
    }
}
