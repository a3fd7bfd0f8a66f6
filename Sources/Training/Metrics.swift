import Foundation

/// Counts of (true label, predicted label) pairs, and the classification metrics that follow.
///
/// Rows are true labels, columns predicted labels (scikit-learn's `confusion_matrix` layout).
/// Precision, recall and F1 of a class with a zero denominator are 0 (`zero_division=0`).
/// Macro-F1 averages F1 over the classes that occur in the targets or the predictions — what
/// `sklearn.metrics.f1_score(y_true, y_pred, average="macro")` does when `labels` is not given —
/// so a class the data never mentions does not drag the mean down.
public struct ConfusionMatrix: Codable, Equatable, Sendable {
    /// Label names, in the model's order; class `i` is `labels[i]`.
    public let labels: [String]
    /// `counts[t][p]`: examples with true class `t` predicted as `p`.
    public private(set) var counts: [[Int]]

    /// An empty matrix over `labels`.
    public init(labels: [String]) {
        self.labels = labels
        counts = Array(repeating: Array(repeating: 0, count: labels.count), count: labels.count)
    }

    /// A matrix counting `targets[i]` → `predictions[i]` (class indices into `labels`).
    /// - Throws: `MetricsError` when the arrays differ in length or an index is out of range.
    public init(labels: [String], targets: [Int], predictions: [Int]) throws {
        self.init(labels: labels)
        try add(targets: targets, predictions: predictions)
    }

    /// Counts more pairs. Validates everything before counting anything.
    public mutating func add(targets: [Int], predictions: [Int]) throws {
        guard targets.count == predictions.count else {
            throw MetricsError.lengthMismatch(targets: targets.count, predictions: predictions.count)
        }
        for value in targets + predictions where !labels.indices.contains(value) {
            throw MetricsError.classOutOfRange(value, classCount: labels.count)
        }
        for (t, p) in zip(targets, predictions) { counts[t][p] += 1 }
    }

    /// The number of examples counted.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    /// The number predicted correctly (the diagonal).
    public var correct: Int { labels.indices.reduce(0) { $0 + counts[$1][$1] } }
    /// correct / total (0 when empty).
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Examples truly of class `c` (row sum).
    public func support(_ c: Int) -> Int { counts[c].reduce(0, +) }
    /// Examples predicted as class `c` (column sum).
    public func predictedCount(_ c: Int) -> Int { counts.reduce(0) { $0 + $1[c] } }

    /// TP / (TP + FP) for class `c`; 0 when nothing was predicted as `c`.
    public func precision(_ c: Int) -> Double {
        let predicted = predictedCount(c)
        return predicted == 0 ? 0 : Double(counts[c][c]) / Double(predicted)
    }

    /// TP / (TP + FN) for class `c`; 0 when no example is truly `c`.
    public func recall(_ c: Int) -> Double {
        let actual = support(c)
        return actual == 0 ? 0 : Double(counts[c][c]) / Double(actual)
    }

    /// 2·TP / (2·TP + FP + FN) for class `c` (the harmonic mean of precision and recall); 0 when
    /// the class occurs nowhere.
    public func f1(_ c: Int) -> Double {
        let denominator = support(c) + predictedCount(c)
        return denominator == 0 ? 0 : 2 * Double(counts[c][c]) / Double(denominator)
    }

    /// The classes occurring in the targets or the predictions.
    public var presentClasses: [Int] { labels.indices.filter { support($0) + predictedCount($0) > 0 } }

    /// Mean F1 over `presentClasses` (sklearn's macro average without `labels=`); 0 when empty.
    public var macroF1: Double {
        let present = presentClasses
        guard !present.isEmpty else { return 0 }
        return present.reduce(0) { $0 + f1($1) } / Double(present.count)
    }

    /// Precision, recall, F1 and support of every class, in label order.
    public var perClass: [ClassMetrics] {
        labels.indices.map {
            ClassMetrics(label: labels[$0], precision: precision($0), recall: recall($0), f1: f1($0), support: support($0))
        }
    }

    /// The matrix as a text table (rows = true, columns = predicted), then per-class scores.
    public func rendered() -> String {
        var rows: [[String]] = [["true \\ predicted"] + labels]
        for (t, label) in labels.enumerated() { rows.append([label] + counts[t].map(String.init)) }
        var report: [[String]] = [["label", "precision", "recall", "f1", "support"]]
        for m in perClass {
            report.append([m.label, format(m.precision), format(m.recall), format(m.f1), String(m.support)])
        }
        return TextTable.render(rows) + "\n\n" + TextTable.render(report)
            + "\naccuracy \(format(accuracy)), macro-F1 \(format(macroF1)), \(total) examples"
    }

    private func format(_ x: Double) -> String { String(format: "%.4f", x) }
}

/// Scores of one class.
public struct ClassMetrics: Codable, Equatable, Sendable {
    public let label: String
    public let precision: Double
    public let recall: Double
    public let f1: Double
    /// The number of examples truly of this class.
    public let support: Int
}

/// Metrics straight from index arrays, for callers that do not need the whole matrix.
public enum Metrics {
    /// The fraction of positions where `predictions` equals `targets` (0 for empty input).
    /// - Throws: `MetricsError.lengthMismatch` when the arrays differ in length.
    public static func accuracy(predictions: [Int], targets: [Int]) throws -> Double {
        guard predictions.count == targets.count else {
            throw MetricsError.lengthMismatch(targets: targets.count, predictions: predictions.count)
        }
        guard !targets.isEmpty else { return 0 }
        return Double(zip(predictions, targets).filter { $0 == $1 }.count) / Double(targets.count)
    }

    /// sklearn's `f1_score(average="macro", zero_division=0)` over classes `0..<classCount`
    /// present in targets or predictions.
    public static func macroF1(predictions: [Int], targets: [Int], classCount: Int) throws -> Double {
        let names = (0..<max(0, classCount)).map(String.init)
        return try ConfusionMatrix(labels: names, targets: targets, predictions: predictions).macroF1
    }

    /// The index of the largest value of each row of `logits` (`[rows × classes]`, row-major);
    /// the first wins a tie, like `torch.argmax`. NaN never wins.
    public static func argmax(_ logits: [Float], classes: Int) throws -> [Int] {
        guard classes > 0, logits.count % classes == 0 else {
            throw MetricsError.badLogitShape(count: logits.count, classes: classes)
        }
        return stride(from: 0, to: logits.count, by: classes).map { start in
            var best = start
            for i in start..<(start + classes) where logits[i] > logits[best] || logits[best].isNaN { best = i }
            return best - start
        }
    }
}

/// Misuse of the metric functions.
public enum MetricsError: Error, CustomStringConvertible, Equatable, Sendable {
    case lengthMismatch(targets: Int, predictions: Int)
    case classOutOfRange(Int, classCount: Int)
    case badLogitShape(count: Int, classes: Int)

    public var description: String {
        switch self {
        case let .lengthMismatch(targets, predictions):
            return "metrics need one prediction per target: got \(predictions) predictions for \(targets) targets"
        case let .classOutOfRange(value, classCount):
            return "class index \(value) is out of range: there are \(classCount) classes (0..<\(classCount))"
        case let .badLogitShape(count, classes):
            return "cannot read \(count) logits as rows of \(classes) classes"
        }
    }
}
