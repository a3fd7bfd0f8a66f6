// MARK: - Views: new layouts over the same storage (no copy unless stated)

extension Tensor {
    func view(_ layout: Layout, op: @autoclosure () -> Op) -> Tensor {
        Tensor.result(storage, layout: layout, inputs: [self], op: op())
    }

    /// The same elements in row-major order with a new shape; one entry may be -1 (inferred).
    /// A view when this tensor is contiguous, otherwise a contiguous copy first.
    public func reshape(_ newShape: [Int]) throws -> Tensor {
        var resolved = newShape
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        guard inferred.count <= 1, newShape.allSatisfy({ $0 >= -1 }) else {
            throw TensorError.invalidArgument(operation: "reshape", reason: "shape \(newShape) may hold at most one -1 and no other negative size")
        }
        let knownSizes = newShape.filter { $0 != -1 }
        try Tensor.validate(knownSizes, operation: "reshape")
        let known = knownSizes.reduce(1, *)
        if let i = inferred.first {
            guard known > 0, elementCount % known == 0 else {
                throw TensorError.shapeMismatch(operation: "reshape", expected: "a shape whose known sizes divide \(elementCount)", got: newShape)
            }
            resolved[i] = elementCount / known
        }
        try Tensor.validate(resolved, operation: "reshape")
        guard resolved.reduce(1, *) == elementCount else {
            throw TensorError.shapeMismatch(operation: "reshape", expected: "a shape holding \(elementCount) elements (from \(shape))", got: newShape)
        }
        if resolved == shape { return self }
        let source = contiguous()
        return source.view(Layout(contiguous: resolved, offset: source.layout.offset), op: .reshape(source))
    }

    /// Dimensions reordered: result dim i is this tensor's dim `dims[i]`.
    public func permute(_ dims: [Int]) throws -> Tensor {
        let normalized = try dims.map { try Shapes.normalize(dim: $0, rank: rank, operation: "permute") }
        guard normalized.count == rank, Set(normalized).count == rank else {
            throw TensorError.invalidArgument(operation: "permute", reason: "\(dims) is not a permutation of the \(rank) dimensions")
        }
        if normalized == Array(0..<rank) { return self }
        let layout = Layout(shape: normalized.map { shape[$0] }, strides: normalized.map { strides[$0] },
                            offset: layout.offset)
        return view(layout, op: .permute(self, dims: normalized))
    }

    /// Dimensions `dim0` and `dim1` swapped.
    public func transpose(_ dim0: Int, _ dim1: Int) throws -> Tensor {
        let a = try Shapes.normalize(dim: dim0, rank: rank, operation: "transpose")
        let b = try Shapes.normalize(dim: dim1, rank: rank, operation: "transpose")
        var dims = Array(0..<rank)
        dims.swapAt(a, b)
        return try permute(dims)
    }

    /// The `length` elements of dimension `dim` starting at `start`.
    public func narrow(dim: Int, start: Int, length: Int) throws -> Tensor {
        let d = try Shapes.normalize(dim: dim, rank: rank, operation: "narrow")
        guard start >= 0, length >= 0, start + length <= shape[d] else {
            throw TensorError.indexOutOfRange(operation: "narrow(dim: \(dim), start: \(start), length: \(length))",
                                              index: start + length, size: shape[d])
        }
        if start == 0 && length == shape[d] { return self }
        var newShape = shape
        newShape[d] = length
        let layout = Layout(shape: newShape, strides: strides, offset: layout.offset + start * strides[d])
        return view(layout, op: .narrow(self, dim: d, start: start))
    }

    /// Index `index` of dimension `dim`, that dimension removed.
    public func select(dim: Int, index: Int) throws -> Tensor {
        let d = try Shapes.normalize(dim: dim, rank: rank, operation: "select")
        return try narrow(dim: d, start: index, length: 1).squeeze(d)
    }

    /// Size-1 dimensions repeated to `newShape` without copying (stride 0); -1 keeps a size.
    /// New leading dimensions may be added, as in `torch.Tensor.expand`.
    public func expand(_ newShape: [Int]) throws -> Tensor {
        guard newShape.count >= rank else {
            throw TensorError.shapeMismatch(operation: "expand", expected: "at least \(rank) dimensions", got: newShape)
        }
        let lead = newShape.count - rank
        var resolved = newShape
        var newStrides = [Int](repeating: 0, count: newShape.count)
        for i in 0..<newShape.count {
            if i < lead {
                guard newShape[i] >= 0 else {
                    throw TensorError.shapeMismatch(operation: "expand", expected: "non-negative new leading sizes", got: newShape)
                }
                continue
            }
            let old = shape[i - lead]
            if newShape[i] == -1 || newShape[i] == old {
                resolved[i] = old
                newStrides[i] = strides[i - lead]
            } else if old == 1 && newShape[i] >= 0 {
                newStrides[i] = 0
            } else {
                throw TensorError.broadcastMismatch(operation: "expand", lhs: shape, rhs: newShape)
            }
        }
        try Tensor.validate(resolved, operation: "expand")
        if resolved == shape { return self }
        return view(Layout(shape: resolved, strides: newStrides, offset: layout.offset), op: .expand(self))
    }

    /// A new size-1 dimension inserted at `dim` (which may equal the rank).
    public func unsqueeze(_ dim: Int) throws -> Tensor {
        let d = try Shapes.normalize(dim: dim, rank: rank + 1, operation: "unsqueeze")
        var newShape = shape, newStrides = strides
        newShape.insert(1, at: d)
        newStrides.insert(d < rank ? strides[d] * shape[d] : 1, at: d)
        return view(Layout(shape: newShape, strides: newStrides, offset: layout.offset), op: .reshape(self))
    }

    /// Dimension `dim` removed; it must have size 1.
    public func squeeze(_ dim: Int) throws -> Tensor {
        let d = try Shapes.normalize(dim: dim, rank: rank, operation: "squeeze")
        guard shape[d] == 1 else {
            throw TensorError.shapeMismatch(operation: "squeeze(\(dim))", expected: "size 1 in dimension \(dim)", got: shape)
        }
        var newShape = shape, newStrides = strides
        newShape.remove(at: d)
        newStrides.remove(at: d)
        return view(Layout(shape: newShape, strides: newStrides, offset: layout.offset), op: .reshape(self))
    }

    /// This tensor when already contiguous, else a row-major copy (recorded as a copy).
    public func contiguous() -> Tensor {
        if isContiguous { return self }
        let out = Storage(uninitializedCount: elementCount)
        Elementwise.unary(shape: shape, a: basePointer, aStrides: strides, out: out.base, Scalar.Identity())
        return Tensor.result(out, shape: shape, inputs: self, op: .copy(self))
    }
}
