// MARK: - Concatenation along a dimension

extension Tensor {
    /// `parts` joined along `dim`; all other dims must agree (`torch.cat`).
    public static func concat(_ parts: [Tensor], dim: Int) throws -> Tensor {
        guard let first = parts.first else {
            throw TensorError.invalidArgument(operation: "concat", reason: "needs at least one tensor")
        }
        let d = try Shapes.normalize(dim: dim, rank: first.rank, operation: "concat")
        for p in parts {
            var expected = first.shape
            if p.rank == first.rank { expected[d] = p.shape[d] }
            guard p.shape == expected else {
                throw TensorError.shapeMismatch(operation: "concat along dim \(dim)",
                                                expected: "every part to match \(first.shape) except in dim \(dim)", got: p.shape)
            }
        }
        var outShape = first.shape
        outShape[d] = parts.reduce(0) { $0 + $1.shape[d] }
        let outer = first.shape[..<d].reduce(1, *)
        let inner = first.shape[(d + 1)...].reduce(1, *)
        let out = Storage(uninitializedCount: outShape.reduce(1, *))
        var start = 0
        for p in parts {
            let src = p.contiguousStorageView()
            Blocks.copy(src.basePointer, outer: outer, block: p.shape[d] * inner,
                        into: out.base + start * inner, stride: outShape[d] * inner)
            start += p.shape[d]
        }
        return Tensor.result(out, layout: Layout(contiguous: outShape), inputs: parts, op: .concat(parts, dim: d))
    }
}

/// Copies of equally spaced blocks, shared by concat and the narrow backward.
enum Blocks {
    /// Block o of `block` floats at src + o·block goes to dst + o·stride, for o in 0..<outer.
    static func copy(_ src: UnsafePointer<Float>, outer: Int, block: Int,
                     into dst: UnsafeMutablePointer<Float>, stride: Int) {
        Parallel.forRanges(outer, cost: block) { range in
            for o in range { (dst + o * stride).update(from: src + o * block, count: block) }
        }
    }
}
