import CBLAS

/// GFLOP/s of matrix products on the GEMM shapes of a BERT-style encoder, measured exactly as
/// `Scripts/bench_torch.py` (`matmul_gflops`) and `Scripts/sgemm_bench.c` (`sgemm_peak_gflops`)
/// do, so the three numbers compare (docs/PERFORMANCE.md, "The workload").
public enum GemmBenchmark {
    /// One product C[m×n] = A[m×k] · B[k×n], row-major.
    public struct Shape: Sendable, Equatable {
        public let m, n, k: Int
        public init(m: Int, n: Int, k: Int) { (self.m, self.n, self.k) = (m, n, k) }
        public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    }

    /// One shape's result: the median seconds per call over the repetitions.
    public struct Result: Sendable {
        public let shape: Shape
        public let medianSeconds: Double
        public init(shape: Shape, medianSeconds: Double) { (self.shape, self.medianSeconds) = (shape, medianSeconds) }
        public var gflops: Double { shape.flops / medianSeconds / 1e9 }
    }

    /// T×F×H, T×H×F, T×H×H with T = 512 tokens, and 16×F×H (one sentence): the four shapes
    /// of the workload for hidden size `hidden` and FFN width `ffn`.
    public static func workloadShapes(hidden: Int, ffn: Int) -> [Shape] {
        [Shape(m: 512, n: ffn, k: hidden), Shape(m: 512, n: hidden, k: ffn),
         Shape(m: 512, n: hidden, k: hidden), Shape(m: 16, n: ffn, k: hidden)]
    }

    /// Σ flops / Σ median seconds, in GFLOP/s (shapes weighed by their flops).
    public static func summary(_ results: [Result]) -> Double {
        let flops = results.reduce(0) { $0 + $1.shape.flops }
        let seconds = results.reduce(0) { $0 + $1.medianSeconds }
        return seconds > 0 ? flops / seconds / 1e9 : 0
    }

    /// The engine's `matmul` op on each shape (inference mode, a fresh output per call).
    public static func engineMatmul(_ shapes: [Shape], seed: UInt64 = 0, clock: BenchmarkClock = .wall) throws -> [Result] {
        var generator = SeededGenerator(seed: seed)
        return try withoutGrad {
            try shapes.map { shape in
                let a = try Tensor.uniform([shape.m, shape.k], low: -0.5, high: 0.5, generator: &generator)
                let b = try Tensor.uniform([shape.k, shape.n], low: -0.5, high: 0.5, generator: &generator)
                return Result(shape: shape, medianSeconds: try time(clock: clock) { _ = try a.matmul(b) })
            }
        }
    }

    /// Raw `cblas_sgemm` (no transposes) of the linked BLAS on each shape.
    public static func rawSgemm(_ shapes: [Shape], seed: UInt64 = 0, clock: BenchmarkClock = .wall) throws -> [Result] {
        var generator = SeededGenerator(seed: seed)
        return try shapes.map { shape in
            let a = try Tensor.uniform([shape.m, shape.k], low: -0.5, high: 0.5, generator: &generator)
            let b = try Tensor.uniform([shape.k, shape.n], low: -0.5, high: 0.5, generator: &generator)
            let c = Storage(uninitializedCount: shape.m * shape.n)
            let (m, n, k) = (Int32(shape.m), Int32(shape.n), Int32(shape.k))
            return Result(shape: shape, medianSeconds: try time(clock: clock) {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1,
                            a.basePointer, k, b.basePointer, n, 0, c.base, n)
            })
        }
    }

    /// 3 warm-up calls, a calibrated number of calls lasting about `target` seconds per
    /// repetition, `repetitions` repetitions; the median seconds per call.
    static func time(repetitions: Int = 7, target: Double = 0.05, clock: BenchmarkClock,
                     _ body: () throws -> Void) throws -> Double {
        for _ in 0..<3 { try body() }
        var start = clock.now()
        try body()
        let single = clock.now() - start
        let calls = Swift.max(1, Int(target / Swift.max(single, 1e-9)))
        var perCall: [Double] = []
        for _ in 0..<repetitions {
            start = clock.now()
            for _ in 0..<calls { try body() }
            perCall.append((clock.now() - start) / Double(calls))
        }
        perCall.sort()
        return perCall[perCall.count / 2]
    }
}
