import XCTest
@testable import NN

/// Expected values from transformers/optimization.py, worked by hand:
///   linear:  step < w → step / max(1, w);  else max(0, (T − step) / max(1, T − w))
///   cosine:  step < w → step / max(1, w);  else p = (step − w) / max(1, T − w),
///            max(0, ½ (1 + cos(π · cycles · 2 · p)))
final class LRScheduleTests: XCTestCase {
    func testConstantIsOne() {
        XCTAssertEqual([0, 1, 1000].map { LRSchedule.constant.multiplier(step: $0) }, [1, 1, 1])
        XCTAssertEqual(LRSchedule.constant.lr(step: 5, base: 2e-5), 2e-5)
    }

    func testConstantWithWarmup() throws {
        // w = 4: 0, 1/4, 2/4, 3/4, then 1.
        let s = try LRSchedule(kind: .constantWithWarmup, warmupSteps: 4)
        XCTAssertEqual((0...5).map { s.multiplier(step: $0) }, [0, 0.25, 0.5, 0.75, 1, 1])
    }

    func testLinearWarmupThenDecayToZero() throws {
        // w = 2, T = 10: steps 0, 1 → 0, 0.5; step 2 → 8/8 = 1; 3 → 7/8; 6 → 4/8; 10 → 0; 12 → max(0, −2/8) = 0.
        let s = try LRSchedule.linear(warmupSteps: 2, totalSteps: 10)
        let steps = [0, 1, 2, 3, 6, 10, 12]
        XCTAssertEqual(steps.map { s.multiplier(step: $0) }, [0, 0.5, 1, 0.875, 0.5, 0, 0])
        XCTAssertEqual(s.lr(step: 6, base: 4e-5), 2e-5, accuracy: 1e-12)
    }

    func testLinearWithoutWarmupStartsAtOne() throws {
        // w = 0, T = 4: 4/4, 3/4, 2/4, 1/4, 0.
        let s = try LRSchedule.linear(warmupSteps: 0, totalSteps: 4)
        XCTAssertEqual((0...4).map { s.multiplier(step: $0) }, [1, 0.75, 0.5, 0.25, 0])
    }

    func testCosineWithWarmup() throws {
        // w = 2, T = 10: step 2 → p 0 → 1; step 4 → p ¼ → ½(1 + cos(π/4)) = 0.8535534;
        // step 6 → p ½ → ½(1 + cos(π/2)) = 0.5; step 8 → p ¾ → ½(1 + cos(3π/4)) = 0.1464466;
        // step 10 → p 1 → ½(1 + cos π) = 0.
        let s = try LRSchedule.cosine(warmupSteps: 2, totalSteps: 10)
        XCTAssertEqual(s.multiplier(step: 1), 0.5)
        XCTAssertEqual(s.multiplier(step: 2), 1)
        XCTAssertEqual(s.multiplier(step: 4), 0.8535534, accuracy: 1e-6)
        XCTAssertEqual(s.multiplier(step: 6), 0.5, accuracy: 1e-6)
        XCTAssertEqual(s.multiplier(step: 8), 0.1464466, accuracy: 1e-6)
        XCTAssertEqual(s.multiplier(step: 10), 0, accuracy: 1e-6)
    }

    func testCosineWithOneFullCycleComesBackUp() throws {
        // cycles 1, w = 0, T = 4: step 2 → p ½ → ½(1 + cos π) = 0; step 4 → p 1 → ½(1 + cos 2π) = 1.
        let s = try LRSchedule.cosine(warmupSteps: 0, totalSteps: 4, cycles: 1)
        XCTAssertEqual(s.multiplier(step: 2), 0, accuracy: 1e-6)
        XCTAssertEqual(s.multiplier(step: 4), 1, accuracy: 1e-6)
    }

    func testInvalidSchedulesAreRefused() {
        XCTAssertThrowsError(try LRSchedule.linear(warmupSteps: 20, totalSteps: 10)) { error in
            XCTAssertEqual(error as? LRScheduleError, .warmupLongerThanRun(warmup: 20, total: 10))
        }
        XCTAssertThrowsError(try LRSchedule.linear(warmupSteps: -1, totalSteps: 10))
        XCTAssertThrowsError(try LRSchedule.cosine(warmupSteps: 0, totalSteps: 10, cycles: 0))
    }

    func testSchedulesAreCodable() throws {
        let s = try LRSchedule.cosine(warmupSteps: 3, totalSteps: 30)
        XCTAssertEqual(try JSONDecoder().decode(LRSchedule.self, from: JSONEncoder().encode(s)), s)
        XCTAssertEqual(s.description, "cosine (warmup 3, total 30)")
    }
}
