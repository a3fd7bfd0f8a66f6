// MARK: - Indexing: embedding lookup, gather along the last dim, masked fill

extension Tensor {
    /// Rows of `weight` [vocabulary, width] picked by `ids`: the result has shape ids.shape + [width]
    /// (`torch.nn.functional.embedding`). The backward scatter-adds into the picked rows.
    public static func embedding(weight: Tensor, ids: IndexTensor) throws -> Tensor {
        guard weight.rank == 2 else {
            throw TensorError.shapeMismatch(operation: "embedding", expected: "a weight of rank 2 [vocabulary, width]", got: weight.shape)
        }
        let vocabulary = weight.shape[0], width = weight.shape[1]
        if let bad = ids.values.first(where: { $0 < 0 || $0 >= vocabulary }) {
            throw TensorError.indexOutOfRange(operation: "embedding id", index: bad, size: vocabulary)
        }
        let w = weight.contiguousStorageView()
        let out = Storage(uninitializedCount: ids.values.count * width)
        ids.values.withUnsafeBufferPointer { idp in
            Parallel.forRanges(idp.count, cost: width) { range in
                for i in range {
                    (out.base + i * width).initialize(from: w.basePointer + idp[i] * width, count: width)
                }
            }
        }
        return Tensor.result(out, shape: ids.shape + [width], inputs: weight, op: .embedding(weight: weight, ids: ids))
    }

    /// Picks along the last dim: out[..., j] = self[..., indices[..., j]] (`torch.gather(x, -1, i)`).
    /// `indices` must have this tensor's leading dims; its last dim may be any length.
    public func gather(indices: IndexTensor) throws -> Tensor {
        guard rank >= 1, indices.shape.count == rank, Array(indices.shape.dropLast()) == Array(shape.dropLast()) else {
            throw TensorError.shapeMismatch(operation: "gather on \(shape)",
                                            expected: "indices of shape \(Array(shape.dropLast()) + [-1])", got: indices.shape)
        }
        let width = shape[rank - 1]
        if let bad = indices.values.first(where: { $0 < 0 || $0 >= width }) {
            throw TensorError.indexOutOfRange(operation: "gather index", index: bad, size: width)
        }
        let x = contiguousStorageView()
        let picks = indices.shape[rank - 1]
        let rows = picks == 0 ? 0 : indices.values.count / picks
        let out = Storage(uninitializedCount: indices.values.count)
        for r in 0..<rows {
            for j in 0..<picks { out.base[r * picks + j] = x.basePointer[r * width + indices.values[r * picks + j]] }
        }
        return Tensor.result(out, shape: indices.shape, inputs: self, op: .gather(self, indices: indices))
    }

    /// Elements where `mask` (broadcastable to this shape) is non-zero replaced by `value`
    /// (`torch.Tensor.masked_fill`). The mask gets no gradient.
    public func maskedFill(mask: Tensor, value: Float) throws -> Tensor {
        let joint = try Shapes.broadcast(shape, mask.shape, operation: "maskedFill")
        guard joint == shape else {
            throw TensorError.broadcastMismatch(operation: "maskedFill (the mask must broadcast to the input)", lhs: shape, rhs: mask.shape)
        }
        let out = Storage(uninitializedCount: elementCount)
        Elementwise.binary(shape: shape, a: basePointer, aStrides: strides,
                           b: mask.basePointer, bStrides: Shapes.broadcastStrides(mask.layout, to: shape),
                           out: out.base, Scalar.MaskedFill(value: value))
        return Tensor.result(out, shape: shape, inputs: self, op: .maskedFill(self, mask: mask.detached()))
    }
}
