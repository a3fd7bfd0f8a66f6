import Script
import Training

/// What `evaluate` returns: per task loss, accuracy, macro-F1 and confusion matrix.
public final class EvaluationObject: HostObject, ArchivableObject {
    struct TaskResult: Codable {
        var task: String
        var loss: Double
        var accuracy: Double
        var macroF1: Double
        var confusion: ConfusionMatrix
    }

    let results: [TaskResult]
    let totalLoss: Double

    init(_ report: EvaluationReport) {
        results = report.tasks.map { TaskResult(task: $0.task, loss: $0.loss, accuracy: $0.accuracy, macroF1: $0.macroF1, confusion: $0.confusion) }
        totalLoss = report.totalLoss
    }

    init(results: [TaskResult], totalLoss: Double) {
        self.results = results
        self.totalLoss = totalLoss
    }

    public var typeName: String { "evaluation" }

    /// A table of accuracy and macro-F1 per task, then each task's confusion matrix.
    public var summary: String {
        let table = TextTable(header: ["task", "examples", "loss", "accuracy", "macro-F1"],
                              rows: results.map { [$0.task, String($0.confusion.total), NumberText.decimal($0.loss),
                                                   NumberText.percent($0.accuracy), NumberText.decimal($0.macroF1)] },
                              rightAligned: [1, 2, 3, 4]).rendered()
        let matrices = results.map { "\($0.task) (rows: true label, columns: predicted)\n" + $0.confusion.rendered() }
        return ([table] + matrices).joined(separator: "\n\n")
    }

    public var attributeNames: [String] { ["accuracy", "macro_f1", "loss", "total_loss", "confusion"] + results.map(\.task) }

    public func attribute(_ name: String) throws -> Value? {
        func perTask(_ f: (TaskResult) -> Value) -> Value { .dict(ValueDict(results.map { ($0.task, f($0)) })) }
        switch name {
        case "accuracy": return perTask { .number($0.accuracy) }
        case "macro_f1": return perTask { .number($0.macroF1) }
        case "loss": return perTask { .number($0.loss) }
        case "total_loss": return .number(totalLoss)
        case "confusion": return perTask { r in .list(r.confusion.counts.map { .list($0.map { .number(Double($0)) }) }) }
        default:
            guard let r = results.first(where: { $0.task == name }) else { return nil }
            return .dict(ValueDict([("accuracy", .number(r.accuracy)), ("macro_f1", .number(r.macroF1)), ("loss", .number(r.loss)),
                                    ("labels", .list(r.confusion.labels.map(Value.string)))]))
        }
    }

    struct Stored: Codable { var results: [TaskResult]; var totalLoss: Double }

    public var archiveKind: String { "evaluation" }

    public func archive(into writer: SessionArchiveWriter) throws -> ArchivedParts {
        ArchivedParts(info: try JSONValue.from(Stored(results: results, totalLoss: totalLoss)))
    }

    static func decode(_ source: ArchivedObjectSource) throws -> any HostObject {
        let stored = try source.info(as: Stored.self)
        return EvaluationObject(results: stored.results, totalLoss: stored.totalLoss)
    }
}
