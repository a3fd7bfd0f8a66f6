import Foundation
import NN
import Tensors

/// What the trainer tells its observer.
public enum TrainingEvent: Sendable {
    /// A step finished (every step; reporters thin this out by `logInterval`).
    case step(TrainingProgress)
    /// The evaluation after an epoch finished.
    case evaluation(EvalRecord)
}

/// Where a run stands after a step.
public struct TrainingProgress: Sendable {
    /// The step's record (1-based global step, epoch, lr, losses, accuracies, total, seconds).
    public let record: StepRecord
    /// The tasks in the model's order.
    public let tasks: [String]
    public let totalSteps: Int
    public let epochs: Int
    /// 1-based position in the epoch, and the epoch's number of steps.
    public let stepInEpoch: Int
    public let stepsInEpoch: Int
    /// Whether the observer should print this step (every `logInterval` steps and an epoch's last).
    public let shouldLog: Bool
}

/// The result of `Trainer.train`.
public struct TrainingResult: Sendable {
    /// Every completed step (and evaluation).
    public var history: RunHistory
    /// True when the run stopped early on an `InterruptFlag`.
    public var interrupted: Bool
}

/// Runs multi-task training: batches by strategy, one `TrainingStep` each, history and progress.
///
/// Randomness — the epoch's batches and the model's dropout masks — comes from the one
/// generator passed in, so a seed reproduces every loss bit for bit (for a fixed thread count).
public struct Trainer: Sendable {
    public var options: TrainingOptions

    public init(options: TrainingOptions = TrainingOptions()) {
        self.options = options
    }

    /// Trains `model` on `data`.
    ///
    /// The optimizer's learning rate is the base of the schedule: step k (0-based) uses
    /// `schedule.lr(step: k, base:)`; the base is restored afterwards. The interrupt flag is
    /// cleared at the start and checked before every step. When `evaluation` is given, the
    /// model is evaluated after every completed epoch.
    /// - Throws: option, label and task errors before any step; `TrainingError.nonFinite…`
    ///   (weights as after the previous step); model and optimizer errors.
    public func train(_ model: some MultiTaskTrainable, on data: Dataset, evaluation: Dataset? = nil,
                      optimizer: any Optimizer, generator: inout SeededGenerator,
                      interrupt: InterruptFlag? = nil,
                      progress: ((TrainingEvent) -> Void)? = nil) throws -> TrainingResult {
        try options.validate()
        guard !data.isEmpty else { throw TrainingError.emptyDataset(name: data.name) }
        guard model.trainingParameters.contains(where: \.requiresGrad) else { throw TrainingError.nothingTrainable }
        let labels = try TrainerLabels(model: model.trainableTasks, dataset: data, only: options.tasks)
        for task in options.taskWeights.keys where !labels.tasks.contains(where: { $0.name == task }) {
            throw TrainingError.unknownTask(task: task, model: labels.tasks.map(\.name))
        }
        let evalLabels = try evaluation.map { evaluation in
            do {
                return try TrainerLabels(model: model.trainableTasks, dataset: evaluation, only: options.tasks)
            } catch let error as TrainingError {
                throw TrainingError.inEvaluationData(error)
            }
        }
        let taskNames = labels.tasks.map(\.name)
        let sampler = try MultiTaskSampler(
            dataset: data, tasks: taskNames, strategy: options.strategy,
            batchPlan: BatchPlan(batchSize: options.batchSize, shuffle: options.shuffle, dropLast: options.dropLast),
            weights: options.taskWeights)
        let stepsPerEpoch = Self.stepsPerEpoch(sampler)
        guard stepsPerEpoch > 0 else {
            throw TrainingError.badOption(name: "batch", value: "\(options.batchSize)", expected: "a size the dataset can fill at least once (drop_last is set)")
        }
        let totalSteps = options.steps ?? options.epochs * stepsPerEpoch
        let epochs = (totalSteps + stepsPerEpoch - 1) / stepsPerEpoch
        let schedule = try options.schedule(totalSteps: totalSteps)

        interrupt?.reset()
        let baseLR = optimizer.learningRate
        defer { optimizer.learningRate = baseLR }
        var history = RunHistory(tasks: taskNames)
        var step = 0
        for epoch in 1...epochs {
            let plan = sampler.epoch(using: &generator)
            let stepsThisEpoch = min(plan.count, totalSteps - step)
            for (k, taskBatch) in plan.prefix(stepsThisEpoch).enumerated() {
                if interrupt?.isRequested == true { return TrainingResult(history: history, interrupted: true) }
                let started = Date()
                let lr = schedule.lr(step: step, base: baseLR)
                optimizer.learningRate = lr
                let outcome = try TrainingStep.run(
                    model: model, batch: labels.batch(taskBatch.indices, of: data, task: taskBatch.task),
                    tasks: labels.tasks, weights: options.taskWeights, optimizer: optimizer,
                    clipNorm: options.clipNorm, step: step + 1, generator: &generator)
                step += 1
                let record = StepRecord(step: step, epoch: epoch, lr: Double(lr),
                                        losses: outcome.losses.mapValues(Double.init), accuracies: outcome.accuracies,
                                        totalLoss: Double(outcome.total), seconds: Date().timeIntervalSince(started))
                history.append(record)
                progress?(.step(TrainingProgress(record: record, tasks: taskNames, totalSteps: totalSteps, epochs: epochs,
                                                 stepInEpoch: k + 1, stepsInEpoch: stepsThisEpoch,
                                                 shouldLog: step % options.logInterval == 0 || k + 1 == stepsThisEpoch)))
            }
            if let evaluation, let evalLabels, stepsThisEpoch == plan.count || step == totalSteps {
                if interrupt?.isRequested == true { return TrainingResult(history: history, interrupted: true) }
                let report = try Evaluator.evaluate(model, on: evaluation, labels: evalLabels,
                                                    batchSize: options.evalBatchSize, weights: options.taskWeights)
                let record = report.record(epoch: epoch, step: step)
                history.append(record)
                progress?(.evaluation(record))
            }
        }
        return TrainingResult(history: history, interrupted: false)
    }

    /// `train` with a fresh generator seeded by `seed` (shuffling and dropout both draw from it).
    public func train(_ model: some MultiTaskTrainable, on data: Dataset, evaluation: Dataset? = nil,
                      optimizer: any Optimizer, seed: UInt64, interrupt: InterruptFlag? = nil,
                      progress: ((TrainingEvent) -> Void)? = nil) throws -> TrainingResult {
        var generator = SeededGenerator(seed: seed)
        return try train(model, on: data, evaluation: evaluation, optimizer: optimizer, generator: &generator,
                         interrupt: interrupt, progress: progress)
    }

    /// The number of batches one epoch of `sampler` gives, without drawing anything.
    static func stepsPerEpoch(_ sampler: MultiTaskSampler) -> Int {
        let plan = sampler.batchPlan
        switch sampler.strategy {
        case .joint:
            return plan.batchCount(for: sampler.exampleCount)
        case .roundRobin, .proportional:
            return sampler.tasks.reduce(0) { $0 + plan.batchCount(for: sampler.labelled[$1]?.count ?? 0) }
        }
    }
}
