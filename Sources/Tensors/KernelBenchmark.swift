import CBLAS
import KernelBaseline

/// Measures the engine's kernels against baselines in the same run (`mtl bench --kernels`):
/// matrix products through the Tensor API vs raw `cblas_sgemm` on the same shapes, and
/// element-wise add, GELU and layer norm vs plain C loops compiled -O2.
public enum KernelBenchmark {
    /// One comparison: the engine's time and the baseline's for the same work.
    public struct Measurement: Sendable {
        public let name: String
        /// Seconds per call (median over rounds).
        public let engineSeconds: Double
        public let baselineSeconds: Double
        /// Floating-point operations per call, when meaningful (matrix products), else nil.
        public let flops: Double?

        /// engine speed / baseline speed (1 = as fast, 0.8 = 80 %): the median over rounds of
        /// each round's ratio, which is steadier than the ratio of medians on a busy machine.
        public let relativeSpeed: Double
        public var engineGFLOPS: Double? { flops.map { $0 / engineSeconds / 1e9 } }
        public var baselineGFLOPS: Double? { flops.map { $0 / baselineSeconds / 1e9 } }
    }

    /// Runs every comparison; each side runs at least `minimumSeconds` per round (11 rounds).
    public static func run(minimumSeconds: Double = 0.02) throws -> [Measurement] {
        var rng = SeededGenerator(seed: 1)
        var results: [Measurement] = []
        for (m, k, n) in [(512, 384, 1536), (16, 384, 1536)] {
            let x = try Tensor.randn([m, k], generator: &rng)
            let w = try Tensor.randn([n, k], generator: &rng)
            let c = Storage(uninitializedCount: m * n)
            let raw = {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 1,
                            x.basePointer, Int32(k), w.basePointer, Int32(k), 0, c.base, Int32(n))
            }
            let flops = 2.0 * Double(m * n * k)
            let wT = try w.transpose(0, 1)
            let viaMatmul = try compare(minimumSeconds, engine: { _ = try x.matmul(wT) }, baseline: raw)
            results.append(Measurement(name: "matmul [\(m)×\(k)]·[\(n)×\(k)]ᵀ", engineSeconds: viaMatmul.engine,
                                       baselineSeconds: viaMatmul.baseline, flops: flops, relativeSpeed: viaMatmul.ratio))
            let viaLinear = try compare(minimumSeconds, engine: { _ = try x.linear(weight: w, bias: nil) }, baseline: raw)
            results.append(Measurement(name: "linear [\(m)×\(k)]·[\(n)×\(k)]ᵀ", engineSeconds: viaLinear.engine,
                                       baselineSeconds: viaLinear.baseline, flops: flops, relativeSpeed: viaLinear.ratio))
        }

        let (rows, width) = (512, 1536)
        let count = rows * width
        let a = try Tensor.randn([rows, width], generator: &rng)
        let b = try Tensor.randn([rows, width], generator: &rng)
        let gamma = try Tensor.randn([width], generator: &rng)
        let beta = try Tensor.randn([width], generator: &rng)
        let out = Storage(uninitializedCount: count)
        let shape = "[\(rows)×\(width)]"

