import Tensors
import TestSupport
import XCTest

/// Every op with a backward, checked against central finite differences (TestSupport).
final class GradientCheckTests: XCTestCase {
    var rng = SeededGenerator(seed: 2024)

    func randn(_ shape: [Int]) throws -> Tensor { try Tensor.randn(shape, generator: &rng) }
    /// Values in ±[0.3, 1.3]: away from 0 so kinks (relu) and poles (1/x) are not crossed.
    func awayFromZero(_ shape: [Int]) throws -> Tensor {
        let v = try randn(shape).toArray().map { ($0 < 0 ? -1 : 1) * (0.3 + Swift.min(abs($0), 1)) }
        return try Tensor(shape: shape, values: v)
    }
    func positive(_ shape: [Int]) throws -> Tensor {
        try Tensor(shape: shape, values: try randn(shape).toArray().map { abs($0) + 0.5 })
    }

    // MARK: Element-wise

    func testAddSubMulDivWithBroadcasting() throws {
        let a = try randn([2, 3]), row = try awayFromZero([3]), col = try awayFromZero([2, 1])
        try assertGradientsMatchFiniteDifferences([a, row]) { try $0[0] + $0[1] }
        try assertGradientsMatchFiniteDifferences([a, col]) { try $0[0] - $0[1] }
        try assertGradientsMatchFiniteDifferences([col, row]) { try $0[0] * $0[1] }
        try assertGradientsMatchFiniteDifferences([a, row]) { try $0[0] / $0[1] }
        try assertGradientsMatchFiniteDifferences([a, Tensor(scalar: 1.5)]) { try $0[0] / $0[1] }
    }

    func testScalarOps() throws {
        try assertGradientsMatchFiniteDifferences([try randn([4])]) { ((2 - $0[0]) * 3 + 1) / 4 }
        try assertGradientsMatchFiniteDifferences([try randn([4])]) { -$0[0] }
    }

    func testUnaryFunctions() throws {
        let x = try randn([2, 3])
        try assertGradientsMatchFiniteDifferences([x]) { $0[0].exp() }
        try assertGradientsMatchFiniteDifferences([try positive([5])]) { $0[0].log() }
        try assertGradientsMatchFiniteDifferences([try positive([5])]) { $0[0].sqrt() }
        try assertGradientsMatchFiniteDifferences([try positive([5])]) { $0[0].pow(3) }
        try assertGradientsMatchFiniteDifferences([try positive([5])]) { $0[0].pow(-0.5) }
        try assertGradientsMatchFiniteDifferences([x]) { $0[0].pow(2) }
        try assertGradientsMatchFiniteDifferences([x]) { $0[0].tanh() }
        try assertGradientsMatchFiniteDifferences([try awayFromZero([6])]) { $0[0].relu() }
        try assertGradientsMatchFiniteDifferences([try randn([8]) * 2]) { $0[0].gelu() }
        try assertGradientsMatchFiniteDifferences([x]) { $0[0].sigmoid() }
        // Points at least 5h away from the bounds ±0.2, inside and outside.
        try assertGradientsMatchFiniteDifferences([Tensor([-0.5, -0.1, 0.05, 0.15, 0.4, 0.9])]) { try $0[0].clamp(low: -0.2, high: 0.2) }
    }

    // MARK: Softmax, reductions

    func testSoftmaxAndLogSoftmaxOverEachDim() throws {
        let x = try randn([2, 3, 4])
        for dim in [0, 1, -1] {
            try assertGradientsMatchFiniteDifferences([x]) { try $0[0].softmax(dim: dim) }
            try assertGradientsMatchFiniteDifferences([x]) { try $0[0].logSoftmax(dim: dim) }
        }
    }

    func testSumMeanMax() throws {
        let x = try randn([2, 3, 4])
        try assertGradientsMatchFiniteDifferences([x]) { try $0[0].sum(dims: [1]) }
        try assertGradientsMatchFiniteDifferences([x]) { try $0[0].sum(dims: [0, 2], keepDim: true) }
        try assertGradientsMatchFiniteDifferences([x]) { $0[0].sum() }
        try assertGradientsMatchFiniteDifferences([x]) { try $0[0].mean(dims: [-1]) }
        try assertGradientsMatchFiniteDifferences([x]) { $0[0].mean() }
        // Distinct values spaced more than 2h apart, so the argmax does not move under ±h.
        let spaced = try Tensor(shape: [2, 3], values: [0.1, 0.9, -0.4, 1.2, -0.7, 0.5])
        try assertGradientsMatchFiniteDifferences([spaced]) { try $0[0].max(dims: [1]) }
        try assertGradientsMatchFiniteDifferences([spaced]) { try $0[0].max(dims: [0], keepDim: true) }
        try assertGradientsMatchFiniteDifferences([spaced]) { try $0[0].max() }
    }

    // MARK: Matrix products

    func testMatmulEveryTransposeCombination() throws {
        let a = try randn([3, 4]), b = try randn([4, 2])
        let aT = try randn([4, 3]), bT = try randn([2, 4])
        try assertGradientsMatchFiniteDifferences([a, b]) { try $0[0].matmul($0[1]) }
        try assertGradientsMatchFiniteDifferences([aT, b]) { try $0[0].transpose(0, 1).matmul($0[1]) }
        try assertGradientsMatchFiniteDifferences([a, bT]) { try $0[0].matmul($0[1].transpose(0, 1)) }
        try assertGradientsMatchFiniteDifferences([aT, bT]) { try $0[0].transpose(0, 1).matmul($0[1].transpose(0, 1)) }
    }

