import Foundation
import XCTest

/// The four experiments in `Experiments/` run end to end with the built `mtl` on the built-in
/// `tiny-bert` (random weights, no download) and small sizes, and print what the original
/// exercise printed: `Sentence:` / `Embedding: [`, `Task A logits: [`, `Loss A: …, Total: …`,
/// `Acc A: …%`, and the freezing comparison table.
///
/// The real run (pretrained all-MiniLM-L6-v2, full data) is `Scripts/run`; its numbers are in
/// `Experiments/README.md`.
final class ExperimentsTests: XCTestCase {
    /// The package root: this file is Tests/ShellTests/ExperimentsTests.swift.
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mtl-experiments-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// Runs `Experiments/<name>` on tiny-bert with the dataset given by absolute path.
    private func experiment(_ name: String, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let script = Self.root.appendingPathComponent("Experiments/\(name)").path
        let data = Self.root.appendingPathComponent("Experiments/data")
        let result = try runMTL(["run", script, "model=tiny-bert",
                                 "train=\(data.appendingPathComponent("train.jsonl").path)",
                                 "test=\(data.appendingPathComponent("test.jsonl").path)"] + arguments,
                                timeout: 120, file: file, line: line)
        XCTAssertEqual(result.status, 0, "\(name) failed:\n\(result.standardError)", file: file, line: line)
        XCTAssertEqual(result.standardError, "", file: file, line: line)
        return result.standardOutput
    }

    private func lines(_ output: String, startingWith prefix: String) -> [String] {
        output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { $0.hasPrefix(prefix) }
    }

    /// The numbers inside the first `[ … ]` of a line.
    private func bracketed(_ line: String) -> [Double] {
        guard let open = line.firstIndex(of: "["), let close = line[open...].firstIndex(of: "]") else { return [] }
        return line[line.index(after: open)..<close].split(separator: ",").compactMap {
            Double($0.trimmingCharacters(in: .whitespaces))
        }
    }

    /// The number after `label` in a line (`Loss A: 1.0986,` → 1.0986).
    private func number(after label: String, in line: String) -> Double? {
        guard let range = line.range(of: label) else { return nil }
        let rest = line[range.upperBound...].drop { $0 == " " }
        return Double(String(rest.prefix { $0.isNumber || $0 == "." || $0 == "-" }))
    }

