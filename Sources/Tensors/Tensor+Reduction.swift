// MARK: - Reductions: sum, mean, max, argmax

extension Tensor {
    /// `dims` normalised and sorted; throws on a repeated or out-of-range dim.
    func reductionDims(_ dims: [Int], _ operation: String) throws -> [Int] {
        let d = try dims.map { try Shapes.normalize(dim: $0, rank: rank, operation: operation) }
        guard Set(d).count == d.count else {
            throw TensorError.invalidArgument(operation: operation, reason: "dims \(dims) repeat a dimension")
        }
        return d.sorted()
    }

    func reducedShape(_ dims: [Int], keepDim: Bool) -> [Int] {
        var out: [Int] = []
        for d in 0..<rank {
            if dims.contains(d) { if keepDim { out.append(1) } } else { out.append(shape[d]) }
        }
        return out
    }

    /// A contiguous source viewed as [outer, reduced, inner], with the map from (o, r, i) back
    /// to this tensor's logical flat index (needed by max's backward).
    func reductionSource(_ dims: [Int]) -> (Tensor, outer: Int, reduced: Int, inner: Int, logical: (Int, Int, Int) -> Int) {
        let reducedCount = dims.map { shape[$0] }.reduce(1, *)
        if let first = dims.first, let last = dims.last, last - first + 1 == dims.count {
            let source = contiguousStorageView()
            let outer = shape[..<first].reduce(1, *)
            let inner = shape[(last + 1)...].reduce(1, *)
            return (source, outer, reducedCount, inner, { o, r, i in (o * reducedCount + r) * inner + i })
        }
        // Kept dims first, reduced last, copied contiguous.
        let kept = (0..<rank).filter { !dims.contains($0) }
        let order = kept + dims
        let permuted = Tensor(storage: storage, layout: Layout(shape: order.map { shape[$0] },
                                                               strides: order.map { strides[$0] },
                                                               offset: layout.offset))
        let source = permuted.contiguousStorageView()
        let logicalStrides = Layout.contiguousStrides(shape)
        let keptShape = kept.map { shape[$0] }, dimShape = dims.map { shape[$0] }
        func offset(_ flat: Int, _ sizes: [Int], _ ds: [Int]) -> Int {
            var rest = flat, total = 0
            for k in stride(from: sizes.count - 1, through: 0, by: -1) {
                total += (rest % sizes[k]) * logicalStrides[ds[k]]
                rest /= sizes[k]
            }
            return total
        }
        return (source, keptShape.reduce(1, *), reducedCount, 1,
                { o, r, _ in offset(o, keptShape, kept) + offset(r, dimShape, dims) })
    }

    /// Sum over `dims` (negative counts from the end); `keepDim` leaves them as size 1.
    public func sum(dims: [Int], keepDim: Bool = false) throws -> Tensor {
        let d = try reductionDims(dims, "sum")
        return sumKernel(d, keepDim: keepDim, op: .sum(self, dims: d))
    }

    /// Sum of all elements, a rank-0 tensor.
    public func sum() -> Tensor {
        let d = Array(0..<rank)
        return sumKernel(d, keepDim: false, op: .sum(self, dims: d))
    }

    /// Mean over `dims`; `keepDim` leaves them as size 1.
    public func mean(dims: [Int], keepDim: Bool = false) throws -> Tensor {
        let d = try reductionDims(dims, "mean")
        return meanKernel(d, keepDim: keepDim)
    }

    /// Mean of all elements, a rank-0 tensor.
    public func mean() -> Tensor { meanKernel(Array(0..<rank), keepDim: false) }

    func sumKernel(_ dims: [Int], keepDim: Bool, op: @autoclosure () -> Op, scale: Float = 1) -> Tensor {
        let outShape = reducedShape(dims, keepDim: keepDim)
        let (source, outer, reduced, inner, _) = reductionSource(dims)
        let out = Storage(uninitializedCount: outer * inner)
        Reduction.sum(source.basePointer, outer: outer, reduced: reduced, inner: inner, into: out.base)
        if scale != 1 { for i in 0..<out.count { out.base[i] *= scale } }
        return Tensor.result(out, shape: outShape, inputs: self, op: op())
    }

    func meanKernel(_ dims: [Int], keepDim: Bool) -> Tensor {
        let count = dims.map { shape[$0] }.reduce(1, *)
        return sumKernel(dims, keepDim: keepDim, op: .mean(self, dims: dims), scale: 1 / Float(count))
    }

    /// Maximum over `dims`; the gradient flows to the first maximal element of each group.
    public func max(dims: [Int], keepDim: Bool = false) throws -> Tensor {
        let d = try reductionDims(dims, "max")
        guard d.allSatisfy({ shape[$0] > 0 }) else {
            throw TensorError.invalidArgument(operation: "max", reason: "cannot take the maximum over an empty dimension of \(shape)")
        }
        let (values, winners, logicalIndex) = maxKernel(d)
        return Tensor.result(values, shape: reducedShape(d, keepDim: keepDim), inputs: self,
                             op: .max(self, positions: winners.indices.map { logicalIndex($0, winners[$0]) }))
    }

    /// Maximum of all elements, a rank-0 tensor.
    public func max() throws -> Tensor { try max(dims: Array(0..<rank)) }

    /// Index of the first maximum along `dim` (no gradient).
    public func argmax(dim: Int, keepDim: Bool = false) throws -> IndexTensor {
        let d = try Shapes.normalize(dim: dim, rank: rank, operation: "argmax")
        guard shape[d] > 0 else {
            throw TensorError.invalidArgument(operation: "argmax", reason: "dimension \(dim) of \(shape) is empty")
        }
        return try IndexTensor(shape: reducedShape([d], keepDim: keepDim), values: maxKernel([d]).winners)
    }

    /// The maxima over `dims`, the position r of each within its group, and a map from
    /// (output index, r) to the input's logical flat index.
    func maxKernel(_ dims: [Int]) -> (values: Storage, winners: [Int], logicalIndex: (Int, Int) -> Int) {
        let (source, outer, reduced, inner, logical) = reductionSource(dims)
        let values = Storage(uninitializedCount: outer * inner)
        var winners = [Int](repeating: 0, count: outer * inner)
        winners.withUnsafeMutableBufferPointer { w in
            if let p = w.baseAddress {
                Reduction.max(source.basePointer, outer: outer, reduced: reduced, inner: inner, into: values.base, positions: p)
            }
        }
        return (values, winners, { output, r in logical(output / Swift.max(inner, 1), r, output % Swift.max(inner, 1)) })
    }
}
