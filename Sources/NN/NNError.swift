/// Why a layer cannot be built.
public enum NNError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A parameter whose shape does not fit the layer.
    case invalidParameter(name: String, expected: String, found: [Int])
    /// A size (features, width) that must be positive.
    case invalidSize(what: String, value: Int)
    /// A dropout probability outside [0, 1).
    case invalidProbability(Float)

    public var description: String {
        switch self {
        case let .invalidParameter(name, expected, found):
            return "parameter \(name.isEmpty ? "(unnamed)" : name) has shape \(found), expected \(expected)"
        case let .invalidSize(what, value):
            return "\(what) must be positive, got \(value)"
        case let .invalidProbability(p):
            return "dropout probability must be in [0, 1), got \(p)"
        }
    }
}
