import Foundation
import Models
import NN
import Tensors
import TestSupport
import Tokenizers

/// The trace fixture (`TestSupport.TraceFixture`) under the name these tests use.
typealias Trace = TraceFixture

/// The trace's model shape: tiny-bert (dropout 0) → mean pooling → Linear(32→16) + Tanh →
/// heads sentence_type and sentiment, each Linear(16→8), ReLU, Linear(8→3). Weights random
/// until `initial.safetensors` is loaded.
func makeTraceModel(seed: UInt64 = 1) throws -> MultiTaskModel {
    var config = try TransformerConfig(contentsOf: Fixtures.url("tiny-bert/config.json"))
    config.hiddenDropout = 0
    config.attentionDropout = 0
    let random = RandomSource(seed: seed)
    let transformer = try Transformers.random(config: config, seed: seed, random: random, namePrefix: "encoder.")
    var generator = SeededGenerator(seed: seed)
    let projection = try Linear(inFeatures: 32, outFeatures: 16, name: "projection", generator: &generator)
    let encoder = try SentenceEncoder(transformer: transformer, tokenizer: WordPieceTokenizer.load(folder: Fixtures.url("tiny-bert")),
                                      pooling: .mean, projection: projection, random: random)
    let tasks = [TaskSpec(name: "sentence_type", labels: ["statement", "question", "command"], hiddenSize: 8, dropout: 0),
                 TaskSpec(name: "sentiment", labels: ["negative", "neutral", "positive"], hiddenSize: 8, dropout: 0)]
    return try MultiTaskModel(encoder: encoder, tasks: tasks, seed: seed)
}

/// Cross-entropy, batch mean: −mean_i log softmax(logits_i)[label_i] (torch.nn.CrossEntropyLoss).
func crossEntropy(_ logits: Tensor, labels: [Int]) throws -> Tensor {
    let picked = try logits.logSoftmax(dim: -1).gather(indices: IndexTensor(shape: [labels.count, 1], values: labels))
    return -picked.mean()
}

/// A small random BERT (hidden 8, `layers` blocks, 2 heads) with the built-in vocabulary,
/// a projection to 4 and the default tasks with hidden size 5: quick to build, real structure.
func makeSmallModel(layers: Int = 6, kind: TransformerConfig.Kind = .bert, projection: Bool = true) throws -> MultiTaskModel {
    let config = TransformerConfig(kind: kind, hiddenSize: 8, layers: layers, heads: 2, intermediateSize: 16,
                                   maxPositions: 64, typeVocabSize: kind == .bert ? 2 : 0,
                                   vocabSize: BuiltinVocabulary.tokens.count)
    let random = RandomSource(seed: 3)
    let transformer = try Transformers.random(config: config, seed: 3, random: random, namePrefix: "encoder.")
    var generator = SeededGenerator(seed: 4)
    let tokenizer = try WordPieceTokenizer(vocabulary: Vocabulary(tokens: BuiltinVocabulary.tokens), maxLength: 64)
    let encoder = try SentenceEncoder(
        transformer: transformer, tokenizer: tokenizer, pooling: .mean,
        projection: projection ? Linear(inFeatures: 8, outFeatures: 4, name: "projection", generator: &generator) : nil,
        random: random)
    let tasks = TaskSpec.defaults.map { TaskSpec(name: $0.name, labels: $0.labels, hiddenSize: 5, dropout: 0.1) }
    return try MultiTaskModel(encoder: encoder, tasks: tasks, seed: 5)
}
