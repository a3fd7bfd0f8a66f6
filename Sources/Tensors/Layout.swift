/// Where a tensor's elements live in its storage: shape, strides (in elements) and offset.
///
/// Views (transpose, narrow, expand, ...) are new layouts over the same storage, as in candle's
/// `layout.rs`. A stride of 0 repeats an element (broadcast by `expand`).
public struct Layout: Equatable, Sendable {
    public let shape: [Int]
    public let strides: [Int]
    public let offset: Int

    /// The row-major (C order) layout of `shape` starting at `offset`.
    init(contiguous shape: [Int], offset: Int = 0) {
        self.shape = shape
        self.strides = Layout.contiguousStrides(shape)
        self.offset = offset
    }

    init(shape: [Int], strides: [Int], offset: Int) {
        precondition(shape.count == strides.count, "layout: shape and strides differ in rank")
        self.shape = shape
        self.strides = strides
        self.offset = offset
    }

    public var rank: Int { shape.count }
    public var elementCount: Int { shape.reduce(1, *) }

    /// Row-major strides of `shape`.
    public static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[d] = step
            step *= shape[d]
        }
        return strides
    }

    /// True when the elements are stored in row-major order without gaps (size-1 dims ignored).
    public var isContiguous: Bool {
        var expected = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] != 1 {
            if strides[d] != expected { return false }
            expected *= shape[d]
        }
        return true
    }

    /// The storage index of the element at `index` (one entry per dimension).
    func storageIndex(_ index: [Int]) -> Int {
        var position = offset
        for d in 0..<index.count { position += index[d] * strides[d] }
        return position
    }
}

/// Shape arithmetic shared by the ops.
enum Shapes {
    /// NumPy broadcasting: align from the right, each pair equal or one of them 1.
    static func broadcast(_ a: [Int], _ b: [Int], operation: String) throws -> [Int] {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 { result[i] = da }
            else if da == 1 { result[i] = db }
            else { throw TensorError.broadcastMismatch(operation: operation, lhs: a, rhs: b) }
        }
        return result
    }

    /// `dim` made non-negative, or an error naming the operation.
    static func normalize(dim: Int, rank: Int, operation: String) throws -> Int {
        let d = dim < 0 ? dim + rank : dim
        guard d >= 0, d < rank else {
            throw TensorError.dimensionOutOfRange(operation: operation, dim: dim, rank: rank)
        }
        return d
    }

    /// Strides that read a tensor of `layout` as if it had the (broadcast) `shape`: 0 where repeated.
    static func broadcastStrides(_ layout: Layout, to shape: [Int]) -> [Int] {
        let lead = shape.count - layout.rank
        var strides = [Int](repeating: 0, count: shape.count)
        for d in 0..<layout.rank where layout.shape[d] != 1 {
            strides[d + lead] = layout.strides[d]
        }
        return strides
    }
}
