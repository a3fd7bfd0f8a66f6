import Foundation

/// One tensor's description in a safetensors header.
public struct SafetensorsEntry: Equatable, Sendable {
    /// The tensor's name as stored (e.g. `encoder.layer.0.attention.self.query.weight`).
    public let name: String
    public let dtype: SafetensorsDType
    /// Dimensions, outermost first; `[]` is a 0-d scalar.
    public let shape: [Int]
    /// Byte range relative to the start of the data area (after the header).
    public let dataOffsets: Range<Int>

    /// Number of elements (the product of `shape`; 1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}

/// A validated, read-only safetensors file.
///
/// Format (huggingface/safetensors `docs/source/index.mdx`): 8-byte little-endian u64 header
/// length N, N bytes of JSON `{name: {"dtype", "shape", "data_offsets": [begin, end]},
/// "__metadata__": {str: str}}`, then the data area, offsets relative to its start. The whole
/// header is validated on open (see `SafetensorsHeader`), so reading a tensor afterwards
/// cannot go out of bounds.
public struct SafetensorsFile: Sendable {
    /// Headers above this size are refused (the Python library's own cap is 100 MB).
    public static let maximumHeaderLength = 100_000_000

    /// The file as named in error messages.
    public let file: String
    /// Key-value strings from `__metadata__` (empty when absent).
    public let metadata: [String: String]
    /// Tensor names, sorted.
    public let names: [String]

    private let entries: [String: SafetensorsEntry]
    private let bytes: Data
    private let dataStart: Int
    /// The path when opened from a file: F32 tensors are then read with `pread` straight into
    /// their storage, so the mapping's data pages are never touched and a loaded model is
    /// resident once, not twice (mapped file + copy).
    private var path: String?

    /// Opens and validates the file at `url`, memory-mapping it.
    ///
    /// - Throws: `SafetensorsError` naming the file and the problem.
    public init(contentsOf url: URL) throws {
        let file = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw SafetensorsError.unreadable(file: file, reason: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw SafetensorsError.unreadable(file: file, reason: "it is a folder, not a file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw SafetensorsError.unreadable(file: file, reason: error.localizedDescription)
        }
        try self.init(data: data, file: file)
        path = file
    }

    /// Validates safetensors bytes held in memory; `file` is the name used in error messages.
    public init(data: Data, file: String) throws {
        // Rebase so indices start at 0 even when `data` is a slice.
        let data = data.startIndex == 0 ? data : Data(data)
        guard data.count >= 8 else { throw SafetensorsError.tooShort(file: file, size: data.count) }
        var length: UInt64 = 0
        for i in 0 ..< 8 { length |= UInt64(data[i]) << (8 * UInt64(i)) }
        guard length <= UInt64(Self.maximumHeaderLength) else {
            throw SafetensorsError.headerTooLarge(file: file, headerLength: length,
                                                  limit: Self.maximumHeaderLength)
        }
        guard length <= UInt64(data.count - 8) else {
            throw SafetensorsError.headerPastEndOfFile(file: file, headerLength: length, fileSize: data.count)
        }
        let dataStart = 8 + Int(length)
        let header = try SafetensorsHeader(json: data[8 ..< dataStart],
                                           dataSize: data.count - dataStart, file: file)
        self.file = file
        self.metadata = header.metadata
        self.entries = header.entries
        self.names = header.entries.keys.sorted()
        self.bytes = data
        self.dataStart = dataStart
    }

    /// The description of tensor `name`, or nil if there is none.
    public func entry(_ name: String) -> SafetensorsEntry? { entries[name] }

    /// Tensor `name`'s values converted to Float, in row-major order.
    ///
    /// F32 is copied as is; F16, BF16 and F64 are converted (F64 rounds to nearest); integer
    /// and BOOL types become their numeric value (BOOL: 0 or 1).
    /// - Throws: `SafetensorsError.noSuchTensor` when the name is absent.
    public func floats(_ name: String) throws -> [Float] {
        guard let entry = entries[name] else { throw SafetensorsError.noSuchTensor(file: file, tensor: name) }
        let start = dataStart + entry.dataOffsets.lowerBound
        return bytes.withUnsafeBytes { raw in
            entry.dtype.floats(from: raw, offset: start, count: entry.elementCount)
        }
    }

    /// Tensor `name` as a Float tensor of its stored shape (values as `floats(_:)` gives them).
    /// - Throws: `SafetensorsError.noSuchTensor`, or `.unreadable` when the file changed since it
    ///   was opened and the bytes cannot be read.
    public func tensor(_ name: String) throws -> Tensor {
        guard let entry = entries[name] else { throw SafetensorsError.noSuchTensor(file: file, tensor: name) }
        let count = entry.elementCount
        #if _endian(little)
        if entry.dtype == .f32, let path, count > 0 {
            let storage = Storage(uninitializedCount: count)
            try Self.read(path, into: UnsafeMutableRawPointer(storage.base), count: count * 4,
                          at: dataStart + entry.dataOffsets.lowerBound, file: file)
            return Tensor(storage: storage, layout: Layout(contiguous: entry.shape))
        }
        #endif
        return try floats(name).withUnsafeBufferPointer {
            Tensor(storage: Storage(copying: $0), layout: Layout(contiguous: entry.shape))
        }
    }

    /// Reads `count` bytes at `offset` of the file at `path` into `buffer`.
    private static func read(_ path: String, into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int,
                             file: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw SafetensorsError.unreadable(file: file, reason: "cannot open it again to read the weights (errno \(errno))")
        }
        defer { close(descriptor) }
        var done = 0
        while done < count {
            let got = pread(descriptor, buffer + done, count - done, off_t(offset + done))
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else {
                throw SafetensorsError.unreadable(file: file, reason: "the file changed or shrank while the weights were read")
            }
            done += got
        }
    }

    /// Tensor `name`'s stored bytes, unconverted (little-endian elements of `entry.dtype`).
    public func rawBytes(_ name: String) throws -> Data {
        guard let entry = entries[name] else { throw SafetensorsError.noSuchTensor(file: file, tensor: name) }
        let start = dataStart + entry.dataOffsets.lowerBound
        return bytes.subdata(in: start ..< start + entry.dataOffsets.count)
    }
}
