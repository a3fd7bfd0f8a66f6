import Tensors

/// An optimizer's complete state, split for saving: JSON-able fields and named float tensors.
///
/// A session saver writes `fields` into its JSON manifest and `tensors` into a safetensors
/// file; reading both back and calling `restoreState` continues the run bit for bit.
public struct OptimizerState: Sendable {
    /// Kind, hyper-parameters and per-parameter step counts.
    public var fields: OptimizerStateFields
    /// Moment buffers named `<buffer>.<parameter name>`: `exp_avg.` and `exp_avg_sq.` (AdamW,
    /// PyTorch's names) or `momentum_buffer.` (SGD); each holds its parameter's element count,
    /// flat, in the parameter's row-major order.
    public var tensors: [String: Tensor]

    public init(fields: OptimizerStateFields, tensors: [String: Tensor]) {
        self.fields = fields
        self.tensors = tensors
    }

    /// The tensors as (name, shape, values) triples sorted by name, as `SafetensorsWriter` takes them.
    public var namedTensors: [SafetensorsWriter.NamedTensor] {
        tensors.keys.sorted().compactMap { name in
            tensors[name].map { (name: name, shape: $0.shape, values: $0.toArray()) }
        }
    }
}

/// The JSON-able part of an optimizer's state.
public struct OptimizerStateFields: Codable, Equatable, Sendable {
    /// `adamw` or `sgd`.
    public var kind: String
    /// Hyper-parameters by PyTorch's names: `lr`, `beta1`, `beta2`, `eps`, `weight_decay`,
    /// `momentum`, `dampening`.
    public var hyperParameters: [String: Float]
    /// Flags: `nesterov`, `exclude_no_decay` (biases and LayerNorm weights not decayed).
    public var flags: [String: Bool]
    /// Steps taken per parameter name (PyTorch keeps one count per parameter).
    public var steps: [String: Int]

    public init(kind: String, hyperParameters: [String: Float], flags: [String: Bool], steps: [String: Int]) {
        self.kind = kind
        self.hyperParameters = hyperParameters
        self.flags = flags
        self.steps = steps
    }

    /// The hyper-parameter `name`, or a `stateMismatch` error naming it.
    func value(_ name: String) throws -> Float {
        guard let value = hyperParameters[name] else {
            throw OptimizerError.stateMismatch("the \(kind) state lacks the hyper-parameter \(name)")
        }
        return value
    }
}
