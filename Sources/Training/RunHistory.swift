import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one training step measured.
public struct StepRecord: Codable, Equatable, Sendable {
    /// The global step number (1 for the first optimizer step).
    public var step: Int
    /// The epoch the step belongs to (1-based).
    public var epoch: Int
    /// The learning rate the step used.
    public var lr: Double
    /// Loss per task; a task absent from the batch (round-robin) has no entry.
    public var losses: [String: Double]
    /// Training accuracy per task on the batch (fraction 0…1), where measured.
    public var accuracies: [String: Double]
    /// The weighted sum of the task losses that was back-propagated.
    public var totalLoss: Double
    /// Wall-clock seconds the step took.
    public var seconds: Double

    public init(step: Int, epoch: Int, lr: Double, losses: [String: Double], accuracies: [String: Double] = [:],
                totalLoss: Double, seconds: Double) {
        self.step = step
        self.epoch = epoch
        self.lr = lr
        self.losses = losses
        self.accuracies = accuracies
        self.totalLoss = totalLoss
        self.seconds = seconds
    }
}

/// What one evaluation (usually at the end of an epoch) measured.
public struct EvalRecord: Codable, Equatable, Sendable {
    public var epoch: Int
    /// The global step after which the evaluation ran.
    public var step: Int
    public var losses: [String: Double]
    public var accuracies: [String: Double]
    public var macroF1: [String: Double]
    public var totalLoss: Double
    public var seconds: Double?

    public init(epoch: Int, step: Int, losses: [String: Double], accuracies: [String: Double],
                macroF1: [String: Double] = [:], totalLoss: Double, seconds: Double? = nil) {
        self.epoch = epoch
        self.step = step
        self.losses = losses
        self.accuracies = accuracies
        self.macroF1 = macroF1
        self.totalLoss = totalLoss
        self.seconds = seconds
    }
}

/// The record of a training run: every step and every evaluation, in order.
///
/// Saved with a session (it is `Codable`), and written as CSV (one row per record, `kind`
/// saying `step` or `eval`) or JSONL (a `run` line naming the tasks, then one line per record).
/// Both forms read back to an equal history.
public struct RunHistory: Codable, Equatable, Sendable {
    /// The tasks, in the model's order (the order of CSV columns and of log letters A, B, …).
    public var tasks: [String]
    public private(set) var steps: [StepRecord] = []
    public private(set) var evals: [EvalRecord] = []

    public init(tasks: [String], steps: [StepRecord] = [], evals: [EvalRecord] = []) {
        self.tasks = tasks
        self.steps = steps
        self.evals = evals
    }

    public mutating func append(_ record: StepRecord) { steps.append(record) }
    public mutating func append(_ record: EvalRecord) { evals.append(record) }

    // MARK: - Summary

    /// Last and mean of one task's training loss and accuracy (nil where never measured).
    public struct TaskSummary: Equatable, Sendable {
        public let task: String
        public let lastLoss: Double?
        public let meanLoss: Double?
        public let lastAccuracy: Double?
        public let meanAccuracy: Double?
    }

    /// One summary per task, in task order, over the steps that measured it. Means leave out
    /// NaN and infinite values (one diverged step would otherwise hide the rest); the last
    /// value is shown as it is, so a run that ends diverged still says so.
    public var summary: [TaskSummary] {
        tasks.map { task in
            let losses = steps.compactMap { $0.losses[task] }
            let accuracies = steps.compactMap { $0.accuracies[task] }
            return TaskSummary(task: task, lastLoss: losses.last, meanLoss: Self.mean(losses),
                               lastAccuracy: accuracies.last, meanAccuracy: Self.mean(accuracies))
        }
    }

    /// The mean of the finite total losses over all steps (nil when there are none).
    public var meanTotalLoss: Double? { Self.mean(steps.map(\.totalLoss)) }

    /// `5 steps, 2 evals` then a line per task: `sentiment  loss last 0.6931 mean 0.8000  acc last 50.00% mean 45.00%`.
    public func summaryText() -> String {
        func f(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "-" }
        func p(_ x: Double?) -> String { x.map { String(format: "%.2f%%", $0 * 100) } ?? "-" }
        var rows: [[String]] = [["task", "last loss", "mean loss", "last acc", "mean acc"]]
        for s in summary { rows.append([s.task, f(s.lastLoss), f(s.meanLoss), p(s.lastAccuracy), p(s.meanAccuracy)]) }
        rows.append(["total", f(steps.last?.totalLoss), f(meanTotalLoss), "", ""])
        return "\(steps.count) step\(steps.count == 1 ? "" : "s"), \(evals.count) eval\(evals.count == 1 ? "" : "s")\n"
            + TextTable.render(rows)
    }

