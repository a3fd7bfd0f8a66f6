// MARK: - Dropout

extension Tensor {
    /// Inverted dropout (`torch.nn.functional.dropout`): each element is zeroed with probability
    /// `p` and the rest scaled by 1/(1−p). The mask is drawn in row-major order from `generator`.
    /// When `training` is false (or p is 0) this tensor is returned unchanged.
    public func dropout(p: Float, training: Bool, generator: inout SeededGenerator) throws -> Tensor {
        guard p >= 0, p <= 1 else {
            throw TensorError.invalidArgument(operation: "dropout", reason: "p must be in [0, 1] (got \(p))")
        }
        if !training || p == 0 { return self }
        let scale: Float = p == 1 ? 0 : 1 / (1 - p)
        let mask = Storage(uninitializedCount: elementCount)
        for i in 0..<elementCount { mask.base[i] = generator.nextFloat() < p ? 0 : scale }
        let maskTensor = Tensor(storage: mask, layout: Layout(contiguous: shape))
        let out = Storage(uninitializedCount: elementCount)
        Elementwise.binary(shape: shape, a: basePointer, aStrides: strides, b: mask.base, bStrides: maskTensor.strides,
                           out: out.base, Scalar.Mul())
        return Tensor.result(out, shape: shape, inputs: self, op: .dropout(self, mask: maskTensor))
    }
}
