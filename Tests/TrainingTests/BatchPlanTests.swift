import XCTest
import Tensors
@testable import Training

final class BatchPlanTests: XCTestCase {
    func testUnshuffledBatchesKeepOrderAndTheLastPartialBatch() throws {
        var g = SeededGenerator(seed: 0)
        let plan = try BatchPlan(batchSize: 4, shuffle: false)
        XCTAssertEqual(plan.batches(count: 10, using: &g), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        XCTAssertEqual(plan.batchCount(for: 10), 3)
    }

    func testDropLastDiscardsThePartialBatch() throws {
        var g = SeededGenerator(seed: 0)
        let plan = try BatchPlan(batchSize: 4, shuffle: false, dropLast: true)
        XCTAssertEqual(plan.batches(count: 10, using: &g), [[0, 1, 2, 3], [4, 5, 6, 7]])
        XCTAssertEqual(plan.batchCount(for: 10), 2)
        XCTAssertEqual(plan.batches(count: 3, using: &g), [])
    }

    func testShuffledEpochsCoverEveryIndexOnceAndDifferBetweenEpochs() throws {
        var g = SeededGenerator(seed: 11)
        let plan = try BatchPlan(batchSize: 3)
        let first = plan.batches(count: 20, using: &g)
        let second = plan.batches(count: 20, using: &g)
        XCTAssertEqual(first.map(\.count), [3, 3, 3, 3, 3, 3, 2])
        XCTAssertEqual(first.flatMap { $0 }.sorted(), Array(0..<20))
        XCTAssertEqual(second.flatMap { $0 }.sorted(), Array(0..<20))
        XCTAssertNotEqual(first, second)
        var replay = SeededGenerator(seed: 11)
        XCTAssertEqual(plan.batches(count: 20, using: &replay), first)
    }

    func testBatchSizeBelowOneIsRefused() {
        XCTAssertThrowsError(try BatchPlan(batchSize: 0)) { error in
            XCTAssertEqual("\(error)", "batch size 0 is invalid: use a whole number ≥ 1")
        }
    }

    func testPaddingToTheLongestRowWithAttentionMask() {
        let batch = PaddedBatch([[101, 7592, 102], [101, 102], [101, 2023, 2003, 102]], padID: 0)
        XCTAssertEqual(batch.length, 4)
        XCTAssertEqual(batch.ids, [[101, 7592, 102, 0], [101, 102, 0, 0], [101, 2023, 2003, 102]])
        XCTAssertEqual(batch.attentionMask, [[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]])
        XCTAssertEqual(batch.flatIDs.count, 12)
        XCTAssertEqual(PaddedBatch([]).length, 0)
    }
}
