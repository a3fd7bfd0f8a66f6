import Tensors

/// Random draws for data handling, all from the project's `SeededGenerator`.
///
/// Written out here (rather than the standard library's `shuffle(using:)` and
/// `Int.random(in:using:)`) so a seed gives the same order on every Swift version: the standard
/// library does not promise its algorithms stay the same.
public enum Sampling {
    /// A uniform integer in `0..<bound` (`bound` > 0), by Lemire's unbiased multiply-and-reject.
    public static func index(below bound: Int, using generator: inout SeededGenerator) -> Int {
        precondition(bound > 0, "Sampling.index(below:) needs a positive bound")
        let n = UInt64(bound)
        var product = generator.next().multipliedFullWidth(by: n)
        if product.low < n {
            let threshold = (0 &- n) % n
            while product.low < threshold { product = generator.next().multipliedFullWidth(by: n) }
        }
        return Int(product.high)
    }

    /// A uniform Double in [0, 1), from the top 53 bits.
    public static func unit(using generator: inout SeededGenerator) -> Double {
        Double(generator.next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `items` in a uniformly random order (Fisher–Yates, from the back).
    public static func shuffled<T>(_ items: [T], using generator: inout SeededGenerator) -> [T] {
        var result = items
        var i = result.count - 1
        while i > 0 {
            let j = index(below: i + 1, using: &generator)
            if i != j { result.swapAt(i, j) }
            i -= 1
        }
        return result
    }

    /// An index drawn with probability proportional to `weights` (non-negative, not all zero).
    public static func weightedIndex(_ weights: [Double], using generator: inout SeededGenerator) -> Int {
        let total = weights.reduce(0, +)
        precondition(total > 0, "Sampling.weightedIndex needs a positive total weight")
        let target = unit(using: &generator) * total
        var running = 0.0
        for (i, w) in weights.enumerated() {
            running += w
            if target < running { return i }
        }
        return weights.lastIndex(where: { $0 > 0 }) ?? 0
    }
}

/// How batches of a multi-task epoch are formed.
public enum MultiTaskStrategy: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// Each batch comes from all examples; every task with labels in the batch contributes loss.
    case joint
    /// Batches alternate between tasks (A, B, A, B, …), each drawn from that task's labelled
    /// examples; a task whose examples are used up drops out of the rotation.
    case roundRobin = "round-robin"
    /// Each batch's task is drawn with probability ∝ that task's number of labelled examples
    /// (examples-proportional mixing, as in MT-DNN and T5); a task's examples are reshuffled
    /// when used up.
    case proportional

    public var description: String { rawValue }
}

/// One batch of an epoch: the task it trains (nil = joint: every task with labels) and the example indices.
public struct TaskBatch: Equatable, Sendable {
    public let task: String?
    public let indices: [Int]

    public init(task: String?, indices: [Int]) {
        self.task = task
        self.indices = indices
    }
}

/// Plans a multi-task epoch: which examples go in each batch and which task each batch trains.
public struct MultiTaskSampler: Sendable {
    public let strategy: MultiTaskStrategy
    /// Batch size, shuffling and keeping of the last partial batch.
    public let batchPlan: BatchPlan
    /// The tasks trained, in order (the order round-robin follows).
    public let tasks: [String]
    /// Per-task loss weight (1 for a task not listed).
    public let weights: [String: Double]
    /// Per task, the indices of the examples that have its label.
    public let labelled: [String: [Int]]
    /// The number of examples in the dataset.
    public let exampleCount: Int

