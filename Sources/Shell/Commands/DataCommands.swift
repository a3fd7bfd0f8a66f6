import Foundation
import Script
import Tensors
import Training

/// `dataset`, `dummy`, `split`, `tensor`: making data to train and evaluate on.
enum DataCommands {
    /// The tasks of the original exercise, used when `dummy` is given none.
    static let defaultTasks: [(name: String, labels: [String])] = [
        ("sentence_type", ["statement", "question", "command"]),
        ("sentiment", ["negative", "neutral", "positive"]),
    ]

    static func all(session: ShellSession) -> [Builtin] {
        [dataset(session), dummy(session), split(session), tensor(session)]
    }

    static func dataset(_ session: ShellSession) -> Builtin {
        command("dataset", group: "data", parameters: [
            CommandParameter("path", .string, summary: "a .jsonl, .csv or .tsv file of texts and labels"),
            CommandParameter("format", .string, default: .null, summary: "jsonl, csv or tsv (default: from the extension)"),
            CommandParameter("skip_bad", .bool, default: .bool(false), summary: "skip malformed rows (listed) instead of failing"),
        ],
        summary: "Loads labelled texts from a file.",
        help: """
        JSONL rows are objects {"text": …, "<task>": "<label>", …}; CSV/TSV files have a header with a
        `text` column and one column per task. Rows with a problem stop the load with the file and line,
        unless skip_bad=true (then they are counted and listed).
        """,
        example: "data = dataset \"Experiments/data/test.jsonl\"\ndata.counts") { call in
            let path = expandedPath(try call.string("path"))
            var format: DatasetFormat?
            if call.has("format") {
                let name = try call.string("format")
                guard let f = DatasetFormat(rawValue: name.lowercased()) else {
                    throw ScriptError.runtime("dataset: unknown format '\(name)'; use one of \(DatasetFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                format = f
            }
            let loaded = try Dataset.load(URL(fileURLWithPath: path), format: format, skipBadRows: try call.bool("skip_bad"))
            if let skipped = loaded.skippedSummary { call.interpreter.output(skipped) }
            session.markChanged()
            return .object(DatasetObject(loaded.dataset))
        }
    }

    static func dummy(_ session: ShellSession) -> Builtin {
        command("dummy", group: "data", parameters: [
            CommandParameter("n", .integer, default: .number(100), summary: "how many examples"),
            CommandParameter("tasks", .dict, default: .null, summary: "task → list of labels (default: sentence_type and sentiment)"),
            CommandParameter("seed", .integer, default: .null, summary: "a fixed seed (default: the session's generator)"),
        ],
        summary: "Random sentences with random labels, for trying things out.",
        help: "Labels are drawn uniformly per task; the same seed (or session generator state) gives the same data.",
        example: "d = dummy 20 tasks={topic: [\"a\", \"b\"]} seed=1\nd.size") { call in
            let n = try call.integer("n")
            let limit = call.interpreter.maxCollectionSize
            guard n <= limit else { throw ScriptError.runtime("dummy: \(n) examples is too many (the limit is \(limit))") }
            var tasks = defaultTasks
            if call.has("tasks") {
                tasks = try call.dict("tasks").entries.map { key, value in
                    guard case .list(let items) = value else {
                        throw ScriptError.runtime("dummy: task '\(key)' needs a list of label names, got \(value.typeName)")
                    }
                    return (key, try items.map { item -> String in
                        guard case .string(let label) = item else {
                            throw ScriptError.runtime("dummy: labels of task '\(key)' must be strings, got \(item.typeName)")
                        }
                        return label
                    })
                }
            }
            let data: Dataset
            if call.has("seed") {
                data = try Dataset.dummy(count: n, tasks: tasks, seed: try seedValue(call, "seed"))
            } else {
                data = try Dataset.dummy(count: n, tasks: tasks, using: &session.generator)
            }
            session.markChanged()
            return .object(DatasetObject(data))
        }
    }

    static func split(_ session: ShellSession) -> Builtin {
        command("split", group: "data", parameters: [
            CommandParameter("data", .object("dataset"), summary: "the dataset to split"),
            CommandParameter("fraction", .oneOf([.number, .list]), default: .number(0.8),
                             summary: "the first part's share, or a list of shares (the rest forms one more part)"),
            CommandParameter("seed", .integer, default: .null, summary: "a fixed shuffling seed (default: the session's generator)"),
        ],
        summary: "Shuffles a dataset and cuts it into parts: [train, test].",
        help: "split data 0.8 gives [80% part, 20% part]; split data [0.8, 0.1] gives three parts. Every example lands in exactly one part.",
        example: "d = dummy 10 seed=3\nparts = split d 0.8 seed=7\n[parts[0].size, parts[1].size]") { call in
            let data = try call.object("data", as: DatasetObject.self).dataset
            let fractions: [Double]
            switch call["fraction"] {
            case .number(let f): fractions = [f]
            case .list(let items):
                fractions = try items.map { item in
                    guard case .number(let f) = item else { throw ScriptError.runtime("split: fractions must be numbers, got \(item.typeName)") }
                    return f
                }
            default: fractions = [0.8]
            }
            if fractions.count == 1, !(fractions[0] > 0 && fractions[0] < 1) {
                throw ScriptError.runtime("split: fraction must be between 0 and 1 (exclusive), got \(Value.format(fractions[0]))")
            }
            let parts: [Dataset]
            if call.has("seed") {
                var generator = SeededGenerator(seed: try seedValue(call, "seed"))
                parts = try data.split(fractions, using: &generator)
            } else {
                parts = try data.split(fractions, using: &session.generator)
            }
            session.markChanged()
            return .list(parts.map { .object(DatasetObject($0)) })
        }
    }

    static func tensor(_ session: ShellSession) -> Builtin {
        command("tensor", group: "data", parameters: [
            CommandParameter("values", .oneOf([.number, .list]), summary: "a number, or (nested) lists of numbers of equal lengths"),
        ],
        summary: "A tensor from numbers: tensor([[1, 2], [3, 4]]).",
        example: "t = tensor([[1, 2, 3], [4, 5, 6]])\nt.shape") { call in
            var shape: [Int] = []
            var flat: [Float] = []
            try flatten(call["values"], depth: 0, shape: &shape, into: &flat)
            session.markChanged()
            return .object(TensorObject(try Tensor(shape: shape, values: flat)))
        }
    }

    /// Appends the numbers of nested lists in row-major order; the shape is read along the first
    /// elements, then every list must have that shape's length at its depth.
    private static func flatten(_ value: Value, depth: Int, shape: inout [Int], into flat: inout [Float]) throws {
        if depth == 0 {
            var probe = value
            while case .list(let items) = probe {
                guard shape.count < 32 else { throw ScriptError.runtime("tensor: lists nested more than 32 deep") }
                shape.append(items.count)
                guard let first = items.first else { break }
                probe = first
            }
        }
        switch value {
        case .number(let n):
            guard depth == shape.count else {
                throw ScriptError.runtime("tensor: a number where a list of \(shape[depth]) was expected; lists must nest evenly")
            }
            flat.append(Float(n))
        case .list(let items):
            guard depth < shape.count, items.count == shape[depth] else {
                throw ScriptError.runtime("tensor: a list of \(items.count) where \(depth < shape.count ? "a list of \(shape[depth])" : "a number") was expected; lists must nest evenly")
            }
            for item in items { try flatten(item, depth: depth + 1, shape: &shape, into: &flat) }
        default:
            throw ScriptError.runtime("tensor: values must be numbers, got \(value.typeName)")
        }
    }
}
