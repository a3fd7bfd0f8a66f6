import Foundation
import Tensors
import XCTest

/// `ComputeThreads.forRanges` on the worker pool: every index handled exactly once, whether the
/// call is plain, nested inside another, or made from several threads at the same time.
final class ParallelTests: XCTestCase {
    private var savedEngineThreads = 1

    override func setUp() {
        savedEngineThreads = ComputeThreads.engine
        ComputeThreads.setEngine(4)  // more threads than this machine may have cores: still correct
    }

    override func tearDown() { ComputeThreads.setEngine(savedEngineThreads) }

    /// Counts how often each index of `0..<count` is visited (atomically enough: one lock).
    private final class Visits: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [Int]
        init(_ count: Int) { counts = [Int](repeating: 0, count: count) }
        func add(_ range: Range<Int>) { lock.lock(); for i in range { counts[i] += 1 }; lock.unlock() }
        var all: [Int] { lock.lock(); defer { lock.unlock() }; return counts }
    }

    func testEveryIndexIsVisitedExactlyOnce() {
        for (count, cost) in [(0, 1), (1, 1 << 20), (3, 1 << 20), (1000, 1), (1000, 1 << 12), (100_000, 64)] {
            let visits = Visits(count)
            ComputeThreads.forRanges(count, cost: cost) { visits.add($0) }
            XCTAssertEqual(visits.all, [Int](repeating: 1, count: count), "count \(count), cost \(cost)")
        }
    }

    func testNestedCallsRunAndVisitEveryIndex() {
        let outer = 8, inner = 5000
        let visits = Visits(outer * inner)
        ComputeThreads.forRanges(outer, cost: 1 << 20) { range in
            for o in range {
                ComputeThreads.forRanges(inner, cost: 1 << 10) { innerRange in
                    visits.add((o * inner + innerRange.lowerBound)..<(o * inner + innerRange.upperBound))
                }
            }
        }
        XCTAssertEqual(visits.all, [Int](repeating: 1, count: outer * inner))
    }

    func testCallsFromSeveralThreadsAtOnceEachVisitEveryIndex() {
        let callers = 6, count = 20_000
        let results = (0..<callers).map { _ in Visits(count) }
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
            for _ in 0..<20 {
                ComputeThreads.forRanges(count, cost: 1 << 8) { results[caller].add($0) }
            }
        }
        for (caller, visits) in results.enumerated() {
            XCTAssertEqual(visits.all, [Int](repeating: 20, count: count), "caller \(caller)")
        }
    }
}
