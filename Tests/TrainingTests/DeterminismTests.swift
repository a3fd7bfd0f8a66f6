import NN
import Tensors
import Training
import XCTest

/// One seed, one generator: shuffling and dropout reproduce bit for bit.
final class DeterminismTests: XCTestCase {
    private func run(seed: UInt64) throws -> (RunHistory, [String: [Float]]) {
        let m = try BagOfWordsModel(tasks: [TrainerFixtures.kind, TrainerFixtures.sentiment], dropout: 0.3)
        var rng = SeededGenerator(seed: seed)
        let result = try Trainer(options: TrainingOptions(epochs: 3, batchSize: 3, strategy: .proportional))
            .train(m, on: TrainerFixtures.separable(), optimizer: AdamW(learningRate: 0.02), generator: &rng)
        return (result.history, m.snapshot())
    }

    func testTheSameSeedGivesBitIdenticalLossesAndWeights() throws {
        let (a, weightsA) = try run(seed: 42)
        let (b, weightsB) = try run(seed: 42)
        XCTAssertEqual(a.steps.map(\.totalLoss), b.steps.map(\.totalLoss))
        XCTAssertEqual(a.steps.map(\.losses), b.steps.map(\.losses))
        XCTAssertEqual(weightsA, weightsB)
        let (c, _) = try run(seed: 43)
        XCTAssertNotEqual(a.steps.map(\.totalLoss), c.steps.map(\.totalLoss), "another seed shuffles and drops differently")
    }

    func testResumingFromExportedOptimizerStateMatchesAnUninterruptedRun() throws {
        let data = TrainerFixtures.separable()
        let options = TrainingOptions(steps: 4, batchSize: 4, shuffle: false)
        let straight = try BagOfWordsModel(tasks: [TrainerFixtures.kind, TrainerFixtures.sentiment])
        var rng = SeededGenerator(seed: 3)
        let whole = try Trainer(options: TrainingOptions(steps: 8, batchSize: 4, shuffle: false))
            .train(straight, on: data, optimizer: AdamW(learningRate: 0.02), generator: &rng)

        let resumed = try BagOfWordsModel(tasks: [TrainerFixtures.kind, TrainerFixtures.sentiment])
        var rng2 = SeededGenerator(seed: 3)
        let first = try AdamW(learningRate: 0.02)
        let part1 = try Trainer(options: options).train(resumed, on: data, optimizer: first, generator: &rng2)
        let second = try AdamW(state: first.exportState())
        let part2 = try Trainer(options: options).train(resumed, on: data, optimizer: second, generator: &rng2)
        XCTAssertEqual((part1.history.steps + part2.history.steps).map(\.totalLoss), whole.history.steps.map(\.totalLoss))
        XCTAssertEqual(resumed.snapshot(), straight.snapshot())
    }
}
