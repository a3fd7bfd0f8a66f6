import NN
import Tensors
import TestSupport
import XCTest

/// Clipping by global norm, as `torch.nn.utils.clip_grad_norm_`.
final class ClipGradientTests: XCTestCase {
    /// Gradients [3, 4] and [12]: global norm √(9 + 16 + 144) = 13.
    private func setUp() throws -> ([Parameter], GradientStore) {
        let a = Parameter(name: "a", value: Tensor([0, 0]))
        let b = Parameter(name: "b", value: Tensor([0]))
        var store = GradientStore()
        try store.set(Tensor([3, 4]), for: a.value)
        try store.set(Tensor([12]), for: b.value)
        return ([a, b], store)
    }

    func testLargeGradientsAreScaledToTheMaximumNorm() throws {
        // coefficient = 6.5 / (13 + 1e-6) = 0.49999996 → [1.5, 2] and [6]
        var (params, store) = try setUp()
        let total = try GradientClipping.clip(&store, parameters: params, maxNorm: 6.5)
        XCTAssertEqual(total, 13, accuracy: 1e-6)
        assertClose(try XCTUnwrap(store[params[0]]).toArray(), [1.5, 2], tolerance: 1e-6)
        assertClose(try XCTUnwrap(store[params[1]]).toArray(), [6], tolerance: 1e-6)
        XCTAssertEqual(GradientClipping.globalNorm(store, parameters: params), 6.5, accuracy: 1e-5)
    }

    func testSmallGradientsAreLeftAlone() throws {
        var (params, store) = try setUp()
        XCTAssertEqual(try GradientClipping.clip(&store, parameters: params, maxNorm: 20), 13, accuracy: 1e-6)
        XCTAssertEqual(store[params[0]]?.toArray(), [3, 4])
        XCTAssertEqual(store[params[1]]?.toArray(), [12])
    }

    func testNonFiniteNormIsReportedAndBadMaximumRejected() throws {
        var (params, store) = try setUp()
        try store.set(Tensor([.nan]), for: params[1].value)
        XCTAssertTrue(try GradientClipping.clip(&store, parameters: params, maxNorm: 1).isNaN)
        XCTAssertThrowsError(try GradientClipping.clip(&store, parameters: params, maxNorm: 0))
    }
}
