import Tensors

/// A task a model predicts: its name and its label names (class `i` is `labels[i]`).
public struct TaskLabels: Equatable, Sendable {
    public let name: String
    public let labels: [String]

    public init(name: String, labels: [String]) {
        self.name = name
        self.labels = labels
    }
}

/// What the trainer and evaluator need from a multi-task model.
///
/// `MultiTaskModel` (module Models) conforms through an extension in `TrainerModel+MultiTask.swift`;
/// tests use small models of their own. Keeping the loop on this protocol means the trainer
/// knows nothing of tokenizers or encoders: the model tokenises (with dynamic padding) itself.
public protocol MultiTaskTrainable: AnyObject {
    /// The task heads, in the model's order (the order of log letters A, B, …).
    var trainableTasks: [TaskLabels] { get }
    /// Every parameter under its dotted name, frozen ones included (optimizers skip those).
    var trainingParameters: [Parameter] { get }
    /// Logits [B, C] per task for `texts`, tokenised and padded to the longest text.
    ///
    /// - Parameters:
    ///   - training: true for training mode (dropout active), false for evaluation mode; the
    ///     model must be left in the mode it had before.
    ///   - generator: where dropout masks come from, so one generator drives a whole run.
    func taskLogits(for texts: [String], training: Bool, generator: inout SeededGenerator) throws -> [String: Tensor]
}
