import NN
import Tensors
import TestSupport
import XCTest

/// Cross-entropy and MSE against hand-worked numbers and finite differences.
///
/// The shared example: logits [[1, 2, 3], [1, 0, −1]], targets [0, 1].
/// Both rows have logsumexp = max + log(1 + e⁻¹ + e⁻²) = max + 0.40760596, so
/// logp row 0 = [−2.40760596, −1.40760596, −0.40760596], row 1 = [−0.40760596, −1.40760596, −2.40760596].
/// Reference values were checked with python3 (stdlib `math`, Double).
final class LossTests: XCTestCase {
    var logits = Tensor([0])

    override func setUpWithError() throws {
        logits = try Tensor(shape: [2, 3], values: [1, 2, 3, 1, 0, -1])
    }
    let targets = [0, 1]

    func testCrossEntropyIsTheBatchMeanOfNegativeLogProbabilities() throws {
        // (2.40760596 + 1.40760596) / 2 = 1.90760596
        let loss = try Loss.crossEntropy(logits, targets: targets)
        XCTAssertEqual(loss.shape, [])
        XCTAssertEqual(try loss.item(), 1.9076059644, accuracy: 1e-6)
    }

    func testClassWeightsGiveTheWeightedMean() throws {
        // w = [1, 2, 3]; targets pick w₀ = 1, w₁ = 2: (1·2.40760596 + 2·1.40760596) / (1 + 2) = 1.74093930
        let loss = try Loss.crossEntropy(logits, targets: targets, classWeights: [1, 2, 3])
        XCTAssertEqual(try loss.item(), 1.7409392978, accuracy: 1e-6)
    }

    func testLabelSmoothingMixesInTheMeanOverClasses() throws {
        // smooth = Σ_c −logp per row = 4.22281788 for both rows, mean 4.22281788
        // (1 − 0.1)·1.90760596 + (0.1 / 3)·4.22281788 = 1.71684537 + 0.14076060 = 1.85760596
        let loss = try Loss.crossEntropy(logits, targets: targets, labelSmoothing: 0.1)
        XCTAssertEqual(try loss.item(), 1.8576059644, accuracy: 1e-6)
    }

    func testLabelSmoothingWithClassWeightsDividesByTheTargetWeights() throws {
        // Σ_c w_c·(−logp): row 0 = 2.40760596 + 2·1.40760596 + 3·0.40760596 = 6.44563576,
        // row 1 = 0.40760596 + 2·1.40760596 + 3·2.40760596 = 10.44563576; (6.44563576 + 10.44563576) / 3 = 5.63042384
        // 0.9·1.74093930 + (0.1 / 3)·5.63042384 = 1.56684537 + 0.18768079 = 1.75452616
        let loss = try Loss.crossEntropy(logits, targets: targets, classWeights: [1, 2, 3], labelSmoothing: 0.1)
        XCTAssertEqual(try loss.item(), 1.7545261633, accuracy: 1e-6)
    }

    func testCrossEntropyIsStableForHugeLogits() throws {
        // logp = [0, −1000] (the maximum is subtracted before exp), so the losses are 0 and 1000.
        let huge = try Tensor(shape: [1, 2], values: [1000, 0])
        XCTAssertEqual(try Loss.crossEntropy(huge, targets: [0]).item(), 0, accuracy: 1e-6)
        XCTAssertEqual(try Loss.crossEntropy(huge, targets: [1]).item(), 1000, accuracy: 1e-3)
    }

    func testCrossEntropyGradientIsSoftmaxMinusOneHotOverBatch() throws {
        // d/dlogits of the mean CE = (softmax − onehot) / B. Row 0 softmax = exp(logp) =
        // [0.09003057, 0.24472847, 0.66524096]; minus onehot(0), halved: [−0.45498472, 0.12236424, 0.33262048].
        let x = logits.detached().requiringGrad()
        let grads = try Loss.crossEntropy(x, targets: targets).backward()
        let g = try XCTUnwrap(grads[x]).toArray()
        assertClose(Array(g[0..<3]), [-0.45498472, 0.12236424, 0.33262048], tolerance: 1e-6)
    }

    func testCrossEntropyGradientsMatchFiniteDifferences() throws {
        var rng = SeededGenerator(seed: 3)
        let x = try Tensor.randn([4, 3], generator: &rng)
        try assertGradientsMatchFiniteDifferences([x]) { inputs in
            try Loss.crossEntropy(inputs[0], targets: [2, 0, 1, 2], classWeights: [0.5, 2, 1], labelSmoothing: 0.2)
        }
        try assertGradientsMatchFiniteDifferences([x]) { inputs in
            try Loss.crossEntropy(inputs[0], targets: [2, 0, 1, 1])
        }
    }

    func testCrossEntropyRejectsBadArguments() throws {
        XCTAssertThrowsError(try Loss.crossEntropy(logits, targets: [0, 3])) { error in
            XCTAssertEqual(error as? LossError, .targetOutOfRange(index: 1, target: 3, classes: 3))
        }
        XCTAssertThrowsError(try Loss.crossEntropy(logits, targets: [0])) { error in
            XCTAssertEqual(error as? LossError, .targetCount(expected: 2, got: 1))
        }
        XCTAssertThrowsError(try Loss.crossEntropy(logits, targets: targets, classWeights: [1, 2]))
        XCTAssertThrowsError(try Loss.crossEntropy(logits, targets: targets, classWeights: [1, -1, 2]))
        XCTAssertThrowsError(try Loss.crossEntropy(logits, targets: targets, classWeights: [0, 0, 1])) { error in
            XCTAssertEqual(error as? LossError, .zeroTotalWeight)
        }
        XCTAssertThrowsError(try Loss.crossEntropy(logits, targets: targets, labelSmoothing: 1.5))
        XCTAssertThrowsError(try Loss.crossEntropy(Tensor([1, 2, 3]), targets: [0]))
    }

    func testMSEIsTheMeanSquaredDifferenceWithGradient() throws {
        // ((1−1)² + (2−0)² + (3−0)²) / 3 = 13/3; d/dp = 2(p − t)/3 = [0, 4/3, 2]
        let p = Tensor([1, 2, 3]).requiringGrad()
        let loss = try Loss.mse(p, Tensor([1, 0, 0]))
        XCTAssertEqual(try loss.item(), 13.0 / 3.0, accuracy: 1e-6)
        assertClose(try XCTUnwrap(loss.backward()[p]).toArray(), [0, 4.0 / 3.0, 2], tolerance: 1e-6)
        XCTAssertThrowsError(try Loss.mse(p, Tensor([1, 2])))
    }
}
