import NN
import Tensors
import TestSupport
import Training
import XCTest

/// Evaluation: eval mode, no graph, per-task loss/accuracy/F1/confusion over labelled examples.
final class EvaluatorTests: XCTestCase {
    func testMetricsMatchAnIndependentComputationOverLabelledExamples() throws {
        let m = try BagOfWordsModel(tasks: [TrainerFixtures.kind, TrainerFixtures.sentiment], dropout: 0.5)
        var data = TrainerFixtures.separable()
        data.examples[0].labels["sentiment"] = nil   // 15 sentiment labels, 16 sentence types
        let report = try Evaluator.evaluate(m, on: data, batchSize: 5)

        // Reference: all texts in one batch, eval mode, loss and argmax worked here.
        var unused = SeededGenerator(seed: 9)
        let logits = try m.taskLogits(for: data.texts, training: false, generator: &unused)
        for task in [TrainerFixtures.kind, TrainerFixtures.sentiment] {
            let rows = data.examples.indices.filter { data.examples[$0].labels[task.name] != nil }
            let all = try XCTUnwrap(logits[task.name]).toArray()
            var loss = 0.0, correct = 0
            var confusion = Array(repeating: Array(repeating: 0, count: 2), count: 2)
            for r in rows {
                let z = Array(all[(2 * r)..<(2 * r + 2)]).map(Double.init)
                let target = try XCTUnwrap(task.labels.firstIndex(of: data.examples[r].labels[task.name] ?? ""))
                let lse = log(exp(z[0]) + exp(z[1]))
                loss += lse - z[target]
                let predicted = z[1] > z[0] ? 1 : 0
                if predicted == target { correct += 1 }
                confusion[target][predicted] += 1
            }
            let t = try XCTUnwrap(report[task.name])
            XCTAssertEqual(t.count, rows.count)
            XCTAssertEqual(t.loss, loss / Double(rows.count), accuracy: 1e-5)
            XCTAssertEqual(t.accuracy, Double(correct) / Double(rows.count))
            XCTAssertEqual(t.confusion.counts, confusion)
            XCTAssertEqual(t.confusion.labels, task.labels)
        }
        XCTAssertEqual(report.totalLoss, (report["sentence_type"]?.loss ?? 0) + (report["sentiment"]?.loss ?? 0), accuracy: 1e-12)
        // Eval mode: dropout off, so evaluating twice gives the same numbers.
        XCTAssertEqual(try Evaluator.evaluate(m, on: data, batchSize: 3)["sentiment"]?.loss ?? 0,
                       report["sentiment"]?.loss ?? 1, accuracy: 1e-6)
        XCTAssertTrue(report.rendered().contains("Loss A: "))
        XCTAssertTrue(report.rendered().contains("true \\ predicted"))
    }
}
