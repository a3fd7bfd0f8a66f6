import Foundation
import Tensors

/// Adam with decoupled weight decay, step for step PyTorch's `torch.optim.AdamW`
/// (`_single_tensor_adam` with `decoupled_weight_decay=True`, the CPU path).
///
/// For each trainable parameter θ with gradient g, at its own step count t:
/// ```
/// θ ← θ·(1 − lr·λ)                         decoupled weight decay, first
/// m ← m + (1 − β₁)·(g − m)                 exp_avg.lerp_(g, 1 − β₁)
/// v ← v·β₂ + (1 − β₂)·g·g                  exp_avg_sq.mul_(β₂).addcmul_(g, g, 1 − β₂)
/// step_size = lr / (1 − β₁ᵗ)               scalars in Double, as Python computes them
/// denom = √v / √(1 − β₂ᵗ) + eps            eps outside the square root
/// θ ← θ − step_size·m / denom              param.addcdiv_(m, denom, value=−step_size)
/// ```
/// Element arithmetic is Float in that order (the lerp fused, as ATen's vectorised `lerp`).
public final class AdamW: Optimizer {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let eps: Float
    public let weightDecay: Float
    /// When set, parameters whose names `isExcludedFromDecay` get no weight decay.
    public let excludeNoDecayParameters: Bool

    private var expAvg: [String: [Float]] = [:]
    private var expAvgSq: [String: [Float]] = [:]
    private var steps: [String: Int] = [:]

