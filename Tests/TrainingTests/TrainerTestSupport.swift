import NN
import Tensors
import Training

/// A tiny multi-task model for loop tests: hashed bag of words → mean → optional dropout →
/// one linear head per task. Built from tensor primitives only, so it trains in milliseconds.
final class BagOfWordsModel: MultiTaskTrainable {
    let buckets: Int
    let table: Parameter
    let heads: [(task: TaskLabels, weight: Parameter, bias: Parameter)]
    let dropout: Float
    /// Texts that make the forward pass produce NaN (a poisoned input).
    var poison: Set<String> = []

    init(tasks: [TaskLabels], buckets: Int = 64, width: Int = 8, dropout: Float = 0, seed: UInt64 = 1) throws {
        var rng = SeededGenerator(seed: seed)
        self.buckets = buckets
        self.dropout = dropout
        table = Parameter(name: "embeddings.weight", value: try Tensor.randn([buckets, width], std: 0.5, generator: &rng))
        heads = try tasks.map { task in
            (task,
             Parameter(name: "heads.\(task.name).weight", value: try Tensor.randn([task.labels.count, width], std: 0.3, generator: &rng)),
             Parameter(name: "heads.\(task.name).bias", value: try Tensor.zeros([task.labels.count])))
        }
    }

    var trainableTasks: [TaskLabels] { heads.map(\.task) }
    var trainingParameters: [Parameter] { [table] + heads.flatMap { [$0.weight, $0.bias] } }

    /// FNV-1a over the UTF-8 bytes (Swift's hashValue changes between processes).
    func bucket(_ word: Substring) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in word.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(h % UInt64(buckets))
    }

    func taskLogits(for texts: [String], training: Bool, generator: inout SeededGenerator) throws -> [String: Tensor] {
        let rows = texts.map { $0.lowercased().split(separator: " ").map(bucket) }
        let length = max(1, rows.map(\.count).max() ?? 1)
        let ids = try IndexTensor(rows: rows.map { $0 + Array(repeating: 0, count: length - $0.count) })
        let mask = try Tensor(shape: [texts.count, length, 1],
                              values: rows.flatMap { r in (0..<length).map { $0 < r.count ? Float(1) : 0 } })
        let counts = try Tensor(shape: [texts.count, 1], values: rows.map { Float(max(1, $0.count)) })
        var pooled = try Tensor.embedding(weight: table.value, ids: ids).mul(mask).sum(dims: [1]).div(counts)
        pooled = try pooled.dropout(p: dropout, training: training && dropout > 0, generator: &generator)
        if texts.contains(where: poison.contains) { pooled = pooled * .nan }
        var result: [String: Tensor] = [:]
        for head in heads { result[head.task.name] = try pooled.linear(weight: head.weight.value, bias: head.bias.value) }
        return result
    }

    /// Every parameter's values, for comparing whole models.
    func snapshot() -> [String: [Float]] {
        Dictionary(uniqueKeysWithValues: trainingParameters.map { ($0.name, $0.value.toArray()) })
    }
}

enum TrainerFixtures {
    static let sentiment = TaskLabels(name: "sentiment", labels: ["negative", "positive"])
    static let kind = TaskLabels(name: "sentence_type", labels: ["statement", "question"])

    /// Separable: sentiment from good/bad words, sentence type from a "?" word.
    static func separable() -> Dataset {
        let good = ["great", "lovely", "wonderful", "superb"], bad = ["awful", "terrible", "horrid", "dreadful"]
        var examples: [Example] = []
        for (i, g) in good.enumerated() {
            let b = bad[i]
            examples.append(Example(text: "the film was \(g)", labels: ["sentiment": "positive", "sentence_type": "statement"]))
            examples.append(Example(text: "the film was \(b)", labels: ["sentiment": "negative", "sentence_type": "statement"]))
            examples.append(Example(text: "was the film \(g) ?", labels: ["sentiment": "positive", "sentence_type": "question"]))
            examples.append(Example(text: "was the film \(b) ?", labels: ["sentiment": "negative", "sentence_type": "question"]))
        }
        return Dataset(examples: examples, tasks: ["sentence_type", "sentiment"], name: "separable")
    }
}
