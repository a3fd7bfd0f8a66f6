import Tensors

/// How token states [B, T, H] become one sentence vector [B, H] (sentence-transformers'
/// `models/Pooling.py`).
public enum Pooling: String, CaseIterable, Codable, Sendable {
    /// Attention-masked mean: Σ h·mask / clamp(Σ mask, min 1e-9).
    case mean
    /// The first token's state ([CLS]).
    case cls
    /// Element-wise max over real tokens (padding set to −1e9 first, as sentence-transformers does).
    case max

    /// Pools `hidden` [B, T, H] under `mask` [B, T] (1 real, 0 padding). Differentiable.
    public func callAsFunction(_ hidden: Tensor, mask: Tensor) throws -> Tensor {
        let expanded = try mask.unsqueeze(2)                                   // [B, T, 1]
        switch self {
        case .mean:
            let summed = try hidden.mul(expanded).sum(dims: [1])              // [B, H]
            let counts = try mask.sum(dims: [1], keepDim: true).toArray().map { Swift.max($0, 1e-9) }
            return try summed.div(Tensor(shape: [counts.count, 1], values: counts))
        case .cls:
            return try hidden.select(dim: 1, index: 0)
        case .max:
            let padding = 1 - expanded                                          // 1 where padded
            return try hidden.maskedFill(mask: padding, value: -1e9).max(dims: [1])
        }
    }
}
