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
///
/// The moments of a large table (a word embedding) are held only for the rows that ever had a
/// non-zero gradient (`RowMoments`); the other rows are rows of zeros, which the update leaves
/// zero, so the results and the exported state are those of dense moments, bit for bit.
public final class AdamW: Optimizer {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let eps: Float
    public let weightDecay: Float
    /// When set, parameters whose names `isExcludedFromDecay` get no weight decay.
    public let excludeNoDecayParameters: Bool

    /// `exp_avg` and `exp_avg_sq` by parameter name.
    private var moments: [String: RowMoments] = [:]
    private var steps: [String: Int] = [:]

    /// PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01.
    /// - Throws: `OptimizerError.badHyperParameter` for lr < 0, betas outside [0, 1), eps ≤ 0,
    ///   weight decay < 0, or anything not finite (the checks `torch.optim.AdamW` makes).
    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8,
                weightDecay: Float = 0.01, excludeNoDecayParameters: Bool = false) throws {
        try check("lr", learningRate, learningRate >= 0, "a finite number ≥ 0")
        try check("beta1", beta1, beta1 >= 0 && beta1 < 1, "a number in [0, 1)")
        try check("beta2", beta2, beta2 >= 0 && beta2 < 1, "a number in [0, 1)")
        // PyTorch accepts eps = 0, but then a parameter whose gradient is 0 divides 0 by 0 and
        // turns NaN on the first step; a positive eps is what the update formula needs.
        try check("eps", eps, eps > 0, "a finite number > 0 (it keeps the update from dividing by zero)")
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

    /// The rows of `name` (its first dimension; a 1-dimensional parameter is one row) whose
    /// moments are held in memory: every row for a small parameter, only the rows that have had
    /// a non-zero gradient for a large table; 0 if it has no moments yet.
    public func allocatedMomentRows(of name: String) -> Int { moments[name]?.allocatedRows ?? 0 }

    public func step(_ parameters: [Parameter], gradients: GradientStore) throws {
        let lr = Double(learningRate)
        try check("lr", learningRate, learningRate >= 0, "a finite number ≥ 0")
        let lerpWeight = Float(1 - Double(beta1))
        let beta2 = self.beta2
        let squareWeight = Float(1 - Double(beta2))
        let eps = self.eps
        try forEachTrainable(parameters, gradients: gradients, bufferSize: { self.moments[$0]?.elementCount }) { parameter, g, nonZeroRows in
            let name = parameter.name
            let t = (steps[name] ?? 0) + 1
            // Taken out of the dictionary so the buffers are uniquely owned and updated in place.
            var store = moments.removeValue(forKey: name)?.laidOut(for: parameter.shape) ?? RowMoments(shape: parameter.shape)
            let biasCorrection1 = 1 - pow(Double(beta1), Double(t))
            let biasCorrection2Sqrt = (1 - pow(Double(beta2), Double(t))).squareRoot()
            let decays = weightDecay != 0 && !(excludeNoDecayParameters && Self.isExcludedFromDecay(name))
            let coefficients = AdamWKernel.Coefficients(
                decayFactor: decays ? Float(1 - lr * Double(weightDecay)) : 1, lerpWeight: lerpWeight, beta2: beta2,
                squareWeight: squareWeight, biasCorrection2Sqrt: Float(biasCorrection2Sqrt), eps: eps,
                negativeStepSize: Float(-(lr / biasCorrection1)))
            // On raw buffers (AdamWKernel: eight lanes, hardware FMA for the lerp); a table's
            // rows without moments and without a gradient only decay.
            parameter.update { theta in store.update(theta: theta, gradient: g, nonZeroRows: nonZeroRows, coefficients) }
            moments[name] = store
            steps[name] = t
        }
    }

    /// The state with dense moment tensors (zeros for rows never touched), as PyTorch keeps them.
    public func exportState() -> OptimizerState {
        var tensors: [String: Tensor] = [:]
        for (name, store) in moments {
            let (m, v) = store.dense()
            tensors["exp_avg.\(name)"] = Tensor(m)
            tensors["exp_avg_sq.\(name)"] = Tensor(v)
        }
        return OptimizerState(fields: stateFields, tensors: tensors)
    }

    public var stateFields: OptimizerStateFields {
        OptimizerStateFields(
            kind: "adamw",
            hyperParameters: ["lr": learningRate, "beta1": beta1, "beta2": beta2, "eps": eps, "weight_decay": weightDecay],
            flags: ["exclude_no_decay": excludeNoDecayParameters],
            steps: steps)
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
        let buffers = try momentBuffers(state, prefixes: ["exp_avg.", "exp_avg_sq."])
        learningRate = try f.value("lr")
        // The parameters' shapes are not known here: each store is one flat row until its first
        // step lays it out by rows (`RowMoments.laidOut`), dropping a table's all-zero rows.
        var restored: [String: RowMoments] = [:]
        for (name, m) in buffers["exp_avg."] ?? [:] {
            guard let v = buffers["exp_avg_sq."]?[name] else { continue }   // momentBuffers checked both exist
            restored[name] = RowMoments(dense: m, v, shape: [m.count])
        }
        moments = restored
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
