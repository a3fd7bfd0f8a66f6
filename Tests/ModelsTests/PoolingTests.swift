import Models
import Tensors
import TestSupport
import XCTest

/// Pooling modes on a hand-worked batch with padding (sentence-transformers' formulas).
final class PoolingTests: XCTestCase {
    // Three sentences of 3 tokens, width 2; the last token of rows 0 and 2 is padding.
    //   row 0: [1, 2], [3, 4], [100, -100]pad   row 1: [-1, 5], [0, 0], [7, 7]
    //   row 2: [-5, -6], [-1, -2], [0, 0]pad
    private let hidden = try? Tensor(shape: [3, 3, 2], values: [1, 2, 3, 4, 100, -100,
                                                                -1, 5, 0, 0, 7, 7,
                                                                -5, -6, -1, -2, 0, 0])
    private let mask = try? Tensor(shape: [3, 3], values: [1, 1, 0, 1, 1, 1, 1, 1, 0])

    func testMeanAveragesRealTokensOnly() throws {
        // row 0: ([1,2]+[3,4])/2 = [2,3]; row 1: [6,12]/3 = [2,4]; row 2: [-6,-8]/2 = [-3,-4].
        let pooled = try Pooling.mean(XCTUnwrap(hidden), mask: XCTUnwrap(mask))
        XCTAssertEqual(pooled.shape, [3, 2])
        assertClose(pooled.toArray(), [2, 3, 2, 4, -3, -4], tolerance: 1e-6)
    }

    func testClsTakesTheFirstToken() throws {
        XCTAssertEqual(try Pooling.cls(XCTUnwrap(hidden), mask: XCTUnwrap(mask)).toArray(), [1, 2, -1, 5, -5, -6])
    }

    func testMaxIgnoresPaddingEvenWhenRealValuesAreNegative() throws {
        // row 0 would take 100 from padding; row 2 would take 0 from padding.
        XCTAssertEqual(try Pooling.max(XCTUnwrap(hidden), mask: XCTUnwrap(mask)).toArray(), [3, 4, 7, 7, -1, -2])
    }

    func testMeanOfAnAllPaddingRowIsZeroNotNaN() throws {
        // Σ mask clamped to 1e-9: 0 / 1e-9 = 0.
        let pooled = try Pooling.mean(Tensor.ones([1, 2, 2]), mask: Tensor.zeros([1, 2]))
        XCTAssertEqual(pooled.toArray(), [0, 0])
    }

    func testPoolingGradientsMatchFiniteDifferences() throws {
        let mask = try XCTUnwrap(self.mask)
        for mode in [Pooling.mean, .cls, .max] {
            try assertGradientsMatchFiniteDifferences([XCTUnwrap(hidden)]) { inputs in
                try mode(inputs[0], mask: mask)
            }
        }
    }
}
