import Foundation
import NN
import Tensors

/// How well a model does on one task of a dataset.
public struct TaskEvaluation: Sendable {
    public let task: String
    /// Mean cross-entropy over the examples with this task's label.
    public let loss: Double
    public let accuracy: Double
    /// scikit-learn's macro-F1 (over classes present in targets or predictions).
    public let macroF1: Double
    /// Rows true labels, columns predictions, named by the model's labels.
    public let confusion: ConfusionMatrix
    /// Examples with this task's label.
    public var count: Int { confusion.total }
}

/// The evaluation of a model on a dataset: one `TaskEvaluation` per task, in the model's order.
public struct EvaluationReport: Sendable {
    public let tasks: [TaskEvaluation]
    /// Σ weight·loss over the tasks (weights 1 unless given).
    public let totalLoss: Double

    /// The evaluation of `task`, if it was measured.
    public subscript(task: String) -> TaskEvaluation? { tasks.first { $0.task == task } }

    /// The report as a run-history record.
    public func record(epoch: Int, step: Int, seconds: Double? = nil) -> EvalRecord {
        var losses: [String: Double] = [:], accuracies: [String: Double] = [:], f1: [String: Double] = [:]
        for t in tasks {
            losses[t.task] = t.loss
            accuracies[t.task] = t.accuracy
            f1[t.task] = t.macroF1
        }
        return EvalRecord(epoch: epoch, step: step, losses: losses, accuracies: accuracies, macroF1: f1,
                          totalLoss: totalLoss, seconds: seconds)
    }

    /// `Loss A: …, Total: …`, `Acc A: …`, then per task its macro-F1 and confusion matrix.
    public func rendered() -> String {
        var lines = [LogLine.losses(tasks.map { $0.loss }, total: totalLoss), LogLine.accuracies(tasks.map { $0.accuracy })]
        for (i, t) in tasks.enumerated() {
            lines.append("")
            lines.append("\(LogLine.taskLetter(i)) = \(t.task): \(t.count) examples, accuracy \(String(format: "%.2f%%", t.accuracy * 100)), macro-F1 \(String(format: "%.4f", t.macroF1)), loss \(String(format: "%.4f", t.loss))")
            lines.append(t.confusion.rendered())
        }
        return lines.joined(separator: "\n")
    }
}

/// Measures a model on a dataset in evaluation mode (dropout off) without recording a graph.
public enum Evaluator {
    /// Per task loss, accuracy, macro-F1 and confusion matrix over the examples with its label.
    /// - Parameters:
    ///   - tasks: only these tasks (default: every model task the dataset has).
    ///   - weights: loss weights for `totalLoss`.
    ///   - betweenBatches: called before every batch but the first; throwing stops the evaluation
    ///     with that error (the shell checks for Ctrl-C there).
    /// - Throws: `TrainingError.unknownLabel` (with the example's place), `.noCommonTask`,
    ///   `.emptyDataset`, model errors, and whatever `betweenBatches` throws.
    public static func evaluate(_ model: some MultiTaskTrainable, on dataset: Dataset, batchSize: Int = 32,
                                tasks: [String]? = nil, weights: [String: Double] = [:],
                                betweenBatches: () throws -> Void = {}) throws -> EvaluationReport {
        guard batchSize >= 1 else { throw TrainingError.badOption(name: "batch", value: "\(batchSize)", expected: "a whole number ≥ 1") }
        guard !dataset.isEmpty else { throw TrainingError.emptyDataset(name: dataset.name) }
        let labels = try TrainerLabels(model: model.trainableTasks, dataset: dataset, only: tasks)
        return try evaluate(model, on: dataset, labels: labels, batchSize: batchSize, weights: weights, betweenBatches: betweenBatches)
    }

    static func evaluate(_ model: some MultiTaskTrainable, on dataset: Dataset, labels: TrainerLabels,
                         batchSize: Int, weights: [String: Double], betweenBatches: () throws -> Void = {}) throws -> EvaluationReport {
        var lossSums = [String: Double](), matrices = [String: ConfusionMatrix]()
        for task in labels.tasks { matrices[task.name] = ConfusionMatrix(labels: task.labels) }
        // Evaluation mode draws no dropout mask; the generator only satisfies the signature.
        var unused = SeededGenerator(seed: 0)
        try withoutGrad {
            var start = 0
            while start < dataset.count {
                if start > 0 { try betweenBatches() }
                let indices = Array(start..<min(start + batchSize, dataset.count))
                start += batchSize
                let batch = labels.batch(indices, of: dataset, task: nil)
                let logits = try model.taskLogits(for: batch.texts, training: false, generator: &unused)
                for task in labels.tasks {
                    guard let targets = batch.targets[task.name] else { continue }
                    guard let taskLogits = logits[task.name] else { throw TrainingError.missingTaskOutput(task: task.name) }
                    guard let rows = try TaskRows(logits: taskLogits, targets: targets) else { continue }
                    let loss = try Loss.crossEntropy(rows.logits, targets: rows.targets).item()
                    lossSums[task.name, default: 0] += Double(loss) * Double(rows.targets.count)
                    let predictions = try Metrics.argmax(rows.logits.toArray(), classes: rows.logits.shape[1])
                    try matrices[task.name]?.add(targets: rows.targets, predictions: predictions)
                }
            }
        }
        var results: [TaskEvaluation] = []
        var total = 0.0
        for task in labels.tasks {
            guard let matrix = matrices[task.name], matrix.total > 0 else { continue }
            let loss = (lossSums[task.name] ?? 0) / Double(matrix.total)
            total += (weights[task.name] ?? 1) * loss
            results.append(TaskEvaluation(task: task.name, loss: loss, accuracy: matrix.accuracy,
                                          macroF1: matrix.macroF1, confusion: matrix))
        }
        return EvaluationReport(tasks: results, totalLoss: total)
    }
}
