// MARK: - Layer normalisation over the last dimension (fused forward and backward)

extension Tensor {
    /// `torch.nn.functional.layer_norm` over the last dim: (x − mean) / √(var + eps) · weight + bias,
    /// with the biased variance. `weight` and `bias` are [last dim] or nil.
    public func layerNorm(weight: Tensor?, bias: Tensor?, eps: Float) throws -> Tensor {
        guard rank >= 1 else {
            throw TensorError.shapeMismatch(operation: "layerNorm", expected: "a tensor of rank ≥ 1", got: shape)
        }
        let width = shape[rank - 1]
        for (name, p) in [("weight", weight), ("bias", bias)] {
            if let p, p.shape != [width] {
                throw TensorError.shapeMismatch(operation: "layerNorm \(name) for input \(shape)", expected: "[\(width)]", got: p.shape)
            }
        }
        guard eps >= 0 else {
            throw TensorError.invalidArgument(operation: "layerNorm", reason: "eps must not be negative (got \(eps))")
        }
        let x = contiguousStorageView()
        let rows = width == 0 ? 0 : elementCount / width
        let out = Storage(uninitializedCount: elementCount)
        let mean = Storage(uninitializedCount: rows), rstd = Storage(uninitializedCount: rows)
        let w = weight?.contiguousStorageView(), b = bias?.contiguousStorageView()
        RowKernels.layerNorm(x.basePointer, out.base, rows: rows, width: width,
                             weight: w.map { UnsafePointer($0.basePointer) }, bias: b.map { UnsafePointer($0.basePointer) },
                             eps: eps, mean: mean.base, rstd: rstd.base)
        let inputs = [self] + (weight.map { [$0] } ?? []) + (bias.map { [$0] } ?? [])
        return Tensor.result(out, layout: Layout(contiguous: shape), inputs: inputs,
                             op: .layerNorm(self, weight: weight, bias: bias,
                                            mean: Tensor(storage: mean, layout: Layout(contiguous: [rows])),
                                            rstd: Tensor(storage: rstd, layout: Layout(contiguous: [rows]))))
    }
}
