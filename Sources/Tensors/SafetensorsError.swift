/// Why a safetensors file could not be read or written; every message names the file and,
/// where one is involved, the tensor.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened or read (missing, a folder, no permission).
    case unreadable(file: String, reason: String)
    /// Fewer than the 8 bytes of the header-length prefix.
    case tooShort(file: String, size: Int)
    /// The header length prefix points past the end of the file.
    case headerPastEndOfFile(file: String, headerLength: UInt64, fileSize: Int)
    /// The header length is above the reader's sanity cap.
    case headerTooLarge(file: String, headerLength: UInt64, limit: Int)
    /// The header bytes are not UTF-8, not JSON, or not a JSON object.
    case invalidHeader(file: String, problem: String)
    /// `__metadata__` is not an object of strings.
    case invalidMetadata(file: String, problem: String)
    /// A tensor entry lacks a field or has one of the wrong form.
    case invalidEntry(file: String, tensor: String, problem: String)
    /// A dtype this reader does not know.
    case unknownDType(file: String, tensor: String, dtype: String)
    /// Shape × element size differs from the byte length the offsets give.
    case sizeMismatch(file: String, tensor: String, shape: [Int], dtype: SafetensorsDType,
                      needed: Int, given: Int)
    /// The data offsets end beyond the data area.
    case outOfRange(file: String, tensor: String, end: Int, dataSize: Int)
    /// Two tensors share bytes.
    case overlap(file: String, first: String, second: String)
    /// `floats(_:)` or `entry(_:)` asked for a name that is not in the file.
    case noSuchTensor(file: String, tensor: String)
    /// The writer was given a tensor it cannot write (bad shape, duplicate or reserved name).
    case invalidTensor(file: String, tensor: String, problem: String)
    /// Writing or renaming the output failed.
    case writeFailed(file: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the file (\(reason))"
        case let .tooShort(file, size):
            return "\(file): \(size) bytes is too short for a safetensors file (needs at least the 8-byte header length); the file is truncated or not safetensors"
        case let .headerPastEndOfFile(file, length, size):
            return "\(file): header length \(length) runs past the end of the \(size)-byte file; the file is truncated or not safetensors"
        case let .headerTooLarge(file, length, limit):
            return "\(file): header length \(length) exceeds the \(limit)-byte limit; the file is damaged or not safetensors"
        case let .invalidHeader(file, problem):
            return "\(file): header is not a valid safetensors JSON object: \(problem)"
        case let .invalidMetadata(file, problem):
            return "\(file): '__metadata__' \(problem)"
        case let .invalidEntry(file, tensor, problem):
            return "\(file): tensor '\(tensor)': \(problem)"
        case let .unknownDType(file, tensor, dtype):
            return "\(file): tensor '\(tensor)': unknown dtype '\(dtype)' (supported: \(SafetensorsDType.supportedList))"
        case let .sizeMismatch(file, tensor, shape, dtype, needed, given):
            return "\(file): tensor '\(tensor)': shape \(shape) of \(dtype.rawValue) needs \(needed) bytes but data_offsets give \(given)"
        case let .outOfRange(file, tensor, end, dataSize):
            return "\(file): tensor '\(tensor)': data_offsets end at \(end), past the \(dataSize)-byte data area; the file is truncated or damaged"
        case let .overlap(file, first, second):
            return "\(file): tensors '\(first)' and '\(second)' have overlapping data_offsets; the file is damaged"
        case let .noSuchTensor(file, tensor):
            return "\(file): no tensor named '\(tensor)'"
        case let .invalidTensor(file, tensor, problem):
            return "\(file): cannot write tensor '\(tensor)': \(problem)"
        case let .writeFailed(file, reason):
            return "\(file): cannot write the file (\(reason))"
        }
    }
}
