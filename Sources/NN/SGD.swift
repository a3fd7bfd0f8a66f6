import Tensors

/// Stochastic gradient descent with momentum, step for step PyTorch's `torch.optim.SGD`
/// (`_single_tensor_sgd`).
///
/// For each trainable parameter θ with gradient g:
/// ```
/// g ← g + λ·θ                               weight decay (L2, coupled)
/// buf ← g (first step) | μ·buf + (1 − τ)·g  momentum with dampening τ
/// g ← g + μ·buf (nesterov) | buf
/// θ ← θ − lr·g
/// ```
/// With momentum 0 there is no buffer and the step is θ ← θ − lr·g.
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float
    public let dampening: Float
    public let weightDecay: Float
    public let nesterov: Bool

    private var buffers: [String: [Float]] = [:]
    private var steps: [String: Int] = [:]

    /// - Throws: `OptimizerError.badHyperParameter` for negative or non-finite values, or
    ///   nesterov without momentum or with dampening (PyTorch refuses those too).
    public init(learningRate: Float = 1e-3, momentum: Float = 0, dampening: Float = 0,
                weightDecay: Float = 0, nesterov: Bool = false) throws {
        try check("lr", learningRate, learningRate >= 0, "a finite number ≥ 0")
        try check("momentum", momentum, momentum >= 0, "a finite number ≥ 0")
        try check("dampening", dampening, dampening >= 0 && dampening <= 1, "a number in [0, 1]")
        try check("weight_decay", weightDecay, weightDecay >= 0, "a finite number ≥ 0")
        if nesterov {
            try check("momentum", momentum, momentum > 0, "a positive momentum with nesterov")
            try check("dampening", dampening, dampening == 0, "dampening 0 with nesterov")
        }
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    /// The number of steps `name` has been updated (0 if never).
    public func stepCount(of name: String) -> Int { steps[name] ?? 0 }

    public func step(_ parameters: [Parameter], gradients: GradientStore) throws {
        try check("lr", learningRate, learningRate >= 0, "a finite number ≥ 0")
        let lr = learningRate, mu = momentum, keep = Float(1 - Double(dampening)), decay = weightDecay
        try forEachTrainable(parameters, gradients: gradients, bufferSize: { self.buffers[$0]?.count }) { parameter, gradient, _ in
            let name = parameter.name
            var buffer = buffers.removeValue(forKey: name)   // uniquely owned: updated in place
            parameter.update { theta in
                var g = Array(gradient)
                if decay != 0 {
                    for i in g.indices { g[i] = g[i] + decay * theta[i] }
                }
                if mu != 0 {
                    if var b = buffer {
                        for i in b.indices { b[i] = b[i] * mu + keep * g[i] }
                        buffer = b
                    } else {
                        buffer = g   // torch.clone(grad): the first step takes the gradient as it is
                    }
                    if let b = buffer {
                        if nesterov {
                            for i in g.indices { g[i] = g[i] + mu * b[i] }
                        } else {
                            g = b
                        }
                    }
                }
                for i in 0..<theta.count { theta[i] = theta[i] + (-lr) * g[i] }
            }
            if mu != 0 { buffers[name] = buffer }
            steps[name] = (steps[name] ?? 0) + 1
        }
    }

    public func exportState() -> OptimizerState {
        var tensors: [String: Tensor] = [:]
        for (name, b) in buffers { tensors["momentum_buffer.\(name)"] = Tensor(b) }
        let fields = OptimizerStateFields(
            kind: "sgd",
            hyperParameters: ["lr": learningRate, "momentum": momentum, "dampening": dampening, "weight_decay": weightDecay],
            flags: ["nesterov": nesterov],
            steps: steps)
        return OptimizerState(fields: fields, tensors: tensors)
    }

    /// A new SGD with the hyper-parameters and buffers of `state`.
    public convenience init(state: OptimizerState) throws {
        let f = state.fields
        guard f.kind == "sgd" else { throw OptimizerError.stateMismatch("it is a \(f.kind) state, not sgd") }
        try self.init(learningRate: f.value("lr"), momentum: f.value("momentum"), dampening: f.value("dampening"),
                      weightDecay: f.value("weight_decay"), nesterov: f.flags["nesterov"] ?? false)
        try restoreState(state)
    }

    /// Restores buffers and step counts (and the learning rate) from `state`; the other
    /// hyper-parameters must equal this optimizer's.
    public func restoreState(_ state: OptimizerState) throws {
        let f = state.fields
        guard f.kind == "sgd" else { throw OptimizerError.stateMismatch("it is a \(f.kind) state, not sgd") }
        for (key, mine) in [("momentum", momentum), ("dampening", dampening), ("weight_decay", weightDecay)] {
            let saved = try f.value(key)
            guard saved == mine else {
                throw OptimizerError.stateMismatch("saved \(key) \(saved) differs from this optimizer's \(mine); make the optimizer from the state instead")
            }
        }
        guard (f.flags["nesterov"] ?? false) == nesterov else {
            throw OptimizerError.stateMismatch("saved nesterov differs from this optimizer's")
        }
        var restored: [String: [Float]] = [:]
        for (key, tensor) in state.tensors {
            guard key.hasPrefix("momentum_buffer.") else {
                throw OptimizerError.stateMismatch("tensor \(key) is not an SGD momentum buffer")
            }
            let name = String(key.dropFirst("momentum_buffer.".count))
            guard f.steps[name] != nil else { throw OptimizerError.stateMismatch("tensor \(key) has no step count for \(name)") }
            restored[name] = tensor.toArray()
        }
        if momentum != 0, let missing = f.steps.keys.first(where: { restored[$0] == nil }) {
            throw OptimizerError.stateMismatch("no momentum buffer for \(missing)")
        }
        learningRate = try f.value("lr")
        buffers = restored
        steps = f.steps
    }
}