    /// PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01.
    /// - Throws: `OptimizerError.badHyperParameter` for lr < 0, betas outside [0, 1), eps < 0,
    ///   weight decay < 0, or anything not finite (the checks `torch.optim.AdamW` makes).
    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8,
                weightDecay: Float = 0.01, excludeNoDecayParameters: Bool = false) throws {
        try check("lr", learningRate, learningRate >= 0, "a finite number ≥ 0")
        try check("beta1", beta1, beta1 >= 0 && beta1 < 1, "a number in [0, 1)")
        try check("beta2", beta2, beta2 >= 0 && beta2 < 1, "a number in [0, 1)")
        try check("eps", eps, eps >= 0, "a finite number ≥ 0")
        try check("weight_decay", weightDecay, weightDecay >= 0, "a finite number ≥ 0")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.excludeNoDecayParameters = excludeNoDecayParameters
    }

    /// Whether `name` is a bias or a LayerNorm parameter, which sentence-transformers' fit()
    /// leaves out of weight decay (`no_decay = ["bias", "LayerNorm.bias", "LayerNorm.weight"]`,
    /// matched as substrings), extended with DistilBERT's `sa_layer_norm` and `output_layer_norm`.
    public static func isExcludedFromDecay(_ name: String) -> Bool {
        ["bias", "LayerNorm.weight", "LayerNorm.bias", "sa_layer_norm", "output_layer_norm"]
            .contains { name.contains($0) }
    }

    /// The number of steps `name` has been updated (0 if never).
    public func stepCount(of name: String) -> Int { steps[name] ?? 0 }

    public func step(_ parameters: [Parameter], gradients: GradientStore) throws {
        let lr = Double(learningRate)
        try check("lr", learningRate, learningRate >= 0, "a finite number ≥ 0")
        let lerpWeight = Float(1 - Double(beta1))
        let beta2 = self.beta2
        let squareWeight = Float(1 - Double(beta2))
        let eps = self.eps
        try forEachTrainable(parameters, gradients: gradients, bufferSize: { self.expAvg[$0]?.count }) { parameter, g in
            let name = parameter.name
            let t = (steps[name] ?? 0) + 1
            // Taken out of the dictionaries so the arrays are uniquely owned and updated in place.
            var m = expAvg.removeValue(forKey: name) ?? [Float](repeating: 0, count: g.count)
            var v = expAvgSq.removeValue(forKey: name) ?? [Float](repeating: 0, count: g.count)
            let biasCorrection1 = 1 - pow(Double(beta1), Double(t))
            let biasCorrection2Sqrt = (1 - pow(Double(beta2), Double(t))).squareRoot()
            let negativeStepSize = Float(-(lr / biasCorrection1))
            let bc2 = Float(biasCorrection2Sqrt)
            let decays = weightDecay != 0 && !(excludeNoDecayParameters && Self.isExcludedFromDecay(name))
            let decayFactor = Float(1 - lr * Double(weightDecay))
            // Raw pointers, one pass, the decay branch hoisted: the loop vectorises (subscripting
            // the arrays directly checked uniqueness per element and cost ~15× more).
            m.withUnsafeMutableBufferPointer { mBuffer in
                v.withUnsafeMutableBufferPointer { vBuffer in
                    parameter.update { thetaBuffer in
                        guard let theta = thetaBuffer.baseAddress, let m = mBuffer.baseAddress,
                              let v = vBuffer.baseAddress, let g = g.baseAddress else { return }
                        Self.update(count: thetaBuffer.count, theta: theta, m: m, v: v, g: g,
                                    decayFactor: decays ? decayFactor : nil, lerpWeight: lerpWeight, beta2: beta2,
                                    squareWeight: squareWeight, bc2: bc2, eps: eps, negativeStepSize: negativeStepSize)
                    }
                }
            }
            expAvg[name] = m
            expAvgSq[name] = v
            steps[name] = t
        }
    }

    /// The update of `count` elements, split across the compute threads.
    private static func update(count: Int, theta: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>,
                               v: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, decayFactor: Float?,
                               lerpWeight: Float, beta2: Float, squareWeight: Float, bc2: Float, eps: Float,
                               negativeStepSize: Float) {
        // Element-wise and independent, so split across the compute threads (same result).
        ComputeThreads.forRanges(count, cost: 8) { range in
            Self.update(range, theta: theta, m: m, v: v, g: g, decayFactor: decayFactor, lerpWeight: lerpWeight,
                        beta2: beta2, squareWeight: squareWeight, bc2: bc2, eps: eps, negativeStepSize: negativeStepSize)
        }
    }

    /// The element update over `range`, in the order documented on the type (Float arithmetic as
    /// ATen's), in blocks of 512 so each element's θ, m, v and g come from memory once per step
    /// (the update is bound by memory traffic: 7 streams over every trainable parameter).
    ///
    /// The fused lerp `m + w·(g − m)` is computed in Double (the product of two floats is exact
    /// there) and rounded once to Float, which equals the single-rounded fma except when the
    /// Double sum lands exactly on a Float rounding midpoint or below the normal range; a block
    /// where that happens is recomputed with `addingProduct` (an fmaf call per element, several
    /// times slower without hardware FMA in the baseline x86-64 target).
    @inline(__always)
    private static func update(_ range: Range<Int>, theta: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>,
                               v: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, decayFactor: Float?,
                               lerpWeight: Float, beta2: Float, squareWeight: Float, bc2: Float, eps: Float,
                               negativeStepSize: Float) {
        let block = 512
        let w = Double(lerpWeight)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: block) { newM in
            guard let newM = newM.baseAddress else { return }
            var lo = range.lowerBound
            while lo < range.upperBound {
                let n = Swift.min(block, range.upperBound - lo)
                let (mb, gb) = (m + lo, g + lo)
                let (tb, vb) = (theta + lo, v + lo)
                // Decay block by block, so θ is read from memory once per step, not twice.
                if let decayFactor {
                    for i in 0..<n { tb[i] *= decayFactor }
                }
                var inexactRisk: UInt64 = 0
                for i in 0..<n {
                    let sum = Double(mb[i]) + w * Double(gb[i] - mb[i])
                    newM[i] = Float(sum)
                    // Low 29 bits exactly at the midpoint, or |sum| < 2⁻¹²⁶ (exponent field ≤ 896).
                    let bits = sum.bitPattern
                    let midpoint = (bits & 0x1FFF_FFFF) == 0x1000_0000
                    let small = (bits >> 52) & 0x7FF <= 896 && sum != 0
                    inexactRisk |= (midpoint || small) ? 1 : 0
                }
                if inexactRisk != 0 {
                    for i in 0..<n { newM[i] = mb[i].addingProduct(lerpWeight, gb[i] - mb[i]) }
                }
                for i in 0..<n {
                    let gi = gb[i], mi = newM[i]
                    let vi = vb[i] * beta2 + squareWeight * gi * gi
                    mb[i] = mi
                    vb[i] = vi
                    let denom = vi.squareRoot() / bc2 + eps
                    tb[i] = tb[i] + negativeStepSize * mi / denom
                }
                lo += n
            }
        }
    }

    public func exportState() -> OptimizerState {
        var tensors: [String: Tensor] = [:]
        for (name, m) in expAvg { tensors["exp_avg.\(name)"] = Tensor(m) }
        for (name, v) in expAvgSq { tensors["exp_avg_sq.\(name)"] = Tensor(v) }
        let fields = OptimizerStateFields(
            kind: "adamw",
            hyperParameters: ["lr": learningRate, "beta1": beta1, "beta2": beta2, "eps": eps, "weight_decay": weightDecay],
            flags: ["exclude_no_decay": excludeNoDecayParameters],
            steps: steps)
        return OptimizerState(fields: fields, tensors: tensors)
    }

    /// A new AdamW with the hyper-parameters and moments of `state`.
    public convenience init(state: OptimizerState) throws {
        let f = state.fields
        guard f.kind == "adamw" else { throw OptimizerError.stateMismatch("it is a \(f.kind) state, not adamw") }
        try self.init(learningRate: f.value("lr"), beta1: f.value("beta1"), beta2: f.value("beta2"),
                      eps: f.value("eps"), weightDecay: f.value("weight_decay"),
                      excludeNoDecayParameters: f.flags["exclude_no_decay"] ?? false)
        try restoreState(state)
    }

    /// Restores moments and step counts (and the learning rate) from `state`; the other
    /// hyper-parameters must equal this optimizer's.
    public func restoreState(_ state: OptimizerState) throws {
        let f = state.fields
        guard f.kind == "adamw" else { throw OptimizerError.stateMismatch("it is a \(f.kind) state, not adamw") }
        for (key, mine) in [("beta1", beta1), ("beta2", beta2), ("eps", eps), ("weight_decay", weightDecay)] {
            let saved = try f.value(key)
            guard saved == mine else {
                throw OptimizerError.stateMismatch("saved \(key) \(saved) differs from this optimizer's \(mine); make the optimizer from the state instead")
            }
        }
        let moments = try momentBuffers(state, prefixes: ["exp_avg.", "exp_avg_sq."])
        learningRate = try f.value("lr")
        expAvg = moments["exp_avg."] ?? [:]
        expAvgSq = moments["exp_avg_sq."] ?? [:]
        steps = f.steps
    }
}

