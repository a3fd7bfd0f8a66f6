import ArgumentParser
import Foundation
import Models
import Tensors

/// `mtl bench`: performance figures. By default the workload of docs/PERFORMANCE.md (load,
/// encode at batch 1 and 32, training steps, matrix products, peak memory), the same one
/// `Scripts/bench_torch.py` runs in PyTorch; `--kernels` compares the tensor engine's kernels
/// with raw BLAS and plain C in one run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark mtl on the documented workload (docs/PERFORMANCE.md), or its kernels (--kernels)."
    )

    @Option(name: .long, help: "The model: a folder, a cached name, or random:<config>.")
    var model = "all-MiniLM-L6-v2"

    @Flag(name: .long, help: "Print one JSON object (the keys of docs/PERFORMANCE.md) instead of a table.")
    var json = false

    @Option(name: .long, help: "Compute threads: OpenBLAS's and the engine's own (default: the number of cores).")
    var threads: Int?

    @Flag(name: .long, help: "Time with the process's CPU time instead of wall time (needs --threads 1); a busy machine barely disturbs it.")
    var cpuTime = false

    @Option(name: .long, help: ArgumentHelp("The engine's own thread count when it should differ from --threads (experiments).", visibility: .hidden))
    var engineThreads: Int?

    @Option(name: .long, help: ArgumentHelp("Comma-separated parts to run (encode1, encode32, train, frozen, gemm); the rest print as null. For profiling.", visibility: .hidden))
    var phases: String?

    @Flag(name: .long, help: "Measure matmul/linear against raw cblas_sgemm, and add/gelu/layer norm against C loops.")
    var kernels = false

    @Option(name: .long, help: "Seconds each side runs per round (11 alternating rounds, median reported).")
    var seconds: Double = 0.02

    func validate() throws {
        if let threads, threads < 1 || threads > 256 {
            throw ValidationError("--threads must be between 1 and 256, got \(threads)")
        }
        if cpuTime && threads != 1 {
            throw ValidationError("--cpu-time needs --threads 1: with more threads CPU time is not elapsed time")
        }
    }

    func run() throws {
        ComputeThreads.set(threads ?? ComputeThreads.processors)
        if let engineThreads { ComputeThreads.setEngine(engineThreads) }
        guard kernels else { return try runWorkload() }
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

    private func runWorkload() throws {
        var settings = BenchmarkWorkload.Settings()
        if cpuTime { settings.clock = .processCPU }
        if let phases {
            settings.phases = []
            for name in phases.split(separator: ",") {
                guard let phase = BenchmarkWorkload.Phase(rawValue: String(name)) else {
                    throw ValidationError("unknown phase '\(name)'; phases: \(BenchmarkWorkload.Phase.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                settings.phases.insert(phase)
            }
        }
        let result = try BenchmarkWorkload.run(model: model, settings: settings) { phase in
            let rss = Int(BenchmarkWorkload.peakRSSMegabytes())
            FileHandle.standardError.write(Data("mtl bench: \(phase) (peak RSS so far \(rss) MB)\n".utf8))
        }
        print(json ? result.json : result.table)
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
