import XCTest
import Tensors
@testable import Training

final class SamplingTests: XCTestCase {
    /// `aCount` examples labelled for A only, then `bCount` for B only, then `both` for both.
    func dataset(aCount: Int, bCount: Int, both: Int = 0) -> Dataset {
        var examples: [Example] = []
        for i in 0..<aCount { examples.append(Example(text: "a\(i)", labels: ["A": "x"])) }
        for i in 0..<bCount { examples.append(Example(text: "b\(i)", labels: ["B": "y"])) }
        for i in 0..<both { examples.append(Example(text: "ab\(i)", labels: ["A": "x", "B": "y"])) }
        return Dataset(examples: examples, tasks: ["A", "B"])
    }

    func testJointCoversEveryExampleExactlyOncePerEpoch() throws {
        let data = dataset(aCount: 7, bCount: 5, both: 3)
        let sampler = try MultiTaskSampler(dataset: data, strategy: .joint, batchPlan: BatchPlan(batchSize: 4))
        var g = SeededGenerator(seed: 2)
        for _ in 0..<3 {
            let epoch = sampler.epoch(using: &g)
            XCTAssertEqual(epoch.count, 4)   // ceil(15 / 4)
            XCTAssertTrue(epoch.allSatisfy { $0.task == nil })
            XCTAssertEqual(epoch.flatMap(\.indices).sorted(), Array(0..<15))
        }
    }

    func testRoundRobinAlternatesExactlyAndUsesOnlyLabelledExamples() throws {
        let data = dataset(aCount: 6, bCount: 6, both: 2)   // A: 8 labelled, B: 8 labelled
        let sampler = try MultiTaskSampler(dataset: data, strategy: .roundRobin, batchPlan: BatchPlan(batchSize: 2))
        var g = SeededGenerator(seed: 5)
        let epoch = sampler.epoch(using: &g)
        XCTAssertEqual(epoch.map(\.task), ["A", "B", "A", "B", "A", "B", "A", "B"])
        for batch in epoch {
            let task = try XCTUnwrap(batch.task)
            XCTAssertTrue(batch.indices.allSatisfy { data[$0].labels[task] != nil })
        }
        // Each task sees each of its labelled examples once.
        let aIndices = epoch.filter { $0.task == "A" }.flatMap(\.indices).sorted()
        XCTAssertEqual(aIndices, data.indices(withLabelFor: "A"))
        let bIndices = epoch.filter { $0.task == "B" }.flatMap(\.indices).sorted()
        XCTAssertEqual(bIndices, data.indices(withLabelFor: "B"))
    }

    func testRoundRobinDropsAnExhaustedTaskFromTheRotation() throws {
        // A: 6 examples → 3 batches of 2; B: 2 examples → 1 batch.
        let sampler = try MultiTaskSampler(dataset: dataset(aCount: 6, bCount: 2), strategy: .roundRobin,
                                           batchPlan: BatchPlan(batchSize: 2))
        var g = SeededGenerator(seed: 1)
        XCTAssertEqual(sampler.epoch(using: &g).map(\.task), ["A", "B", "A", "A"])
    }

    func testProportionalDrawFrequenciesMatchExampleCounts() throws {
        // A has 300 labelled examples, B 100: P(A) = 0.75. Batch 10 → 30 + 10 = 40 draws per
        // epoch; 50 epochs = 2000 draws, binomial sd = sqrt(0.75·0.25/2000) ≈ 0.0097.
        let data = dataset(aCount: 300, bCount: 100)
        let sampler = try MultiTaskSampler(dataset: data, strategy: .proportional, batchPlan: BatchPlan(batchSize: 10))
        var g = SeededGenerator(seed: 123)
        var drawsA = 0, total = 0
        for _ in 0..<50 {
            let epoch = sampler.epoch(using: &g)
            XCTAssertEqual(epoch.count, 40)
            for batch in epoch {
                let task = try XCTUnwrap(batch.task)
                XCTAssertTrue(batch.indices.allSatisfy { data[$0].labels[task] != nil })
                if task == "A" { drawsA += 1 }
                total += 1
            }
        }
        XCTAssertEqual(Double(drawsA) / Double(total), 0.75, accuracy: 0.03)
        // The same seed replays the same epoch.
        var replay1 = SeededGenerator(seed: 123), replay2 = SeededGenerator(seed: 123)
        XCTAssertEqual(sampler.epoch(using: &replay1), sampler.epoch(using: &replay2))
    }

