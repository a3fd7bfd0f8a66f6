import CBLAS
import GemmKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Matrix products reading strided operands in place: a matrix whose columns are adjacent is
/// passed as is, one whose rows are adjacent as transposed, with the leading dimension taken from
/// the other stride. Nothing is copied to transpose.
///
/// On CPUs with AVX-512 the products run on mtl's own kernels (`GemmKernels`: no packing,
/// 512-bit FMAs), split over the engine's threads; elsewhere, and for the one operand layout
/// those kernels do not cover (both operands transposed), on `cblas_sgemm`.
enum Gemm {
    /// Whether products use the AVX-512 kernels: the CPU has them and the environment does not
    /// say `MTL_GEMM=blas` (which keeps every product on the BLAS, for comparisons).
    static let usesAVX512: Bool = {
        if let choice = getenv("MTL_GEMM"), String(cString: choice) == "blas" { return false }
        return mtl_gemm_avx512_available() == 1
    }()

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
        multiplyUncounted(m: m, n: n, k: k, a: a, aAccess: aAccess, b: b, bAccess: bAccess, c: c, beta: beta,
                          threaded: true)
    }

    /// Multiply-adds per unit of `Parallel.forRanges` cost, as a shift (8). At 6, a sentence's
    /// 16×384·384 products stayed on one thread; at 3 they split, and MiniLM encode_bs1 went
    /// from ≈ 420 to ≈ 530 sentences/s on 2 threads.
    static let macsPerElementShift = 3

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
                                  b: b + bOffsets[i], bAccess: bAccess, c: c + i * m * n, beta: 0,
                                  threaded: work > smallWork)
            }
        }
        if work <= smallWork {
            Parallel.forRanges(count, cost: work, body)
        } else {
            body(0..<count)
        }
    }

    /// The product itself (no counting: safe to call from several threads at once). `threaded`:
    /// whether it may split itself over the engine's threads (not when its caller already has).
    private static func multiplyUncounted(m: Int, n: Int, k: Int,
                                          a: UnsafePointer<Float>, aAccess: (transposed: Bool, ld: Int),
                                          b: UnsafePointer<Float>, bAccess: (transposed: Bool, ld: Int),
                                          c: UnsafeMutablePointer<Float>, beta: Float, threaded: Bool) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            if beta == 0 { c.initialize(repeating: 0, count: m * n) }
            return
        }
        if usesAVX512 {
            if !aAccess.transposed && bAccess.transposed {
                // A·Bᵀ with both rows contiguous (a linear layer): dot products, columns split
                // over threads in groups of 4 (the kernel's block width).
                let groups = (n + 3) / 4
                let body = { (range: Range<Int>) in
                    mtl_gemm_nt_avx512(m, 4 * range.lowerBound, Swift.min(n, 4 * range.upperBound), k,
                                       a, aAccess.ld, b, bAccess.ld, c, n, beta)
                }
                overBlocks(groups, macsPerBlock: 4 * m * k, threaded: threaded, body)
                return
            }
            if !bAccess.transposed {
                // B's rows contiguous: A's elements broadcast against them; A read through its
                // strides either way round. Split over columns (64 wide) or, when there are too
                // few, over rows (6 high): the kernel's block sizes.
                let (ars, aps) = aAccess.transposed ? (1, aAccess.ld) : (aAccess.ld, 1)
                let columnBlocks = (n + 63) / 64, rowBlocks = (m + 5) / 6
                let threads = threaded ? Parallel.coreCount : 1
                if columnBlocks >= threads || columnBlocks >= rowBlocks {
                    let body = { (range: Range<Int>) in
                        mtl_gemm_nn_avx512(0, m, 64 * range.lowerBound, Swift.min(n, 64 * range.upperBound), k,
                                           a, ars, aps, b, bAccess.ld, c, n, beta)
                    }
                    overBlocks(columnBlocks, macsPerBlock: 64 * m * k, threaded: threaded, body)
                } else {
                    let body = { (range: Range<Int>) in
                        mtl_gemm_nn_avx512(6 * range.lowerBound, Swift.min(m, 6 * range.upperBound), 0, n, k,
                                           a, ars, aps, b, bAccess.ld, c, n, beta)
                    }
                    overBlocks(rowBlocks, macsPerBlock: 6 * n * k, threaded: threaded, body)
                }
                return
            }
        }
        cblas_sgemm(CblasRowMajor,
                    aAccess.transposed ? CblasTrans : CblasNoTrans,
                    bAccess.transposed ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), 1,
                    a, Int32(aAccess.ld), b, Int32(bAccess.ld), beta, c, Int32(n))
    }

    /// Runs `body` over `0..<count` blocks of a product, split over the engine's threads when
    /// `threaded` (and the work, `macsPerBlock` multiply-adds a block, is worth it).
    private static func overBlocks(_ count: Int, macsPerBlock: Int, threaded: Bool, _ body: (Range<Int>) -> Void) {
        if threaded {
            Parallel.forRanges(count, cost: macsPerBlock >> macsPerElementShift, body)
        } else {
            body(0..<count)
        }
    }
}