    private static func mean(_ values: [Double]) -> Double? {
        let finite = values.filter(\.isFinite)
        return finite.isEmpty ? nil : finite.reduce(0, +) / Double(finite.count)
    }

    // MARK: - CSV

    /// The history as CSV: `kind,step,epoch,lr,seconds,total_loss`, then `loss_<task>`,
    /// `acc_<task>`, `f1_<task>` per task; an empty cell is "not measured". Numbers are written
    /// with Swift's shortest round-trip form, so reading gives the same values back.
    public func csv() -> String {
        let header = ["kind", "step", "epoch", "lr", "seconds", "total_loss"]
            + tasks.map { "loss_\($0)" } + tasks.map { "acc_\($0)" } + tasks.map { "f1_\($0)" }
        var lines = [CSVReader.csv.line(header)]
        for s in steps {
            lines.append(CSVReader.csv.line(["step", String(s.step), String(s.epoch), Self.number(s.lr),
                                             Self.number(s.seconds), Self.number(s.totalLoss)]
                + tasks.map { Self.number(s.losses[$0]) } + tasks.map { Self.number(s.accuracies[$0]) }
                + tasks.map { _ in "" }))
        }
        for e in evals {
            lines.append(CSVReader.csv.line(["eval", String(e.step), String(e.epoch), "", Self.number(e.seconds),
                                             Self.number(e.totalLoss)]
                + tasks.map { Self.number(e.losses[$0]) } + tasks.map { Self.number(e.accuracies[$0]) }
                + tasks.map { Self.number(e.macroF1[$0]) }))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads what `csv()` wrote. `file` names the source in error messages.
    public init(csv text: String, file: String = "history.csv") throws {
        var records = CSVReader.csv.records(text)
        guard !records.isEmpty else { throw RunHistoryError.malformed(location: file, reason: "the file is empty") }
        let header = records.removeFirst().fields
        let fixed = ["kind", "step", "epoch", "lr", "seconds", "total_loss"]
        guard Array(header.prefix(fixed.count)) == fixed, (header.count - fixed.count) % 3 == 0 else {
            throw RunHistoryError.malformed(location: "\(file):1", reason: "the header must start with \(fixed.joined(separator: ",")) followed by loss_, acc_ and f1_ columns per task")
        }
        let taskCount = (header.count - fixed.count) / 3
        var tasks: [String] = []
        for k in 0..<taskCount {
            let names = [("loss_", fixed.count + k), ("acc_", fixed.count + taskCount + k), ("f1_", fixed.count + 2 * taskCount + k)]
                .map { prefix, column -> String? in
                    header[column].hasPrefix(prefix) ? String(header[column].dropFirst(prefix.count)) : nil
                }
            guard let name = names[0], names.allSatisfy({ $0 == name }) else {
                throw RunHistoryError.malformed(location: "\(file):1", reason: "task columns must come as loss_<task>…, acc_<task>…, f1_<task>… in the same task order")
            }
            tasks.append(name)
        }
        self.init(tasks: tasks)
        for record in records {
            let location = "\(file):\(record.line)"
            if let problem = record.problem { throw RunHistoryError.malformed(location: location, reason: problem) }
            let f = record.fields
            guard f.count == header.count else {
                throw RunHistoryError.malformed(location: location, reason: "row has \(f.count) fields, header has \(header.count)")
            }
            func int(_ i: Int) throws -> Int {
                guard let v = Int(f[i]) else { throw RunHistoryError.malformed(location: location, reason: "\(header[i]) '\(f[i])' is not a whole number") }
                return v
            }
            func optional(_ i: Int) throws -> Double? {
                if f[i].isEmpty { return nil }
                guard let v = Double(f[i]) else { throw RunHistoryError.malformed(location: location, reason: "\(header[i]) '\(f[i])' is not a number") }
                return v
            }
            func required(_ i: Int) throws -> Double {
                guard let v = try optional(i) else { throw RunHistoryError.malformed(location: location, reason: "\(header[i]) is empty") }
                return v
            }
            func perTask(_ offset: Int) throws -> [String: Double] {
                var values: [String: Double] = [:]
                for (k, task) in tasks.enumerated() { values[task] = try optional(fixed.count + offset * taskCount + k) }
                return values
            }
            switch f[0] {
            case "step":
                append(StepRecord(step: try int(1), epoch: try int(2), lr: try required(3), losses: try perTask(0),
                                  accuracies: try perTask(1), totalLoss: try required(5), seconds: try required(4)))
            case "eval":
                append(EvalRecord(epoch: try int(2), step: try int(1), losses: try perTask(0), accuracies: try perTask(1),
                                  macroF1: try perTask(2), totalLoss: try required(5), seconds: try optional(4)))
            default:
                throw RunHistoryError.malformed(location: location, reason: "kind '\(f[0])' is neither step nor eval")
            }
        }
    }

    private static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        return "\(value)"   // shortest representation that reads back to the same Double; nan, inf, -inf
    }

    // MARK: - JSONL

    /// One JSONL line: the run header, a step or an eval.
    private struct Line: Codable {
        var kind: String
        var tasks: [String]?
        var step: StepRecord?
        var eval: EvalRecord?
    }

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// The history as JSONL: `{"kind":"run","tasks":[…]}`, then `{"kind":"step","step":{…}}`
    /// and `{"kind":"eval","eval":{…}}` lines. Non-finite numbers are written as "nan"/"inf".
    public func jsonl() throws -> String {
        let encoder = Self.encoder()
        var lines = [Line(kind: "run", tasks: tasks)]
        lines += steps.map { Line(kind: "step", step: $0) }
        lines += evals.map { Line(kind: "eval", eval: $0) }
        return try lines.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.joined(separator: "\n") + "\n"
    }

    /// Reads what `jsonl()` wrote.
    public init(jsonl text: String, file: String = "history.jsonl") throws {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var history: RunHistory?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let location = "\(file):\(index + 1)"
            guard !raw.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let line: Line
            do {
                line = try decoder.decode(Line.self, from: Data(raw.utf8))
            } catch {
                throw RunHistoryError.malformed(location: location, reason: "not a history line (\(error))")
            }
            switch (line.kind, history) {
            case ("run", nil):
                history = RunHistory(tasks: line.tasks ?? [])
            case ("step", .some):
                guard let step = line.step else { throw RunHistoryError.malformed(location: location, reason: "a step line needs a \"step\" object") }
                history?.append(step)
            case ("eval", .some):
                guard let eval = line.eval else { throw RunHistoryError.malformed(location: location, reason: "an eval line needs an \"eval\" object") }
                history?.append(eval)
            case (_, nil):
                throw RunHistoryError.malformed(location: location, reason: "the first line must be {\"kind\":\"run\",\"tasks\":[…]}")
            default:
                throw RunHistoryError.malformed(location: location, reason: "unexpected kind '\(line.kind)'")
            }
        }
        guard let history else { throw RunHistoryError.malformed(location: file, reason: "the file is empty") }
        self = history
    }

