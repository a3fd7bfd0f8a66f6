import ArgumentParser
import Tensors

/// `mtl bench`: performance figures. `--kernels` compares the tensor engine's kernels with raw
/// BLAS and plain C in one run; encoding/training benchmarks will join it here.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark the tensor kernels (matrix products, element-wise ops, layer norm)."
    )

    @Flag(name: .long, help: "Measure matmul/linear against raw cblas_sgemm, and add/gelu/layer norm against C loops.")
    var kernels = false

    @Option(name: .long, help: "Seconds each side runs per round (11 alternating rounds, median reported).")
    var seconds: Double = 0.02

    func run() throws {
        guard kernels else {
            throw ValidationError("choose what to measure: `mtl bench --kernels` (the full benchmark is not built yet)")
        }
        guard seconds > 0, seconds <= 10 else {
            throw ValidationError("--seconds must be in (0, 10]")
        }
        print("Kernel benchmark (11 alternating rounds; medians of times and of per-round ratios; engine = Tensor API, baseline = raw cblas_sgemm or C -O2 loop)")
        for m in try KernelBenchmark.run(minimumSeconds: seconds) {
            let name = m.name + String(repeating: " ", count: max(1, 34 - m.name.count))
            if let engine = m.engineGFLOPS, let base = m.baselineGFLOPS {
                print("\(name) engine \(format(engine)) GFLOP/s   sgemm \(format(base)) GFLOP/s   \(percent(m.relativeSpeed)) of raw")
            } else {
                print("\(name) engine \(format(m.engineSeconds * 1e6)) µs   C loop \(format(m.baselineSeconds * 1e6)) µs   engine time / C time = \(format(1 / m.relativeSpeed))")
            }
        }
        try printLayer()
    }

    private func printLayer() throws {
        let (forward, step) = try KernelBenchmark.encoderLayer(minimumSeconds: seconds * 5)
        print("encoder layer [16×32 tokens, 384/12/1536]: forward (no grad) \(format(forward * 1e3)) ms   forward+backward \(format(step * 1e3)) ms")
    }

    private func format(_ value: Double) -> String {
        let scaled = (value * 10).rounded() / 10
        return "\(scaled)"
    }

    private func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
}
