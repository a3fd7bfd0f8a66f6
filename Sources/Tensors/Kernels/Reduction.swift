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
        if outer >= Parallel.coreCount {
            Parallel.forRanges(outer, cost: reduced * inner) { range in
                for o in range { columnSum(x + o * reduced * inner, reduced: reduced, inner: inner, columns: 0..<inner, into: out + o * inner) }
            }
        } else {
            // Few outer blocks (a bias gradient: [rows, features] → [features]): split the columns.
            for o in 0..<outer {
                Parallel.forRanges(inner, cost: reduced) { columns in
                    columnSum(x + o * reduced * inner, reduced: reduced, inner: inner, columns: columns, into: out + o * inner)
                }
            }
        }
    }

    /// dst[i] = Σ_r src[r·inner + i] for i in `columns`, rows added in order.
    @inline(__always)
    static func columnSum(_ src: UnsafePointer<Float>, reduced: Int, inner: Int, columns: Range<Int>,
                          into dst: UnsafeMutablePointer<Float>) {
        for i in columns { dst[i] = 0 }
        for r in 0..<reduced {
            let row = src + r * inner
            for i in columns { dst[i] += row[i] }
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
