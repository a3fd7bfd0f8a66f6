/// The AdamW element update on raw buffers, for `NN.AdamW` (which owns the formula and its
/// documentation). It lives here so it is compiled with the tensor kernels' flags: eight-lane
/// SIMD with hardware FMA in release builds on x86-64, where a scalar loop in NN cost ~3 ns
/// per parameter (a third of a MiniLM training step).
///
/// Two forms share one element routine (`updateRange`), so an element gets the same arithmetic
/// in the same order whichever form, thread or position updates it: `update` for a parameter
/// whose moments are dense, and `markTouchedRows` + `updateRows` for a table whose moments are
/// held only for the rows that ever had a gradient (`NN.RowMoments`).
public enum AdamWKernel {
    /// The per-step scalars of the update, computed by `NN.AdamW`.
    public struct Coefficients: Sendable {
        /// 1 − lr·λ, or 1 for no decay (θ·1 is θ exactly).
        public var decayFactor: Float
        /// 1 − β₁, the lerp weight of the first moment.
        public var lerpWeight: Float
        public var beta2: Float
        /// 1 − β₂.
        public var squareWeight: Float
        /// √(1 − β₂ᵗ).
        public var biasCorrection2Sqrt: Float
        public var eps: Float
        /// −lr / (1 − β₁ᵗ).
        public var negativeStepSize: Float

        public init(decayFactor: Float, lerpWeight: Float, beta2: Float, squareWeight: Float,
                    biasCorrection2Sqrt: Float, eps: Float, negativeStepSize: Float) {
            self.decayFactor = decayFactor
            self.lerpWeight = lerpWeight
            self.beta2 = beta2
            self.squareWeight = squareWeight
            self.biasCorrection2Sqrt = biasCorrection2Sqrt
            self.eps = eps
            self.negativeStepSize = negativeStepSize
        }
    }

    /// Marks a row in `markTouchedRows`'s slot table that has no slot yet.
    public static let unallocatedRow: Int32 = -1
    /// What `markTouchedRows` writes for an unallocated row whose gradient has a non-zero.
    public static let touchedRow: Int32 = -2

    /// For each i, in this order and in Float:
    /// `θ ← θ·decay; m ← fma(w, g − m, m); v ← v·β₂ + s·g·g; θ ← θ + k·m / (√v / c + ε)`.
    /// Split across the compute threads.
    public static func update(count: Int, theta: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>,
                              v: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, _ c: Coefficients) {
        Parallel.forRanges(count, cost: 16) { range in
            updateRange(range, theta: theta, m: m, v: v, g: g, c)
        }
    }

    /// The update of `update` on the rows of a table whose moments are held per allocated row:
    /// slot s (moments at `m + s·rowLength`, `v + s·rowLength`) belongs to row `rowOfSlot[s]`
    /// (θ and g at `row·rowLength`). Split across the compute threads by slots, each row a
    /// single-threaded call.
    public static func updateRows(slotCount: Int, rowLength: Int, rowOfSlot: UnsafePointer<Int32>,
                                  theta: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>,
                                  v: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, _ c: Coefficients) {
        Parallel.forRanges(slotCount, cost: 16 * rowLength) { slots in
            for slot in slots {
                let row = Int(rowOfSlot[slot]) * rowLength, moments = slot * rowLength
                updateRange(0 ..< rowLength, theta: theta + row, m: m + moments, v: v + moments, g: g + row, c)
            }
        }
    }

    /// For each row whose slot is `unallocatedRow`: when its gradient has any non-zero (NaN
    /// counts) the slot becomes `touchedRow`; otherwise θ ← θ·decay on that row, the whole of
    /// `update` there, since with m = v = g = 0 the update adds −0 (k·0 / ε). Allocated rows are
    /// left for `updateRows`. Split across the compute threads by rows. With `candidates`, only
    /// rows marked there are read from `g`; the caller guarantees the others are zero.
    public static func markTouchedRows(rowCount: Int, rowLength: Int, slotOfRow: UnsafeMutablePointer<Int32>,
                                       theta: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, decayFactor: Float,
                                       candidates: UnsafePointer<Bool>? = nil) {
        Parallel.forRanges(rowCount, cost: rowLength) { rows in
            for row in rows where slotOfRow[row] == unallocatedRow {
                let start = row * rowLength
                if candidates?[row] ?? true, hasNonZero(g + start, count: rowLength) {
                    slotOfRow[row] = touchedRow
                } else if decayFactor != 1 {
                    let t = theta + start
                    for i in 0 ..< rowLength { t[i] = t[i] * decayFactor }
                }
            }
        }
    }

    /// Whether any of `count` values is not zero (−0 is zero; NaN is not).
    static func hasNonZero(_ x: UnsafePointer<Float>, count: Int) -> Bool {
        typealias V = SIMD8<Float>
        var i = 0
        while i + 8 <= count {
            if any(UnsafeRawPointer(x + i).loadUnaligned(as: V.self) .!= 0) { return true }
            i += 8
        }
        while i < count {
            if x[i] != 0 { return true }
            i += 1
        }
        return false
    }

    /// The element update on one range, on the calling thread. Every element gets the same
    /// arithmetic whatever its position: the eight-lane body and the scalar tail agree.
    @inline(__always)
    static func updateRange(_ range: Range<Int>, theta: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>,
                            v: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, _ c: Coefficients) {
        typealias V = SIMD8<Float>
        let decayFactor = c.decayFactor, lerpWeight = c.lerpWeight, beta2 = c.beta2, squareWeight = c.squareWeight
        let biasCorrection2Sqrt = c.biasCorrection2Sqrt, eps = c.eps, negativeStepSize = c.negativeStepSize
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            let gi = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
            let m0 = UnsafeRawPointer(m + i).loadUnaligned(as: V.self)
            let v0 = UnsafeRawPointer(v + i).loadUnaligned(as: V.self)
            let t0 = UnsafeRawPointer(theta + i).loadUnaligned(as: V.self) * decayFactor
            let mi = m0.addingProduct(V(repeating: lerpWeight), gi - m0)
            let vi = v0 * beta2 + squareWeight * gi * gi
            let denom = vi.squareRoot() / biasCorrection2Sqrt + eps
            let ti = t0 + negativeStepSize * mi / denom
            UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
            UnsafeMutableRawPointer(theta + i).storeBytes(of: ti, as: V.self)
            i += 8
        }
        while i < range.upperBound {
            let gi = g[i], t0 = theta[i] * decayFactor
            let mi = m[i].addingProduct(lerpWeight, gi - m[i])
            let vi = v[i] * beta2 + squareWeight * gi * gi
            m[i] = mi
            v[i] = vi
            theta[i] = t0 + negativeStepSize * mi / (vi.squareRoot() / biasCorrection2Sqrt + eps)
            i += 1
        }
    }
}
