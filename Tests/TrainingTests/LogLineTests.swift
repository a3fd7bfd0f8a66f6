import XCTest
@testable import Training

final class LogLineTests: XCTestCase {
    func testLossLineMatchesTheOriginalExercise() {
        XCTAssertEqual(LogLine.losses([0.8871, 1.0210], total: 1.9081), "Loss A: 0.8871, Loss B: 1.0210, Total: 1.9081")
    }

    func testAccuracyLineMatchesTheOriginalExercise() {
        XCTAssertEqual(LogLine.accuracies([0.6, 0.4]), "Acc A: 60.00%, Acc B: 40.00%")
    }

    func testMoreTasksContinueTheAlphabetAndMissingValuesShowADash() {
        XCTAssertEqual(LogLine.losses([1, nil, 0.123456], total: 1.123456),
                       "Loss A: 1.0000, Loss B: -, Loss C: 0.1235, Total: 1.1235")
        XCTAssertEqual(LogLine.accuracies([1, 0, nil]), "Acc A: 100.00%, Acc B: 0.00%, Acc C: -")
    }

    func testTaskLettersAfterZ() {
        XCTAssertEqual([0, 1, 2, 25, 26, 27, 51, 52].map(LogLine.taskLetter), ["A", "B", "C", "Z", "AA", "AB", "AZ", "BA"])
    }
}
