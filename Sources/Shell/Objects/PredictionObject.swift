import Models
import Script

/// What `predict` returns: per text and task the logits, probabilities and label.
///
/// Prints one line per task (`sentiment  [ 0.00 -0.01 -0.01]  negative`), a block per text
/// when there are several. `p.sentiment` is that task's {label, logits, probabilities}; with
/// several texts `p[i]` is the i-th text's prediction.
public final class PredictionObject: HostObject {
    public let texts: [String]
    public let predictions: [Prediction]

    public init(texts: [String], predictions: [Prediction]) {
        self.texts = texts
        self.predictions = predictions
    }

    public var typeName: String { "prediction" }

    public var summary: String {
        if predictions.count == 1 { return Self.lines(predictions[0]) }
        return zip(texts, predictions).map { text, prediction in
            Value.quote(text) + "\n" + Self.lines(prediction).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// One line per task: name, logits (2 decimals, as the design shows), label.
    static func lines(_ prediction: Prediction) -> String {
        let width = prediction.tasks.map(\.task.count).max() ?? 0
        return prediction.tasks.map { task in
            let logits = task.logits.map { value -> String in
                let text = TensorFormatter.fixed(Double(value), decimals: 2)
                return text.hasPrefix("-") ? text : " " + text
            }
            return task.task.padding(toLength: width, withPad: " ", startingAt: 0) + "  [" + logits.joined(separator: " ") + "]  " + task.label
        }.joined(separator: "\n")
    }

    public var attributeNames: [String] {
        ["labels", "probabilities", "logits", "texts"] + (predictions.first?.tasks.map(\.task) ?? [])
    }

    public func attribute(_ name: String) throws -> Value? {
        func perText(_ make: (Prediction) -> Value) -> Value {
            predictions.count == 1 ? make(predictions[0]) : .list(predictions.map(make))
        }
        switch name {
        case "labels": return perText { p in .dict(ValueDict(p.tasks.map { ($0.task, .string($0.label)) })) }
        case "probabilities": return perText { p in .dict(ValueDict(p.tasks.map { ($0.task, Self.numbers($0.probabilities)) })) }
        case "logits": return perText { p in .dict(ValueDict(p.tasks.map { ($0.task, Self.numbers($0.logits)) })) }
        case "texts": return .list(texts.map(Value.string))
        default:
            guard predictions.first?[name] != nil else { return nil }
            return perText { p in p[name].map(Self.value) ?? .null }
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
        return .object(PredictionObject(texts: [texts[position]], predictions: [predictions[position]]))
    }

    static func value(_ task: TaskPrediction) -> Value {
        .dict(ValueDict([("label", .string(task.label)), ("logits", numbers(task.logits)),
                         ("probabilities", numbers(task.probabilities))]))
    }

    static func numbers(_ values: [Float]) -> Value { .list(values.map { .number(Double($0)) }) }
}
