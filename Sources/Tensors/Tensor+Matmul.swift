// MARK: - Matrix products: matmul (batched, broadcast) and the fused linear layer

extension Tensor {
    /// The last two dims as an sgemm operand, or nil when their strides need a copy first.
    func gemmAccess() -> (transposed: Bool, ld: Int)? {
        Gemm.access(rows: shape[rank - 2], cols: shape[rank - 1],
                    rowStride: strides[rank - 2], colStride: strides[rank - 1])
    }

    /// This tensor or, when its last two dims cannot be read by sgemm, a contiguous copy.
    func gemmReady() -> (Tensor, (transposed: Bool, ld: Int)) {
        if let access = gemmAccess() { return (self, access) }
        let copy = contiguousStorageView()
        return (copy, (false, Swift.max(shape[rank - 1], 1)))
    }

    /// Strides merging dims `0..<count` into one, when the layout allows it (size-1 dims skipped).
    func mergedStride(leading count: Int) -> Int? {
        var merged: Int?
        var span = 1
        for d in stride(from: count - 1, through: 0, by: -1) where shape[d] != 1 {
            if let s = merged {
                if strides[d] != s * span { return nil }
            } else {
                merged = strides[d]
            }
            span *= shape[d]
        }
        return merged ?? 1
    }

    /// Matrix product with PyTorch's `matmul` semantics for rank ≥ 2: [..., M, K] · [..., K, N]
    /// → [..., M, N], batch dims broadcast. One sgemm per batch item on strided views, or a single
    /// sgemm when the right operand has no batch and the left one's rows can be stacked.
    public func matmul(_ other: Tensor) throws -> Tensor {
        guard rank >= 2, other.rank >= 2 else {
            throw TensorError.shapeMismatch(operation: "matmul", expected: "both operands of rank ≥ 2 (use unsqueeze for vectors)",
                                            got: rank < 2 ? shape : other.shape)
        }
        let m = shape[rank - 2], k = shape[rank - 1], n = other.shape[other.rank - 1]
        guard other.shape[other.rank - 2] == k else {
            throw TensorError.shapeMismatch(operation: "matmul of \(shape) and \(other.shape)",
                                            expected: "the right operand to have \(k) rows", got: other.shape)
        }
        let batchA = Array(shape.dropLast(2)), batchB = Array(other.shape.dropLast(2))
        let batch = try Shapes.broadcast(batchA, batchB, operation: "matmul batch dims of \(shape) and \(other.shape)")
        let outShape = batch + [m, n]
        let out = Storage(uninitializedCount: outShape.reduce(1, *))
        let (a, aAccess) = gemmReady()
        let (b, bAccess) = other.gemmReady()
        let batchCount = batch.reduce(1, *)

        // One sgemm over stacked rows: [..., M, K] · [K, N] with the left side's rows mergeable.
        if batchB.reduce(1, *) == 1, batch == batchA, !aAccess.transposed,
           let rowStride = a.mergedStride(leading: a.rank - 1), rowStride >= Swift.max(k, 1) || batchCount * m == 1 {
            let rows = batchCount * m
            Gemm.multiply(m: rows, n: n, k: k, a: a.basePointer,
                          aAccess: (false, rows == 1 ? Swift.max(k, 1) : rowStride),
                          b: b.basePointer, bAccess: bAccess, c: out.base, beta: 0)
        } else {
            let aStrides = Shapes.broadcastStrides(Layout(shape: batchA, strides: Array(a.strides.dropLast(2)), offset: 0), to: batch)
            let bStrides = Shapes.broadcastStrides(Layout(shape: batchB, strides: Array(b.strides.dropLast(2)), offset: 0), to: batch)
            var offsetsA = [Int](repeating: 0, count: batchCount), offsetsB = offsetsA
            for item in 0..<batchCount {
                var rest = item, offA = 0, offB = 0
                for d in stride(from: batch.count - 1, through: 0, by: -1) {
                    let i = rest % batch[d]
                    rest /= batch[d]
                    offA += i * aStrides[d]
                    offB += i * bStrides[d]
                }
                offsetsA[item] = offA
                offsetsB[item] = offB
            }
            // Attention's per-(batch, head) products are tiny: spread over the engine's threads.
            Gemm.multiplyBatch(count: batchCount, m: m, n: n, k: k, a: a.basePointer, aOffsets: offsetsA, aAccess: aAccess,
                               b: b.basePointer, bOffsets: offsetsB, bAccess: bAccess, c: out.base)
        }
        return Tensor.result(out, shape: outShape, inputs: self, other, op: .matmul(self, other))
    }

    /// `x · weightᵀ + bias` over the last dim, weight [out, in] as in `torch.nn.Linear`.
    /// One sgemm with the transpose flag on the weight; the bias is written first and accumulated
    /// into (beta = 1), so it costs no extra pass.
    public func linear(weight: Tensor, bias: Tensor?) throws -> Tensor {
        guard weight.rank == 2 else {
            throw TensorError.shapeMismatch(operation: "linear", expected: "a weight of rank 2 [out, in]", got: weight.shape)
        }
        let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
        guard rank >= 1, shape[rank - 1] == inFeatures else {
            throw TensorError.shapeMismatch(operation: "linear with weight \(weight.shape)",
                                            expected: "an input whose last dim is \(inFeatures)", got: shape)
        }
        if let bias, bias.shape != [outFeatures] {
            throw TensorError.shapeMismatch(operation: "linear with weight \(weight.shape)", expected: "a bias of shape [\(outFeatures)]", got: bias.shape)
        }
        let rows = elementCount / Swift.max(inFeatures, 1)
        let outShape = Array(shape.dropLast()) + [outFeatures]
        let out = Storage(uninitializedCount: rows * outFeatures)
        // x as [rows, in]: mergeable leading dims with unit last stride, else a copy.
        var x = self
        var xLd = Swift.max(inFeatures, 1)
        let unitColumns = inFeatures <= 1 || strides[rank - 1] == 1
        if rows > 1, unitColumns, let rowStride = mergedStride(leading: rank - 1), rowStride >= xLd {
            xLd = rowStride
        } else if rows > 1 || !unitColumns {
            x = contiguousStorageView()
        }
        let xAccess = (transposed: false, ld: xLd)
        // weightᵀ as an [in, out] operand: row stride is the weight's column stride.
        var w = weight
        var wAccess = Gemm.access(rows: inFeatures, cols: outFeatures, rowStride: weight.strides[1], colStride: weight.strides[0])
        if wAccess == nil {
            w = weight.contiguousStorageView()
            wAccess = (true, Swift.max(inFeatures, 1))
        }
        var beta: Float = 0
        if let bias {
            let b = bias.contiguousStorageView().basePointer
            for r in 0..<rows { (out.base + r * outFeatures).initialize(from: b, count: outFeatures) }
            beta = 1
        }
        Gemm.multiply(m: rows, n: outFeatures, k: inFeatures, a: x.basePointer, aAccess: xAccess,
                      b: w.basePointer, bAccess: wAccess ?? (true, Swift.max(inFeatures, 1)), c: out.base, beta: beta)
        var inputs = [self, weight]
        if let bias { inputs.append(bias) }
        return Tensor.result(out, layout: Layout(contiguous: outShape), inputs: inputs,
                             op: .linear(self, weight: weight, bias: bias))
    }
}
