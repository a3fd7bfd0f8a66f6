import NN
import Tensors
import TestSupport
import XCTest

/// AdamW against steps worked by hand (PyTorch's update order) and its state handling.
final class AdamWTests: XCTestCase {
    /// One parameter θ = [1, −2] and a store holding `gradient` for it.
    private func parameter(_ name: String = "w", _ values: [Float] = [1, -2]) -> Parameter {
        Parameter(name: name, value: Tensor(values))
    }

    private func gradients(_ pairs: [(Parameter, [Float])]) throws -> GradientStore {
        var store = GradientStore()
        for (p, g) in pairs { try store.set(Tensor(g), for: p.value) }
        return store
    }

    func testDefaultsArePyTorchs() throws {
        let adam = try AdamW()
        XCTAssertEqual(adam.learningRate, 1e-3)
        XCTAssertEqual(adam.beta1, 0.9)
        XCTAssertEqual(adam.beta2, 0.999)
        XCTAssertEqual(adam.eps, 1e-8)
        XCTAssertEqual(adam.weightDecay, 0.01)
    }

    func testTwoStepsMatchTheHandWorkedUpdate() throws {
        // lr 0.1, λ 0.01, β (0.9, 0.999), eps 1e-8; g₁ = [0.5, −0.1], g₂ = [−0.3, 0.2].
        // Step 1: θ·(1 − 0.001) = [0.999, −1.998]; m = 0.1·g₁ = [0.05, −0.01]; v = 0.001·g₁² = [2.5e-4, 1e-5];
        //   m̂ = g₁, √v̂ = |g₁|, so θ −= 0.1·g₁/(|g₁| + 1e-8) → [0.899000002, −1.89800001].
        // Step 2 (python3, Double): m = 0.9·m + 0.1·g₂ = [0.015, 0.011]; v = 0.999·v + 0.001·g₂² = [3.3975e-4, 4.999e-5];
        //   θ = θ·0.999 − (0.1/(1 − 0.9²))·m / (√v/√(1 − 0.999²) + 1e-8) = [0.87895120, −1.93271236].
        let w = parameter()
        let adam = try AdamW(learningRate: 0.1)
        try adam.step([w], gradients: gradients([(w, [0.5, -0.1])]))
        assertClose(w.value.toArray(), [0.899000002, -1.89800001], tolerance: 1e-6)
        try adam.step([w], gradients: gradients([(w, [-0.3, 0.2])]))
        assertClose(w.value.toArray(), [0.87895120, -1.93271236], tolerance: 1e-6)
        XCTAssertEqual(adam.stepCount(of: "w"), 2)
        let state = adam.exportState()
        assertClose(try XCTUnwrap(state.tensors["exp_avg.w"]).toArray(), [0.015, 0.011], tolerance: 1e-7)
        assertClose(try XCTUnwrap(state.tensors["exp_avg_sq.w"]).toArray(), [3.3975e-4, 4.999e-5], tolerance: 1e-8)
    }

    func testExcludedNamesGetNoWeightDecay() throws {
        // With a zero gradient Adam's step is 0 (m = 0), so only decay moves θ: θ·(1 − lr·λ) = θ·(1 − 0.1·0.5) = 0.95·θ.
        let weight = parameter("encoder.layer.0.attention.self.query.weight", [2])
        let bias = parameter("encoder.layer.0.attention.self.query.bias", [2])
        let norm = parameter("encoder.layer.0.output.LayerNorm.weight", [2])
        let distil = parameter("transformer.layer.0.sa_layer_norm.weight", [2])
        let adam = try AdamW(learningRate: 0.1, weightDecay: 0.5, excludeNoDecayParameters: true)
        let all = [weight, bias, norm, distil]
        try adam.step(all, gradients: gradients(all.map { ($0, [0]) }))
        XCTAssertEqual(weight.value.toArray(), [1.9])
        XCTAssertEqual(bias.value.toArray(), [2])
        XCTAssertEqual(norm.value.toArray(), [2])
        XCTAssertEqual(distil.value.toArray(), [2])
        // Without the option every parameter decays.
        let plain = parameter("x.bias", [2])
        try AdamW(learningRate: 0.1, weightDecay: 0.5).step([plain], gradients: gradients([(plain, [0])]))
        XCTAssertEqual(plain.value.toArray(), [1.9])
    }

