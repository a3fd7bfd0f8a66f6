import Foundation
import Tensors

/// One example: a text and, per task, an optional label name.
///
/// An example may lack a task's label; that task's loss then skips it. `file` and `line` say
/// where the example was read, so later errors (an unknown label) can point at it.
public struct Example: Codable, Equatable, Sendable {
    /// The sentence.
    public var text: String
    /// Task name → label name; a task absent here has no label for this example.
    public var labels: [String: String]
    /// The file the example came from (its last path component), if it came from a file.
    public var file: String?
    /// The 1-based line of `file` where the example starts.
    public var line: Int?

    public init(text: String, labels: [String: String] = [:], file: String? = nil, line: Int? = nil) {
        self.text = text
        self.labels = labels
        self.file = file
        self.line = line
    }

    /// `data.csv:17` when the example came from a file, otherwise `example 17` (1-based).
    func location(index: Int) -> String {
        if let file, let line { return "\(file):\(line)" }
        return "example \(index + 1)"
    }
}

/// A list of examples with named tasks: what `dataset`, `dummy` and `split` produce.
///
/// A value type: every operation (shuffle, split, take, filter, concatenation) returns a new
/// dataset and leaves this one as it was.
public struct Dataset: Codable, Equatable, Sendable {
    /// The examples, in order.
    public var examples: [Example]
    /// The task names, in the order of the file's columns (or first appearance in JSONL).
    public var tasks: [String]
    /// Where the data came from (a file name, `dummy`), for display.
    public var name: String

    /// A dataset of `examples`; tasks default to those the examples carry, in first-seen order
    /// (sorted within one example, since a dictionary has no order).
    public init(examples: [Example], tasks: [String]? = nil, name: String = "dataset") {
        self.examples = examples
        self.name = name
        if let tasks {
            self.tasks = tasks
        } else {
            var seen: [String] = []
            for example in examples {
                for task in example.labels.keys.sorted() where !seen.contains(task) { seen.append(task) }
            }
            self.tasks = seen
        }
    }

    /// The number of examples.
    public var count: Int { examples.count }
    /// Whether there are no examples.
    public var isEmpty: Bool { examples.isEmpty }
    /// The example at `index` (callers validate user-given indices with `indices`).
    public subscript(index: Int) -> Example { examples[index] }
    /// The valid example indices.
    public var indices: Range<Int> { examples.indices }
    /// The texts, in order.
    public var texts: [String] { examples.map(\.text) }

    // MARK: - Selection

    /// The examples at `indices`, in that order. Throws for an index outside the dataset.
    public func selecting(_ indices: [Int]) throws -> Dataset {
        var picked: [Example] = []
        picked.reserveCapacity(indices.count)
        for i in indices {
            guard examples.indices.contains(i) else {
                throw DatasetError.indexOutOfRange(index: i, count: count)
            }
            picked.append(examples[i])
        }
        return Dataset(examples: picked, tasks: tasks, name: name)
    }

    /// The first `n` examples (all of them when `n` ≥ count; none when `n` ≤ 0).
    public func take(_ n: Int) -> Dataset {
        Dataset(examples: Array(examples.prefix(max(0, n))), tasks: tasks, name: name)
    }

    /// The first `n` examples; the same as `take`.
    public func head(_ n: Int = 5) -> Dataset { take(n) }

    /// Indices of the examples that have a label for `task`.
    public func indices(withLabelFor task: String) -> [Int] {
        examples.indices.filter { examples[$0].labels[task] != nil }
    }

    /// Only the examples that have a label for `task`. Throws for a task the dataset lacks.
    public func filtered(hasLabelFor task: String) throws -> Dataset {
        try requireTask(task)
        return Dataset(examples: examples.filter { $0.labels[task] != nil }, tasks: tasks, name: name)
    }

    /// This dataset followed by `other`; tasks are the union, this one's first.
    public func concatenated(with other: Dataset) -> Dataset {
        var tasks = self.tasks
        for task in other.tasks where !tasks.contains(task) { tasks.append(task) }
        return Dataset(examples: examples + other.examples, tasks: tasks, name: "\(name) + \(other.name)")
    }

    public static func + (lhs: Dataset, rhs: Dataset) -> Dataset { lhs.concatenated(with: rhs) }

    // MARK: - Randomness (always from the project's SeededGenerator)

    /// The examples in a random order drawn from `generator`.
    public func shuffled(using generator: inout SeededGenerator) -> Dataset {
        var copy = self
        copy.examples = Sampling.shuffled(examples, using: &generator)
        return copy
    }

    /// The examples in a random order fixed by `seed`.
    public func shuffled(seed: UInt64) -> Dataset {
        var generator = SeededGenerator(seed: seed)
        return shuffled(using: &generator)
    }

