import Tensors

/// A fully connected layer `y = x · weightᵀ + bias` (`torch.nn.Linear`: weight [out, in]).
public final class Linear: Module, @unchecked Sendable {
    public let weight: Parameter
    public let bias: Parameter?
    public var isTraining = false

    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    /// A layer over existing parameters (loaded or initialised by the caller).
    /// - Throws: `NNError.invalidParameter` unless weight is [out, in] and bias is [out].
    public init(weight: Parameter, bias: Parameter?) throws {
        guard weight.shape.count == 2 else {
            throw NNError.invalidParameter(name: weight.name, expected: "[out, in]", found: weight.shape)
        }
        if let bias, bias.shape != [weight.shape[0]] {
            throw NNError.invalidParameter(name: bias.name, expected: "[\(weight.shape[0])]", found: bias.shape)
        }
        self.weight = weight
        self.bias = bias
    }

    /// A freshly initialised layer, as `torch.nn.Linear.reset_parameters` does:
    /// kaiming-uniform with a = √5 gives weight ~ U(−1/√in, 1/√in), and bias ~ U(−1/√in, 1/√in).
    /// Weight values are drawn first (row-major), then the bias.
    /// - Parameter name: the prefix of the parameter names (`name.weight`, `name.bias`).
    public convenience init(inFeatures: Int, outFeatures: Int, bias: Bool = true, name: String = "",
                            generator: inout SeededGenerator) throws {
        guard inFeatures > 0, outFeatures > 0 else {
            throw NNError.invalidSize(what: "Linear \(name.isEmpty ? "" : name + " ")features",
                                      value: min(inFeatures, outFeatures))
        }
        let bound = 1 / Float(inFeatures).squareRoot()
        let prefix = name.isEmpty ? "" : name + "."
        let w = try Tensor.uniform([outFeatures, inFeatures], low: -bound, high: bound, generator: &generator)
        let b = bias ? try Tensor.uniform([outFeatures], low: -bound, high: bound, generator: &generator) : nil
        try self.init(weight: Parameter(name: prefix + "weight", value: w),
                      bias: b.map { Parameter(name: prefix + "bias", value: $0) })
    }

    public var ownParameters: [(String, Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    /// `x · weightᵀ + bias` over the last dim (one sgemm).
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.linear(weight: weight.value, bias: bias?.value)
    }
}
