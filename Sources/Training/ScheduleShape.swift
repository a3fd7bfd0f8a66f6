import NN

/// A learning-rate schedule described without the run's length: its kind and its warmup.
///
/// `train model data opt schedule="linear" warmup=0.1` cannot know how many steps the run
/// takes (that depends on the strategy and the data), so the trainer turns this into an
/// `LRSchedule` once it has counted them.
public struct ScheduleShape: Sendable, Equatable {
    public let kind: LRSchedule.Kind
    /// Below 1: a fraction of the run's steps; 1 or more: a number of steps.
    public let warmup: Double

    /// - Throws: `TrainingError.badOption` for a negative or non-finite warmup.
    public init(kind: LRSchedule.Kind, warmup: Double = 0) throws {
        guard warmup.isFinite, warmup >= 0 else {
            throw TrainingError.badOption(name: "warmup", value: "\(warmup)", expected: "a fraction of the run below 1, or a number of steps")
        }
        self.kind = kind
        self.warmup = warmup
    }

    /// The warmup in steps for a run of `totalSteps` (a fraction rounds up, as transformers'
    /// `get_warmup_steps` does with `math.ceil`).
    public func warmupSteps(totalSteps: Int) -> Int {
        warmup < 1 ? Int((warmup * Double(totalSteps)).rounded(.up)) : Int(warmup)
    }

    /// The schedule for a run of `totalSteps` steps.
    public func schedule(totalSteps: Int) throws -> LRSchedule {
        let warmupSteps = warmupSteps(totalSteps: totalSteps)
        if kind == .linear || kind == .cosine, warmupSteps > totalSteps {
            throw TrainingError.badOption(name: "warmup", value: "\(warmupSteps) steps", expected: "at most the run's \(totalSteps) steps")
        }
        return try LRSchedule(kind: kind, warmupSteps: warmupSteps, totalSteps: totalSteps)
    }
}
