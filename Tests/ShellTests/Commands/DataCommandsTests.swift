import Foundation
import Script
import Training
import XCTest
@testable import Shell

/// `dataset`, `dummy`, `split` and `tensor` at the prompt.
final class DataCommandsTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func testDatasetLoadsAFileAndCountsLabelsPerTask() throws {
        let path = Self.root.appendingPathComponent("Experiments/data/test.jsonl").path
        // Independent count: read the JSONL with JSONSerialization.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var expected: [String: Int] = [:]
        var rows = 0
        for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            rows += 1
            if let label = object["sentiment"] as? String { expected[label, default: 0] += 1 }
        }
        let shell = ShellHarness()
        try shell.run("data = dataset \"\(path)\"")
        XCTAssertEqual(try shell.value("data.size"), .number(Double(rows)))
        XCTAssertEqual(try shell.value("data.tasks"), .list([.string("sentence_type"), .string("sentiment")]))
        guard case .dict(let counts) = try shell.value("data.counts.sentiment") else { return XCTFail("no counts") }
        for (label, n) in expected { XCTAssertEqual(counts[label], .number(Double(n)), label) }
        let table = try shell.value("data.counts").repr
        XCTAssertTrue(table.hasPrefix("task           label      count  share\nsentence_type  command"), table)
        XCTAssertEqual(try shell.value("type(data[0])"), .string("dict"))
        XCTAssertEqual(try shell.value("data[0:3].size"), .number(3))
    }

    func testDatasetErrorsNameTheFile() {
        let shell = ShellHarness()
        XCTAssertThrowsError(try shell.run("dataset \"/nonexistent/x.jsonl\"")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/x.jsonl"), "\(error)")
        }
        XCTAssertThrowsError(try shell.run("dataset \"x.jsonl\" format=\"xml\"")) { error in
            XCTAssertTrue("\(error)".contains("unknown format 'xml'"), "\(error)")
        }
    }

    func testDummyWithASeedMatchesTheTrainingModulesDummy() throws {
        let shell = ShellHarness()
        try shell.run("d = dummy 30 tasks={topic: [\"a\", \"b\", \"c\"]} seed=5")
        let reference = try Dataset.dummy(count: 30, tasks: [("topic", ["a", "b", "c"])], seed: 5)
        guard case .object(let d as DatasetObject)? = shell.variable("d") else { return XCTFail("no dataset") }
        XCTAssertEqual(d.dataset.examples, reference.examples)
    }

    func testDummyWithoutASeedFollowsTheSessionGenerator() throws {
        let a = ShellHarness(), b = ShellHarness()
        try a.run("seed 9\nx = dummy 5\ny = dummy 5")
        try b.run("seed 9\nx = dummy 5")
        XCTAssertEqual(try a.value("x.texts"), try b.value("x.texts"), "same seed, same data")
        XCTAssertNotEqual(try a.value("x.texts"), try a.value("y.texts"), "the generator moves on")
    }

    func testSplitPartitionsTheExamples() throws {
        let shell = ShellHarness()
        try shell.run("d = dummy 10 seed=1\nparts = split d 0.8 seed=7\nthree = split d [0.5, 0.3] seed=7")
        XCTAssertEqual(try shell.value("[parts[0].size, parts[1].size]"), .list([.number(8), .number(2)]))
        XCTAssertEqual(try shell.value("[three[0].size, three[1].size, three[2].size]"), .list([.number(5), .number(3), .number(2)]))
        guard case .list(let all) = try shell.value("d.texts"), case .list(let first) = try shell.value("parts[0].texts"),
              case .list(let second) = try shell.value("parts[1].texts") else { return XCTFail("texts missing") }
        XCTAssertEqual((first + second).map(\.repr).sorted(), all.map(\.repr).sorted(), "every example in exactly one part")
        XCTAssertThrowsError(try shell.run("split d 1.5")) { XCTAssertTrue("\($0)".contains("fraction must be between 0 and 1"), "\($0)") }
    }

    func testTimeCallsTheFunctionAndReportsSeconds() throws {
        let shell = ShellHarness()
        XCTAssertEqual(try shell.value("time len [1, 2, 3]"), .number(3))
        XCTAssertTrue(shell.takeOutput().hasPrefix("time: "))
        try shell.run("time \"k = len(range(7))\"")
        XCTAssertEqual(shell.variable("k"), .number(7), "a timed line runs in the session")
        XCTAssertThrowsError(try shell.run("time \"x = 1; nope(1)\"")) { error in
            // `nope` is at column 8 of the timed string.
            XCTAssertTrue("\(error)".contains("time: the timed code failed at 1:8 of the string: undefined name 'nope'"), "\(error)")
        }
    }
}
