import Foundation
import NN
import Tensors

/// One shared `SentenceEncoder` and named task heads, each mapping the sentence vector to logits.
///
/// Parameter names (PyTorch-compatible, so weights move both ways): `encoder.<checkpoint names>`,
/// `projection.weight|bias`, `heads.<task>.0.weight|bias`, `heads.<task>.2.weight|bias`.
public final class MultiTaskModel: Module, @unchecked Sendable {
    public let encoder: SentenceEncoder
    /// The heads, in task order.
    public let heads: [TaskHead]
    public var isTraining = false

    /// - Parameters:
    ///   - tasks: at least one, distinct names; defaults to `TaskSpec.defaults`.
    ///   - seed: initialises the heads (PyTorch's `nn.Linear` scheme).
    /// - Throws: `ModelError.invalidArgument` for no tasks, a duplicate task name, or a bad spec.
    public init(encoder: SentenceEncoder, tasks: [TaskSpec] = TaskSpec.defaults, seed: UInt64 = 0) throws {
        guard !tasks.isEmpty else { throw ModelError.invalidArgument("a multi-task model needs at least one task") }
        var seen = Set<String>()
        for task in tasks where !seen.insert(task.name).inserted {
            throw ModelError.invalidArgument("task '\(task.name)' is given twice; task names must be distinct")
        }
        var generator = SeededGenerator(seed: seed)
        self.encoder = encoder
        self.heads = try tasks.map {
            try TaskHead(spec: $0, inputSize: encoder.dimension, generator: &generator, random: encoder.random)
        }
    }

    /// The task names, in order.
    public var taskNames: [String] { heads.map(\.spec.name) }

    /// The head of `task`, or nil.
    public func head(_ task: String) -> TaskHead? { heads.first { $0.spec.name == task } }

    public var children: [(String, any Module)] {
        [("", encoder)] + heads.map { ("heads.\($0.spec.name)", $0) }
    }

    // MARK: - Forward

    /// Logits of every task for `batch`. `training` switches dropout on and is undone afterwards;
    /// the tape is recorded unless the caller is inside `withoutGrad`.
    public func forward(_ batch: TokenBatch, training: Bool) throws -> TaskOutputs {
        try withMode(training: training) {
            let embeddings = try encoder.forward(batch)
            return TaskOutputs(embeddings: embeddings, tasks: taskNames, logits: try heads.map { try $0(embeddings) })
        }
    }

    /// `forward` on texts, tokenized into one padded batch.
    public func forward(texts: [String], training: Bool) throws -> TaskOutputs {
        try forward(encoder.tokenize(texts), training: training)
    }

    /// `forward` on token ids and attention mask (all ones when nil).
    public func forward(ids: [[Int]], attentionMask: [[Int]]? = nil, training: Bool) throws -> TaskOutputs {
        try forward(TokenBatch(ids: ids, attentionMask: attentionMask), training: training)
    }

    // MARK: - Prediction

    /// For each text (in input order): every task's logits, softmax probabilities and the label
    /// with the highest probability. Evaluation mode, no tape, length-sorted batches.
    public func predict(_ texts: [String], batchSize: Int = 32) throws -> [Prediction] {
        // One [B, Σ labels] tensor per batch, so the encoder's batching serves every head.
        let rows = try encoder.inBatches(texts, batchSize: batchSize) { batch in
            try withMode(training: false) {
                let embeddings = try encoder.forward(batch)
                return try Tensor.concat(heads.map { try $0(embeddings) }, dim: 1)
            }
        }
        return rows.map { row in
            var offset = 0
            return Prediction(tasks: heads.map { head in
                let count = head.spec.labels.count
                let logits = Array(row[offset ..< offset + count])
                offset += count
                return TaskPrediction(task: head.spec.name, labels: head.spec.labels, logits: logits)
            })
        }
    }

    /// The prediction for one text.
    public func predict(_ text: String) throws -> Prediction {
        try predict([text], batchSize: 1)[0]
    }
}

/// The result of `MultiTaskModel.forward`: sentence vectors and each task's logits.
public struct TaskOutputs: Sendable {
    /// [B, dimension].
    public let embeddings: Tensor
    /// Task names, in model order.
    public let tasks: [String]
    /// [B, labels] per task, in `tasks` order.
    public let logits: [Tensor]

    /// The logits of `task`, or nil when the model has no such task.
    public subscript(task: String) -> Tensor? {
        tasks.firstIndex(of: task).map { logits[$0] }
    }
}

/// One text's predictions, one per task in model order.
public struct Prediction: Equatable, Sendable {
    public let tasks: [TaskPrediction]

    public subscript(task: String) -> TaskPrediction? { tasks.first { $0.task == task } }
}

/// One task's prediction for one text.
public struct TaskPrediction: Equatable, Sendable {
    public let task: String
    public let labels: [String]
    public let logits: [Float]
    /// softmax(logits).
    public let probabilities: [Float]
    /// The index of the largest logit (the first on ties, as `torch.argmax`).
    public let labelIndex: Int

    public var label: String { labels[labelIndex] }

    public init(task: String, labels: [String], logits: [Float]) {
        self.task = task
        self.labels = labels
        self.logits = logits
        let top = logits.max() ?? 0
        let exps = logits.map { Foundation.exp(Double($0 - top)) }
        let total = exps.reduce(0, +)
        probabilities = exps.map { Float($0 / total) }
        labelIndex = logits.indices.max { logits[$0] < logits[$1] || (logits[$0] == logits[$1] && $0 > $1) } ?? 0
    }
}