        let add = try compare(minimumSeconds, engine: { _ = try a + b }) {
            baseline_add(a.basePointer, b.basePointer, out.base, count)
        }
        results.append(Measurement(name: "add \(shape)", engineSeconds: add.engine, baselineSeconds: add.baseline, flops: nil,
                                   relativeSpeed: add.ratio))
        let gelu = try compare(minimumSeconds, engine: { _ = a.gelu() }) {
            baseline_gelu(a.basePointer, out.base, count)
        }
        results.append(Measurement(name: "gelu \(shape)", engineSeconds: gelu.engine, baselineSeconds: gelu.baseline, flops: nil,
                                   relativeSpeed: gelu.ratio))
        let norm = try compare(minimumSeconds, engine: { _ = try a.layerNorm(weight: gamma, bias: beta, eps: 1e-12) }) {
            baseline_layer_norm(a.basePointer, gamma.basePointer, beta.basePointer, out.base, rows, width, 1e-12)
        }
        results.append(Measurement(name: "layerNorm \(shape)", engineSeconds: norm.engine, baselineSeconds: norm.baseline, flops: nil,
                                   relativeSpeed: norm.ratio))
        return results
    }

    /// Times one BERT-style encoder layer built from Tensor ops (MiniLM sizes: hidden 384,
    /// 12 heads, intermediate 1536) on a [batch, tokens] input: inference forward, and a
    /// training step's forward + backward. Returns (forward, forward+backward) seconds.
    public static func encoderLayer(batch: Int = 16, tokens: Int = 32, minimumSeconds: Double = 0.2) throws -> (Double, Double) {
        let (hidden, heads, intermediate) = (384, 12, 1536)
        var rng = SeededGenerator(seed: 2)
        func param(_ shape: [Int]) throws -> Tensor { try Tensor.randn(shape, std: 0.02, generator: &rng, requiresGrad: true) }
        let wq = try param([hidden, hidden]), wk = try param([hidden, hidden]), wv = try param([hidden, hidden])
        let wo = try param([hidden, hidden]), w1 = try param([intermediate, hidden]), w2 = try param([hidden, intermediate])
        let bq = try param([hidden]), bk = try param([hidden]), bv = try param([hidden]), bo = try param([hidden])
        let b1 = try param([intermediate]), b2 = try param([hidden])
        let g1 = try param([hidden]), g2 = try param([hidden]), n1 = try param([hidden]), n2 = try param([hidden])
        let x = try Tensor.randn([batch, tokens, hidden], generator: &rng)
        let mask = try Tensor.zeros([batch, 1, 1, tokens])
        let d = hidden / heads
        func forward() throws -> Tensor {
            func split(_ t: Tensor) throws -> Tensor { try t.reshape([batch, tokens, heads, d]).permute([0, 2, 1, 3]) }
            let q = try split(x.linear(weight: wq, bias: bq)), k = try split(x.linear(weight: wk, bias: bk))
            let v = try split(x.linear(weight: wv, bias: bv))
            let scores = try q.matmul(k.transpose(-1, -2)) * (1 / Float(d).squareRoot()) + mask
            let context = try scores.softmax(dim: -1).matmul(v).permute([0, 2, 1, 3]).reshape([batch, tokens, hidden])
            let h1 = try (context.linear(weight: wo, bias: bo) + x).layerNorm(weight: g1, bias: n1, eps: 1e-12)
            let inner = try h1.linear(weight: w1, bias: b1).gelu()
            return try (inner.linear(weight: w2, bias: b2) + h1).layerNorm(weight: g2, bias: n2, eps: 1e-12)
        }
        _ = try forward().mean().backward()  // warm-up
        var inference: [Double] = [], training: [Double] = []
        for _ in 0..<5 {
            inference.append(try time(minimumSeconds) { _ = try withoutGrad { try forward() } })
            training.append(try time(minimumSeconds) { _ = try forward().mean().backward() })
        }
        return (median(inference), median(training))
    }

    /// Median seconds per call of `engine` and of `baseline`, measured in alternation (11
    /// rounds, each running each side for at least `minimum` seconds) so both see the same
    /// machine load.
    static func compare(_ minimum: Double, engine: () throws -> Void, baseline: () -> Void) throws
        -> (engine: Double, baseline: Double, ratio: Double) {
        try engine()
        baseline()  // warm-up: page in buffers, start BLAS threads
        var engineSamples: [Double] = [], baselineSamples: [Double] = [], ratios: [Double] = []
        for _ in 0..<11 {
            let b = try time(minimum, baseline), e = try time(minimum, engine)
            baselineSamples.append(b)
            engineSamples.append(e)
            ratios.append(b / e)
        }
        return (median(engineSamples), median(baselineSamples), median(ratios))
    }

    static func median(_ samples: [Double]) -> Double { samples.sorted()[samples.count / 2] }

    /// Seconds per call of `body`, over as many calls as fit in `minimum` seconds.
    static func time(_ minimum: Double, _ body: () throws -> Void) throws -> Double {
        let clock = ContinuousClock()
        var calls = 0
        let start = clock.now
        var elapsed = 0.0
        repeat {
            try body()
            calls += 1
            let d = clock.now - start
            elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        } while elapsed < minimum
        return elapsed / Double(calls)
    }
}
