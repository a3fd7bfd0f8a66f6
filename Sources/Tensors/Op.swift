/// How a recorded tensor was computed: one case per differentiable op, holding its inputs and
/// whatever the backward pass needs (candle's `op.rs`). `Backprop.swift` switches over every
/// case, so adding an op without a backward does not compile.
///
/// Saved outputs (softmax, log-softmax) are stored detached, so a tensor never points to itself.
indirect enum Op {
    // Element-wise with broadcasting; the backward reduces each gradient to its input's shape.
    case add(Tensor, Tensor)
    case sub(Tensor, Tensor)
    case mul(Tensor, Tensor)
    case div(Tensor, Tensor)
    /// x · scale + shift (scalar add, sub, mul, div, neg).
    case affine(Tensor, scale: Float, shift: Float)
    case exp(Tensor, output: Tensor)
    case log(Tensor)
    case sqrt(Tensor, output: Tensor)
    case pow(Tensor, exponent: Float)
    case tanh(Tensor, output: Tensor)
    case relu(Tensor)
    case gelu(Tensor)
    case sigmoid(Tensor, output: Tensor)
    /// min(max(x, low), high); the gradient passes where low ≤ x ≤ high.
    case clamp(Tensor, low: Float, high: Float)

    case softmax(Tensor, output: Tensor, dim: Int)
    case logSoftmax(Tensor, output: Tensor, dim: Int)

    /// Sum over `dims` (sorted, non-negative); `keepDim` results are handled in the backward.
    case sum(Tensor, dims: [Int])
    case mean(Tensor, dims: [Int])
    /// Max over `dims`: `positions[i]` is the logical index in the input of output element i.
    case max(Tensor, positions: [Int])

    case matmul(Tensor, Tensor)
    /// x · weightᵀ + bias with weight [out, in] (PyTorch's `nn.Linear` layout).
    case linear(Tensor, weight: Tensor, bias: Tensor?)
    /// Rows of `weight` picked by `ids`.
    case embedding(weight: Tensor, ids: IndexTensor)
    /// Along the last dim: out[..., j] = x[..., indices[..., j]].
    case gather(Tensor, indices: IndexTensor)
    case concat([Tensor], dim: Int)
    /// Elements where `mask` (broadcast, no gradient) is non-zero were replaced by a constant.
    case maskedFill(Tensor, mask: Tensor)
    /// Layer norm over the last dim with saved per-row statistics (both [rows]).
    case layerNorm(Tensor, weight: Tensor?, bias: Tensor?, mean: Tensor, rstd: Tensor)
    /// x · mask, the mask holding 0 or 1/(1-p).
    case dropout(Tensor, mask: Tensor)

    // Views and copies.
    case reshape(Tensor)
    case permute(Tensor, dims: [Int])
    case narrow(Tensor, dim: Int, start: Int)
    case expand(Tensor)
    case copy(Tensor)

    /// The tensors this op read that may need a gradient.
    var inputs: [Tensor] {
        switch self {
        case let .add(a, b), let .sub(a, b), let .mul(a, b), let .div(a, b), let .matmul(a, b):
            return [a, b]
        case let .affine(x, _, _), let .exp(x, _), let .log(x), let .sqrt(x, _), let .pow(x, _),
             let .tanh(x, _), let .relu(x), let .gelu(x), let .sigmoid(x, _), let .clamp(x, _, _),
             let .softmax(x, _, _), let .logSoftmax(x, _, _),
             let .sum(x, _), let .mean(x, _), let .max(x, _),
             let .gather(x, _), let .maskedFill(x, _), let .dropout(x, _),
             let .reshape(x), let .permute(x, _), let .narrow(x, _, _), let .expand(x), let .copy(x):
            return [x]
        case let .linear(x, w, b):
            return [x, w] + (b.map { [$0] } ?? [])
        case let .embedding(w, _):
            return [w]
        case let .concat(parts, _):
            return parts
        case let .layerNorm(x, w, b, _, _):
            return [x] + (w.map { [$0] } ?? []) + (b.map { [$0] } ?? [])
        }
    }
}
