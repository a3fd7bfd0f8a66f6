// MARK: - Softmax and log-softmax over a dimension

extension Tensor {
    /// Applies a row kernel along `dim`: directly when `dim` is the last and contiguous, else on
    /// a contiguous copy with `dim` moved last, the result viewed back in the original order.
    func alongDim(_ dim: Int, _ name: String,
                  _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Int) -> Void) throws -> (Storage, Layout) {
        let d = try Shapes.normalize(dim: dim, rank: rank, operation: name)
        var order = Array(0..<rank)
        order.remove(at: d)
        order.append(d)
        let moved = Tensor(storage: storage, layout: Layout(shape: order.map { shape[$0] },
                                                            strides: order.map { strides[$0] },
                                                            offset: layout.offset)).contiguousStorageView()
        let width = shape[d]
        let out = Storage(uninitializedCount: elementCount)
        kernel(moved.basePointer, out.base, width == 0 ? 0 : elementCount / width, width)
        // Strides that undo the move: dim `order[i]` of the result has the moved tensor's stride i.
        let movedStrides = Layout.contiguousStrides(order.map { shape[$0] })
        var backStrides = [Int](repeating: 0, count: rank)
        for i in 0..<rank { backStrides[order[i]] = movedStrides[i] }
        return (out, Layout(shape: shape, strides: backStrides, offset: 0))
    }

    /// softmax along `dim`: exp(x) / Σ exp(x), computed with the max subtracted.
    public func softmax(dim: Int) throws -> Tensor {
        let (out, layout) = try alongDim(dim, "softmax") { RowKernels.softmax($0, $1, rows: $2, width: $3) }
        let d = try Shapes.normalize(dim: dim, rank: rank, operation: "softmax")
        return Tensor.result(out, layout: layout, inputs: [self],
                             op: .softmax(self, output: Tensor(storage: out, layout: layout), dim: d))
    }

    /// log-softmax along `dim`: x − log Σ exp(x), computed stably.
    public func logSoftmax(dim: Int) throws -> Tensor {
        let (out, layout) = try alongDim(dim, "logSoftmax") { RowKernels.logSoftmax($0, $1, rows: $2, width: $3) }
        let d = try Shapes.normalize(dim: dim, rank: rank, operation: "logSoftmax")
        return Tensor.result(out, layout: layout, inputs: [self],
                             op: .logSoftmax(self, output: Tensor(storage: out, layout: layout), dim: d))
    }
}
