import XCTest
import Tensors
@testable import Training

final class DatasetTests: XCTestCase {
    /// 10 examples `s0…s9`; task A labelled on all (x for even, y for odd), task B on the first 6.
    func sample() -> Dataset {
        let examples = (0..<10).map { i -> Example in
            var labels = ["A": i % 2 == 0 ? "x" : "y"]
            if i < 6 { labels["B"] = i < 3 ? "p" : "q" }
            return Example(text: "s\(i)", labels: labels)
        }
        return Dataset(examples: examples, tasks: ["A", "B"], name: "sample")
    }

    func testLabelCountsPerTaskSkipMissingLabels() {
        let data = sample()
        XCTAssertEqual(data.labelCounts(for: "A"), ["x": 5, "y": 5])
        XCTAssertEqual(data.labelCounts(for: "B"), ["p": 3, "q": 3])
        XCTAssertEqual(data.missingLabelCount(for: "B"), 4)
        XCTAssertEqual(data.labels(for: "B"), ["p", "q"])
        XCTAssertTrue(data.labelSummary().contains("B: p 3, q 3 (no label: 4)"), data.labelSummary())
    }

    func testJointLabelCountsCountPairsOfExamplesWithBothLabels() throws {
        // Examples 0…5 have both: 0 x p, 1 y p, 2 x p, 3 y q, 4 x q, 5 y q.
        let joint = try sample().jointLabelCounts("A", "B")
        XCTAssertEqual(joint.rowLabels, ["x", "y"])
        XCTAssertEqual(joint.columnLabels, ["p", "q"])
        XCTAssertEqual(joint.counts, [[2, 1], [1, 2]])
        XCTAssertEqual(joint.count("y", "q"), 2)
        XCTAssertTrue(joint.rendered().contains("total"))
        XCTAssertThrowsError(try sample().jointLabelCounts("A", "C")) { error in
            XCTAssertEqual("\(error)", "no task 'C' in the dataset; its tasks are A, B")
        }
    }

    func testSeededShuffleIsAReproduciblePermutation() {
        let data = sample()
        let a = data.shuffled(seed: 42), b = data.shuffled(seed: 42), c = data.shuffled(seed: 43)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.texts, c.texts)
        XCTAssertNotEqual(a.texts, data.texts)
        XCTAssertEqual(a.texts.sorted(), data.texts.sorted())
        XCTAssertEqual(data.texts, (0..<10).map { "s\($0)" })   // the original is untouched
    }

    func testSplitIsSeededDisjointAndComplete() throws {
        let data = sample()
        let (train, test) = try data.split(0.8, seed: 7)
        XCTAssertEqual(train.count, 8)
        XCTAssertEqual(test.count, 2)
        XCTAssertTrue(Set(train.texts).isDisjoint(with: test.texts))
        XCTAssertEqual(Set(train.texts).union(test.texts), Set(data.texts))
        let again = try data.split(0.8, seed: 7)
        XCTAssertEqual(again.train, train)
        XCTAssertEqual(again.test, test)
        let other = try data.split(0.8, seed: 8)
        XCTAssertNotEqual(other.test.texts, test.texts)
    }

    func testSplitIntoThreePartsRoundsDownAndGivesTheRestToTheLast() throws {
        // 10 × 0.33 = 3.3 → 3; 10 × 0.33 → 3; the rest (4) forms the third part.
        var generator = SeededGenerator(seed: 1)
        let parts = try sample().split([0.33, 0.33], using: &generator)
        XCTAssertEqual(parts.map(\.count), [3, 3, 4])
        XCTAssertEqual(Set(parts.flatMap(\.texts)).count, 10)
    }

    func testInvalidSplitFractionsAreRefused() {
        XCTAssertThrowsError(try sample().split(1.5, seed: 1))
        XCTAssertThrowsError(try sample().split(0, seed: 1))
        var generator = SeededGenerator(seed: 1)
        XCTAssertThrowsError(try sample().split([0.7, 0.6], using: &generator)) { error in
            XCTAssertTrue("\(error)".contains("sum to at most 1"), "\(error)")
        }
    }

    func testTakeHeadConcatenationAndFilter() throws {
        let data = sample()
        XCTAssertEqual(data.take(3).texts, ["s0", "s1", "s2"])
        XCTAssertEqual(data.head(2).texts, ["s0", "s1"])
        XCTAssertEqual(data.take(99).count, 10)
        XCTAssertEqual(data.take(-1).count, 0)
        let other = Dataset(examples: [Example(text: "t", labels: ["C": "z"])], name: "other")
        let joined = data + other
        XCTAssertEqual(joined.count, 11)
        XCTAssertEqual(joined.tasks, ["A", "B", "C"])
        XCTAssertEqual(try data.filtered(hasLabelFor: "B").texts, (0..<6).map { "s\($0)" })
        XCTAssertEqual(data.indices(withLabelFor: "B"), Array(0..<6))
        XCTAssertThrowsError(try data.filtered(hasLabelFor: "Z"))
        XCTAssertEqual(try data.selecting([9, 0]).texts, ["s9", "s0"])
        XCTAssertThrowsError(try data.selecting([10])) { error in
            XCTAssertEqual(error as? DatasetError, .indexOutOfRange(index: 10, count: 10))
        }
    }

    func testLabelsMapToTheModelsOrderWithNilForMissing() throws {
        let indices = try sample().labelIndices(task: "B", labels: ["q", "p"])
        XCTAssertEqual(indices, [1, 1, 1, 0, 0, 0, nil, nil, nil, nil])
        let all = try sample().labelIndices(tasks: [(name: "A", labels: ["x", "y"]), (name: "C", labels: ["u"])])
        XCTAssertEqual(all["A"], [0, 1, 0, 1, 0, 1, 0, 1, 0, 1])
        XCTAssertEqual(all["C"], Array(repeating: nil, count: 10))
    }

    func testUnknownLabelNamesFileLineAndTheModelsLabels() throws {
        let text = """
        {"text": "a", "sentiment": "positive"}
        {"text": "b", "sentiment": "negative"}
        {"text": "c"}
        {"text": "d", "sentiment": "neutral"}
        {"text": "e", "sentiment": "happy"}
        """
        let data = try Dataset.parse(text, format: .jsonl, file: "data.jsonl").dataset
        XCTAssertThrowsError(try data.labelIndices(task: "sentiment", labels: ["negative", "neutral", "positive"])) { error in
            XCTAssertEqual("\(error)", "data.jsonl:5: unknown sentiment label 'happy'; the model's labels are negative, neutral, positive")
        }
    }

    func testUnknownLabelWithoutAFileNamesTheExampleNumber() {
        let data = Dataset(examples: [Example(text: "a", labels: ["t": "x"]), Example(text: "b", labels: ["t": "w"])])
        XCTAssertThrowsError(try data.labelIndices(task: "t", labels: ["x"])) { error in
            XCTAssertEqual("\(error)", "example 2: unknown t label 'w'; the model's labels are x")
        }
    }

    func testDatasetSurvivesACodableRoundTrip() throws {
        let data = sample()
        let decoded = try JSONDecoder().decode(Dataset.self, from: JSONEncoder().encode(data))
        XCTAssertEqual(decoded, data)
    }
}
