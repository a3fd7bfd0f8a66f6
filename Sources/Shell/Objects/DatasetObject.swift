import Script
import Training

/// A dataset held in a variable: size, tasks, label counts; `data[i]` is one example, `data[a:b]`
/// a smaller dataset.
public final class DatasetObject: HostObject, ArchivableObject {
    public let dataset: Dataset

    public init(_ dataset: Dataset) {
        self.dataset = dataset
    }

    public var typeName: String { "dataset" }

    /// `dataset sentences.jsonl · 120 examples · tasks sentence_type (3 labels), sentiment (3 labels)`.
    public var summary: String {
        let tasks = dataset.tasks.map { task -> String in
            let labels = dataset.labelCounts(for: task).count
            return "\(task) (\(labels) label\(labels == 1 ? "" : "s"))"
        }
        return "dataset \(dataset.name) · \(dataset.count) example\(dataset.count == 1 ? "" : "s") · tasks "
            + (tasks.isEmpty ? "(none)" : tasks.joined(separator: ", "))
    }

    public var helpText: String { summary + "\nindex it for one example (data[0]), slice it for a smaller dataset (data[0:10])" }

    public var attributeNames: [String] { ["size", "tasks", "counts", "name", "texts", "labels"] }

    public func attribute(_ name: String) throws -> Value? {
        switch name {
        case "size": return .number(Double(dataset.count))
        case "tasks": return .list(dataset.tasks.map(Value.string))
        case "counts": return .object(LabelCountsObject(dataset: dataset))
        case "name": return .string(dataset.name)
        case "texts": return .list(dataset.texts.map(Value.string))
        case "labels":
            return .dict(ValueDict(dataset.tasks.map { ($0, .list(dataset.labels(for: $0).map(Value.string))) }))
        default: return nil
        }
    }

    public var count: Int? { dataset.count }

    public func element(at key: Value) throws -> Value {
        guard let index = key.exactInteger else { throw ScriptError.runtime("a dataset index must be a whole number, got \(key.typeName)") }
        let n = dataset.count
        let position = index < 0 ? n + index : index
        guard (0..<n).contains(position) else {
            throw ScriptError.runtime("index \(index) is out of range for a dataset of \(n) examples")
        }
        let example = dataset[position]
        let labels = ValueDict(dataset.tasks.compactMap { task in example.labels[task].map { (task, Value.string($0)) } })
        return .dict(ValueDict([("text", .string(example.text)), ("labels", .dict(labels))]))
    }

    public func slice(lower: Int?, upper: Int?) throws -> Value {
        let (start, end) = TensorObject.clamp(lower: lower, upper: upper, count: dataset.count)
        var part = try dataset.selecting(Array(start..<end))
        part.name = "\(dataset.name)[\(start):\(end)]"
        return .object(DatasetObject(part))
    }

    public var archiveKind: String { "dataset" }

    public func archive(into writer: SessionArchiveWriter) throws -> ArchivedParts {
        ArchivedParts(info: try JSONValue.from(dataset))
    }

    static func decode(_ source: ArchivedObjectSource) throws -> any HostObject {
        DatasetObject(try source.info(as: Dataset.self))
    }
}

/// `data.counts`: how many examples carry each label, per task, printed as a table.
public final class LabelCountsObject: HostObject, ArchivableObject {
    /// Task → (label, count) in label order.
    public let counts: [(task: String, labels: [(label: String, count: Int)], missing: Int)]

    init(dataset: Dataset) {
        counts = dataset.tasks.map { task in
            let byLabel = dataset.labelCounts(for: task)
            return (task, byLabel.keys.sorted().map { ($0, byLabel[$0] ?? 0) }, dataset.missingLabelCount(for: task))
        }
    }

    init(counts: [(task: String, labels: [(label: String, count: Int)], missing: Int)]) {
        self.counts = counts
    }

    public var typeName: String { "label counts" }

    /// A table: task, label, count (and the share of the task's labelled examples).
    public var summary: String {
        var rows: [[String]] = []
        for entry in counts {
            let total = entry.labels.reduce(0) { $0 + $1.count }
            for (k, item) in entry.labels.enumerated() {
                rows.append([k == 0 ? entry.task : "", item.label, String(item.count),
                             total > 0 ? NumberText.percent(Double(item.count) / Double(total)) : "–"])
            }
            if entry.missing > 0 { rows.append([entry.labels.isEmpty ? entry.task : "", "(no label)", String(entry.missing), ""]) }
        }
        return TextTable(header: ["task", "label", "count", "share"], rows: rows, rightAligned: [2, 3]).rendered()
    }

    public var attributeNames: [String] { counts.map(\.task) }

    public func attribute(_ name: String) throws -> Value? {
        guard let entry = counts.first(where: { $0.task == name }) else { return nil }
        return .dict(ValueDict(entry.labels.map { ($0.label, .number(Double($0.count))) }))
    }

    public func element(at key: Value) throws -> Value {
        guard case .string(let task) = key, let value = try attribute(task) else {
            throw ScriptError.runtime("label counts are indexed by task name: one of \(counts.map(\.task).joined(separator: ", "))")
        }
        return value
    }

    public var count: Int? { counts.count }

    struct Stored: Codable {
        struct Task: Codable { var task: String; var labels: [String]; var counts: [Int]; var missing: Int }
        var tasks: [Task]
    }

    public var archiveKind: String { "label-counts" }

    public func archive(into writer: SessionArchiveWriter) throws -> ArchivedParts {
        let stored = Stored(tasks: counts.map { Stored.Task(task: $0.task, labels: $0.labels.map(\.label), counts: $0.labels.map(\.count), missing: $0.missing) })
        return ArchivedParts(info: try JSONValue.from(stored))
    }

    static func decode(_ source: ArchivedObjectSource) throws -> any HostObject {
        let stored = try source.info(as: Stored.self)
        for task in stored.tasks where task.labels.count != task.counts.count {
            throw source.problem("task '\(task.task)' has \(task.labels.count) labels but \(task.counts.count) counts")
        }
        return LabelCountsObject(counts: stored.tasks.map { task in
            (task.task, Array(zip(task.labels, task.counts)).map { ($0.0, $0.1) }, task.missing)
        })
    }
}
