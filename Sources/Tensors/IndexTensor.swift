/// Integer indices with a shape: token ids for `embedding`, class ids for `gather`.
///
/// Indices are not differentiable, so they are a plain value type rather than a `Tensor`.
public struct IndexTensor: Equatable, Sendable {
    public let shape: [Int]
    /// Row-major values.
    public let values: [Int]

    /// Indices of `shape`; throws unless `values.count` is the product of `shape`.
    public init(shape: [Int], values: [Int]) throws {
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard size >= 0, !overflow else {
                throw TensorError.invalidArgument(operation: "IndexTensor", reason: "shape \(shape) has a negative or overflowing size")
            }
            count = product
        }
        guard count == values.count else {
            throw TensorError.elementCountMismatch(shape: shape, count: values.count)
        }
        self.shape = shape
        self.values = values
    }

    /// A rank-1 index tensor.
    public init(_ values: [Int]) {
        self.shape = [values.count]
        self.values = values
    }

    /// Rows of ids, all of the same length (e.g. a padded batch [B, T]).
    public init(rows: [[Int]]) throws {
        let width = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == width }) else {
            throw TensorError.invalidArgument(operation: "IndexTensor(rows:)", reason: "rows have different lengths; pad them to one length")
        }
        self.shape = [rows.count, width]
        self.values = rows.flatMap { $0 }
    }
}
