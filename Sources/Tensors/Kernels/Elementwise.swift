/// Element-wise kernels over strided inputs into a fresh contiguous output (ggml's shape: a
/// contiguous fast path, a per-row strided fallback, rows split across cores).
enum Elementwise {
    /// Merges adjacent dimensions that every operand walks as one run; drops size-1 dims.
    /// Returns the reduced shape and, per operand, its strides for that shape.
    static func coalesce(_ shape: [Int], _ strides: [[Int]]) -> ([Int], [[Int]]) {
        var outShape: [Int] = []
        var outStrides = [[Int]](repeating: [], count: strides.count)
        for d in 0..<shape.count where shape[d] != 1 {
            if let last = outShape.last,
               strides.indices.allSatisfy({ strides[$0][d] * shape[d] == outStrides[$0].last }) {
                outShape[outShape.count - 1] = last * shape[d]
                for k in strides.indices { outStrides[k][outStrides[k].count - 1] = strides[k][d] }
            } else {
                outShape.append(shape[d])
                for k in strides.indices { outStrides[k].append(strides[k][d]) }
            }
        }
        if outShape.isEmpty {
            return ([1], strides.map { _ in [1] })
        }
        return (outShape, outStrides)
    }

    /// out[i] = f(a[i]) for every logical index of `shape`.
    static func unary<F: UnaryFunction>(shape: [Int], a: UnsafePointer<Float>, aStrides: [Int],
                                        out: UnsafeMutablePointer<Float>, _ f: F) {
        if shape.contains(0) { return }
        let (dims, s) = coalesce(shape, [aStrides])
        let sa = s[0]
        let inner = dims[dims.count - 1]
        let ia = sa[sa.count - 1]
        let count = dims.reduce(1, *)
        if dims.count == 1 {
            Parallel.forRanges(count) { range in
                if ia == 1 {
                    contiguous(a + range.lowerBound, out + range.lowerBound, range.count, f)
                } else {
                    for i in range { out[i] = f(a[i * ia]) }
                }
            }
            return
        }
        let rows = count / inner
        Parallel.forRanges(rows, cost: inner) { range in
            for row in range {
                var rest = row
                var offA = 0
                for d in stride(from: dims.count - 2, through: 0, by: -1) {
                    let i = rest % dims[d]
                    rest /= dims[d]
                    offA += i * sa[d]
                }
                let o = out + row * inner
                let pa = a + offA
                if ia == 1 {
                    contiguous(pa, o, inner, f)
                } else {
                    for j in 0..<inner { o[j] = f(pa[j * ia]) }
                }
            }
        }
    }

    /// out[i] = f(a[i], b[i]) for every logical index of `shape` (strides already broadcast).
    static func binary<F: BinaryFunction>(shape: [Int], a: UnsafePointer<Float>, aStrides: [Int],
                                          b: UnsafePointer<Float>, bStrides: [Int],
                                          out: UnsafeMutablePointer<Float>, _ f: F) {
        if shape.contains(0) { return }
        let (dims, s) = coalesce(shape, [aStrides, bStrides])
        let sa = s[0], sb = s[1]
        let inner = dims[dims.count - 1]
        let ia = sa[sa.count - 1], ib = sb[sb.count - 1]
        let count = dims.reduce(1, *)
        if dims.count == 1 {
            Parallel.forRanges(count) { range in
                if ia == 1 && ib == 1 {
                    contiguous(a + range.lowerBound, b + range.lowerBound, out + range.lowerBound, range.count, f)
                } else {
                    for i in range { out[i] = f(a[i * ia], b[i * ib]) }
                }
            }
            return
        }
        let rows = count / inner
        Parallel.forRanges(rows, cost: inner) { range in
            for row in range {
                var rest = row
                var offA = 0, offB = 0
                for d in stride(from: dims.count - 2, through: 0, by: -1) {
                    let i = rest % dims[d]
                    rest /= dims[d]
                    offA += i * sa[d]
                    offB += i * sb[d]
                }
                let o = out + row * inner
                let pa = a + offA, pb = b + offB
                if ia == 1 && ib == 1 {
                    contiguous(pa, pb, o, inner, f)
                } else if ia == 1 && ib == 0 {
                    let vb = pb[0]
                    for j in 0..<inner { o[j] = f(pa[j], vb) }
                } else if ia == 0 && ib == 1 {
                    let va = pa[0]
                    for j in 0..<inner { o[j] = f(va, pb[j]) }
                } else {
                    for j in 0..<inner { o[j] = f(pa[j * ia], pb[j * ib]) }
                }
            }
        }
    }

    /// out[0..<n] = f(a[0..<n]) on contiguous runs, eight lanes at a time when f has a vector form.
    @inline(__always)
    static func contiguous<F: UnaryFunction>(_ a: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                             _ n: Int, _ f: F) {
        var i = 0
        if F.hasVectorForm {
            while i + 8 <= n {
                let y = f.vector(UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self))
                UnsafeMutableRawPointer(out + i).storeBytes(of: y, as: SIMD8<Float>.self)
                i += 8
            }
        }
        while i < n { out[i] = f(a[i]); i += 1 }
    }

    @inline(__always)
    static func contiguous<F: BinaryFunction>(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                              _ out: UnsafeMutablePointer<Float>, _ n: Int, _ f: F) {
        var i = 0
        if F.hasVectorForm {
            while i + 8 <= n {
                let y = f.vector(UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self),
                                 UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self))
                UnsafeMutableRawPointer(out + i).storeBytes(of: y, as: SIMD8<Float>.self)
                i += 8
            }
        }
        while i < n { out[i] = f(a[i], b[i]); i += 1 }
    }
}
