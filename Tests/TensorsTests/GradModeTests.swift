import Tensors
import TestSupport
import Foundation
import XCTest

final class GradModeTests: XCTestCase {
    func testOpsRecordOnlyWhenAnInputRequiresGrad() throws {
        let w = Tensor([1, 2], requiresGrad: true)
        let c = Tensor([3, 4])
        XCTAssertTrue(try (w * c).requiresGrad)
        XCTAssertFalse(try (c * c).requiresGrad)
        XCTAssertFalse(try (w * c).isLeaf)
    }

    func testWithoutGradRecordsNothing() throws {
        let w = Tensor([1, 2], requiresGrad: true)
        let y = try withoutGrad { try (w * w).sum() }
        XCTAssertFalse(y.requiresGrad)
        XCTAssertTrue(y.isLeaf)
        XCTAssertThrowsError(try y.backward())
        XCTAssertTrue(GradMode.isEnabled, "the mode is restored after the body")
    }

    /// Results computed without grad hold no reference to their inputs, so intermediates are
    /// freed as soon as the caller drops them; with grad the tape keeps them for backward.
    func testInferenceKeepsNoIntermediatesAlive() throws {
        let x = Tensor([1, 2], requiresGrad: true)
        weak var intermediate: Tensor?
        let y = try withoutGrad { () throws -> Tensor in
            let h = x * 2
            intermediate = h
            return try h * h
        }
        XCTAssertNil(intermediate)
        XCTAssertEqual(y.toArray(), [4, 16])

        weak var recorded: Tensor?
        let z = try { () throws -> Tensor in
            let h = x * 2
            recorded = h
            return try h * h
        }()
        XCTAssertNotNil(recorded, "the tape holds the intermediate until z is released")
        XCTAssertTrue(z.requiresGrad)
    }

    /// Inference on one thread does not switch recording off on another (task-local mode).
    func testWithoutGradIsScopedToItsThread() {
        let w = Tensor([1, 2], requiresGrad: true)
        let recorded = Recorded()
        DispatchQueue.concurrentPerform(iterations: 200) { i in
            let flag = i % 2 == 0 ? withoutGrad { (w * 2).requiresGrad } : (w * 2).requiresGrad
            recorded.set(i, flag)
        }
        for i in 0..<200 { XCTAssertEqual(recorded.get(i), i % 2 == 1, "iteration \(i)") }
    }

    func testFrozenParameterTensorDoesNotRequireGrad() throws {
        let p = Parameter(name: "layer.weight", value: Tensor([1, 2]))
        XCTAssertTrue(p.value.requiresGrad)
        p.requiresGrad = false
        XCTAssertFalse(p.value.requiresGrad)
        XCTAssertFalse((p.value * 2).requiresGrad, "nothing below a frozen parameter is recorded")
        p.requiresGrad = true
        XCTAssertTrue(p.value.requiresGrad)
        XCTAssertEqual(p.value.toArray(), [1, 2])
    }

    func testParameterUpdateChangesValuesInPlace() throws {
        let p = Parameter(name: "w", value: Tensor([1, 2, 3]))
        p.update { buffer in for i in buffer.indices { buffer[i] -= 1 } }
        XCTAssertEqual(p.value.toArray(), [0, 1, 2])
    }
}

/// Results written from worker threads under a lock.
private final class Recorded: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: Bool] = [:]
    func set(_ i: Int, _ v: Bool) { lock.lock(); values[i] = v; lock.unlock() }
    func get(_ i: Int) -> Bool? { lock.lock(); defer { lock.unlock() }; return values[i] }
}
