import Tensors

/// A lookup table of rows (`torch.nn.Embedding`): ids → rows of `weight` [count, width].
public final class Embedding: Module, @unchecked Sendable {
    public let weight: Parameter
    public var isTraining = false

    public var count: Int { weight.shape[0] }
    public var width: Int { weight.shape[1] }

    /// - Throws: `NNError.invalidParameter` unless the weight is [count, width].
    public init(weight: Parameter) throws {
        guard weight.shape.count == 2 else {
            throw NNError.invalidParameter(name: weight.name, expected: "[count, width]", found: weight.shape)
        }
        self.weight = weight
    }

    public var ownParameters: [(String, Parameter)] { [("weight", weight)] }

    /// The rows for `ids`: shape `ids.shape + [width]`.
    /// - Throws: `TensorError` when an id is outside `0..<count`.
    public func callAsFunction(_ ids: IndexTensor) throws -> Tensor {
        try Tensor.embedding(weight: weight.value, ids: ids)
    }
}