    func testFrozenAndGradientlessParametersAreSkippedAndKeepTheirMoments() throws {
        let a = parameter("a"), b = parameter("b")
        let adam = try AdamW(learningRate: 0.1)
        try adam.step([a, b], gradients: gradients([(a, [0.5, -0.1]), (b, [0.5, -0.1])]))
        let momentsOfB = adam.exportState().tensors["exp_avg.b"]?.toArray()
        b.requiresGrad = false
        let frozenValue = b.value.toArray()
        try adam.step([a, b], gradients: gradients([(a, [0.5, -0.1])]))
        XCTAssertEqual(b.value.toArray(), frozenValue, "a frozen parameter does not move")
        XCTAssertEqual(adam.stepCount(of: "b"), 1)
        XCTAssertEqual(adam.exportState().tensors["exp_avg.b"]?.toArray(), momentsOfB, "its moments are kept")
        XCTAssertEqual(adam.stepCount(of: "a"), 2)
        // A parameter with no gradient this step (a task absent from the batch) is not touched either.
        let c = parameter("c")
        try adam.step([c], gradients: GradientStore())
        XCTAssertEqual(c.value.toArray(), [1, -2])
        XCTAssertEqual(adam.stepCount(of: "c"), 0)
    }

    func testExportThenRestoreContinuesBitForBit() throws {
        let grads: [[Float]] = [[0.5, -0.1], [-0.3, 0.2], [0.05, 0.7]]
        let straight = parameter()
        let adam = try AdamW(learningRate: 0.05, weightDecay: 0.1)
        for g in grads { try adam.step([straight], gradients: gradients([(straight, g)])) }

        let resumed = parameter()
        let first = try AdamW(learningRate: 0.05, weightDecay: 0.1)
        for g in grads.prefix(2) { try first.step([resumed], gradients: gradients([(resumed, g)])) }
        let state = first.exportState()
        // Through JSON, as a session saver would store the fields.
        let json = try JSONEncoder().encode(state.fields)
        let fields = try JSONDecoder().decode(OptimizerStateFields.self, from: json)
        let second = try AdamW(state: OptimizerState(fields: fields, tensors: state.tensors))
        try second.step([resumed], gradients: gradients([(resumed, grads[2])]))
        XCTAssertEqual(resumed.value.toArray(), straight.value.toArray())
        XCTAssertEqual(second.stepCount(of: "w"), 3)
    }

    func testRestoreRejectsAForeignOrBrokenState() throws {
        let sgdState = try SGD(learningRate: 0.1, momentum: 0.9).exportState()
        XCTAssertThrowsError(try AdamW(state: sgdState))
        let w = parameter()
        let adam = try AdamW()
        try adam.step([w], gradients: gradients([(w, [1, 1])]))
        var state = adam.exportState()
        state.tensors["exp_avg_sq.w"] = nil
        XCTAssertThrowsError(try AdamW(state: state))
        // A state whose buffer size does not fit the parameter is refused at the step, nothing changed.
        var wrong = adam.exportState()
        wrong.tensors["exp_avg.w"] = Tensor([1, 2, 3])
        wrong.tensors["exp_avg_sq.w"] = Tensor([1, 2, 3])
        let restored = try AdamW(state: wrong)
        let before = w.value.toArray()
        XCTAssertThrowsError(try restored.step([w], gradients: gradients([(w, [1, 1])])))
        XCTAssertEqual(w.value.toArray(), before)
    }

    func testBadHyperParametersAndGradientShapesAreRejected() throws {
        XCTAssertThrowsError(try AdamW(learningRate: -1))
        XCTAssertThrowsError(try AdamW(beta1: 1))
        XCTAssertThrowsError(try AdamW(eps: .nan))
        let w = parameter()
        var store = GradientStore()
        XCTAssertThrowsError(try store.set(Tensor([1, 2, 3]), for: w.value))
        let twin = parameter()
        store = try gradients([(w, [1, 1]), (twin, [1, 1])])
        XCTAssertThrowsError(try AdamW().step([w, twin], gradients: store)) { error in
            XCTAssertEqual(error as? OptimizerError, .duplicateName("w"))
        }
    }
}
