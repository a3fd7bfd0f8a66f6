import Script
import Training

/// What `train` returns: the per-step losses and accuracies (and evaluations) of a run.
public final class RunHistoryObject: HostObject, ArchivableObject {
    public private(set) var history: RunHistory

    public init(_ history: RunHistory) {
        self.history = history
    }

    /// Adds the records of a later run (training continued into the same history), numbering its
    /// steps and epochs on from this run's last ones so the curve continues.
    public func append(_ other: RunHistory) {
        let stepOffset = max(history.steps.last?.step ?? 0, history.evals.last?.step ?? 0)
        let epochOffset = max(history.steps.last?.epoch ?? 0, history.evals.last?.epoch ?? 0)
        for var step in other.steps {
            step.step += stepOffset
            step.epoch += epochOffset
            history.append(step)
        }
        for var eval in other.evals {
            eval.step += stepOffset
            eval.epoch += epochOffset
            history.append(eval)
        }
    }

    public var typeName: String { "run" }

    /// `run · 30 steps, 3 epochs · loss 1.908 → 0.512 ▇▆▅▃▂▁ · acc sentence_type 60.0% sentiment 40.0%`.
    public var summary: String {
        let steps = history.steps
        guard let first = steps.first, let last = steps.last else { return "run · no steps" }
        let epochs = Set(steps.map(\.epoch)).count
        var text = "run · \(steps.count) step\(steps.count == 1 ? "" : "s"), \(epochs) epoch\(epochs == 1 ? "" : "s")"
        text += " · loss \(NumberText.decimal(first.totalLoss)) → \(NumberText.decimal(last.totalLoss)) "
        text += Sparkline.render(steps.map(\.totalLoss), width: 24)
        let accuracies = history.tasks.compactMap { task in last.accuracies[task].map { "\(task) \(NumberText.percent($0))" } }
        if !accuracies.isEmpty { text += " · acc " + accuracies.joined(separator: " ") }
        if let eval = history.evals.last {
            text += " · eval " + history.tasks.compactMap { task in eval.accuracies[task].map { "\(task) \(NumberText.percent($0))" } }.joined(separator: " ")
        }
        return text
    }

    public var attributeNames: [String] { ["history", "losses", "tasks", "steps", "evals", "last", "summary"] }

    public func attribute(_ name: String) throws -> Value? {
        switch name {
        case "history": return .list(history.steps.map(Self.value))
        case "losses": return .list(history.steps.map { .number($0.totalLoss) })
        case "tasks": return .list(history.tasks.map(Value.string))
        case "steps": return .number(Double(history.steps.count))
        case "evals": return .list(history.evals.map(Self.value))
        case "last": return history.steps.last.map(Self.value) ?? .null
        case "summary": return .string(history.summaryText())
        default: return nil
        }
    }

    public var count: Int? { history.steps.count }

    public func element(at key: Value) throws -> Value {
        guard let index = key.exactInteger else { throw ScriptError.runtime("a run is indexed by step number, got \(key.typeName)") }
        let n = history.steps.count
        let position = index < 0 ? n + index : index
        guard (0..<n).contains(position) else { throw ScriptError.runtime("step \(index) is out of range: the run has \(n) steps") }
        return Self.value(history.steps[position])
    }

    static func value(_ step: StepRecord) -> Value {
        .dict(ValueDict([
            ("step", .number(Double(step.step))), ("epoch", .number(Double(step.epoch))), ("lr", .number(step.lr)),
            ("loss", .number(step.totalLoss)), ("losses", numbers(step.losses)), ("accuracies", numbers(step.accuracies)),
            ("seconds", .number(step.seconds)),
        ]))
    }

    static func value(_ eval: EvalRecord) -> Value {
        .dict(ValueDict([
            ("step", .number(Double(eval.step))), ("epoch", .number(Double(eval.epoch))), ("loss", .number(eval.totalLoss)),
            ("losses", numbers(eval.losses)), ("accuracies", numbers(eval.accuracies)), ("macro_f1", numbers(eval.macroF1)),
        ]))
    }

    static func numbers(_ values: [String: Double]) -> Value {
        .dict(ValueDict(values.keys.sorted().map { ($0, .number(values[$0] ?? .nan)) }))
    }

    public var archiveKind: String { "run" }

    public func archive(into writer: SessionArchiveWriter) throws -> ArchivedParts {
        ArchivedParts(info: try JSONValue.from(history))
    }

    static func decode(_ source: ArchivedObjectSource) throws -> any HostObject {
        RunHistoryObject(try source.info(as: RunHistory.self))
    }
}
