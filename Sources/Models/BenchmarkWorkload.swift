import Foundation
import NN
import Tensors
import Tokenizers

/// The benchmark workload of docs/PERFORMANCE.md ("The workload"), the same steps
/// `Scripts/bench_torch.py` takes in PyTorch, so `mtl bench` and the baseline compare.
public enum BenchmarkWorkload {
    /// How much to run. `standard` is the documented workload; tests use smaller settings.
    public struct Settings: Sendable {
        /// Sentences encoded (the documented workload: 256).
        public var sentenceCount = 256
        /// Measured training steps, after `warmupSteps` unmeasured ones.
        public var steps = 10
        public var warmupSteps = 2
        /// What the timings read (wall time by default; CPU time only makes sense on one thread).
        public var clock: BenchmarkClock = .wall
        /// The parts to run (all by default); the others are reported as null. For profiling.
        public var phases: Set<Phase> = Set(Phase.allCases)

        public init() {}
        public static let standard = Settings()
    }

    /// The measured parts of the workload.
    public enum Phase: String, CaseIterable, Sendable {
        case encode1, encode32, train, frozen, gemm
    }

    /// `"Machine learning result number {i} depends on the data we collect and clean."`.
    public static func sentences(_ count: Int) -> [String] {
        (0..<count).map { "Machine learning result number \($0) depends on the data we collect and clean." }
    }

    /// Runs the workload on `model` (a name `ModelResolver` accepts) with the current thread
    /// counts (`ComputeThreads`), calling `progress` before each phase.
    public static func run(model: String, settings: Settings = .standard, resolver: ModelResolver = ModelResolver(),
                           progress: (String) -> Void = { _ in }) throws -> BenchmarkResult {
        guard settings.sentenceCount >= 64, settings.steps >= 1, settings.warmupSteps >= 0 else {
            throw ModelError.invalidArgument("benchmark settings: at least 64 sentences and 1 step are needed")
        }
        let texts = sentences(settings.sentenceCount)
        let clock = settings.clock
        progress("loading \(model)")
        let start = clock.now()
        let encoder = try SentenceEncoder.load(model, options: .init(pooling: .mean), resolver: resolver)
        let loadSeconds = clock.now() - start

        func measure(_ phase: Phase, _ what: String, _ body: () throws -> Double) rethrows -> Double? {
            guard settings.phases.contains(phase) else { return nil }
            progress(what)
            return try body()
        }
        let bs1 = try measure(.encode1, "encoding, batch size 1") { try encodeRate(encoder, texts, batchSize: 1, clock: clock) }
        let bs32 = try measure(.encode32, "encoding, batch size 32") { try encodeRate(encoder, texts, batchSize: 32, clock: clock) }
        let train = try measure(.train, "training, batch size 16") {
            try trainStepSeconds(encoder, texts, frozenLayers: 0, settings: settings)
        }
        let frozen = try measure(.frozen, "training, batch size 16, embeddings and 3 layers frozen") {
            try trainStepSeconds(encoder, texts, frozenLayers: 3, settings: settings)
        }

        var matmul: Double?, sgemm: Double?
        if settings.phases.contains(.gemm) {
            progress("matrix products")
            let shapes = GemmBenchmark.workloadShapes(hidden: encoder.config.hiddenSize, ffn: encoder.config.intermediateSize)
            matmul = GemmBenchmark.summary(try GemmBenchmark.engineMatmul(shapes, clock: clock))
            sgemm = GemmBenchmark.summary(try GemmBenchmark.rawSgemm(shapes, clock: clock))
        }
        return BenchmarkResult(model: model, threads: ComputeThreads.engine, loadSeconds: loadSeconds,
                               encodeBatch1SentencesPerSecond: bs1, encodeBatch32SentencesPerSecond: bs32,
                               trainStepSeconds: train, trainFrozen3StepSeconds: frozen,
                               matmulGFLOPS: matmul, sgemmPeakGFLOPS: sgemm, peakRSSMegabytes: peakRSSMegabytes())
    }

    /// Sentences per second: tokenization, encoder and masked mean pooling in evaluation mode
    /// without a tape, in consecutive batches, after a warm-up of two batches.
    static func encodeRate(_ encoder: SentenceEncoder, _ texts: [String], batchSize: Int, clock: BenchmarkClock) throws -> Double {
        for i in stride(from: 0, to: 2 * batchSize, by: batchSize) {
            _ = try encoder.encode(Array(texts[i ..< i + batchSize]), batchSize: batchSize)
        }
        let start = clock.now()
        for i in stride(from: 0, to: texts.count, by: batchSize) {
            _ = try encoder.encode(Array(texts[i ..< min(i + batchSize, texts.count)]), batchSize: batchSize)
        }
        return Double(texts.count) / (clock.now() - start)
    }

