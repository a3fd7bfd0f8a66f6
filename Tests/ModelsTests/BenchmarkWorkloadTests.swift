import Foundation
import Models
import Tensors
import XCTest

/// `mtl bench`'s workload on the built-in tiny BERT (no download): every figure is there,
/// finite and positive, and the JSON has exactly the documented keys in order.
final class BenchmarkWorkloadTests: XCTestCase {
    func testTinyModelGivesEveryFigureUnderTheDocumentedKeys() throws {
        var settings = BenchmarkWorkload.Settings()
        settings.sentenceCount = 64
        settings.steps = 1
        settings.warmupSteps = 1
        settings.phases = [.encode1, .encode32, .train, .frozen]
        var phases: [String] = []
        let result = try BenchmarkWorkload.run(model: "tiny-bert", settings: settings) { phases.append($0) }
        XCTAssertEqual(phases.count, 5, "loading plus four measured parts: \(phases)")
        for value in [result.encodeBatch1SentencesPerSecond, result.encodeBatch32SentencesPerSecond,
                      result.trainStepSeconds, result.trainFrozen3StepSeconds] {
            let v = try XCTUnwrap(value)
            XCTAssertTrue(v.isFinite && v > 0, "\(v)")
        }
        XCTAssertNil(result.matmulGFLOPS, "the gemm part was not asked for")
        XCTAssertGreaterThan(result.peakRSSMegabytes, 1)

        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.json.utf8)) as? [String: Any])
        XCTAssertEqual(Set(object.keys), Set(BenchmarkResult.keys))
        XCTAssertEqual(object["impl"] as? String, "mtl")
        XCTAssertEqual(object["model"] as? String, "tiny-bert")
        XCTAssertTrue(object["matmul_gflops"] is NSNull)
        // Keys appear in the documented order (bench_torch.py prints them in this order too).
        let positions = BenchmarkResult.keys.compactMap { result.json.range(of: "\"\($0)\"")?.lowerBound }
        XCTAssertEqual(positions, positions.sorted())
        XCTAssertEqual(BenchmarkResult.keys, ["model", "impl", "threads", "load_s", "encode_bs1_sent_per_s",
                                              "encode_bs32_sent_per_s", "train_bs16_step_s", "train_bs16_frozen3_step_s",
                                              "matmul_gflops", "sgemm_peak_gflops", "peak_rss_mb"])
    }

    func testGemmSummaryIsTotalFlopsOverTotalSecondsOnTheWorkloadShapes() throws {
        // Both time the same shapes; the summary is Σ flops / Σ seconds (hand check: one shape
        // of 2·2·3·4 = 48 flops taking 1 µs is 0.048 GFLOP/s).
        let shape = GemmBenchmark.Shape(m: 2, n: 3, k: 4)
        XCTAssertEqual(shape.flops, 48)
        let summary = GemmBenchmark.summary([GemmBenchmark.Result(shape: shape, medianSeconds: 1e-6)])
        XCTAssertEqual(summary, 0.048, accuracy: 1e-12)
        XCTAssertEqual(GemmBenchmark.workloadShapes(hidden: 384, ffn: 1536).map { [$0.m, $0.n, $0.k] },
                       [[512, 1536, 384], [512, 384, 1536], [512, 384, 384], [16, 1536, 384]])
    }

    func testSentencesAreTheDocumentedOnes() {
        let texts = BenchmarkWorkload.sentences(3)
        XCTAssertEqual(texts[2], "Machine learning result number 2 depends on the data we collect and clean.")
    }
}
