import CBLAS

/// Matrix products through `cblas_sgemm`, reading strided operands in place: a matrix whose
/// columns are adjacent is passed as is, one whose rows are adjacent as transposed, with the
/// leading dimension taken from the other stride. Nothing is copied to transpose.
enum Gemm {
    /// How sgemm should read a rows×cols matrix with the given strides, or nil when it cannot.
    static func access(rows: Int, cols: Int, rowStride: Int, colStride: Int) -> (transposed: Bool, ld: Int)? {
        if colStride == 1 || cols == 1 {
            let ld = rows == 1 ? Swift.max(cols, 1) : rowStride
            if ld >= Swift.max(cols, 1) { return (false, ld) }
        }
        if rowStride == 1 || rows == 1 {
            let ld = cols == 1 ? Swift.max(rows, 1) : colStride
            if ld >= Swift.max(rows, 1) { return (true, ld) }
        }
        return nil
    }

    #if DEBUG
    /// sgemm calls so far, for tests that check work is skipped (debug builds only). Tests run
    /// serially and sgemm is only called from the thread running the op, hence the unsafe.
    nonisolated(unsafe) static var callCount = 0
    #endif

    /// C[m×n] (row-major, leading dim n) = A[m×k] · B[k×n] + beta · C.
    static func multiply(m: Int, n: Int, k: Int,
                         a: UnsafePointer<Float>, aAccess: (transposed: Bool, ld: Int),
                         b: UnsafePointer<Float>, bAccess: (transposed: Bool, ld: Int),
                         c: UnsafeMutablePointer<Float>, beta: Float) {
        #if DEBUG
        callCount += 1
        #endif
        multiplyUncounted(m: m, n: n, k: k, a: a, aAccess: aAccess, b: b, bAccess: bAccess, c: c, beta: beta)
    }

    /// Products this small run on the calling thread inside OpenBLAS (its own threading starts
    /// above m·n·k = 4·65536), so a batch of them is spread over the engine's threads instead.
    static let smallWork = 1 << 16

    /// `multiply` for each of `count` items, item i reading A at `a + aOffsets[i]`, B at
    /// `b + bOffsets[i]` and writing C at `c + i·m·n`. Small products are split across the
    /// compute threads (each item is one sgemm on one thread, so results do not depend on
    /// the thread count); large ones run in order, OpenBLAS threading each.
    static func multiplyBatch(count: Int, m: Int, n: Int, k: Int,
                              a: UnsafePointer<Float>, aOffsets: [Int], aAccess: (transposed: Bool, ld: Int),
                              b: UnsafePointer<Float>, bOffsets: [Int], bAccess: (transposed: Bool, ld: Int),
                              c: UnsafeMutablePointer<Float>) {
        #if DEBUG
        callCount += count
        #endif
        let work = m * n * Swift.max(k, 1)
        let body = { (items: Range<Int>) in
            for i in items {
                multiplyUncounted(m: m, n: n, k: k, a: a + aOffsets[i], aAccess: aAccess,
                                  b: b + bOffsets[i], bAccess: bAccess, c: c + i * m * n, beta: 0)
            }
        }
        if work <= smallWork {
            Parallel.forRanges(count, cost: work, body)
        } else {
            body(0..<count)
        }
    }

    /// The sgemm call itself (no counting: safe to call from several threads at once).
    private static func multiplyUncounted(m: Int, n: Int, k: Int,
                                          a: UnsafePointer<Float>, aAccess: (transposed: Bool, ld: Int),
                                          b: UnsafePointer<Float>, bAccess: (transposed: Bool, ld: Int),
                                          c: UnsafeMutablePointer<Float>, beta: Float) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            if beta == 0 { c.initialize(repeating: 0, count: m * n) }
            return
        }
        cblas_sgemm(CblasRowMajor,
                    aAccess.transposed ? CblasTrans : CblasNoTrans,
                    bAccess.transposed ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), 1,
                    a, Int32(aAccess.ld), b, Int32(bAccess.ld), beta, c, Int32(n))
    }
}
