import Foundation

/// The training-log lines of the original exercise, as pure functions.
///
/// `Loss A: 0.8871, Loss B: 1.0210, Total: 1.9081` and `Acc A: 60.00%, Acc B: 40.00%`: tasks
/// are named by letter in order (A, B, C, …).
public enum LogLine {
    /// The letter naming task number `index` (0 → A, 25 → Z, 26 → AA, 27 → AB, …).
    public static func taskLetter(_ index: Int) -> String {
        var n = max(0, index)
        var letters = ""
        repeat {
            letters = String(UnicodeScalar(UInt8(65 + n % 26))) + letters
            n = n / 26 - 1
        } while n >= 0
        return letters
    }

    /// `Loss A: 0.8871, Loss B: 1.0210, Total: 1.9081` (4 decimals; a task without loss this
    /// step shows `-`).
    public static func losses(_ taskLosses: [Double?], total: Double) -> String {
        let parts = taskLosses.enumerated().map { "Loss \(taskLetter($0.offset)): \(number($0.element))" }
        return (parts + ["Total: \(number(total))"]).joined(separator: ", ")
    }

    /// `Acc A: 60.00%, Acc B: 40.00%` from accuracies given as fractions (0.6 → 60.00%).
    public static func accuracies(_ taskAccuracies: [Double?]) -> String {
        taskAccuracies.enumerated().map { index, accuracy in
            "Acc \(taskLetter(index)): " + (accuracy.map { String(format: "%.2f%%", $0 * 100) } ?? "-")
        }.joined(separator: ", ")
    }

    private static func number(_ value: Double?) -> String {
        value.map { String(format: "%.4f", $0) } ?? "-"
    }
}