    /// Shuffles, then cuts into consecutive parts whose sizes follow `fractions`.
    ///
    /// `fractions` must be positive and sum to at most 1; if they sum to less than 1 the rest
    /// becomes one more part (so `split([0.8])` gives train and test). Sizes are rounded down,
    /// and the last part takes what rounding leaves. Every example lands in exactly one part.
    public func split(_ fractions: [Double], using generator: inout SeededGenerator) throws -> [Dataset] {
        guard !fractions.isEmpty, fractions.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw DatasetError.invalidSplit(fractions: fractions)
        }
        let sum = fractions.reduce(0, +)
        guard sum <= 1 + 1e-9 else { throw DatasetError.invalidSplit(fractions: fractions) }
        var parts = fractions
        if sum < 1 - 1e-9 { parts.append(1 - sum) }
        let order = Sampling.shuffled(Array(examples.indices), using: &generator)
        var result: [Dataset] = []
        var start = 0
        for (k, fraction) in parts.enumerated() {
            let end = k == parts.count - 1 ? order.count : min(order.count, start + Int((fraction * Double(count)).rounded(.down)))
            let chosen = order[start..<end].map { examples[$0] }
            result.append(Dataset(examples: chosen, tasks: tasks, name: "\(name)[part \(k + 1)]"))
            start = end
        }
        return result
    }

    /// Shuffles with `seed`, then splits into train (`fraction` of the examples, rounded down)
    /// and test (the rest). `split(0.8, seed: 7)` is the shell's `split data 0.8 seed=7`.
    public func split(_ fraction: Double, seed: UInt64) throws -> (train: Dataset, test: Dataset) {
        var generator = SeededGenerator(seed: seed)
        return try split(fraction, using: &generator)
    }

    /// Train/test split drawing the shuffle from `generator`.
    public func split(_ fraction: Double, using generator: inout SeededGenerator) throws -> (train: Dataset, test: Dataset) {
        guard fraction > 0, fraction < 1 else { throw DatasetError.invalidSplit(fractions: [fraction]) }
        let parts = try split([fraction], using: &generator)
        return (parts[0], parts[1])
    }

    // MARK: - Labels

    /// Throws `unknownTask` unless `task` is one of this dataset's tasks.
    func requireTask(_ task: String) throws {
        guard tasks.contains(task) else { throw DatasetError.unknownTask(task: task, available: tasks) }
    }

    /// Label name → number of examples with it, for `task` (examples without a label are not counted).
    public func labelCounts(for task: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for example in examples {
            if let label = example.labels[task] { counts[label, default: 0] += 1 }
        }
        return counts
    }

    /// The distinct labels of `task`, sorted by name.
    public func labels(for task: String) -> [String] {
        labelCounts(for: task).keys.sorted()
    }

    /// The number of examples lacking a label for `task`.
    public func missingLabelCount(for task: String) -> Int {
        examples.reduce(0) { $0 + ($1.labels[task] == nil ? 1 : 0) }
    }

    /// How often each pair of labels of two tasks occurs together (only examples with both).
    public func jointLabelCounts(_ rowTask: String, _ columnTask: String) throws -> JointLabelCounts {
        try requireTask(rowTask)
        try requireTask(columnTask)
        let rows = labels(for: rowTask)
        let columns = labels(for: columnTask)
        var counts = Array(repeating: Array(repeating: 0, count: columns.count), count: rows.count)
        for example in examples {
            guard let a = example.labels[rowTask], let b = example.labels[columnTask],
                  let r = rows.firstIndex(of: a), let c = columns.firstIndex(of: b) else { continue }
            counts[r][c] += 1
        }
        return JointLabelCounts(rowTask: rowTask, columnTask: columnTask, rowLabels: rows,
                                columnLabels: columns, counts: counts)
    }

    /// A table of label counts for every task, as the shell prints it.
    public func labelSummary() -> String {
        var lines = ["\(name): \(count) examples, tasks \(tasks.isEmpty ? "(none)" : tasks.joined(separator: ", "))"]
        for task in tasks {
            let counts = labelCounts(for: task)
            let parts = counts.keys.sorted().map { "\($0) \(counts[$0] ?? 0)" }
            let missing = missingLabelCount(for: task)
            lines.append("  \(task): " + parts.joined(separator: ", ") + (missing > 0 ? " (no label: \(missing))" : ""))
        }
        return lines.joined(separator: "\n")
    }

    /// Each example's label index in the model's label order, or nil where the example has none.
    ///
    /// - Throws: `DatasetError.unknownLabel` naming the file and line of the first example whose
    ///   label is not in `labels`.
    public func labelIndices(task: String, labels: [String]) throws -> [Int?] {
        var position: [String: Int] = [:]
        for (i, label) in labels.enumerated() where position[label] == nil { position[label] = i }
        return try examples.enumerated().map { index, example in
            guard let label = example.labels[task] else { return nil }
            guard let k = position[label] else {
                throw DatasetError.unknownLabel(location: example.location(index: index), task: task,
                                                label: label, known: labels)
            }
            return k
        }
    }

    /// `labelIndices` for every task of a model, keyed by task name. A model task the dataset
    /// lacks gets all nils; a dataset task the model lacks is ignored.
    public func labelIndices(tasks modelTasks: [(name: String, labels: [String])]) throws -> [String: [Int?]] {
        var result: [String: [Int?]] = [:]
        for task in modelTasks {
            result[task.name] = try labelIndices(task: task.name, labels: task.labels)
        }
        return result
    }
}

