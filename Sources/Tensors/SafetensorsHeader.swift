import Foundation

/// The parsed and validated JSON header of a safetensors file.
///
/// Nothing in the header is trusted: each entry is checked (known dtype, non-negative integer
/// shape, `begin ≤ end`, shape × element size = `end − begin` without overflow, range inside
/// the data area) and the ranges are checked not to overlap, before any byte is read.
struct SafetensorsHeader: Sendable {
    var entries: [String: SafetensorsEntry]
    var metadata: [String: String]

    /// Parses `json` (the header bytes) for a file whose data area holds `dataSize` bytes.
    init(json: some Collection<UInt8>, dataSize: Int, file: String) throws {
        let bytes = Data(json)
        guard String(data: bytes, encoding: .utf8) != nil else {
            throw SafetensorsError.invalidHeader(file: file, problem: "not UTF-8 text")
        }
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: bytes)
        } catch {
            throw SafetensorsError.invalidHeader(file: file, problem: "not valid JSON (\(Self.reason(error)))")
        }
        guard case let .object(fields) = root else {
            throw SafetensorsError.invalidHeader(file: file, problem: "the top level is not a JSON object")
        }
        var entries: [String: SafetensorsEntry] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in fields {
            if name == "__metadata__" {
                metadata = try Self.metadata(value, file: file)
            } else {
                entries[name] = try Self.entry(name: name, value, dataSize: dataSize, file: file)
            }
        }
        try Self.checkNoOverlap(entries.values, file: file)
        self.entries = entries
        self.metadata = metadata
    }

    // MARK: - Validation

    private static func metadata(_ value: JSONValue, file: String) throws -> [String: String] {
        if case .null = value { return [:] }
        guard case let .object(fields) = value else {
            throw SafetensorsError.invalidMetadata(file: file, problem: "is not a JSON object")
        }
        var result: [String: String] = [:]
        for (key, item) in fields {
            guard case let .string(text) = item else {
                throw SafetensorsError.invalidMetadata(file: file, problem: "value of '\(key)' is not a string")
            }
            result[key] = text
        }
        return result
    }

    private static func entry(name: String, _ value: JSONValue, dataSize: Int,
                              file: String) throws -> SafetensorsEntry {
        func bad(_ problem: String) -> SafetensorsError {
            .invalidEntry(file: file, tensor: name, problem: problem)
        }
        guard case let .object(fields) = value else { throw bad("entry is not a JSON object") }
        guard let dtypeValue = fields["dtype"] else { throw bad("missing 'dtype'") }
        guard case let .string(dtypeName) = dtypeValue else { throw bad("'dtype' is not a string") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw SafetensorsError.unknownDType(file: file, tensor: name, dtype: dtypeName)
        }
        guard let shapeValue = fields["shape"] else { throw bad("missing 'shape'") }
        guard case let .array(dims) = shapeValue else { throw bad("'shape' is not an array") }
        var shape: [Int] = []
        for dim in dims {
            guard case let .integer(n) = dim else { throw bad("shape \(shapeValue) has a non-integer dimension") }
            guard n >= 0 else { throw bad("shape \(shapeValue) has a negative dimension") }
            guard let size = Int(exactly: n) else { throw bad("shape \(shapeValue) has a dimension too large") }
            shape.append(size)
        }
        guard let offsetsValue = fields["data_offsets"] else { throw bad("missing 'data_offsets'") }
        guard case let .array(offsets) = offsetsValue, offsets.count == 2,
              case let .integer(begin64) = offsets[0], case let .integer(end64) = offsets[1],
              let begin = Int(exactly: begin64), let end = Int(exactly: end64)
        else { throw bad("'data_offsets' \(offsetsValue) is not a pair of integers [begin, end]") }
        guard begin >= 0, begin <= end else {
            throw bad("'data_offsets' [\(begin), \(end)] need 0 ≤ begin ≤ end")
        }
        // Shape product × element size, refusing to overflow.
        var needed = dtype.byteSize
        var overflow = false
        for dim in shape {
            let (product, o) = needed.multipliedReportingOverflow(by: dim)
            overflow = overflow || o
            needed = product
        }
        if overflow { throw bad("shape \(shape) of \(dtype.rawValue) is too large to address") }
        guard needed == end - begin else {
            throw SafetensorsError.sizeMismatch(file: file, tensor: name, shape: shape, dtype: dtype,
                                                needed: needed, given: end - begin)
        }
        guard end <= dataSize else {
            throw SafetensorsError.outOfRange(file: file, tensor: name, end: end, dataSize: dataSize)
        }
        return SafetensorsEntry(name: name, dtype: dtype, shape: shape, dataOffsets: begin ..< end)
    }

    /// Non-empty ranges, sorted by start, must each begin at or after the previous one's end.
    private static func checkNoOverlap(_ entries: some Collection<SafetensorsEntry>, file: String) throws {
        let sorted = entries.filter { !$0.dataOffsets.isEmpty }
            .sorted { ($0.dataOffsets.lowerBound, $0.name) < ($1.dataOffsets.lowerBound, $1.name) }
        for (previous, next) in zip(sorted, sorted.dropFirst())
        where next.dataOffsets.lowerBound < previous.dataOffsets.upperBound {
            throw SafetensorsError.overlap(file: file, first: previous.name, second: next.name)
        }
    }

    private static func reason(_ error: Error) -> String {
        if case let DecodingError.dataCorrupted(context) = error {
            return context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription
        }
        return "\(error)"
    }
}

/// A JSON value with integers kept apart from other numbers, so `2` and `2.5` can be told apart.
enum JSONValue: Decodable, Sendable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    var description: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return String(b)
        case let .integer(n): return String(n)
        case let .number(x): return String(x)
        case let .string(s): return "\"\(s)\""
        case let .array(items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case let .object(fields): return "{" + fields.keys.sorted().map { "\"\($0)\": …" }.joined(separator: ", ") + "}"
        }
    }
}
