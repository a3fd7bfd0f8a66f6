import NN

/// How a training run goes: length, batching, multi-task strategy, loss weights, schedule, clipping.
public struct TrainingOptions: Sendable {
    /// Passes over the training data (ignored when `steps` is set).
    public var epochs: Int
    /// When set, exactly this many optimizer steps, running as many epochs as that takes.
    public var steps: Int?
    public var batchSize: Int
    /// Reshuffle the examples every epoch (from the run's generator).
    public var shuffle: Bool
    /// Drop each epoch's last, smaller batch.
    public var dropLast: Bool
    public var strategy: MultiTaskStrategy
    /// Loss weight per task (1 when absent).
    public var taskWeights: [String: Double]
    /// Train only these tasks (default: every model task the dataset has).
    public var tasks: [String]?
    /// A progress line every this many steps (and at each epoch's end).
    public var logInterval: Int
    /// Multiplier of the optimizer's learning rate per step (`LRSchedule`, HF's formulas).
    public var schedule: LRSchedule
    /// When set, replaces `schedule` with one fitted to the run's length, which only the trainer
    /// knows (epochs × batches per epoch under the chosen strategy).
    public var scheduleShape: ScheduleShape?
    /// Clip gradients to this global 2-norm before each update (nil: no clipping).
    public var clipNorm: Float?
    /// Batch size of the evaluation after each epoch.
    public var evalBatchSize: Int

    public init(epochs: Int = 1, steps: Int? = nil, batchSize: Int = 16, shuffle: Bool = true, dropLast: Bool = false,
                strategy: MultiTaskStrategy = .joint, taskWeights: [String: Double] = [:], tasks: [String]? = nil,
                logInterval: Int = 1, schedule: LRSchedule = .constant, clipNorm: Float? = nil, evalBatchSize: Int = 32) {
        self.epochs = epochs
        self.steps = steps
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.strategy = strategy
        self.taskWeights = taskWeights
        self.tasks = tasks
        self.logInterval = logInterval
        self.schedule = schedule
        self.clipNorm = clipNorm
        self.evalBatchSize = evalBatchSize
    }

    /// The schedule for a run of `totalSteps` steps.
    func schedule(totalSteps: Int) throws -> LRSchedule {
        guard let shape = scheduleShape else { return schedule }
        return try shape.schedule(totalSteps: totalSteps)
    }

    /// Throws `TrainingError.badOption` for a value out of range.
    func validate() throws {
        guard epochs >= 1 else { throw TrainingError.badOption(name: "epochs", value: "\(epochs)", expected: "a whole number ≥ 1") }
        if let steps, steps < 1 { throw TrainingError.badOption(name: "steps", value: "\(steps)", expected: "a whole number ≥ 1") }
        guard batchSize >= 1 else { throw TrainingError.badOption(name: "batch", value: "\(batchSize)", expected: "a whole number ≥ 1") }
        guard evalBatchSize >= 1 else { throw TrainingError.badOption(name: "eval batch", value: "\(evalBatchSize)", expected: "a whole number ≥ 1") }
        guard logInterval >= 1 else { throw TrainingError.badOption(name: "log", value: "\(logInterval)", expected: "a whole number ≥ 1") }
        if let clipNorm, !(clipNorm.isFinite && clipNorm > 0) {
            throw TrainingError.badOption(name: "clip", value: "\(clipNorm)", expected: "a positive number")
        }
    }
}
