import Foundation

/// A learning-rate schedule: the multiplier of the base learning rate at each step.
///
/// The formulas are those of Hugging Face transformers' `optimization.py`
/// (`get_constant_schedule`, `get_constant_schedule_with_warmup`,
/// `get_linear_schedule_with_warmup`, `get_cosine_schedule_with_warmup`), which wrap a
/// PyTorch `LambdaLR`. As there, `step` counts the scheduler steps already taken: the first
/// optimizer step uses `step` 0, so with warmup the very first update has learning rate 0.
public struct LRSchedule: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The shape of the schedule.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Multiplier 1 throughout.
        case constant
        /// Linear warmup from 0 to 1, then 1.
        case constantWithWarmup = "constant_with_warmup"
        /// Linear warmup from 0 to 1, then linear decay to 0 at `totalSteps`.
        case linear
        /// Linear warmup, then a cosine from 1 down to 0 at `totalSteps` (half a cycle by default).
        case cosine
    }

    public let kind: Kind
    public let warmupSteps: Int
    public let totalSteps: Int
    /// Cosine waves over the decay (transformers' `num_cycles`, 0.5 = one half-cosine to 0).
    public let cycles: Double

    /// A constant multiplier of 1.
    public static let constant = LRSchedule(checkedKind: .constant, warmupSteps: 0, totalSteps: 0, cycles: 0.5)

    /// - Throws: `LRScheduleError` for negative steps, a warmup longer than the run (linear and
    ///   cosine), or non-positive/non-finite cycles.
    public init(kind: Kind, warmupSteps: Int = 0, totalSteps: Int = 0, cycles: Double = 0.5) throws {
        guard warmupSteps >= 0 else { throw LRScheduleError.negativeSteps(name: "warmup", value: warmupSteps) }
        guard totalSteps >= 0 else { throw LRScheduleError.negativeSteps(name: "total", value: totalSteps) }
        if kind == .linear || kind == .cosine {
            guard warmupSteps <= totalSteps else {
                throw LRScheduleError.warmupLongerThanRun(warmup: warmupSteps, total: totalSteps)
            }
        }
        guard cycles.isFinite, cycles > 0 else { throw LRScheduleError.badCycles(cycles) }
        self.init(checkedKind: kind, warmupSteps: warmupSteps, totalSteps: totalSteps, cycles: cycles)
    }

    private init(checkedKind kind: Kind, warmupSteps: Int, totalSteps: Int, cycles: Double) {
        self.kind = kind
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.cycles = cycles
    }

    /// The linear warmup-then-decay schedule (`get_linear_schedule_with_warmup`).
    public static func linear(warmupSteps: Int, totalSteps: Int) throws -> LRSchedule {
        try LRSchedule(kind: .linear, warmupSteps: warmupSteps, totalSteps: totalSteps)
    }

    /// The cosine schedule with warmup (`get_cosine_schedule_with_warmup`).
    public static func cosine(warmupSteps: Int, totalSteps: Int, cycles: Double = 0.5) throws -> LRSchedule {
        try LRSchedule(kind: .cosine, warmupSteps: warmupSteps, totalSteps: totalSteps, cycles: cycles)
    }

    /// The multiplier of the base learning rate after `step` scheduler steps (computed in Double
    /// as Python does, then rounded to Float).
    public func multiplier(step: Int) -> Float {
        let step = max(0, step)
        if kind != .constant && step < warmupSteps {
            return Float(Double(step) / Double(max(1, warmupSteps)))
        }
        switch kind {
        case .constant, .constantWithWarmup:
            return 1
        case .linear:
            return Float(max(0, Double(totalSteps - step) / Double(max(1, totalSteps - warmupSteps))))
        case .cosine:
            let progress = Double(step - warmupSteps) / Double(max(1, totalSteps - warmupSteps))
            return Float(max(0, 0.5 * (1 + cos(Double.pi * cycles * 2 * progress))))
        }
    }

    /// The absolute learning rate: `base × multiplier(step:)`.
    public func lr(step: Int, base: Float) -> Float { base * multiplier(step: step) }

    /// `linear (warmup 10, total 100)`.
    public var description: String {
        switch kind {
        case .constant: return "constant"
        case .constantWithWarmup: return "constant_with_warmup (warmup \(warmupSteps))"
        case .linear: return "linear (warmup \(warmupSteps), total \(totalSteps))"
        case .cosine: return "cosine (warmup \(warmupSteps), total \(totalSteps)\(cycles == 0.5 ? "" : ", cycles \(cycles)"))"
        }
    }
}

/// Parameters that do not make a schedule.
public enum LRScheduleError: Error, CustomStringConvertible, Equatable, Sendable {
    case negativeSteps(name: String, value: Int)
    case warmupLongerThanRun(warmup: Int, total: Int)
    case badCycles(Double)

    public var description: String {
        switch self {
        case let .negativeSteps(name, value):
            return "\(name) steps \(value) is negative; use 0 or more"
        case let .warmupLongerThanRun(warmup, total):
            return "warmup of \(warmup) steps is longer than the \(total) training steps; shorten the warmup or train longer"
        case let .badCycles(cycles):
            return "cosine cycles \(cycles) is invalid; use a positive number (0.5 decays once to 0)"
        }
    }
}
