import Models
import NN
import Tensors
import Tokenizers
import Training
import XCTest

/// The trainer driving a real (tiny, random) `MultiTaskModel`: it learns, and one generator
/// drives its dropout.
final class TrainerMultiTaskModelTests: XCTestCase {
    /// A random BERT (hidden 16, 2 blocks) over the built-in vocabulary, projection to 8,
    /// heads sentence_type and sentiment (hidden 8, dropout `dropout`).
    private func tinyModel(dropout: Double = 0, seed: UInt64 = 3) throws -> MultiTaskModel {
        let config = TransformerConfig(kind: .bert, hiddenSize: 16, layers: 2, heads: 2, intermediateSize: 32,
                                       maxPositions: 32, typeVocabSize: 2, vocabSize: BuiltinVocabulary.tokens.count)
        let random = RandomSource(seed: seed)
        let transformer = try Transformers.random(config: config, seed: seed, random: random, namePrefix: "encoder.")
        var generator = SeededGenerator(seed: seed + 1)
        let tokenizer = try WordPieceTokenizer(vocabulary: Vocabulary(tokens: BuiltinVocabulary.tokens), maxLength: 32)
        let encoder = try SentenceEncoder(transformer: transformer, tokenizer: tokenizer, pooling: .mean,
                                          projection: Linear(inFeatures: 16, outFeatures: 8, name: "projection", generator: &generator),
                                          random: random)
        let tasks = [TaskSpec(name: "sentence_type", labels: ["statement", "question"], hiddenSize: 8, dropout: dropout),
                     TaskSpec(name: "sentiment", labels: ["negative", "positive"], hiddenSize: 8, dropout: dropout)]
        return try MultiTaskModel(encoder: encoder, tasks: tasks, seed: seed + 2)
    }

    /// Sentiment from good/great vs bad; sentence type from "?" vs ".".
    private func separable() -> Dataset {
        var examples: [Example] = []
        for subject in ["the food", "the film", "the day", "it"] {
            for (word, sentiment) in [("good", "positive"), ("great", "positive"), ("bad", "negative")] {
                examples.append(Example(text: "\(subject) was \(word) .", labels: ["sentence_type": "statement", "sentiment": sentiment]))
                examples.append(Example(text: "was \(subject) \(word) ?", labels: ["sentence_type": "question", "sentiment": sentiment]))
            }
        }
        return Dataset(examples: examples, tasks: ["sentence_type", "sentiment"], name: "separable")
    }

    func testATinyTransformerLearnsASeparableDatasetToFullAccuracy() throws {
        let model = try tinyModel()
        let data = separable()
        var rng = SeededGenerator(seed: 1)
        let result = try Trainer(options: TrainingOptions(epochs: 60, batchSize: 8))
            .train(model, on: data, optimizer: AdamW(learningRate: 1e-2), generator: &rng)
        XCTAssertFalse(result.interrupted)
        let report = try Evaluator.evaluate(model, on: data)
        XCTAssertEqual(report["sentence_type"]?.accuracy, 1, report.rendered())
        XCTAssertEqual(report["sentiment"]?.accuracy, 1, report.rendered())
        XCTAssertFalse(model.isTraining, "the model is left in evaluation mode")
    }

    func testTheRunsGeneratorDrivesDropoutBitForBit() throws {
        // No shuffling, so only dropout draws: equal seeds give equal losses, another seed differs.
        func losses(seed: UInt64) throws -> [Double] {
            var rng = SeededGenerator(seed: seed)
            return try Trainer(options: TrainingOptions(steps: 4, batchSize: 6, shuffle: false))
                .train(tinyModel(dropout: 0.3), on: separable(), optimizer: AdamW(), generator: &rng)
                .history.steps.map(\.totalLoss)
        }
        XCTAssertEqual(try losses(seed: 9), try losses(seed: 9))
        XCTAssertNotEqual(try losses(seed: 9), try losses(seed: 10))
    }
}
