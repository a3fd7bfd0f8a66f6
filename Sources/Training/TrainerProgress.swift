import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints training progress: a progress bar redrawn in place on a terminal, plain log lines
/// (the original exercise's `Loss A: …, Total: …` / `Acc A: …`) otherwise.
///
/// Pass `reporter.handle` as the trainer's `progress` callback. Losses and accuracies shown are
/// the means over the epoch so far (a task absent from a step does not count for it).
public final class ProgressReporter: @unchecked Sendable {
    // @unchecked: used from the one thread that runs the training loop.
    private let write: (String) -> Void
    private let redraw: Bool
    private var epoch = 0
    private var sums: [String: (loss: Double, accuracy: Double, count: Int)] = [:]
    private var totalSum = 0.0
    private var steps = 0
    private var lineOpen = false
    private var tasks: [String] = []

    /// - Parameters:
    ///   - redraw: draw one line redrawn with `\r` (default: whether standard output is a terminal).
    ///   - write: where text goes (default: standard output, flushed).
    public init(redraw: Bool? = nil, write: ((String) -> Void)? = nil) {
        self.redraw = redraw ?? (isatty(STDOUT_FILENO) != 0)
        self.write = write ?? { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Handles one trainer event.
    public func handle(_ event: TrainingEvent) {
        switch event {
        case let .step(progress):
            let r = progress.record
            tasks = progress.tasks
            if r.epoch != epoch {
                epoch = r.epoch
                sums = [:]
                totalSum = 0
                steps = 0
            }
            for (task, loss) in r.losses {
                var s = sums[task] ?? (0, 0, 0)
                s.loss += loss
                s.accuracy += r.accuracies[task] ?? 0
                s.count += 1
                sums[task] = s
            }
            totalSum += r.totalLoss
            steps += 1
            let endOfEpoch = progress.stepInEpoch == progress.stepsInEpoch
            if redraw {
                write("\r\u{1B}[K" + barLine(progress) + (endOfEpoch ? "\n" : ""))
                lineOpen = !endOfEpoch
            } else if progress.shouldLog {
                write(plainLine(progress) + "\n")
            }
        case let .evaluation(record):
            if lineOpen { write("\n"); lineOpen = false }
            write(Self.evaluationLine(record, tasks: tasks.isEmpty ? record.losses.keys.sorted() : tasks) + "\n")
        }
    }

    /// Ends a progress bar left open (a run interrupted or failed mid-epoch) with a newline.
    public func finish() {
        if lineOpen { write("\n"); lineOpen = false }
    }

    /// `epoch 1/3 ███████░░░ 30/30  loss A 0.887 B 1.021 total 1.908 · acc A 60.0% B 40.0%`
    func barLine(_ p: TrainingProgress) -> String {
        let width = 10
        let filled = p.stepsInEpoch == 0 ? width : p.stepInEpoch * width / p.stepsInEpoch
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        var loss = "loss", acc = "acc"
        for (i, task) in p.tasks.enumerated() {
            let letter = LogLine.taskLetter(i)
            let s = sums[task]
            loss += " \(letter) " + (s.map { String(format: "%.3f", $0.loss / Double($0.count)) } ?? "-")
            acc += " \(letter) " + (s.map { String(format: "%.1f%%", 100 * $0.accuracy / Double($0.count)) } ?? "-")
        }
        loss += " total " + String(format: "%.3f", totalSum / Double(max(1, steps)))
        return "epoch \(p.record.epoch)/\(p.epochs) \(bar) \(p.stepInEpoch)/\(p.stepsInEpoch)  \(loss) · \(acc)"
    }

    /// `epoch 1/3 step 30/30  Loss A: 0.8871, Loss B: 1.0210, Total: 1.9081  Acc A: 60.00%, Acc B: 40.00%`
    /// (this step's values, as the original exercise logged them).
    func plainLine(_ p: TrainingProgress) -> String {
        let r = p.record
        return "epoch \(r.epoch)/\(p.epochs) step \(p.stepInEpoch)/\(p.stepsInEpoch)  "
            + LogLine.losses(p.tasks.map { r.losses[$0] }, total: r.totalLoss) + "  "
            + LogLine.accuracies(p.tasks.map { r.accuracies[$0] })
    }

    /// `eval epoch 1  Loss A: …, Total: …  Acc A: …  F1 A: 0.6500, F1 B: …`
    static func evaluationLine(_ record: EvalRecord, tasks: [String]) -> String {
        let f1 = tasks.enumerated().map { i, t in
            "F1 \(LogLine.taskLetter(i)): " + (record.macroF1[t].map { String(format: "%.4f", $0) } ?? "-")
        }.joined(separator: ", ")
        return "eval epoch \(record.epoch)  " + LogLine.losses(tasks.map { record.losses[$0] }, total: record.totalLoss)
            + "  " + LogLine.accuracies(tasks.map { record.accuracies[$0] }) + "  " + f1
    }
}
