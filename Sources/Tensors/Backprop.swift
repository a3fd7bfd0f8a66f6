#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Reverse-mode autograd (candle's `backprop.rs`)

extension Tensor {
    /// Gradients of this single-element tensor with respect to every leaf that requires grad.
    ///
    /// Walks the recorded graph in reverse topological order, one `switch` case per op, only
    /// into inputs that require grad (frozen parameters and constants are never visited).
    /// Gradients of a tensor used several times are summed. Runs without recording.
    /// - Throws: `TensorError.invalidBackward` unless this is a one-element tensor that requires grad.
    public func backward() throws -> GradientStore {
        guard elementCount == 1 else {
            throw TensorError.invalidBackward(reason: "the loss must hold a single value, got shape \(shape); reduce it with sum() or mean() first")
        }
        return try backward(seed: Tensor.filled(shape, 1))
    }

    /// Backward from a tensor of any shape, starting with gradient `seed` (its shape must match).
    public func backward(seed: Tensor) throws -> GradientStore {
        guard requiresGrad else {
            throw TensorError.invalidBackward(reason: "this tensor does not depend on anything that requires grad (are all parameters frozen, or was it computed in withoutGrad?)")
        }
        guard seed.shape == shape else {
            throw TensorError.shapeMismatch(operation: "backward seed", expected: "shape \(shape)", got: seed.shape)
        }
        return try withoutGrad {
            var pending = GradientStore()
            var result = GradientStore()
            pending.accumulate(seed, for: self)
            for node in topologicalOrder().reversed() {
                guard let g = pending.remove(node) else { continue }
                guard let op = node.op else {
                    try result.set(g, for: node)
                    continue
                }
                for (input, gradient) in try Tensor.inputGradients(op, output: node, gradient: g) where input.requiresGrad {
                    pending.accumulate(gradient, for: input)
                }
            }
            return result
        }
    }