    /// Mean seconds per optimizer step of the two-head model (projection Linear(H→256) + Tanh,
    /// heads Linear(256→128), ReLU, Linear(128→3), no head dropout) on `encoder`'s transformer,
    /// trained in place; the embeddings and the lowest `frozenLayers` blocks frozen.
    static func trainStepSeconds(_ encoder: SentenceEncoder, _ texts: [String], frozenLayers: Int,
                                 settings: Settings) throws -> Double {
        var generator = SeededGenerator(seed: 0)
        let projection = try Linear(inFeatures: encoder.config.hiddenSize, outFeatures: 256, name: "projection",
                                    generator: &generator)
        let withProjection = try SentenceEncoder(transformer: encoder.transformer, tokenizer: encoder.tokenizer,
                                                 pooling: .mean, projection: projection, random: encoder.random)
        let labels = ["0", "1", "2"]
        let tasks = [TaskSpec(name: "first", labels: labels, hiddenSize: 128, dropout: 0),
                     TaskSpec(name: "second", labels: labels, hiddenSize: 128, dropout: 0)]
        let model = try MultiTaskModel(encoder: withProjection, tasks: tasks, seed: 0)
        // A model with fewer blocks (the tiny test models) freezes all of them.
        let frozen = min(frozenLayers, encoder.config.layers)
        try model.apply(frozenLayers == 0 ? .none : .embeddingsAndLowerLayers(frozen))
        defer { try? model.apply(.none) }
        var labelGenerator = SeededGenerator(seed: 0)
        let targets = tasks.map { _ in texts.map { _ in Int(labelGenerator.next() % 3) } }
        let trainable = model.parameters().filter(\.requiresGrad)
        let optimizer = try AdamW(learningRate: 2e-5)
        var measured = 0.0
        for step in 0 ..< settings.warmupSteps + settings.steps {
            let lo = (16 * step) % texts.count
            let hi = min(lo + 16, texts.count)
            let start = settings.clock.now()
            let outputs = try model.forward(texts: Array(texts[lo ..< hi]), training: true)
            var loss: Tensor?
            for (logits, y) in zip(outputs.logits, targets) {
                let term = try Loss.crossEntropy(logits, targets: Array(y[lo ..< hi]))
                loss = try loss.map { try $0 + term } ?? term
            }
            guard let loss else { throw ModelError.invalidArgument("the benchmark model has no task") }
            let gradients = try loss.backward()
            try optimizer.step(trainable, gradients: gradients)
            let elapsed = settings.clock.now() - start
            let value = try loss.item()
            guard value.isFinite else { throw ModelError.invalidArgument("benchmark training loss is \(value) at step \(step)") }
            if step >= settings.warmupSteps { measured += elapsed }
        }
        return measured / Double(settings.steps)
    }

    /// `getrusage(RUSAGE_SELF).ru_maxrss` in MiB (Linux reports KiB).
    public static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)  // Glibc imports the `who` enum as a struct
        return Double(usage.ru_maxrss) / 1024
    }
}

/// The figures of one `mtl bench` run, with the JSON keys of docs/PERFORMANCE.md.
public struct BenchmarkResult: Sendable, Equatable {
    public var model: String
    public var threads: Int
    public var loadSeconds: Double
    public var encodeBatch1SentencesPerSecond: Double?
    public var encodeBatch32SentencesPerSecond: Double?
    public var trainStepSeconds: Double?
    public var trainFrozen3StepSeconds: Double?
    public var matmulGFLOPS: Double?
    public var sgemmPeakGFLOPS: Double?
    public var peakRSSMegabytes: Double

    /// The keys, in the documented order.
    public static let keys = ["model", "impl", "threads", "load_s", "encode_bs1_sent_per_s", "encode_bs32_sent_per_s",
                              "train_bs16_step_s", "train_bs16_frozen3_step_s", "matmul_gflops", "sgemm_peak_gflops",
                              "peak_rss_mb"]

    /// One JSON object on one line, keys in documented order (as bench_torch.py rounds them).
    public var json: String {
        func number(_ value: Double?, _ places: Int) -> String {
            guard let value, value.isFinite else { return "null" }
            let scale = pow(10, Double(places))
            return "\((value * scale).rounded() / scale)"
        }
        let escaped = model.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let values = ["\"\(escaped)\"", "\"mtl\"", "\(threads)", number(loadSeconds, 4),
                      number(encodeBatch1SentencesPerSecond, 2), number(encodeBatch32SentencesPerSecond, 2),
                      number(trainStepSeconds, 4), number(trainFrozen3StepSeconds, 4), number(matmulGFLOPS, 2),
                      number(sgemmPeakGFLOPS, 2), number(peakRSSMegabytes, 1)]
        return "{" + zip(Self.keys, values).map { "\"\($0)\": \($1)" }.joined(separator: ", ") + "}"
    }

    /// A readable two-column table.
    public var table: String {
        func f(_ value: Double?, _ unit: String) -> String {
            guard let value else { return "—" }
            return String(format: "%.4g", value) + (unit.isEmpty ? "" : " " + unit)
        }
        let rows: [(String, String)] = [
            ("model", model), ("threads", "\(threads)"), ("products", ComputeThreads.products),
            ("load", f(loadSeconds, "s")),
            ("encode, batch 1", f(encodeBatch1SentencesPerSecond, "sentences/s")),
            ("encode, batch 32", f(encodeBatch32SentencesPerSecond, "sentences/s")),
            ("train step, batch 16", f(trainStepSeconds, "s")),
            ("train step, batch 16, 3 layers frozen", f(trainFrozen3StepSeconds, "s")),
            ("matmul (engine)", f(matmulGFLOPS, "GFLOP/s")),
            ("sgemm (raw BLAS)", f(sgemmPeakGFLOPS, "GFLOP/s")),
            ("peak RSS", f(peakRSSMegabytes, "MB")),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 }.joined(separator: "\n")
    }
}
