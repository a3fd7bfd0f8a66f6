@testable import Tensors
import TestSupport
import XCTest

/// Hand-worked gradients (math in the comments) and the rules of the tape.
final class BackwardTests: XCTestCase {
    // y = x² + 5x + 4, dy/dx = 2x + 5
    func testPolynomial() throws {
        let x = Tensor([3, 1, 4], requiresGrad: true)
        let y = try (x * x + x * 5 + 4).sum()
        XCTAssertEqual(try y.item(), 28 + 10 + 40)
        XCTAssertEqual(try y.backward()[x]?.toArray(), [11, 7, 13])
    }

    // y = exp(x), dy/dx = exp(x)
    func testExp() throws {
        let x = Tensor([0, 1], requiresGrad: true)
        assertClose(try x.exp().sum().backward()[x]?.toArray() ?? [], [1, 2.7182817], tolerance: 1e-6)
    }

    // L = Σ (A·B): dL/dA = 1·Bᵀ (each row = row sums of B = [15, 19, 23]),
    // dL/dB = Aᵀ·1 (row i = column sum i of A = [5, 7, 9]).
    func testMatmulSum() throws {
        let a = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6], requiresGrad: true)
        let b = try Tensor(shape: [3, 2], values: [7, 8, 9, 10, 11, 12], requiresGrad: true)
        let grads = try a.matmul(b).sum().backward()
        XCTAssertEqual(grads[a]?.toArray(), [15, 19, 23, 15, 19, 23])
        XCTAssertEqual(grads[b]?.toArray(), [5, 5, 7, 7, 9, 9])
    }

    // L = Σ (a + b) with a [2,3], b [3] broadcast over 2 rows: dL/db = [2, 2, 2].
    func testBroadcastGradientIsSummedBack() throws {
        let a = try Tensor.zeros([2, 3], requiresGrad: true)
        let b = Tensor([1, 2, 3], requiresGrad: true)
        let grads = try (a + b).sum().backward()
        XCTAssertEqual(grads[b]?.toArray(), [2, 2, 2])
        XCTAssertEqual(grads[a]?.toArray(), [1, 1, 1, 1, 1, 1])
    }

    // Σ softmax(x) = 1 and Σ layerNorm(x) = 0 for every x, so both gradients vanish.
    func testConstantSumsHaveZeroGradient() throws {
        let x = try Tensor(shape: [2, 3], values: [1, -2, 0.5, 3, 0, 1], requiresGrad: true)
        assertClose(try x.softmax(dim: -1).sum().backward()[x]?.toArray() ?? [], [Float](repeating: 0, count: 6), tolerance: 1e-6)
        assertClose(try x.layerNorm(weight: nil, bias: nil, eps: 1e-5).sum().backward()[x]?.toArray() ?? [],
                    [Float](repeating: 0, count: 6), tolerance: 1e-5)
    }

    // L = −log softmax(z)[label] (cross-entropy from primitives): dL/dz = softmax(z) − onehot.
    func testCrossEntropyFromPrimitives() throws {
        let z = try Tensor(shape: [1, 3], values: [1, 2, 3], requiresGrad: true)
        let loss = try -(z.logSoftmax(dim: -1).gather(indices: IndexTensor(shape: [1, 1], values: [0])).mean())
        assertClose([try loss.item()], [2.40760596], tolerance: 1e-5)
        assertClose(try loss.backward()[z]?.toArray() ?? [], [0.09003057 - 1, 0.24472847, 0.66524096], tolerance: 1e-6)
    }

    // y = x·x where x is used twice as an input of one op: dy/dx = 2x (contributions add).
    func testTensorUsedTwiceAccumulates() throws {
        let x = Tensor([2, -3], requiresGrad: true)
        let h = x * 3
        let y = try (h + h * x).sum()   // 3x + 3x², dy/dx = 3 + 6x
        XCTAssertEqual(try y.backward()[x]?.toArray(), [15, -15])
    }

    func testFrozenParameterGetsNoGradientAndIsNotVisited() throws {
        let frozen = Parameter(name: "lower.weight", value: try Tensor(shape: [2, 2], values: [1, 2, 3, 4]), requiresGrad: false)
        let trained = Parameter(name: "upper.weight", value: try Tensor(shape: [2, 2], values: [1, 0, 0, 1]))
        let x = try Tensor(shape: [1, 2], values: [1, 1])
        let hidden = try x.linear(weight: frozen.value, bias: nil)
        XCTAssertFalse(hidden.requiresGrad, "nothing under a frozen layer is recorded")
        let grads = try hidden.linear(weight: trained.value, bias: nil).sum().backward()
        XCTAssertNil(grads[frozen])
        XCTAssertEqual(grads.count, 1)
        // hidden = [3, 7]; L = Σ hidden·Wᵀ: dL/dW[i][j] = hidden[j].
        XCTAssertEqual(grads[trained]?.toArray(), [3, 7, 3, 7])
    }

    /// Frozen means free: with the lower weight frozen, backward runs one sgemm (the upper
    /// weight's gradient) instead of three (upper dW, upper dX, lower dW); the input's dX is
    /// never computed because the input is a constant.
    func testFrozenLowerLayerSkipsItsMatrixProducts() throws {
        var g = SeededGenerator(seed: 8)
        let x = try Tensor.randn([4, 8], generator: &g)
        let lower = Parameter(name: "lower", value: try Tensor.randn([8, 8], generator: &g))
        let upper = Parameter(name: "upper", value: try Tensor.randn([3, 8], generator: &g))
        func backwardProducts() throws -> Int {
            let loss = try x.linear(weight: lower.value, bias: nil).relu().linear(weight: upper.value, bias: nil).sum()
            let before = Gemm.callCount
            _ = try loss.backward()
            return Gemm.callCount - before
        }
        XCTAssertEqual(try backwardProducts(), 3)
        lower.requiresGrad = false
        XCTAssertEqual(try backwardProducts(), 1)
    }

    /// Same seed → bit-identical loss and gradients (dropout, matmul, layer norm, softmax).
    func testTrainingStepIsDeterministic() throws {
        func step() throws -> ([Float], [Float]) {
            var g = SeededGenerator(seed: 11)
            let w = try Tensor.randn([64, 32], generator: &g, requiresGrad: true)
            let x = try Tensor.randn([40, 32], generator: &g)
            let h = try x.linear(weight: w, bias: nil).gelu().dropout(p: 0.1, training: true, generator: &g)
            let loss = try h.layerNorm(weight: nil, bias: nil, eps: 1e-5).logSoftmax(dim: -1).mean()
            let grads = try loss.backward()
            return (loss.toArray(), grads[w]?.toArray() ?? [])
        }
        let first = try step(), second = try step()
        XCTAssertEqual(first.0, second.0)
        XCTAssertEqual(first.1, second.1)
        XCTAssertEqual(first.1.count, 64 * 32)
    }

    func testBackwardErrors() throws {
        let x = Tensor([1, 2], requiresGrad: true)
        XCTAssertThrowsError(try (x * 2).backward(), "a loss must have one element")
        XCTAssertThrowsError(try Tensor(scalar: 1).backward(), "a constant has no graph")
        XCTAssertEqual(try (x * 2).backward(seed: Tensor([1, 10]))[x]?.toArray(), [2, 20])
    }

    func testGradientOfALeafLossIsOne() throws {
        let x = Tensor(scalar: 3, requiresGrad: true)
        XCTAssertEqual(try x.backward()[x]?.toArray(), [1])
    }
}
