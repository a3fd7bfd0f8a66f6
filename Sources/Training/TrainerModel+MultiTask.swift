import Models
import NN
import Tensors

/// `MultiTaskModel` as the trainer sees it: its heads' label names, its parameters, and
/// per-task logits for texts (tokenised by its encoder's tokenizer, padded to the longest).
extension MultiTaskModel: MultiTaskTrainable {
    public var trainableTasks: [TaskLabels] {
        heads.map { TaskLabels(name: $0.spec.name, labels: $0.spec.labels) }
    }

    public var trainingParameters: [Parameter] { parameters() }

    /// In training mode the model's dropout stream is the run's generator for the call: its
    /// state goes in before the forward pass and comes back after, so shuffling and dropout
    /// draw from one sequence. Evaluation mode draws nothing and leaves the stream alone.
    public func taskLogits(for texts: [String], training: Bool, generator: inout SeededGenerator) throws -> [String: Tensor] {
        let outputs: TaskOutputs
        if training {
            encoder.random.generator = generator
            defer { generator = encoder.random.generator }
            outputs = try forward(texts: texts, training: true)
        } else {
            outputs = try forward(texts: texts, training: false)
        }
        return Dictionary(zip(outputs.tasks, outputs.logits), uniquingKeysWith: { first, _ in first })
    }
}