    // MARK: - Files

    /// Writes `csv()` to `url` atomically (a temporary sibling renamed into place).
    public func writeCSV(to url: URL) throws { try Self.writeAtomically(csv(), to: url) }

    /// Writes `jsonl()` to `url` atomically.
    public func writeJSONL(to url: URL) throws { try Self.writeAtomically(try jsonl(), to: url) }

    /// Reads a history file written by `writeCSV` or `writeJSONL`, by extension (.csv or .jsonl).
    public static func load(_ url: URL) throws -> RunHistory {
        let file = url.lastPathComponent
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw RunHistoryError.io(path: url.path, reason: FileErrorText.reason(error, path: url.path))
        }
        switch url.pathExtension.lowercased() {
        case "csv": return try RunHistory(csv: text, file: file)
        case "jsonl": return try RunHistory(jsonl: text, file: file)
        default: throw RunHistoryError.malformed(location: file, reason: "use a .csv or .jsonl file")
        }
    }

    /// Writes `text` to `url` atomically (Foundation's `.atomic`: a temporary file renamed over
    /// `url`), so readers see the old file or the new one, never half of one.
    static func writeAtomically(_ text: String, to url: URL) throws {
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw RunHistoryError.io(path: url.path, reason: FileErrorText.reason(error, path: url.path))
        }
    }
}

/// Problems reading or writing a run history.
public enum RunHistoryError: Error, CustomStringConvertible, Equatable, Sendable {
    case malformed(location: String, reason: String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case let .malformed(location, reason): return "\(location): \(reason)"
        case let .io(path, reason): return "\(path): cannot write or read the history: \(reason)"
        }
    }
}
