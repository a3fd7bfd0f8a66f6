import NN
import Tensors
import XCTest
@testable import Training

/// Logits that are a trainable row, the same for every text: the loss and gradient stay finite.
private final class ConstantLogitsModel: MultiTaskTrainable {
    let base = Parameter(name: "heads.sentiment.base", value: Tensor([0.5, -0.5]))
    var trainableTasks: [TaskLabels] { [TrainerFixtures.sentiment] }
    var trainingParameters: [Parameter] { [base] }

    func taskLogits(for texts: [String], training: Bool, generator: inout SeededGenerator) throws -> [String: Tensor] {
        ["sentiment": try base.value.unsqueeze(0).expand([texts.count, 2])]
    }
}

final class NonFiniteUpdateTests: XCTestCase {
    /// Finite gradients with an overflowing update: SGD with lr = Float.max and weight decay 1e38
    /// moves the weight by lr·(g + 1e38·0.5) ≈ 1.7e76, which float32 holds as ±inf. The trainer
    /// says the step made the parameter non-finite, instead of reporting a NaN loss next step.
    func testAnUpdateThatOverflowsIsReportedAtItsStep() throws {
        let model = ConstantLogitsModel()
        var rng = SeededGenerator(seed: 1)
        let data = Dataset(examples: [Example(text: "a", labels: ["sentiment": "positive"])])
        let optimizer = try SGD(learningRate: .greatestFiniteMagnitude, weightDecay: 1e38)
        XCTAssertThrowsError(try Trainer().train(model, on: data, optimizer: optimizer, generator: &rng)) { error in
            XCTAssertEqual(error as? TrainingError, .nonFiniteUpdate(step: 1, parameter: "heads.sentiment.base"))
            XCTAssertTrue("\(error)".contains("restore a saved session or rebuild the model"), "\(error)")
        }
        XCTAssertTrue(model.base.value.toArray().contains { !$0.isFinite })
    }

    func testAdamWRefusesAZeroEpsilon() {
        // eps = 0 makes a zero gradient's update 0/0 = NaN on the first step.
        XCTAssertThrowsError(try AdamW(eps: 0)) { error in
            XCTAssertTrue("\(error)".contains("eps"), "\(error)")
        }
        XCTAssertNoThrow(try AdamW(eps: 1e-8))
    }
}
