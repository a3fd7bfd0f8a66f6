import NN
import Tensors

/// What one task head predicts and how big it is.
public struct TaskSpec: Equatable, Sendable {
    /// The task's name (`sentiment`); parameter names are `heads.<name>.…`.
    public var name: String
    /// The class names, in logit order.
    public var labels: [String]
    /// Width of the hidden layer.
    public var hiddenSize: Int
    /// Dropout between ReLU and the output layer (training mode only).
    public var dropout: Double

    public init(name: String, labels: [String], hiddenSize: Int = 256, dropout: Double = 0.1) {
        self.name = name
        self.labels = labels
        self.hiddenSize = hiddenSize
        self.dropout = dropout
    }

    /// The original design's tasks: sentence type and sentiment, three classes each.
    public static let defaults: [TaskSpec] = [
        TaskSpec(name: "sentence_type", labels: ["statement", "question", "command"]),
        TaskSpec(name: "sentiment", labels: ["negative", "neutral", "positive"]),
    ]

    /// Checks name, labels and sizes.
    /// - Throws: `ModelError.invalidArgument` saying what is wrong.
    func validate() throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw ModelError.invalidArgument("task name '\(name)' must be non-empty letters, digits, _ or -")
        }
        guard !labels.isEmpty else { throw ModelError.invalidArgument("task '\(name)' has no labels; give at least one label name") }
        var seen = Set<String>()
        for label in labels where !seen.insert(label).inserted {
            throw ModelError.invalidArgument("task '\(name)' lists label '\(label)' twice")
        }
        guard hiddenSize > 0 else { throw ModelError.invalidArgument("task '\(name)': hidden size must be positive, got \(hiddenSize)") }
        guard dropout >= 0, dropout < 1 else {
            throw ModelError.invalidArgument("task '\(name)': dropout must be in [0, 1), got \(dropout)")
        }
    }
}

/// A task head: Linear → ReLU → Dropout → Linear, named as PyTorch's
/// `nn.Sequential(Linear, ReLU, Linear)` (`0.weight`, `2.weight`); dropout has no parameters,
/// so its presence does not move the names.
public final class TaskHead: Module, @unchecked Sendable {
    public let spec: TaskSpec
    public let hidden: Linear
    public let output: Linear
    let dropout: Dropout
    public var isTraining = false

    /// A head reading `inputSize` features, initialised as PyTorch's `nn.Linear`.
    init(spec: TaskSpec, inputSize: Int, generator: inout SeededGenerator, random: RandomSource) throws {
        try spec.validate()
        self.spec = spec
        hidden = try Linear(inFeatures: inputSize, outFeatures: spec.hiddenSize, name: "heads.\(spec.name).0", generator: &generator)
        output = try Linear(inFeatures: spec.hiddenSize, outFeatures: spec.labels.count, name: "heads.\(spec.name).2", generator: &generator)
        dropout = try Dropout(p: Float(spec.dropout), random: random)
    }

    public var children: [(String, any Module)] { [("0", hidden), ("1", dropout), ("2", output)] }

    /// Logits [B, labels] from sentence vectors [B, input].
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try output(dropout(hidden(x).relu()))
    }
}
