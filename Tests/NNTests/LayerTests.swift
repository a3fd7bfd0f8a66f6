import NN
import Tensors
import TestSupport
import XCTest

/// The NN layers: PyTorch's initialisation bounds, forward values worked by hand, mode handling.
final class LayerTests: XCTestCase {
    func testLinearInitialisationIsUniformWithinOneOverRootFanIn() throws {
        var generator = SeededGenerator(seed: 7)
        let layer = try Linear(inFeatures: 16, outFeatures: 64, name: "dense", generator: &generator)
        // kaiming_uniform_(a=√5): gain √(2/(1+5)) = √(1/3), bound = gain·√(3/in) = 1/√in = 0.25.
        let weights = layer.weight.value.toArray(), biases = layer.bias?.value.toArray() ?? []
        XCTAssertEqual(layer.weight.shape, [64, 16])
        XCTAssertEqual(biases.count, 64)
        XCTAssertTrue((weights + biases).allSatisfy { abs($0) <= 0.25 })
        // 1,024 draws from U(−¼, ¼) span most of the interval.
        XCTAssertGreaterThan(weights.max() ?? 0, 0.24)
        XCTAssertLessThan(weights.min() ?? 0, -0.24)
        XCTAssertEqual(layer.namedParameters().map(\.0), ["weight", "bias"])
        XCTAssertEqual(layer.weight.name, "dense.weight")
    }

    func testLinearComputesXTimesWeightTransposedPlusBias() throws {
        // [1, 2] · [[1, 0], [2, 3], [-1, 1]]ᵀ + [0.5, 0, -1] = [1.5, 8, 0]
        let layer = try Linear(weight: Parameter(name: "w", value: Tensor(shape: [3, 2], values: [1, 0, 2, 3, -1, 1])),
                               bias: Parameter(name: "b", value: Tensor([0.5, 0, -1])))
        XCTAssertEqual(try layer(Tensor(shape: [1, 2], values: [1, 2])).toArray(), [1.5, 8, 0])
    }

    func testLinearRejectsMisShapedBiasAndZeroSizes() throws {
        XCTAssertThrowsError(try Linear(weight: Parameter(name: "w", value: Tensor.zeros([3, 2])),
                                        bias: Parameter(name: "b", value: Tensor.zeros([2]))))
        var generator = SeededGenerator(seed: 1)
        XCTAssertThrowsError(try Linear(inFeatures: 0, outFeatures: 3, generator: &generator)) { error in
            XCTAssertTrue("\(error)".contains("must be positive"), "\(error)")
        }
    }

    func testEmbeddingPicksRows() throws {
        let table = try Embedding(weight: Parameter(name: "e", value: Tensor(shape: [3, 2], values: [0, 1, 2, 3, 4, 5])))
        XCTAssertEqual(try table(IndexTensor([2, 0])).toArray(), [4, 5, 0, 1])
        XCTAssertThrowsError(try table(IndexTensor([3])))
    }

    func testLayerNormNormalisesTheLastDim() throws {
        // [1, 3]: mean 2, variance 1 → [-1, 1] (eps negligible); weight 2, bias 1 → [-1, 3].
        let norm = try LayerNorm(width: 2, eps: 1e-12)
        norm.weight.update { $0[0] = 2; $0[1] = 2 }
        norm.bias.update { $0[0] = 1; $0[1] = 1 }
        assertClose(try norm(Tensor(shape: [1, 2], values: [1, 3])).toArray(), [-1, 3], tolerance: 1e-6)
    }

    func testDropoutIsIdentityInEvalAndScalesSurvivorsInTraining() throws {
        let dropout = try Dropout(p: 0.5, random: RandomSource(seed: 3))
        let x = try Tensor.ones([1000])
        XCTAssertTrue(try dropout(x) === x, "evaluation mode returns the input itself")
        dropout.setTraining(true)
        let y = try dropout(x).toArray()
        XCTAssertTrue(y.allSatisfy { $0 == 0 || $0 == 2 }, "survivors scaled by 1/(1-p) = 2")
        let kept = y.filter { $0 == 2 }.count
        XCTAssertTrue((400...600).contains(kept), "about half kept, got \(kept)")
        XCTAssertThrowsError(try Dropout(p: 1, random: RandomSource(seed: 0)))
    }

    func testDropoutMasksAreReproducibleFromTheSeed() throws {
        func mask(seed: UInt64) throws -> [Float] {
            let dropout = try Dropout(p: 0.3, random: RandomSource(seed: seed))
            dropout.setTraining(true)
            return try dropout(Tensor.ones([64])).toArray()
        }
        XCTAssertEqual(try mask(seed: 5), try mask(seed: 5))
        XCTAssertNotEqual(try mask(seed: 5), try mask(seed: 6))
    }

    func testActivations() throws {
        let x = Tensor([-1, 0, 2])
        // gelu(x) = x·Φ(x): Φ(−1) = 0.158655, Φ(2) = 0.977250.
        assertClose(Activation.gelu(x).toArray(), [-0.158655, 0, 1.954500], tolerance: 1e-5)
        XCTAssertEqual(Activation.relu(x).toArray(), [0, 0, 2])
        assertClose(Activation.tanh(x).toArray(), [-0.761594, 0, 0.964028], tolerance: 1e-6)
    }
}
