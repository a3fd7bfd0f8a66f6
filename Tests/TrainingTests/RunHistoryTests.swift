import XCTest
@testable import Training

final class RunHistoryTests: XCTestCase {
    /// Two tasks, one with a comma in its name; round-robin steps miss one task's values.
    func sample() -> RunHistory {
        var h = RunHistory(tasks: ["sentence_type", "sentiment, fine"])
        h.append(StepRecord(step: 1, epoch: 1, lr: 2e-5, losses: ["sentence_type": 1.1, "sentiment, fine": 0.9],
                            accuracies: ["sentence_type": 0.25, "sentiment, fine": 0.5], totalLoss: 2.0, seconds: 0.125))
        h.append(StepRecord(step: 2, epoch: 1, lr: 1.9e-5, losses: ["sentence_type": 0.7],
                            accuracies: ["sentence_type": 0.75], totalLoss: 0.7, seconds: 0.1))
        h.append(StepRecord(step: 3, epoch: 2, lr: 1.0e-5, losses: ["sentiment, fine": 0.3],
                            totalLoss: 0.3, seconds: 0.11))
        h.append(EvalRecord(epoch: 1, step: 2, losses: ["sentence_type": 0.8, "sentiment, fine": 0.6],
                            accuracies: ["sentence_type": 0.5, "sentiment, fine": 0.6],
                            macroF1: ["sentence_type": 0.4], totalLoss: 1.4, seconds: 0.5))
        h.append(EvalRecord(epoch: 2, step: 3, losses: [:], accuracies: [:], totalLoss: 1.2))
        return h
    }

    func testCSVRoundTripGivesAnEqualHistory() throws {
        let h = sample()
        let text = h.csv()
        XCTAssertTrue(text.hasPrefix("kind,step,epoch,lr,seconds,total_loss,loss_sentence_type,\"loss_sentiment, fine\","), text)
        XCTAssertEqual(try RunHistory(csv: text), h)
    }

    func testJSONLRoundTripGivesAnEqualHistory() throws {
        let h = sample()
        let text = try h.jsonl()
        XCTAssertEqual(text.split(separator: "\n").count, 1 + 3 + 2)
        XCTAssertTrue(text.hasPrefix("{\"kind\":\"run\""), text)
        XCTAssertEqual(try RunHistory(jsonl: text), h)
    }

    func testNonFiniteLossesSurviveBothFormats() throws {
        var h = RunHistory(tasks: ["t"])
        h.append(StepRecord(step: 1, epoch: 1, lr: 1, losses: ["t": .nan], totalLoss: .infinity, seconds: 0))
        for back in [try RunHistory(csv: h.csv()), try RunHistory(jsonl: try h.jsonl())] {
            XCTAssertEqual(back.steps.count, 1)
            XCTAssertEqual(back.steps[0].losses["t"]?.isNaN, true)
            XCTAssertEqual(back.steps[0].totalLoss, .infinity)
        }
    }

    func testFilesAreWrittenAtomicallyAndReadBack() throws {
        let dir = try makeTemporaryDirectory(self)
        let csv = dir.appendingPathComponent("history.csv")
        let jsonl = dir.appendingPathComponent("history.jsonl")
        try Data("old content".utf8).write(to: csv)
        let h = sample()
        try h.writeCSV(to: csv)
        try h.writeJSONL(to: jsonl)
        XCTAssertEqual(try RunHistory.load(csv), h)
        XCTAssertEqual(try RunHistory.load(jsonl), h)
        // No temporary file is left beside them.
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        XCTAssertEqual(names, ["history.csv", "history.jsonl"])
    }

    func testWritingIntoAMissingFolderFailsWithThePath() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("no/such/history.csv")
        XCTAssertThrowsError(try sample().writeCSV(to: url)) { error in
            XCTAssertTrue("\(error)".hasPrefix(url.path), "\(error)")
        }
    }

    func testMalformedFilesNameTheLine() {
        let header = "kind,step,epoch,lr,seconds,total_loss,loss_t,acc_t,f1_t\n"
        XCTAssertThrowsError(try RunHistory(csv: header + "step,1,1,0.1,0.2,0.3,x,,\n", file: "h.csv")) { error in
            XCTAssertEqual("\(error)", "h.csv:2: loss_t 'x' is not a number")
        }
        XCTAssertThrowsError(try RunHistory(csv: "a,b\n", file: "h.csv"))
        XCTAssertThrowsError(try RunHistory(jsonl: "{\"kind\":\"step\"}\n", file: "h.jsonl")) { error in
            XCTAssertTrue("\(error)".hasPrefix("h.jsonl:1: the first line must be"), "\(error)")
        }
    }

    func testSummaryLastAndMeanPerTask() {
        // sentence_type losses 1.1, 0.7 → last 0.7, mean 0.9; accuracies 0.25, 0.75 → mean 0.5.
        // sentiment losses 0.9, 0.3 → last 0.3, mean 0.6. Totals 2.0, 0.7, 0.3 → mean 1.0.
        let s = sample().summary
        XCTAssertEqual(s.map(\.task), ["sentence_type", "sentiment, fine"])
        XCTAssertEqual(s[0].lastLoss, 0.7)
        XCTAssertEqual(s[0].meanLoss ?? 0, 0.9, accuracy: 1e-12)
        XCTAssertEqual(s[0].meanAccuracy ?? 0, 0.5, accuracy: 1e-12)
        XCTAssertEqual(s[1].lastLoss, 0.3)
        XCTAssertEqual(s[1].meanLoss ?? 0, 0.6, accuracy: 1e-12)
        XCTAssertEqual(s[1].lastAccuracy, 0.5)
        XCTAssertEqual(sample().meanTotalLoss ?? 0, 1.0, accuracy: 1e-12)
        XCTAssertTrue(sample().summaryText().hasPrefix("3 steps, 2 evals"))
    }

    func testHistoryIsCodableForSessions() throws {
        let h = sample()
        XCTAssertEqual(try JSONDecoder().decode(RunHistory.self, from: JSONEncoder().encode(h)), h)
    }
}

final class RunHistorySummaryTests: XCTestCase {
    func testMeansLeaveOutNonFiniteValuesButTheLastValueIsShown() {
        // losses 1, NaN, 3 → mean of the finite ones = 2; last = 3. Then a final NaN stays last.
        var h = RunHistory(tasks: ["t"])
        for (i, loss) in [1.0, .nan, 3.0].enumerated() {
            h.append(StepRecord(step: i + 1, epoch: 1, lr: 1, losses: ["t": loss], totalLoss: loss, seconds: 0))
        }
        XCTAssertEqual(h.summary[0].meanLoss, 2)
        XCTAssertEqual(h.summary[0].lastLoss, 3)
        XCTAssertEqual(h.meanTotalLoss, 2)
        h.append(StepRecord(step: 4, epoch: 1, lr: 1, losses: ["t": .nan], totalLoss: .nan, seconds: 0))
        XCTAssertEqual(h.summary[0].lastLoss?.isNaN, true)
        XCTAssertFalse(h.summaryText().split(separator: "\n").contains { $0.hasSuffix(" ") })
    }
}
