import XCTest
import Tensors
@testable import Training

final class DatasetDummyTests: XCTestCase {
    let tasks: [(name: String, labels: [String])] = [
        (name: "sentence_type", labels: ["statement", "question", "command"]),
        (name: "sentiment", labels: ["negative", "neutral", "positive"]),
    ]

    func testSameSeedGivesTheSameDataset() throws {
        let a = try Dataset.dummy(count: 50, tasks: tasks, seed: 3)
        let b = try Dataset.dummy(count: 50, tasks: tasks, seed: 3)
        let c = try Dataset.dummy(count: 50, tasks: tasks, seed: 4)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.texts, c.texts)
    }

    func testAGeneratorContinuesItsStream() throws {
        var generator = SeededGenerator(seed: 9)
        let first = try Dataset.dummy(count: 5, tasks: tasks, using: &generator)
        let second = try Dataset.dummy(count: 5, tasks: tasks, using: &generator)
        XCTAssertNotEqual(first.texts, second.texts)
        var replay = SeededGenerator(seed: 9)
        XCTAssertEqual(try Dataset.dummy(count: 5, tasks: tasks, using: &replay), first)
    }

    func testEveryExampleHasAValidLabelForEveryTask() throws {
        let data = try Dataset.dummy(count: 300, tasks: tasks, seed: 1)
        XCTAssertEqual(data.count, 300)
        XCTAssertEqual(data.tasks, ["sentence_type", "sentiment"])
        for task in tasks {
            let counts = data.labelCounts(for: task.name)
            XCTAssertEqual(Set(counts.keys), Set(task.labels))
            XCTAssertEqual(counts.values.reduce(0, +), 300)
            // Uniform over 3 labels: each near 100 (binomial sd ≈ 8.2; allow 4 sd).
            for (label, n) in counts { XCTAssertEqual(Double(n), 100, accuracy: 33, "\(task.name) \(label)") }
        }
    }

    func testSentencesLookLikeSentencesOfVaryingLength() throws {
        let data = try Dataset.dummy(count: 200, tasks: tasks, seed: 5)
        var lengths: Set<Int> = []
        for text in data.texts {
            let words = text.split(separator: " ")
            lengths.insert(words.count)
            XCTAssertGreaterThanOrEqual(words.count, 3, text)
            XCTAssertEqual(text.first?.isUppercase, true, text)
            XCTAssertTrue([".", "?", "!"].contains(text.last.map(String.init) ?? ""), text)
        }
        XCTAssertGreaterThanOrEqual(lengths.count, 6, "lengths \(lengths.sorted())")
        XCTAssertGreaterThan(Set(data.texts).count, 190)
    }

    func testBadRequestsAreRefused() {
        XCTAssertThrowsError(try Dataset.dummy(count: -1, tasks: tasks, seed: 1))
        XCTAssertThrowsError(try Dataset.dummy(count: 3, tasks: [(name: "t", labels: [])], seed: 1)) { error in
            XCTAssertEqual("\(error)", "dummy data: task 't' has no labels; give it at least one")
        }
        XCTAssertThrowsError(try Dataset.dummy(count: 3, tasks: [(name: "t", labels: ["a"]), (name: "t", labels: ["b"])], seed: 1))
    }
}
