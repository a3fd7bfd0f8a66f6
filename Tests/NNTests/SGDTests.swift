import NN
import Tensors
import TestSupport
import XCTest

/// SGD against steps worked by hand (PyTorch's `_single_tensor_sgd`).
final class SGDTests: XCTestCase {
    private func store(_ p: Parameter, _ g: [Float]) throws -> GradientStore {
        var s = GradientStore()
        try s.set(Tensor(g), for: p.value)
        return s
    }

    func testPlainStepIsThetaMinusLrTimesGradient() throws {
        // θ = [1, −2], g = [0.5, −0.1], lr 0.1 → [0.95, −1.99]
        let w = Parameter(name: "w", value: Tensor([1, -2]))
        try SGD(learningRate: 0.1).step([w], gradients: store(w, [0.5, -0.1]))
        assertClose(w.value.toArray(), [0.95, -1.99], tolerance: 1e-7)
    }

    func testMomentumWithWeightDecayOverTwoSteps() throws {
        // lr 0.1, μ 0.9, λ 0.1, the same raw gradient g = [0.5, −0.1] twice.
        // Step 1: g' = g + 0.1·θ = [0.6, −0.3]; buf = g' (first step); θ = [1 − 0.06, −2 + 0.03] = [0.94, −1.97].
        // Step 2: g' = [0.5 + 0.094, −0.1 − 0.197] = [0.594, −0.297]; buf = 0.9·[0.6, −0.3] + g' = [1.134, −0.567];
        //         θ = [0.94 − 0.1134, −1.97 + 0.0567] = [0.8266, −1.9133].
        let w = Parameter(name: "w", value: Tensor([1, -2]))
        let sgd = try SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.1)
        try sgd.step([w], gradients: store(w, [0.5, -0.1]))
        assertClose(w.value.toArray(), [0.94, -1.97], tolerance: 1e-6)
        try sgd.step([w], gradients: store(w, [0.5, -0.1]))
        assertClose(w.value.toArray(), [0.8266, -1.9133], tolerance: 1e-6)
        assertClose(try XCTUnwrap(sgd.exportState().tensors["momentum_buffer.w"]).toArray(), [1.134, -0.567], tolerance: 1e-6)
    }

    func testNesterovLooksAheadAlongTheBuffer() throws {
        // Step 1 (λ 0.1): g' = [0.6, −0.3], buf = g', g'' = g' + 0.9·buf = [1.14, −0.57]; θ = [1 − 0.114, −2 + 0.057].
        let w = Parameter(name: "w", value: Tensor([1, -2]))
        try SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.1, nesterov: true).step([w], gradients: store(w, [0.5, -0.1]))
        assertClose(w.value.toArray(), [0.886, -1.943], tolerance: 1e-6)
        XCTAssertThrowsError(try SGD(nesterov: true), "nesterov needs momentum")
    }

    func testFrozenParameterIsNotUpdated() throws {
        let w = Parameter(name: "w", value: Tensor([1, -2]))
        let s = try store(w, [0.5, -0.1])
        w.requiresGrad = false
        try SGD(learningRate: 0.1).step([w], gradients: s)
        XCTAssertEqual(w.value.toArray(), [1, -2])
    }

    func testExportThenRestoreContinuesBitForBit() throws {
        let grads: [[Float]] = [[0.5, -0.1], [-0.3, 0.2], [0.05, 0.7]]
        let straight = Parameter(name: "w", value: Tensor([1, -2]))
        let sgd = try SGD(learningRate: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01)
        for g in grads { try sgd.step([straight], gradients: store(straight, g)) }
        let resumed = Parameter(name: "w", value: Tensor([1, -2]))
        let first = try SGD(learningRate: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01)
        for g in grads.prefix(2) { try first.step([resumed], gradients: store(resumed, g)) }
        let second = try SGD(state: first.exportState())
        try second.step([resumed], gradients: store(resumed, grads[2]))
        XCTAssertEqual(resumed.value.toArray(), straight.value.toArray())
        XCTAssertThrowsError(try SGD(state: AdamW().exportState()))
    }
}