extension Dataset: CustomStringConvertible {
    /// `dataset data.jsonl: 120 examples, tasks sentence_type, sentiment`.
    public var description: String {
        "dataset \(name): \(count) example\(count == 1 ? "" : "s"), tasks \(tasks.isEmpty ? "(none)" : tasks.joined(separator: ", "))"
    }
}

/// Counts of label pairs of two tasks: rows are `rowTask`'s labels, columns `columnTask`'s.
public struct JointLabelCounts: Equatable, Sendable {
    public let rowTask: String
    public let columnTask: String
    public let rowLabels: [String]
    public let columnLabels: [String]
    /// `counts[r][c]`: examples with row label `r` and column label `c`.
    public let counts: [[Int]]

    /// The count for a pair of label names (0 when either is not present).
    public func count(_ rowLabel: String, _ columnLabel: String) -> Int {
        guard let r = rowLabels.firstIndex(of: rowLabel), let c = columnLabels.firstIndex(of: columnLabel) else { return 0 }
        return counts[r][c]
    }

    /// A text table with row and column totals.
    public func rendered() -> String {
        let header = ["\(rowTask) \\ \(columnTask)"] + columnLabels + ["total"]
        var rows: [[String]] = [header]
        for (r, label) in rowLabels.enumerated() {
            rows.append([label] + counts[r].map(String.init) + [String(counts[r].reduce(0, +))])
        }
        let columnTotals = columnLabels.indices.map { c in counts.reduce(0) { $0 + $1[c] } }
        rows.append(["total"] + columnTotals.map(String.init) + [String(columnTotals.reduce(0, +))])
        return TextTable.render(rows)
    }
}

/// What can go wrong reading or using a dataset; each message says where and what to do.
public enum DatasetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read at all.
    case unreadable(file: String, reason: String)
    /// The extension does not say which format the file is in.
    case unknownFormat(file: String)
    /// The header (CSV/TSV) is unusable: no `text` column, duplicate or empty names.
    case badHeader(file: String, reason: String)
    /// The file has no examples.
    case empty(file: String)
    /// Some rows are bad and the caller did not ask to skip them: the first problems and the total.
    case badRows(file: String, problems: [RowProblem], total: Int)
    /// A label the model does not know.
    case unknownLabel(location: String, task: String, label: String, known: [String])
    /// A task the dataset does not have.
    case unknownTask(task: String, available: [String])
    /// Split fractions that are not positive or sum to more than 1.
    case invalidSplit(fractions: [Double])
    /// An example index outside the dataset.
    case indexOutOfRange(index: Int, count: Int)
    /// A generator request that cannot be met (no tasks, a task with no labels, negative count).
    case invalidDummy(reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the file: \(reason)"
        case let .unknownFormat(file):
            return "\(file): cannot tell the format from the extension; use .jsonl, .csv or .tsv, or name the format explicitly"
        case let .badHeader(file, reason):
            return "\(file):1: \(reason)"
        case let .empty(file):
            return "\(file): no examples in the file"
        case let .badRows(file, problems, total):
            var lines = ["\(file): \(total) bad row\(total == 1 ? "" : "s"); fix \(total == 1 ? "it" : "them") or load with bad rows skipped:"]
            lines += problems.map { "  \($0)" }
            if total > problems.count { lines.append("  … and \(total - problems.count) more") }
            return lines.joined(separator: "\n")
        case let .unknownLabel(location, task, label, known):
            return "\(location): unknown \(task) label '\(label)'; the model's labels are \(known.joined(separator: ", "))"
        case let .unknownTask(task, available):
            return "no task '\(task)' in the dataset; its tasks are \(available.isEmpty ? "(none)" : available.joined(separator: ", "))"
        case let .invalidSplit(fractions):
            return "cannot split by \(fractions.map { "\($0)" }.joined(separator: ", ")): fractions must be above 0 and sum to at most 1 (e.g. 0.8)"
        case let .indexOutOfRange(index, count):
            return "example index \(index) is out of range: the dataset has \(count) examples (0..<\(count))"
        case let .invalidDummy(reason):
            return "dummy data: \(reason)"
        }
    }
}

/// One bad row: where it is and what is wrong.
public struct RowProblem: Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `data.csv:17: row has 3 fields, header has 4`.
    public var description: String { "\(file):\(line): \(message)" }
}

/// Left-aligned text columns separated by two spaces (first column left, numbers right).
enum TextTable {
    static func render(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows { for (c, cell) in row.enumerated() { widths[c] = max(widths[c], cell.count) } }
        return rows.map { row in
            let line = row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
            return String(line.reversed().drop(while: { $0 == " " }).reversed())   // no trailing blanks
        }.joined(separator: "\n")
    }
}