/// Throws `badHyperParameter` unless `value` is finite and `condition` holds.
func check(_ name: String, _ value: Float, _ condition: Bool, _ expected: String) throws {
    guard value.isFinite, condition else {
        throw OptimizerError.badHyperParameter(name: name, value: value, expected: expected)
    }
}

/// Splits a state's tensors by buffer prefix into name → values, checking that every tensor has
/// a known prefix, that each parameter with a step count has every buffer, and that the buffers
/// of one parameter have equal sizes.
func momentBuffers(_ state: OptimizerState, prefixes: [String]) throws -> [String: [String: [Float]]] {
    var result: [String: [String: [Float]]] = [:]
    for (key, tensor) in state.tensors {
        guard let prefix = prefixes.first(where: { key.hasPrefix($0) }) else {
            throw OptimizerError.stateMismatch("tensor \(key) is not one of this optimizer's buffers (\(prefixes.joined(separator: ", ")))")
        }
        let name = String(key.dropFirst(prefix.count))
        guard state.fields.steps[name] != nil else {
            throw OptimizerError.stateMismatch("tensor \(key) has no step count for \(name)")
        }
        result[prefix, default: [:]][name] = tensor.toArray()
    }
    for (name, count) in state.fields.steps {
        guard count >= 0 else { throw OptimizerError.stateMismatch("step count \(count) of \(name) is negative") }
        let sizes = prefixes.map { result[$0]?[name]?.count }
        guard let first = sizes.first ?? nil, sizes.allSatisfy({ $0 == first }) else {
            throw OptimizerError.stateMismatch("the buffers of \(name) are missing or differ in size")
        }
    }
    return result
}