    /// A sampler for `dataset`.
    ///
    /// - Parameters:
    ///   - tasks: the tasks to train (default: the dataset's tasks).
    ///   - weights: loss weight per task (default 1); must be finite and ≥ 0.
    /// - Throws: `SamplingError` for an unknown task, a task without labelled examples (except
    ///   in joint mode), or a bad weight.
    public init(dataset: Dataset, tasks: [String]? = nil, strategy: MultiTaskStrategy, batchPlan: BatchPlan,
                weights: [String: Double] = [:]) throws {
        let tasks = tasks ?? dataset.tasks
        guard !tasks.isEmpty else { throw SamplingError.noTasks }
        var labelled: [String: [Int]] = [:]
        for task in tasks {
            guard dataset.tasks.contains(task) else {
                throw SamplingError.unknownTask(task: task, available: dataset.tasks)
            }
            let indices = dataset.indices(withLabelFor: task)
            if indices.isEmpty && strategy != .joint { throw SamplingError.noLabels(task: task) }
            labelled[task] = indices
        }
        for (task, weight) in weights {
            guard tasks.contains(task) else { throw SamplingError.unknownTask(task: task, available: tasks) }
            guard weight.isFinite, weight >= 0 else { throw SamplingError.badWeight(task: task, weight: weight) }
        }
        self.strategy = strategy
        self.batchPlan = batchPlan
        self.tasks = tasks
        self.weights = weights
        self.labelled = labelled
        self.exampleCount = dataset.count
    }

    /// The loss weight of `task` (1 unless set).
    public func weight(for task: String) -> Double { weights[task] ?? 1 }

    /// One epoch's batches, in order, drawing every random choice from `generator`.
    public func epoch(using generator: inout SeededGenerator) -> [TaskBatch] {
        switch strategy {
        case .joint:
            return batchPlan.batches(of: Array(0..<exampleCount), using: &generator).map { TaskBatch(task: nil, indices: $0) }
        case .roundRobin:
            var queues = tasks.map { batchPlan.batches(of: labelled[$0] ?? [], using: &generator)[...] }
            var result: [TaskBatch] = []
            while queues.contains(where: { !$0.isEmpty }) {
                for (k, task) in tasks.enumerated() {
                    if let batch = queues[k].popFirst() { result.append(TaskBatch(task: task, indices: batch)) }
                }
            }
            return result
        case .proportional:
            // As many batches as one pass over every task's labelled examples would give.
            let total = tasks.reduce(0) { $0 + batchPlan.batchCount(for: labelled[$1]?.count ?? 0) }
            // A task too small to fill one batch (with dropLast) is never drawn.
            let sizes = tasks.map { task -> Double in
                let n = labelled[task]?.count ?? 0
                return batchPlan.batchCount(for: n) > 0 ? Double(n) : 0
            }
            guard total > 0 else { return [] }
            var queues = tasks.map { _ in ArraySlice<[Int]>() }
            var result: [TaskBatch] = []
            for _ in 0..<total {
                let k = Sampling.weightedIndex(sizes, using: &generator)
                if queues[k].isEmpty {
                    queues[k] = batchPlan.batches(of: labelled[tasks[k]] ?? [], using: &generator)[...]
                }
                if let batch = queues[k].popFirst() { result.append(TaskBatch(task: tasks[k], indices: batch)) }
            }
            return result
        }
    }
}

/// Why a multi-task plan cannot be made.
public enum SamplingError: Error, CustomStringConvertible, Equatable, Sendable {
    case noTasks
    case unknownTask(task: String, available: [String])
    case noLabels(task: String)
    case badWeight(task: String, weight: Double)
    case badBatchSize(Int)

    public var description: String {
        switch self {
        case .noTasks:
            return "no tasks to train: the dataset has no label columns; add a column per task"
        case let .unknownTask(task, available):
            return "no task '\(task)' here; the tasks are \(available.isEmpty ? "(none)" : available.joined(separator: ", "))"
        case let .noLabels(task):
            return "task '\(task)' has no labelled examples, so it cannot get batches of its own; use the joint strategy or add labels"
        case let .badWeight(task, weight):
            return "loss weight \(weight) for task '\(task)' is invalid: use a finite number ≥ 0"
        case let .badBatchSize(size):
            return "batch size \(size) is invalid: use a whole number ≥ 1"
        }
    }
}
