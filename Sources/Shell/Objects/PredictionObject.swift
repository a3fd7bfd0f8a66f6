import Models
import Script

/// What `predict` returns: per text and task the logits, probabilities and label.
///
/// Prints one line per task (`sentiment  [ 0.00 -0.01 -0.01]  negative`), a block per text
/// when there are several. `p.sentiment` is that task's {label, logits, probabilities}; with
/// several texts `p[i]` is the i-th text's prediction.
public final class PredictionObject: HostObject, ArchivableObject {
    public let texts: [String]
    /// Per text, each task's prediction in model order.
    public let predictions: [[TaskPrediction]]

    public init(texts: [String], predictions: [Prediction]) {
        self.texts = texts
        self.predictions = predictions.map(\.tasks)
    }

    init(texts: [String], tasks: [[TaskPrediction]]) {
        self.texts = texts
        self.predictions = tasks
    }

    public var typeName: String { "prediction" }

    public var summary: String {
        if predictions.count == 1 { return Self.lines(predictions[0]) }
        return zip(texts, predictions).map { text, prediction in
            Value.quote(text) + "\n" + Self.lines(prediction).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// One line per task: name, logits (2 decimals, as the design shows; scientific when huge), label.
    static func lines(_ prediction: [TaskPrediction]) -> String {
        let width = prediction.map(\.task.count).max() ?? 0
        return prediction.map { task in
            // Huge logits (a diverged model) switch the row to the tensor formatter's scientific style.
            let huge = task.logits.contains { $0.isFinite && abs($0) >= 1e5 }
            let logits = task.logits.map { value -> String in
                let text = !value.isFinite || huge ? TensorFormatter.format(value, style: .scientific)
                                                   : TensorFormatter.fixed(Double(value), decimals: 2)
                return text.hasPrefix("-") ? text : " " + text
            }
            return task.task.padding(toLength: width, withPad: " ", startingAt: 0) + "  [" + logits.joined(separator: " ") + "]  " + task.label
        }.joined(separator: "\n")
    }

    public var attributeNames: [String] {
        ["labels", "probabilities", "logits", "texts"] + (predictions.first?.map(\.task) ?? [])
    }

    public func attribute(_ name: String) throws -> Value? {
        func perText(_ make: ([TaskPrediction]) -> Value) -> Value {
            predictions.count == 1 ? make(predictions[0]) : .list(predictions.map(make))
        }
        switch name {
        case "labels": return perText { p in .dict(ValueDict(p.map { ($0.task, .string($0.label)) })) }
        case "probabilities": return perText { p in .dict(ValueDict(p.map { ($0.task, Self.numbers($0.probabilities)) })) }
        case "logits": return perText { p in .dict(ValueDict(p.map { ($0.task, Self.numbers($0.logits)) })) }
        case "texts": return .list(texts.map(Value.string))
        default:
            guard predictions.first?.contains(where: { $0.task == name }) == true else { return nil }
            return perText { p in p.first(where: { $0.task == name }).map(Self.value) ?? .null }
        }
    }

    public var count: Int? { predictions.count }

    public func element(at key: Value) throws -> Value {
        if case .string(let task) = key, let value = try attribute(task) { return value }
        guard let index = key.exactInteger else { throw ScriptError.runtime("a prediction is indexed by text number or task name") }
        let position = index < 0 ? predictions.count + index : index
        guard predictions.indices.contains(position) else {
            throw ScriptError.runtime("index \(index) is out of range: \(predictions.count) text\(predictions.count == 1 ? "" : "s") were predicted")
        }
        return .object(PredictionObject(texts: [texts[position]], tasks: [predictions[position]]))
    }

    static func value(_ task: TaskPrediction) -> Value {
        .dict(ValueDict([("label", .string(task.label)), ("logits", numbers(task.logits)),
                         ("probabilities", numbers(task.probabilities))]))
    }

    static func numbers(_ values: [Float]) -> Value { .list(values.map { .number(Double($0)) }) }

    struct Stored: Codable {
        struct Task: Codable { var task: String; var labels: [String]; var logits: [Float] }
        var texts: [String]
        var predictions: [[Task]]
    }

    public var archiveKind: String { "prediction" }

    public func archive(into writer: SessionArchiveWriter) throws -> ArchivedParts {
        let stored = Stored(texts: texts, predictions: predictions.map { $0.map { Stored.Task(task: $0.task, labels: $0.labels, logits: $0.logits) } })
        return ArchivedParts(info: try JSONValue.from(stored))
    }

    static func decode(_ source: ArchivedObjectSource) throws -> any HostObject {
        let stored = try source.info(as: Stored.self)
        guard stored.texts.count == stored.predictions.count else { throw source.problem("it has \(stored.texts.count) texts but \(stored.predictions.count) predictions") }
        let predictions = try stored.predictions.map { tasks in
            try tasks.map { task in
                guard !task.labels.isEmpty, task.labels.count == task.logits.count else {
                    throw source.problem("task '\(task.task)' has \(task.labels.count) labels but \(task.logits.count) logits")
                }
                return TaskPrediction(task: task.task, labels: task.labels, logits: task.logits)
            }
        }
        return PredictionObject(texts: stored.texts, tasks: predictions)
    }
}