    func testBatchedAndBroadcastMatmul() throws {
        let a = try randn([2, 3, 4]), b = try randn([2, 4, 2]), w = try randn([4, 2])
        try assertGradientsMatchFiniteDifferences([a, b]) { try $0[0].matmul($0[1]) }
        try assertGradientsMatchFiniteDifferences([a, w]) { try $0[0].matmul($0[1]) }
        try assertGradientsMatchFiniteDifferences([w.transpose(0, 1).contiguous(), a]) { try $0[0].matmul($0[1].transpose(1, 2)) }
        // A matrix times a batch: the left gradient is summed over the broadcast batch.
        try assertGradientsMatchFiniteDifferences([try randn([3, 4]), b]) { try $0[0].matmul($0[1]) }
        // Attention shape: [B, T, H, D] permuted to [B, H, T, D], q·kᵀ.
        let q = try randn([1, 3, 2, 2]), k = try randn([1, 3, 2, 2])
        try assertGradientsMatchFiniteDifferences([q, k]) {
            try $0[0].permute([0, 2, 1, 3]).matmul($0[1].permute([0, 2, 3, 1]))
        }
    }

    func testLinear() throws {
        let x = try randn([2, 3, 4]), w = try randn([5, 4]), b = try randn([5])
        try assertGradientsMatchFiniteDifferences([x, w, b]) { try $0[0].linear(weight: $0[1], bias: $0[2]) }
        try assertGradientsMatchFiniteDifferences([x, w]) { try $0[0].linear(weight: $0[1], bias: nil) }
        try assertGradientsMatchFiniteDifferences([x, w]) { try $0[0].transpose(0, 1).linear(weight: $0[1], bias: nil) }
    }

    // MARK: Indexing and neural-network ops

    func testEmbeddingWithRepeatedIds() throws {
        let ids = try IndexTensor(rows: [[1, 3, 1], [0, 1, 2]])
        try assertGradientsMatchFiniteDifferences([try randn([4, 3])]) { try Tensor.embedding(weight: $0[0], ids: ids) }
    }

    func testGather() throws {
        let indices = try IndexTensor(shape: [3, 2], values: [0, 2, 1, 1, 3, 0])
        try assertGradientsMatchFiniteDifferences([try randn([3, 4])]) { try $0[0].gather(indices: indices) }
    }

    func testConcat() throws {
        try assertGradientsMatchFiniteDifferences([try randn([2, 3]), try randn([2, 1])]) { try Tensor.concat($0, dim: 1) }
        try assertGradientsMatchFiniteDifferences([try randn([1, 3]), try randn([2, 3])]) { try Tensor.concat($0, dim: 0) }
    }

    func testMaskedFill() throws {
        let mask = Tensor([1, 0, 0, 1])
        try assertGradientsMatchFiniteDifferences([try randn([3, 4])]) { try $0[0].maskedFill(mask: mask, value: -5) }
    }

    func testLayerNorm() throws {
        let x = try randn([3, 5]), w = try randn([5]), b = try randn([5])
        try assertGradientsMatchFiniteDifferences([x, w, b]) { try $0[0].layerNorm(weight: $0[1], bias: $0[2], eps: 1e-5) }
        try assertGradientsMatchFiniteDifferences([x]) { try $0[0].layerNorm(weight: nil, bias: nil, eps: 1e-5) }
    }

    func testDropoutWithAFixedMask() throws {
        let x = try randn([4, 5])
        // The same seed inside every evaluation draws the same mask.
        try assertGradientsMatchFiniteDifferences([x]) {
            var g = SeededGenerator(seed: 9)
            return try $0[0].dropout(p: 0.3, training: true, generator: &g)
        }
    }

    // MARK: Views

    func testViews() throws {
        let x = try randn([2, 3, 4])
        try assertGradientsMatchFiniteDifferences([x]) { try $0[0].reshape([4, -1]) * Tensor.ones([4, 6]).cumulative() }
        try assertGradientsMatchFiniteDifferences([x]) { try $0[0].permute([2, 0, 1]) }
        try assertGradientsMatchFiniteDifferences([x]) { try $0[0].transpose(0, 2).contiguous() }
        try assertGradientsMatchFiniteDifferences([x]) { try $0[0].narrow(dim: 1, start: 1, length: 2) }
        try assertGradientsMatchFiniteDifferences([x]) { try $0[0].select(dim: 2, index: 3) }
        try assertGradientsMatchFiniteDifferences([x]) { try $0[0].unsqueeze(1).expand([2, 5, 3, 4]) }
        try assertGradientsMatchFiniteDifferences([try randn([3, 1])]) { try $0[0].expand([2, 3, 4]) }
        try assertGradientsMatchFiniteDifferences([try randn([3, 1])]) { try $0[0].squeeze(1) }
    }
}

private extension Tensor {
    /// 1, 2, 3, ... in the same shape: a non-uniform constant for the reshape check.
    func cumulative() throws -> Tensor {
        try Tensor(shape: shape, values: (1...elementCount).map(Float.init))
    }
}
