/// Why a model could not be built, loaded or run.
public enum ModelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A batch that is not rectangular, or whose ids do not fit the model.
    case invalidBatch(String)
    /// A weights file lacking tensors the model needs, or holding them in other shapes.
    case incompatibleWeights(file: String, missing: [String], misShaped: [ShapeMismatch])
    /// A size, name or option that cannot make a model.
    case invalidArgument(String)
    /// A freezing address or pattern that names nothing.
    case unknownAddress(String, validGroups: [String])

    public var description: String {
        switch self {
        case let .invalidBatch(problem):
            return "invalid batch: \(problem)"
        case let .incompatibleWeights(file, missing, misShaped):
            var lines = ["\(file) does not fit the model:"]
            if !missing.isEmpty {
                let shown = missing.prefix(10).joined(separator: ", ")
                lines.append("  missing \(missing.count) tensor(s): \(shown)\(missing.count > 10 ? ", …" : "")")
            }
            for problem in misShaped.prefix(10) {
                lines.append("  \(problem.name): expected shape \(problem.expected), found \(problem.found)")
            }
            if misShaped.count > 10 { lines.append("  … and \(misShaped.count - 10) more mis-shaped tensors") }
            lines.append("Check that config.json describes these weights (hidden size, layers, vocabulary).")
            return lines.joined(separator: "\n")
        case let .invalidArgument(problem):
            return problem
        case let .unknownAddress(address, groups):
            return "'\(address)' matches no parameter; valid groups: \(groups.joined(separator: ", ")) (or all, a glob pattern over parameter names such as encoder.*.layer.[0-2].*)"
        }
    }
}

/// A tensor whose stored shape differs from the model's.
public struct ShapeMismatch: Equatable, Sendable {
    public var name: String
    public var expected: [Int]
    public var found: [Int]

    public init(name: String, expected: [Int], found: [Int]) {
        self.name = name
        self.expected = expected
        self.found = found
    }
}
