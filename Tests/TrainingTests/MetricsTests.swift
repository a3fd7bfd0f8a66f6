import XCTest
@testable import Training

final class MetricsTests: XCTestCase {
    // targets     a a a b b c
    // predictions a a b b c c
    // Confusion (rows true, columns predicted):
    //        a  b  c
    //   a  [ 2, 1, 0 ]
    //   b  [ 0, 1, 1 ]
    //   c  [ 0, 0, 1 ]
    // accuracy = (2 + 1 + 1) / 6 = 0.666…
    // a: TP 2, FP 0, FN 1 → P 1, R 2/3, F1 = 2·2 / (2·2 + 0 + 1) = 0.8
    // b: TP 1, FP 1, FN 1 → P 1/2, R 1/2, F1 = 2 / (2 + 1 + 1) = 0.5
    // c: TP 1, FP 1, FN 0 → P 1/2, R 1, F1 = 2 / (2 + 1 + 0) = 2/3
    // macro-F1 = (0.8 + 0.5 + 2/3) / 3 = 0.655555…
    // (sklearn: f1_score([0,0,0,1,1,2], [0,0,1,1,2,2], average="macro") = 0.6555…)
    let targets = [0, 0, 0, 1, 1, 2]
    let predictions = [0, 0, 1, 1, 2, 2]

    func testConfusionMatrixRowsAreTrueColumnsPredicted() throws {
        let m = try ConfusionMatrix(labels: ["a", "b", "c"], targets: targets, predictions: predictions)
        XCTAssertEqual(m.counts, [[2, 1, 0], [0, 1, 1], [0, 0, 1]])
        XCTAssertEqual(m.total, 6)
        XCTAssertEqual(m.correct, 4)
    }

    func testAccuracyPrecisionRecallF1ByHand() throws {
        let m = try ConfusionMatrix(labels: ["a", "b", "c"], targets: targets, predictions: predictions)
        XCTAssertEqual(m.accuracy, 4.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(try Metrics.accuracy(predictions: predictions, targets: targets), 4.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual([0, 1, 2].map(m.precision), [1, 0.5, 0.5])
        XCTAssertEqual(m.recall(0), 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(m.recall(1), 0.5)
        XCTAssertEqual(m.recall(2), 1)
        XCTAssertEqual(m.f1(0), 0.8, accuracy: 1e-12)
        XCTAssertEqual(m.f1(1), 0.5, accuracy: 1e-12)
        XCTAssertEqual(m.f1(2), 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(m.macroF1, (0.8 + 0.5 + 2.0 / 3.0) / 3, accuracy: 1e-12)
        XCTAssertEqual(m.perClass.map(\.support), [3, 2, 1])
    }

    func testMacroF1SkipsClassesAbsentFromTargetsAndPredictions() throws {
        // labels a b c d; targets a b; predictions a a.
        // a: TP 1, FP 1, FN 0 → F1 = 2 / (2 + 1) = 2/3;  b: TP 0, FN 1 → F1 0;
        // c, d occur nowhere → left out (sklearn's default, labels = y_true ∪ y_pred).
        // macro-F1 = (2/3 + 0) / 2 = 1/3  (were c and d counted as 0 it would be 1/6).
        let f1 = try Metrics.macroF1(predictions: [0, 0], targets: [0, 1], classCount: 4)
        XCTAssertEqual(f1, 1.0 / 3.0, accuracy: 1e-12)
    }

    func testZeroDivisionGivesZero() throws {
        // Nothing predicted as b and no b in targets except one missed: P(b) = 0/0 → 0.
        let m = try ConfusionMatrix(labels: ["a", "b"], targets: [1], predictions: [0])
        XCTAssertEqual(m.precision(1), 0)
        XCTAssertEqual(m.recall(0), 0)
        XCTAssertEqual(m.f1(0), 0)
        XCTAssertEqual(m.macroF1, 0)
        XCTAssertEqual(ConfusionMatrix(labels: ["a"]).accuracy, 0)
    }

    func testRenderingShowsLabelsAndCounts() throws {
        let m = try ConfusionMatrix(labels: ["neg", "pos"], targets: [0, 0, 1], predictions: [0, 1, 1])
        let text = m.rendered()
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0].split(separator: " ").map(String.init), ["true", "\\", "predicted", "neg", "pos"])
        XCTAssertEqual(lines[1].split(separator: " ").map(String.init), ["neg", "1", "1"])
        XCTAssertEqual(lines[2].split(separator: " ").map(String.init), ["pos", "0", "1"])
        // neg: P 1/1, R 1/2, F1 2/3; pos: P 1/2, R 1, F1 2/3; accuracy 2/3.
        XCTAssertTrue(text.contains("accuracy 0.6667, macro-F1 0.6667, 3 examples"), text)
    }

    func testBadInputIsRefusedNotTrapped() {
        XCTAssertThrowsError(try ConfusionMatrix(labels: ["a"], targets: [0, 0], predictions: [0])) { error in
            XCTAssertEqual("\(error)", "metrics need one prediction per target: got 1 predictions for 2 targets")
        }
        XCTAssertThrowsError(try ConfusionMatrix(labels: ["a", "b"], targets: [2], predictions: [0])) { error in
            XCTAssertEqual(error as? MetricsError, .classOutOfRange(2, classCount: 2))
        }
        XCTAssertThrowsError(try Metrics.accuracy(predictions: [1], targets: []))
    }

    func testArgmaxTakesTheFirstMaximumPerRow() throws {
        // rows: [0.1 0.7 0.2] → 1; [0.5 0.5 0.1] → 0 (first of a tie, like torch.argmax); [nan 1 0] → 1.
        let logits: [Float] = [0.1, 0.7, 0.2, 0.5, 0.5, 0.1, .nan, 1, 0]
        XCTAssertEqual(try Metrics.argmax(logits, classes: 3), [1, 0, 1])
        XCTAssertThrowsError(try Metrics.argmax([1, 2], classes: 3))
    }
}