    /// Nodes requiring grad reachable from this one, each after all of its inputs.
    func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        // Iterative depth-first search: (node, inputs already pushed).
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded { order.append(node); continue }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for input in node.op?.inputs ?? [] where input.requiresGrad && !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }

    /// `gradient` (shaped like a broadcast result) summed down to `target` shape.
    func sumTo(_ target: [Int]) throws -> Tensor {
        if shape == target { return self }
        let lead = rank - target.count
        var dims = Array(0..<lead)
        for i in 0..<target.count where target[i] == 1 && shape[lead + i] != 1 { dims.append(lead + i) }
        return try sum(dims: dims, keepDim: true).reshape(target)
    }

    /// The gradient of each input of `op`, given the gradient `g` of its `output`.
    static func inputGradients(_ op: Op, output: Tensor, gradient g: Tensor) throws -> [(Tensor, Tensor)] {
        switch op {
        case let .add(a, b):
            return try needed(a, { try g.sumTo(a.shape) }) + needed(b, { try g.sumTo(b.shape) })
        case let .sub(a, b):
            return try needed(a, { try g.sumTo(a.shape) }) + needed(b, { try g.neg().sumTo(b.shape) })
        case let .mul(a, b):
            return try needed(a, { try (g * b.detached()).sumTo(a.shape) })
                + needed(b, { try (g * a.detached()).sumTo(b.shape) })
        case let .div(a, b):
            // d(a/b)/da = 1/b, d(a/b)/db = −a/b²
            let bd = b.detached()
            return try needed(a, { try (g / bd).sumTo(a.shape) })
                + needed(b, { try (g * a.detached() / (bd * bd)).neg().sumTo(b.shape) })
        case let .affine(x, scale, _):
            return [(x, g * scale)]
        case let .exp(x, y):
            return [(x, try g * y)]
        case let .log(x):
            return [(x, try g / x.detached())]
        case let .sqrt(x, y):
            return [(x, try g / (y * 2))]
        case let .pow(x, e):
            return [(x, try g * (x.detached().pow(e - 1) * e))]
        case let .tanh(x, y):
            return [(x, try g * (1 - y * y))]
        case let .relu(x):
            // (`op` is never recorded here: backward runs without grad.)
            return [(x, try g.zipped(x, "relu backward", op: Op.mul, Scalar.ReluBackward()))]
        case let .gelu(x):
            return [(x, try g.zipped(x, "gelu backward", op: Op.mul, Scalar.GeluBackward()))]
        case let .clamp(x, low, high):
            return [(x, try g.zipped(x, "clamp backward", op: Op.mul, Scalar.ClampBackward(low: low, high: high)))]
        case let .sigmoid(x, y):
            return [(x, try g * (y * (1 - y)))]
        case let .softmax(x, y, dim):
            // dx = y · (g − Σ_dim g·y)
            let s = try (g * y).sum(dims: [dim], keepDim: true)
            return [(x, try y * (g - s))]
        case let .logSoftmax(x, y, dim):
            // dx = g − exp(y) · Σ_dim g
            let s = try g.sum(dims: [dim], keepDim: true)
            return [(x, try g - y.exp() * s)]
        case let .sum(x, dims):
            return [(x, try g.reshape(x.reducedShape(dims, keepDim: true)).expand(x.shape))]
        case let .mean(x, dims):
            let count = dims.map { x.shape[$0] }.reduce(1, *)
            return [(x, try (g * (1 / Float(count))).reshape(x.reducedShape(dims, keepDim: true)).expand(x.shape))]
        case let .max(x, positions):
            let out = Storage(repeating: 0, count: x.elementCount)
            let gc = g.contiguousStorageView()
            for (i, p) in positions.enumerated() { out.base[p] += gc.basePointer[i] }
            return [(x, Tensor(storage: out, layout: Layout(contiguous: x.shape)))]
        case let .matmul(a, b):
            return try matmulGradients(a, b, g)
        case let .linear(x, w, bias):
            // y = x·Wᵀ + b over rows: dx = g·W, dW = gᵀ·x, db = Σ_rows g (sgemm on views).
            let outFeatures = w.shape[0], inFeatures = w.shape[1]
            let g2 = try g.reshape([-1, outFeatures])
            return try needed(x, { try g2.matmul(w.detached()).reshape(x.shape) })
                + needed(w, { try g2.transpose(0, 1).matmul(x.detached().reshape([-1, inFeatures])) })
                + (bias.map { b in try needed(b, { try g2.sum(dims: [0]) }) } ?? [])
        case let .embedding(w, ids):
            // Written only in the rows of the ids (recorded: see Tensor.nonZeroRowsHint).
            let width = w.shape[1]
            let rows = Set(ids.values).sorted().map { Int32($0) }
            let out = Storage.zeroed(count: w.elementCount, rowLength: width, writtenRows: rows)
            let gc = g.contiguousStorageView()
            for (i, id) in ids.values.enumerated() {
                let dst = out.base + id * width, src = gc.basePointer + i * width
                for j in 0..<width { dst[j] += src[j] }
            }
            return [(w, Tensor(storage: out, layout: Layout(contiguous: w.shape)))]
        case let .gather(x, indices):
            let width = x.shape[x.rank - 1], picks = indices.shape[indices.shape.count - 1]
            let out = Storage(repeating: 0, count: x.elementCount)
            let gc = g.contiguousStorageView()
            for (i, index) in indices.values.enumerated() {
                out.base[(i / picks) * width + index] += gc.basePointer[i]
            }
            return [(x, Tensor(storage: out, layout: Layout(contiguous: x.shape)))]
        case let .concat(parts, dim):
            var start = 0
            var grads: [(Tensor, Tensor)] = []
            for p in parts {
                let begin = start
                grads += try needed(p, { try g.narrow(dim: dim, start: begin, length: p.shape[dim]) })
                start += p.shape[dim]
            }
            return grads
        case let .maskedFill(x, mask):
            return [(x, try g.maskedFill(mask: mask, value: 0))]
        case let .layerNorm(x, w, b, mean, rstd):
            return layerNormGradients(x, w, b, mean, rstd, g)
        case let .dropout(x, mask):
            return [(x, try g * mask)]
        case let .reshape(x):
            return [(x, try g.reshape(x.shape))]
        case let .permute(x, dims):
            var inverse = [Int](repeating: 0, count: dims.count)
            for (i, d) in dims.enumerated() { inverse[d] = i }
            return [(x, try g.permute(inverse))]
        case let .narrow(x, dim, start):
            let out = Storage(repeating: 0, count: x.elementCount)
            let inner = x.shape[(dim + 1)...].reduce(1, *)
            let gc = g.contiguousStorageView()
            Blocks.copy(gc.basePointer, outer: x.shape[..<dim].reduce(1, *), block: g.shape[dim] * inner,
                        into: out.base + start * inner, stride: x.shape[dim] * inner)
            return [(x, Tensor(storage: out, layout: Layout(contiguous: x.shape)))]
        case let .expand(x):
            return [(x, try g.sumTo(x.shape))]
        case let .copy(x):
            return [(x, g)]
        }
    }

    /// [(input, gradient)] when `input` requires grad, else [] without computing anything
    /// (a frozen weight or a constant input costs no gradient work).
    static func needed(_ input: Tensor, _ gradient: () throws -> Tensor) rethrows -> [(Tensor, Tensor)] {
        input.requiresGrad ? [(input, try gradient())] : []
    }

    /// C = A·B: dA = g·Bᵀ, dB = Aᵀ·g (transposes are views; sgemm reads them with flags),
    /// summed over broadcast batch dims. A batch-free B takes one sgemm over stacked rows.
    static func matmulGradients(_ a: Tensor, _ b: Tensor, _ g: Tensor) throws -> [(Tensor, Tensor)] {
        let ad = a.detached(), bd = b.detached()
        var grads: [(Tensor, Tensor)] = []
        if a.requiresGrad {
            grads.append((a, try g.matmul(bd.transpose(-1, -2)).sumTo(a.shape)))
        }
        if b.requiresGrad {
            if b.rank == 2 && a.rank > 2 {
                let k = a.shape[a.rank - 1], n = b.shape[1]
                let a2 = try ad.reshape([-1, k]), g2 = try g.reshape([-1, n])
                grads.append((b, try a2.transpose(0, 1).matmul(g2)))
            } else {
                grads.append((b, try ad.transpose(-1, -2).matmul(g).sumTo(b.shape)))
            }
        }
        return grads
    }

    static func layerNormGradients(_ x: Tensor, _ w: Tensor?, _ b: Tensor?, _ mean: Tensor, _ rstd: Tensor,
                                   _ g: Tensor) -> [(Tensor, Tensor)] {
        let width = x.shape[x.rank - 1]
        let rows = mean.elementCount
        let xc = x.contiguousStorageView(), gc = g.contiguousStorageView()
        let wc = w?.contiguousStorageView()
        let dx = x.requiresGrad ? Storage(uninitializedCount: x.elementCount) : nil
        let dw = (w?.requiresGrad ?? false) ? Storage(uninitializedCount: width) : nil
        let db = (b?.requiresGrad ?? false) ? Storage(uninitializedCount: width) : nil
        RowKernels.layerNormBackward(x: xc.basePointer, g: gc.basePointer, rows: rows, width: width,
                                     weight: wc.map { UnsafePointer($0.basePointer) },
                                     mean: mean.basePointer, rstd: rstd.basePointer,
                                     dx: dx?.base, dWeight: dw?.base, dBias: db?.base)
        var grads: [(Tensor, Tensor)] = []
        if let dx { grads.append((x, Tensor(storage: dx, layout: Layout(contiguous: x.shape)))) }
        if let dw, let w { grads.append((w, Tensor(storage: dw, layout: Layout(contiguous: [width])))) }
        if let db, let b { grads.append((b, Tensor(storage: db, layout: Layout(contiguous: [width])))) }
        return grads
    }
}