    func testProportionalReshufflesATaskWhenItsBatchesRunOut() throws {
        // Tiny B (2 examples, 1 batch) drawn often must still get batches every time.
        let data = dataset(aCount: 2, bCount: 2)
        let sampler = try MultiTaskSampler(dataset: data, strategy: .proportional, batchPlan: BatchPlan(batchSize: 2))
        var g = SeededGenerator(seed: 4)
        var counts = ["A": 0, "B": 0]
        for _ in 0..<500 {
            for batch in sampler.epoch(using: &g) {
                XCTAssertEqual(batch.indices.count, 2)
                counts[batch.task ?? "", default: 0] += 1
            }
        }
        XCTAssertEqual(counts["A", default: 0] + counts["B", default: 0], 1000)
        XCTAssertEqual(Double(counts["A", default: 0]) / 1000, 0.5, accuracy: 0.06)
    }

    func testProportionalNeverDrawsATaskTooSmallForOneFullBatch() throws {
        // dropLast with batch 4: A (8 examples) makes 2 batches, B (3) makes none.
        let sampler = try MultiTaskSampler(dataset: dataset(aCount: 8, bCount: 3), strategy: .proportional,
                                           batchPlan: BatchPlan(batchSize: 4, dropLast: true))
        var g = SeededGenerator(seed: 6)
        let epoch = sampler.epoch(using: &g)
        XCTAssertEqual(epoch.map(\.task), ["A", "A"])
        XCTAssertTrue(epoch.allSatisfy { $0.indices.count == 4 })
    }

    func testWeightsAreCarriedAndValidated() throws {
        let data = dataset(aCount: 2, bCount: 2)
        let plan = try BatchPlan(batchSize: 1)
        let sampler = try MultiTaskSampler(dataset: data, strategy: .joint, batchPlan: plan, weights: ["B": 0.5])
        XCTAssertEqual(sampler.weight(for: "A"), 1)
        XCTAssertEqual(sampler.weight(for: "B"), 0.5)
        XCTAssertThrowsError(try MultiTaskSampler(dataset: data, strategy: .joint, batchPlan: plan, weights: ["B": -1]))
        XCTAssertThrowsError(try MultiTaskSampler(dataset: data, strategy: .joint, batchPlan: plan, weights: ["Z": 1]))
        XCTAssertThrowsError(try MultiTaskSampler(dataset: data, tasks: ["C"], strategy: .joint, batchPlan: plan)) { error in
            XCTAssertEqual("\(error)", "no task 'C' here; the tasks are A, B")
        }
    }

    func testATaskWithoutLabelsCannotHaveItsOwnBatches() throws {
        let data = Dataset(examples: [Example(text: "a", labels: ["A": "x"])], tasks: ["A", "B"])
        let plan = try BatchPlan(batchSize: 1)
        XCTAssertThrowsError(try MultiTaskSampler(dataset: data, strategy: .roundRobin, batchPlan: plan)) { error in
            XCTAssertEqual(error as? SamplingError, .noLabels(task: "B"))
        }
        XCTAssertNoThrow(try MultiTaskSampler(dataset: data, strategy: .joint, batchPlan: plan))
    }

    func testStrategyNamesAreTheShellsSpelling() {
        XCTAssertEqual(MultiTaskStrategy.allCases.map(\.rawValue), ["joint", "round-robin", "proportional"])
    }

    func testIndexBelowIsInRangeAndUniform() {
        var g = SeededGenerator(seed: 77)
        var counts = Array(repeating: 0, count: 6)
        for _ in 0..<6000 { counts[Sampling.index(below: 6, using: &g)] += 1 }
        // Each ≈ 1000, binomial sd ≈ 28.9; allow 5 sd.
        for c in counts { XCTAssertEqual(Double(c), 1000, accuracy: 145) }
    }

    func testShuffleIsAPermutationAndSeeded() {
        var g1 = SeededGenerator(seed: 8), g2 = SeededGenerator(seed: 8)
        let a = Sampling.shuffled(Array(0..<50), using: &g1)
        XCTAssertEqual(a, Sampling.shuffled(Array(0..<50), using: &g2))
        XCTAssertEqual(a.sorted(), Array(0..<50))
        XCTAssertNotEqual(a, Array(0..<50))
    }
}
