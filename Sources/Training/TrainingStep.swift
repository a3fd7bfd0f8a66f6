import Foundation
import NN
import Tensors

/// The texts of one batch and, per task, each text's class index (nil = no label for that task).
public struct StepBatch: Sendable {
    public let texts: [String]
    /// Task → one optional class index per text. Only these tasks contribute loss.
    public let targets: [String: [Int?]]

    public init(texts: [String], targets: [String: [Int?]]) {
        self.texts = texts
        self.targets = targets
    }
}

/// What one training step measured.
public struct StepOutcome: Sendable {
    /// Cross-entropy per task that had labelled examples in the batch.
    public let losses: [String: Float]
    /// Batch accuracy per task (fraction), over the same examples.
    public let accuracies: [String: Double]
    /// Labelled examples per task.
    public let counts: [String: Int]
    /// Σ weight·loss, the value back-propagated.
    public let total: Float
    /// The global gradient norm before clipping (nil when nothing was updated).
    public let gradientNorm: Float?
    /// False when the batch had no labelled example, so no update was made.
    public let updated: Bool
}

/// One optimizer step of multi-task training: forward in training mode, per-task
/// cross-entropy over the examples with that task's label, weighted total, backward, checks,
/// clipping, update.
///
/// Nothing changes when the step fails: a non-finite loss or gradient throws before the
/// optimizer runs, so the weights and optimizer state stay as they were.
public enum TrainingStep {
    /// Runs one step.
    /// - Parameters:
    ///   - tasks: the model's tasks in order (losses are added in this order).
    ///   - weights: loss weight per task (1 when absent).
    ///   - clipNorm: clip gradients to this global norm first (nil: no clipping).
    ///   - step: the 1-based global step number, for error messages.
    ///   - inspectGradients: sees the gradients right after backward (before clipping).
    /// - Throws: `TrainingError.nonFiniteLoss` / `.nonFiniteGradient` naming the step and task,
    ///   or errors of the model, loss and optimizer.
    public static func run(model: some MultiTaskTrainable, batch: StepBatch, tasks: [TaskLabels],
                           weights: [String: Double] = [:], optimizer: any Optimizer, clipNorm: Float? = nil,
                           step: Int, generator: inout SeededGenerator,
                           inspectGradients: ((GradientStore) -> Void)? = nil) throws -> StepOutcome {
        let logits = try model.taskLogits(for: batch.texts, training: true, generator: &generator)
        var losses: [String: Float] = [:], accuracies: [String: Double] = [:], counts: [String: Int] = [:]
        var total: Tensor?
        for task in tasks {
            guard let targets = batch.targets[task.name] else { continue }
            guard let taskLogits = logits[task.name] else { throw TrainingError.missingTaskOutput(task: task.name) }
            guard let selected = try TaskRows(logits: taskLogits, targets: targets) else { continue }
            let loss = try Loss.crossEntropy(selected.logits, targets: selected.targets)
            let value = try loss.item()
            guard value.isFinite else { throw TrainingError.nonFiniteLoss(step: step, task: task.name, value: value) }
            losses[task.name] = value
            accuracies[task.name] = try selected.accuracy()
            counts[task.name] = selected.targets.count
            let weighted = loss * Float(weights[task.name] ?? 1)
            total = try total.map { try $0 + weighted } ?? weighted
        }
        guard let total else {
            return StepOutcome(losses: [:], accuracies: [:], counts: [:], total: 0, gradientNorm: nil, updated: false)
        }
        let totalValue = try total.item()
        var gradients = try total.backward()
        inspectGradients?(gradients)

        let parameters = model.trainingParameters
        let trainable = parameters.filter(\.requiresGrad)
        let norm = GradientClipping.globalNorm(gradients, parameters: trainable)
        if !norm.isFinite {
            let culprit = trainable.first { p in
                gradients[p]?.withUnsafeBufferPointer { $0.contains { !$0.isFinite } } ?? false
            }
            let name = culprit?.name ?? "?"
            let task = tasks.first { name.hasPrefix("heads.\($0.name).") }?.name
            throw TrainingError.nonFiniteGradient(step: step, parameter: name,
                                                  task: task ?? tasks.filter { losses[$0.name] != nil }.map(\.name).joined(separator: "+"))
        }
        if let clipNorm { try GradientClipping.clip(&gradients, parameters: trainable, maxNorm: clipNorm) }
        try optimizer.step(parameters, gradients: gradients)
        // Finite gradients can still give a non-finite update (a huge learning rate overflowing):
        // say so at once rather than let the next step report a NaN loss as if the weights were sound.
        if let damaged = trainable.first(where: { p in p.value.withUnsafeBufferPointer { $0.contains { !$0.isFinite } } }) {
            throw TrainingError.nonFiniteUpdate(step: step, parameter: damaged.name)
        }
        return StepOutcome(losses: losses, accuracies: accuracies, counts: counts, total: totalValue,
                           gradientNorm: norm, updated: true)
    }
}

/// The rows of a task's logits whose examples have a label, with those labels.
struct TaskRows {
    let logits: Tensor
    let targets: [Int]

    /// nil when no example has a label. All rows labelled → the logits themselves (no copy);
    /// otherwise the labelled rows picked by an embedding lookup, which is differentiable.
    init?(logits: Tensor, targets: [Int?]) throws {
        guard logits.rank == 2, logits.shape[0] == targets.count else {
            throw TrainingError.badTaskOutput(shape: logits.shape, batch: targets.count)
        }
        let rows = targets.indices.filter { targets[$0] != nil }
        guard !rows.isEmpty else { return nil }
        self.targets = rows.compactMap { targets[$0] }
        self.logits = rows.count == targets.count ? logits : try Tensor.embedding(weight: logits, ids: IndexTensor(rows))
    }

    /// The fraction of rows whose largest logit is the target (the first wins a tie).
    func accuracy() throws -> Double {
        let predictions = try Metrics.argmax(logits.toArray(), classes: logits.shape[1])
        return try Metrics.accuracy(predictions: predictions, targets: targets)
    }
}