    func testPart1PrintsEachSentenceWithItsFixedLengthEmbeddingAndASimilarityTable() throws {
        let output = try experiment("part1_encode.mtls", ["dim=16"])
        XCTAssertEqual(lines(output, startingWith: "Sentence: ").count, 4, output)
        let embeddings = lines(output, startingWith: "Embedding: [")
        XCTAssertEqual(embeddings.count, 4, output)
        for line in embeddings {
            XCTAssertTrue(line.contains("shape [16]"), "every sentence gets the projection's size: \(line)")
            // tanh bounds every projected value.
            XCTAssertTrue(bracketed(line).allSatisfy { abs($0) <= 1 }, line)
            XCTAssertEqual(bracketed(line).count, 6, line)
        }
        XCTAssertTrue(output.contains("WITHOUT") || output.contains("without the untrained projection"), output)
        // The table compares L2-normalised vectors: each row has 1 on its diagonal and every
        // cosine lies in [-1, 1].
        let rows = output.split(separator: "\n").map(String.init).filter { $0.range(of: #"^S\d +-?\d"#, options: .regularExpression) != nil }
        XCTAssertEqual(rows.count, 7, output)
        for (i, row) in rows.enumerated() {
            let values = row.split(separator: " ").dropFirst().compactMap { Double($0) }
            XCTAssertEqual(values.count, 7, row)
            guard values.count == 7 else { continue }
            XCTAssertEqual(values[i], 1, accuracy: 0.0015, "a vector's cosine with itself: \(row)")
            XCTAssertTrue(values.allSatisfy { $0 >= -1.001 && $0 <= 1.001 }, row)
        }
        XCTAssertTrue(output.contains("nearest neighbour is the paraphrase for"), output)
    }

    func testPart2PrintsBothTasksLogitsAndTheirArgmaxLabels() throws {
        let output = try experiment("part2_multitask.mtls", ["dim=16", "hidden=8"])
        XCTAssertEqual(lines(output, startingWith: "Sentence: ").count, 5, output)
        XCTAssertTrue(output.contains("untrained"), output)
        let tasks: [(prefix: String, labels: [String], name: String)] = [
            ("Task A logits: [", ["statement", "question", "command"], "sentence_type"),
            ("Task B logits: [", ["negative", "neutral", "positive"], "sentiment"),
        ]
        for task in tasks {
            let found = lines(output, startingWith: task.prefix)
            XCTAssertEqual(found.count, 5, output)
            for line in found {
                let logits = bracketed(line)
                XCTAssertEqual(logits.count, 3, line)
                guard logits.count == 3, let best = logits.indices.max(by: { logits[$0] < logits[$1] }) else { continue }
                // Ties at 4 decimals cannot decide; otherwise the label is the argmax.
                if logits.filter({ $0 == logits[best] }).count == 1 {
                    XCTAssertTrue(line.hasSuffix("\(task.name): \(task.labels[best])"), "the predicted label is the largest logit's: \(line)")
                }
            }
        }
    }

    func testPart3ComparesTheFreezingStrategiesFromTheSameStartAndShowsWhatAFrozenHeadKeeps() throws {
        let output = try experiment("part3_freezing.mtls", ["epochs=1", "limit=32", "test_limit=24", "batch=8", "dim=16", "hidden=8",
                                                            "out=\(scratch.appendingPathComponent("out").path)"])
        for title in ["1. Freeze everything", "2. Freeze the transformer", "3. Freeze one task head", "4. Freeze the embeddings and the lower 3 layers"] {
            XCTAssertTrue(output.contains(title), "missing strategy '\(title)'")
        }
        let header = try XCTUnwrap(lines(output, startingWith: "strategy ").first, output)
        for column in ["trainable", "s/step", "acc A", "acc B"] { XCTAssertTrue(header.contains(column), header) }
        var rows: [String: [String]] = [:]
        for key in ["frozen_all", "heads_only", "freeze_head_B", "upper_layers", "full"] {
            let row = try XCTUnwrap(lines(output, startingWith: key + " ").last, "no table row for \(key)")
            rows[key] = row.split(separator: " ").map(String.init)
        }
        // Columns: strategy, trainable, % of all, lr, s/step, acc A, acc B, F1 A, F1 B.
        // Nothing trains in the baseline; fine-tuning everything trains 100%; freezing the
        // transformer leaves fewer trainable weights than freezing one small head.
        XCTAssertEqual(rows["frozen_all"]?[1], "0")
        XCTAssertEqual(rows["frozen_all"]?[3], "—", "a baseline with nothing to train has no optimizer")
        XCTAssertEqual(rows["frozen_all"]?[4], "—", "a baseline with nothing to train takes no steps")
        XCTAssertEqual(rows["full"]?[2], "100.0%")
        func share(_ key: String) -> Double? { rows[key].flatMap { Double($0[2].dropLast()) } }
        XCTAssertLessThan(try XCTUnwrap(share("heads_only")), try XCTUnwrap(share("freeze_head_B")))
        XCTAssertEqual(rows["heads_only"]?[2], rows["upper_layers"]?[2], "tiny-bert has only 2 layers, so layers[0:3] is the whole transformer")
        // Every trained strategy ran the same number of steps: 32 examples / batch 8; then the
        // two task-A-only runs of 3b.
        let stepLines = lines(output, startingWith: "loss ")
        XCTAssertEqual(stepLines.count, 4 + 2, output)
        for line in stepLines { XCTAssertTrue(line.contains("(4 steps)"), line) }

        XCTAssertTrue(output.contains("== 3b. Freezing a head does not protect its task"), output)
        // (ii) trains head A of the exported-and-reloaded model with head B, the projection and
        // the transformer frozen: task B's predictions cannot change, so neither can its accuracy.
        let start = try XCTUnwrap(lines(output, startingWith: "start: ").first, output)
        let kept = try XCTUnwrap(lines(output, startingWith: "(ii) ").first, output)
        XCTAssertEqual(number(after: "Acc B:", in: start), number(after: "Acc B:", in: kept), "\(start)\n\(kept)")
        XCTAssertTrue(output.contains(" and 0.0 in (ii)."), output)
    }

    func testPart4TrainsLogsPerTaskLossAndAccuracyPlotsAndSaves() throws {
        let out = scratch.appendingPathComponent("out")
        let output = try experiment("part4_training.mtls", ["epochs=2", "limit=32", "test_limit=24", "batch=8", "dim=16", "hidden=8",
                                                            "dummy=16", "dummy_epochs=2", "out=\(out.path)"])
        // The simulated loop: per-step and per-epoch lines in the original's format, where the
        // total is the sum of the two task losses.
        let lossLines = lines(output, startingWith: "epoch ").filter { $0.contains("Loss A:") }
        XCTAssertEqual(lossLines.count, 4 + 2 * 4, "16 dummy examples / batch 8 × 2 epochs, then 32 / 8 × 2 epochs: \(output)")
        for line in lossLines + lines(output, startingWith: "Epoch ") {
            let a = try XCTUnwrap(number(after: "Loss A:", in: line), line)
            let b = try XCTUnwrap(number(after: "Loss B:", in: line), line)
            let total = try XCTUnwrap(number(after: "Total:", in: line), line)
            XCTAssertEqual(a + b, total, accuracy: 2e-4, "Total = Loss A + Loss B: \(line)")
            XCTAssertTrue(line.contains("Loss B:"), line)
        }
        XCTAssertEqual(lines(output, startingWith: "Epoch ").count, 4, "two epochs of each loop: \(output)")
        let accuracyLines = output.split(separator: "\n").filter { $0.contains("Acc A: ") && $0.contains("%, Acc B: ") }
        XCTAssertGreaterThanOrEqual(accuracyLines.count, 4 + 8, output)
        XCTAssertEqual(lines(output, startingWith: "eval epoch ").count, 2, "evaluated on the test file after each epoch")
        // The test evaluation: accuracy and macro-F1 per task, then confusion matrices.
        XCTAssertTrue(output.contains("sentence_type (rows: true label, columns: predicted)"), output)
        XCTAssertTrue(output.contains("sentiment (rows: true label, columns: predicted)"), output)
        let svg = try String(contentsOf: out.appendingPathComponent("part4_loss.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains("<svg"), "the loss plot is an SVG")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("part4.mtlsession/manifest.json").path),
                      "the session was saved")
    }
}
