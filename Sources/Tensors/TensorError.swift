/// What went wrong in a tensor operation called with unsuitable arguments.
public enum TensorError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The number of values does not match the product of the shape.
    case elementCountMismatch(shape: [Int], count: Int)
    /// Two shapes cannot be broadcast together (NumPy rules) in `operation`.
    case broadcastMismatch(operation: String, lhs: [Int], rhs: [Int])
    /// Shapes that must agree do not, e.g. inner dimensions of a matrix product.
    case shapeMismatch(operation: String, expected: String, got: [Int])
    /// A dimension index outside `-rank..<rank`.
    case dimensionOutOfRange(operation: String, dim: Int, rank: Int)
    /// A range or index outside a dimension's extent.
    case indexOutOfRange(operation: String, index: Int, size: Int)
    /// An argument with a value that makes no sense (negative size, p outside [0, 1), ...).
    case invalidArgument(operation: String, reason: String)
    /// `backward()` called on a tensor that is not a single value, or that records no graph.
    case invalidBackward(reason: String)

    public var description: String {
        switch self {
        case let .elementCountMismatch(shape, count):
            return "shape \(shape) holds \(shape.reduce(1, *)) values but \(count) were given; pass exactly as many values as the shape holds"
        case let .broadcastMismatch(operation, lhs, rhs):
            return "\(operation): shapes \(lhs) and \(rhs) cannot be broadcast together; each dimension must be equal or 1 (aligned from the right)"
        case let .shapeMismatch(operation, expected, got):
            return "\(operation): expected \(expected), got shape \(got)"
        case let .dimensionOutOfRange(operation, dim, rank):
            return "\(operation): dimension \(dim) is out of range for a tensor of rank \(rank); use -\(rank)...\(rank - 1)"
        case let .indexOutOfRange(operation, index, size):
            return "\(operation): index \(index) is out of range for a dimension of size \(size)"
        case let .invalidArgument(operation, reason):
            return "\(operation): \(reason)"
        case let .invalidBackward(reason):
            return "backward: \(reason)"
        }
    }
}
