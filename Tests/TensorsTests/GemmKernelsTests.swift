import GemmKernels
import Tensors
import XCTest

/// The AVX-512 product kernels against a double-precision reference, on edge shapes (rows and
/// columns that are not multiples of the block sizes, reductions that are not multiples of 16,
/// padded leading dimensions), and the property the threading relies on: an element's value
/// does not depend on which rectangle computed it.
final class GemmKernelsTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(mtl_gemm_avx512_available() == 1, "this CPU has no AVX-512F: the kernels are not used here")
    }

    /// Random values in [-1, 1).
    private func randomMatrix(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in generator.nextFloat(in: -1, 1) }
    }

    /// Checks `got` against Σ a·b computed in Double, within float rounding of the sum's terms.
    private func assertProduct(_ got: [Float], rows: Int, cols: Int, ldc: Int, k: Int,
                               a: (Int, Int) -> Float, b: (Int, Int) -> Float,
                               beta: Float = 0, initial: [Float]? = nil, _ label: String) {
        for i in 0..<rows {
            for j in 0..<cols {
                var sum = 0.0, magnitude = 0.0
                for p in 0..<k {
                    let term = Double(a(i, p)) * Double(b(p, j))
                    sum += term
                    magnitude += abs(term)
                }
                if let initial { sum += Double(beta) * Double(initial[i * ldc + j]); magnitude += abs(Double(beta) * Double(initial[i * ldc + j])) }
                let tolerance = 1e-6 * (magnitude + 1)
                let value = Double(got[i * ldc + j])
                if abs(value - sum) > tolerance {
                    XCTFail("\(label): C[\(i)][\(j)] = \(value), expected \(sum) ± \(tolerance)")
                    return
                }
            }
        }
    }

    func testDotProductKernelMatchesReferenceOnEdgeShapes() {
        var g = SeededGenerator(seed: 21)
        for m in [1, 3, 4, 5, 17] {
            for n in [1, 3, 4, 6, 13] {
                for k in [1, 7, 16, 17, 33, 100] {
                    let lda = k + 3, ldb = k + 5, ldc = n + 2
                    let a = randomMatrix(m * lda, &g), b = randomMatrix(n * ldb, &g)
                    for beta: Float in [0, 1, 0.5] {
                        let initial = randomMatrix(m * ldc, &g)
                        var c = initial
                        mtl_gemm_nt_avx512(m, 0, n, k, a, lda, b, ldb, &c, ldc, beta)
                        assertProduct(c, rows: m, cols: n, ldc: ldc, k: k, a: { a[$0 * lda + $1] }, b: { b[$1 * ldb + $0] },
                                      beta: beta, initial: beta == 0 ? nil : initial, "A·Bᵀ \(m)×\(n)×\(k) beta \(beta)")
                        // Padding columns of C are never written.
                        for i in 0..<m { for j in n..<ldc { XCTAssertEqual(c[i * ldc + j], initial[i * ldc + j]) } }
                    }
                }
            }
        }
    }

    /// Reductions over 1024 run in chunks (GemmKernels.c): their sums must add up to the product.
    func testDotProductKernelMatchesReferenceWithChunkedReductions() {
        var g = SeededGenerator(seed: 25)
        for (m, n, k) in [(5, 6, 1025), (17, 13, 2000), (4, 4, 3072), (130, 5, 1100)] {
            let lda = k + 1, ldb = k + 7, ldc = n
            let a = randomMatrix(m * lda, &g), b = randomMatrix(n * ldb, &g)
            for beta: Float in [0, 1] {
                let initial = randomMatrix(m * ldc, &g)
                var c = initial
                mtl_gemm_nt_avx512(m, 0, n, k, a, lda, b, ldb, &c, ldc, beta)
                assertProduct(c, rows: m, cols: n, ldc: ldc, k: k, a: { a[$0 * lda + $1] }, b: { b[$1 * ldb + $0] },
                              beta: beta, initial: beta == 0 ? nil : initial, "A·Bᵀ \(m)×\(n)×\(k) beta \(beta)")
            }
        }
    }

    /// Checks `mtl_gemm_nn_avx512` on one shape, with A stored either way round (padded by
    /// `padding` in its leading dimension, as C and B are) and each beta, against the reference;
    /// C's padding column must stay untouched.
    private func checkBroadcastKernel(m: Int, n: Int, k: Int, padding: Int, betas: [Float], _ g: inout SeededGenerator) {
        let ldb = n + padding, ldc = n + 1
        let b = randomMatrix(k * ldb, &g)
        for transposed in [false, true] {
            let ld = (transposed ? m : k) + padding
            let stored = randomMatrix((transposed ? k : m) * ld, &g)
            let (ars, aps) = transposed ? (1, ld) : (ld, 1)
            for beta in betas {
                let initial = randomMatrix(m * ldc, &g)
                var c = initial
                mtl_gemm_nn_avx512(0, m, 0, n, k, stored, ars, aps, b, ldb, &c, ldc, beta)
                assertProduct(c, rows: m, cols: n, ldc: ldc, k: k, a: { stored[$0 * ars + $1 * aps] }, b: { b[$0 * ldb + $1] },
                              beta: beta, initial: beta == 0 ? nil : initial,
                              "A\(transposed ? "ᵀ" : "")·B \(m)×\(n)×\(k) beta \(beta)")
                for i in 0..<m { XCTAssertEqual(c[i * ldc + n], initial[i * ldc + n], "padding column written") }
            }
        }
    }

    func testBroadcastKernelMatchesReferenceForBothLayoutsOfA() {
        var g = SeededGenerator(seed: 22)
        for m in [1, 5, 6, 7, 13] {
            for n in [1, 15, 16, 17, 64, 65, 130] {
                for k in [1, 2, 9, 40] { checkBroadcastKernel(m: m, n: n, k: k, padding: 2, betas: [0, 1], &g) }
            }
        }
    }

    /// A·B reductions over 1536 run in chunks added to C (GemmKernels.c), with beta on the first.
    func testBroadcastKernelMatchesReferenceWithChunkedReductions() {
        var g = SeededGenerator(seed: 26)
        for (m, n, k) in [(7, 70, 1537), (3, 17, 3100)] { checkBroadcastKernel(m: m, n: n, k: k, padding: 1, betas: [0, 0.5], &g) }
    }

    /// Threads split products into column (or row) ranges; a row of a batch must come out the
    /// same as that row alone. Both hold bit for bit.
    func testElementsDoNotDependOnHowTheProductIsSplit() {
        var g = SeededGenerator(seed: 23)
        let m = 11, n = 150, k = 77
        let a = randomMatrix(m * k, &g), b = randomMatrix(n * k, &g), bRows = randomMatrix(k * n, &g)

        var whole = [Float](repeating: 0, count: m * n)
        mtl_gemm_nt_avx512(m, 0, n, k, a, k, b, k, &whole, n, 0)
        var pieces = [Float](repeating: 0, count: m * n)
        for (j0, j1) in [(0, 8), (8, 60), (60, 148), (148, 150)] {
            mtl_gemm_nt_avx512(m, j0, j1, k, a, k, b, k, &pieces, n, 0)
        }
        XCTAssertEqual(whole, pieces, "A·Bᵀ split into column ranges")
        for i in [0, 5, 10] {
            var alone = [Float](repeating: 0, count: n)
            a.withUnsafeBufferPointer { mtl_gemm_nt_avx512(1, 0, n, k, $0.baseAddress! + i * k, k, b, k, &alone, n, 0) }
            XCTAssertEqual(alone, Array(whole[(i * n)..<((i + 1) * n)]), "row \(i) alone vs in the batch")
        }

        var wholeNN = [Float](repeating: 0, count: m * n)
        mtl_gemm_nn_avx512(0, m, 0, n, k, a, k, 1, bRows, n, &wholeNN, n, 0)
        var byColumns = [Float](repeating: 0, count: m * n), byRows = byColumns
        for (j0, j1) in [(0, 64), (64, 128), (128, 150)] {
            mtl_gemm_nn_avx512(0, m, j0, j1, k, a, k, 1, bRows, n, &byColumns, n, 0)
        }
        for (i0, i1) in [(0, 6), (6, 11)] {
            mtl_gemm_nn_avx512(i0, i1, 0, n, k, a, k, 1, bRows, n, &byRows, n, 0)
        }
        XCTAssertEqual(wholeNN, byColumns, "A·B split into column ranges")
        XCTAssertEqual(wholeNN, byRows, "A·B split into row ranges")
    }

    /// The engine's products on one thread and on two give the same bits.
    func testMatmulAndLinearGiveTheSameBitsOnOneAndTwoThreads() throws {
        var g = SeededGenerator(seed: 24)
        let x = try Tensor(shape: [48, 96], values: randomMatrix(48 * 96, &g))
        let w = try Tensor(shape: [200, 96], values: randomMatrix(200 * 96, &g))
        let y = try Tensor(shape: [96, 300], values: randomMatrix(96 * 300, &g))
        let before = ComputeThreads.engine
        defer { ComputeThreads.setEngine(before) }
        var results: [[[Float]]] = []
        for threads in [1, 2] {
            ComputeThreads.setEngine(threads)
            results.append([try x.linear(weight: w, bias: nil).toArray(), try x.matmul(y).toArray(),
                            try x.transpose(0, 1).matmul(x).toArray()])
        }
        XCTAssertEqual(results[0], results[1])
    }
}
