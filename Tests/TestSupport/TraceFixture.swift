import Foundation

/// `Tests/Fixtures/mtl-trace/trace.json`: a PyTorch multi-task training run (see the fixtures
/// README), read by the Models and Training trace tests.
public struct TraceFixture: Decodable, Sendable {
    public struct Step: Decodable, Sendable {
        public let step: Int
        public let loss: [String: Double]
        public let total: Double
        public let grad_head: [String: [Float]]
    }
    public let frozen: [String]
    public let texts: [String]
    public let input_ids: [[Int]]
    public let attention_mask: [[Int]]
    public let labels: [String: [Int]]
    public let steps: [Step]

    public static func load() throws -> TraceFixture {
        try JSONDecoder().decode(TraceFixture.self, from: Data(contentsOf: Fixtures.url("mtl-trace/trace.json")))
    }
}
