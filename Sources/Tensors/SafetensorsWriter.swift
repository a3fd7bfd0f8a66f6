import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes float32 tensors as a safetensors file, atomically.
///
/// Layout as the Python library writes it (huggingface/safetensors `safetensors/src/tensor.rs`,
/// `prepare`): `__metadata__` then the tensors in the header, the header padded with spaces
/// to a multiple of 8 bytes so the data area is 8-aligned; here tensors are laid out in name
/// order, all F32 little-endian.
public enum SafetensorsWriter {
    /// One tensor to write: a dotted name, its shape and its row-major values.
    public typealias NamedTensor = (name: String, shape: [Int], values: [Float])

    /// Writes `tensors` and `metadata` to `url` through a temporary sibling file renamed into
    /// place, so a crash never leaves a half-written file under the final name.
    ///
    /// - Throws: `SafetensorsError.invalidTensor` for a duplicate or reserved name, a negative
    ///   dimension, or a shape whose product differs from the number of values;
    ///   `SafetensorsError.writeFailed` when the file system refuses.
    public static func write(_ tensors: [NamedTensor], metadata: [String: String] = [:], to url: URL) throws {
        let file = url.path
        let (header, order) = try prepare(tensors, metadata: metadata, file: file)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw SafetensorsError.writeFailed(file: file, reason: "cannot create a temporary file in \(directory.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: header)
            // One tensor at a time, so the whole file is never held in memory twice.
            for index in order { try handle.write(contentsOf: littleEndianBytes(tensors[index].values)) }
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw SafetensorsError.writeFailed(file: file, reason: error.localizedDescription)
        }
        // rename(2) replaces an existing file atomically on POSIX file systems.
        guard rename(temporary.path, file) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw SafetensorsError.writeFailed(file: file, reason: reason)
        }
    }

    /// The complete file as bytes (for in-memory use and tests); `file` names it in errors.
    public static func encode(_ tensors: [NamedTensor], metadata: [String: String] = [:],
                              file: String = "<memory>") throws -> Data {
        var (data, order) = try prepare(tensors, metadata: metadata, file: file)
        for index in order { data.append(littleEndianBytes(tensors[index].values)) }
        return data
    }

    // MARK: - Header

    /// Validates the tensors and returns the length prefix + padded header, and the write order.
    private static func prepare(_ tensors: [NamedTensor], metadata: [String: String],
                                file: String) throws -> (Data, [Int]) {
        var seen = Set<String>()
        for tensor in tensors {
            func bad(_ problem: String) -> SafetensorsError {
                .invalidTensor(file: file, tensor: tensor.name, problem: problem)
            }
            guard !tensor.name.isEmpty else { throw bad("the name is empty") }
            guard tensor.name != "__metadata__" else { throw bad("'__metadata__' is reserved for metadata") }
            guard seen.insert(tensor.name).inserted else { throw bad("the name appears more than once") }
            guard tensor.shape.allSatisfy({ $0 >= 0 }) else { throw bad("shape \(tensor.shape) has a negative dimension") }
            var count = 1
            for dim in tensor.shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: dim)
                guard !overflow else { throw bad("shape \(tensor.shape) is too large") }
                count = product
            }
            guard count == tensor.values.count else {
                throw bad("shape \(tensor.shape) holds \(count) values but \(tensor.values.count) were given")
            }
        }
        let order = tensors.indices.sorted { tensors[$0].name < tensors[$1].name }

        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0] ?? ""))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for index in order {
            let tensor = tensors[index]
            let end = offset + tensor.values.count * 4
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append("\(jsonString(tensor.name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var json = Array("{\(fields.joined(separator: ","))}".utf8)
        // Pad with spaces (valid JSON whitespace) so 8 + N is a multiple of 8.
        while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }

        var data = Data(capacity: 8 + json.count)
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(contentsOf: json)
        return (data, order)
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259 §7).
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func littleEndianBytes(_ values: [Float]) -> Data {
        #if _endian(little)
        return values.withUnsafeBytes { Data($0) }
        #else
        return values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { Data($0) }
        #endif
    }
}
