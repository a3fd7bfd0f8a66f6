/// Sum and max over a block of dimensions, seen as [outer, R, inner] over contiguous memory.
/// Each output element is reduced by one thread in a fixed order (deterministic).
enum Reduction {
    /// out[o, i] = Σ_r x[o, r, i].
    static func sum(_ x: UnsafePointer<Float>, outer: Int, reduced: Int, inner: Int,
                    into out: UnsafeMutablePointer<Float>) {
        if inner == 1 {
            Parallel.forRanges(outer, cost: reduced) { range in
                for o in range { out[o] = rowSum(x + o * reduced, reduced) }
            }
            return
        }
        Parallel.forRanges(outer, cost: reduced * inner) { range in
            for o in range {
                let dst = out + o * inner
                dst.initialize(repeating: 0, count: inner)
                for r in 0..<reduced {
                    let src = x + (o * reduced + r) * inner
                    for i in 0..<inner { dst[i] += src[i] }
                }
            }
        }
    }

    /// Σ x[0..<n] with eight interleaved partial sums (vectorisable, like PyTorch's CPU sum).
    @inline(__always)
    static func rowSum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>(repeating: 0)
        var j = 0
        while j + 8 <= n {
            acc += UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<Float>.self)
            j += 8
        }
        var total = acc.sum()
        while j < n { total += x[j]; j += 1 }
        return total
    }

    /// out[o, i] = max_r x[o, r, i] and where[o, i] = its first r.
    static func max(_ x: UnsafePointer<Float>, outer: Int, reduced: Int, inner: Int,
                    into out: UnsafeMutablePointer<Float>, positions: UnsafeMutablePointer<Int>) {
        Parallel.forRanges(outer, cost: reduced * inner) { range in
            for o in range {
                for i in 0..<inner {
                    let base = x + o * reduced * inner + i
                    var best = base[0]
                    var at = 0
                    var r = 1
                    // NaN wins and stops the scan, as torch.max propagates NaN.
                    while r < reduced && !best.isNaN {
                        let v = base[r * inner]
                        if v > best || v.isNaN { best = v; at = r }
                        r += 1
                    }
                    out[o * inner + i] = best
                    positions[o * inner + i] = at
                }
            }
        }
    }
}
