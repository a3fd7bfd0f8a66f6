import Tensors

/// Layer normalisation over the last dim (`torch.nn.LayerNorm`, elementwise affine).
public final class LayerNorm: Module, @unchecked Sendable {
    public let weight: Parameter
    public let bias: Parameter
    public let eps: Float
    public var isTraining = false

    /// - Throws: `NNError.invalidParameter` unless weight and bias are both [width].
    public init(weight: Parameter, bias: Parameter, eps: Float) throws {
        guard weight.shape.count == 1 else {
            throw NNError.invalidParameter(name: weight.name, expected: "[width]", found: weight.shape)
        }
        guard bias.shape == weight.shape else {
            throw NNError.invalidParameter(name: bias.name, expected: "\(weight.shape)", found: bias.shape)
        }
        self.weight = weight
        self.bias = bias
        self.eps = eps
    }

    /// Weight ones, bias zeros (PyTorch's initialisation).
    public convenience init(width: Int, eps: Float = 1e-5, name: String = "") throws {
        guard width > 0 else { throw NNError.invalidSize(what: "LayerNorm width", value: width) }
        let prefix = name.isEmpty ? "" : name + "."
        try self.init(weight: Parameter(name: prefix + "weight", value: try Tensor.ones([width])),
                      bias: Parameter(name: prefix + "bias", value: try Tensor.zeros([width])), eps: eps)
    }

    public var ownParameters: [(String, Parameter)] { [("weight", weight), ("bias", bias)] }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.layerNorm(weight: weight.value, bias: bias.value, eps: eps)
    }
}
