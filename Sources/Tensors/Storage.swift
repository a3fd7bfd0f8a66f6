#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reference-counted, 64-byte aligned Float32 memory shared by a tensor and all its views.
///
/// The memory is written once when a kernel produces it and read afterwards; the only later
/// writes are an optimiser's in-place parameter updates (see `Parameter.update`), made while no
/// forward pass runs. That discipline is why the class may be `@unchecked Sendable`.
final class Storage: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    let count: Int
    /// Whether `base` is an anonymous mapping of its own (large zero-filled storage), unmapped on
    /// release rather than freed or pooled.
    private let mapped: Bool
    /// For storage made by `zeroed(count:rowLength:writtenRows:)`: the only rows (of `rowLength`
    /// floats, sorted, unique) its maker wrote; every other element is +0. Readers may skip the
    /// rest without reading it. nil: nothing known.
    let writtenRows: [Int32]?
    let writtenRowLength: Int

    /// Uninitialised memory for `count` floats: the caller writes every element.
    init(uninitializedCount count: Int) {
        self.count = count
        mapped = false
        writtenRows = nil
        writtenRowLength = 0
        if let reused = StoragePool.take(count) {
            base = reused
            return
        }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride,
                                                   alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Zero-filled storage at least this large is mapped fresh from the kernel (`zeroed`).
    static let mappedZeroCount = 1 << 20  // 4 MiB

    /// Memory for `count` zeros. Large ones are a fresh anonymous mapping: the kernel supplies
    /// zero pages on first touch, so only the pages written count in the resident set. An
    /// embedding table's gradient (30522 × 384 floats, 47 MB for MiniLM) is written only in the
    /// rows of the batch's tokens.
    private init(zeroedCount count: Int, rowLength: Int = 0, writtenRows: [Int32]? = nil) {
        self.count = count
        self.writtenRows = writtenRows
        writtenRowLength = rowLength
        let bytes = count * MemoryLayout<Float>.stride
        let memory = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        if let memory, memory != MAP_FAILED {
            base = memory.bindMemory(to: Float.self, capacity: count)
            mapped = true
        } else {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            base = raw.bindMemory(to: Float.self, capacity: count)
            base.initialize(repeating: 0, count: count)
            mapped = false
        }
    }

    /// Zeros, of which the maker will write only `writtenRows` (rows of `rowLength` floats,
    /// sorted and unique); recorded so that readers of a sparse result (an embedding table's
    /// gradient) can skip the rows known to be zero.
    static func zeroed(count: Int, rowLength: Int, writtenRows: [Int32]) -> Storage {
        if count >= mappedZeroCount { return Storage(zeroedCount: count, rowLength: rowLength, writtenRows: writtenRows) }
        return Storage(repeating: 0, count: count)
    }

    /// Memory holding `count` copies of `value`.
    convenience init(repeating value: Float, count: Int) {
        if value == 0 && value.sign == .plus && count >= Self.mappedZeroCount {
            self.init(zeroedCount: count)
            return
        }
        self.init(uninitializedCount: count)
        base.initialize(repeating: value, count: count)
    }

    /// Memory holding a copy of `values`.
    convenience init(copying values: UnsafeBufferPointer<Float>) {
        self.init(uninitializedCount: values.count)
        if let source = values.baseAddress { base.initialize(from: source, count: values.count) }
    }

    deinit {
        if mapped {
            munmap(base, count * MemoryLayout<Float>.stride)
        } else if !StoragePool.give(base, count: count) {
            UnsafeMutableRawPointer(base).deallocate()
        }
    }
}
