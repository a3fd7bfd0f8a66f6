import Tensors
import TestSupport
import XCTest

/// A = [[1,2,3],[4,5,6]] (2×3), B = [[7,8],[9,10],[11,12]] (3×2): A·B = [[58,64],[139,154]].
final class MatmulTests: XCTestCase {
    let a = try! Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
    let b = try! Tensor(shape: [3, 2], values: [7, 8, 9, 10, 11, 12])

    func testTwoByThreeTimesThreeByTwo() throws {
        XCTAssertEqual(try a.matmul(b).toArray(), [58, 64, 139, 154])
    }

    /// Every transpose combination, with operands given as transposed views (no copy):
    /// (Bᵀ)ᵀ = B and (Aᵀ)ᵀ = A, so all four products equal A·B.
    func testAllTransposeCombinations() throws {
        let aT = try a.transpose(0, 1).contiguous().transpose(0, 1)   // A with strides [1, 2]
        let bT = try b.transpose(0, 1).contiguous().transpose(0, 1)   // B with strides [1, 3]
        XCTAssertEqual(aT.strides, [1, 2])
        for (l, r) in [(a, b), (aT, b), (a, bT), (aT, bT)] {
            XCTAssertEqual(try l.matmul(r).toArray(), [58, 64, 139, 154])
        }
        // Bᵀ·Aᵀ = (A·B)ᵀ = [[58,139],[64,154]]
        XCTAssertEqual(try b.transpose(0, 1).matmul(a.transpose(0, 1)).toArray(), [58, 139, 64, 154])
    }

    func testBatchedWithBroadcastRightOperand() throws {
        // Batch of [A, 2A] times B → [A·B, 2·A·B].
        let batch = try Tensor.concat([a.unsqueeze(0), (a * 2).unsqueeze(0)], dim: 0)
        XCTAssertEqual(try batch.matmul(b).toArray(), [58, 64, 139, 154, 116, 128, 278, 308])
        XCTAssertEqual(try batch.matmul(b.unsqueeze(0)).shape, [2, 2, 2])
    }

    /// Attention-style product on permuted views: q, k [B, T, H, D] permuted to [B, H, T, D];
    /// scores = q · kᵀ computed per batch item equals a naive triple loop.
    func testBatchedProductOnPermutedViews() throws {
        var g = SeededGenerator(seed: 7)
        let (bs, t, h, d) = (2, 3, 2, 4)
        let q = try Tensor.randn([bs, t, h, d], generator: &g)
        let k = try Tensor.randn([bs, t, h, d], generator: &g)
        let qh = try q.permute([0, 2, 1, 3]), kh = try k.permute([0, 2, 1, 3])
        let scores = try qh.matmul(kh.transpose(-1, -2))
        XCTAssertEqual(scores.shape, [bs, h, t, t])
        let qv = q.toArray(), kv = k.toArray(), sv = scores.toArray()
        for b in 0..<bs { for hh in 0..<h { for i in 0..<t { for j in 0..<t {
            var s: Float = 0
            for e in 0..<d { s += qv[((b * t + i) * h + hh) * d + e] * kv[((b * t + j) * h + hh) * d + e] }
            XCTAssertEqual(sv[((b * h + hh) * t + i) * t + j], s, accuracy: 1e-5)
        } } } }
    }

    func testShapeErrorsThrow() {
        XCTAssertThrowsError(try a.matmul(a))
        XCTAssertThrowsError(try Tensor([1, 2]).matmul(b))
    }

    /// linear(x, W, b) = x·Wᵀ + b with W [out, in]: x = A (2×3), W = Bᵀ (2×3), b = [1, −1]
    /// → A·B + b = [[59, 63], [140, 153]].
    func testLinearUsesPyTorchWeightLayout() throws {
        let w = try b.transpose(0, 1).contiguous()
        XCTAssertEqual(try a.linear(weight: w, bias: Tensor([1, -1])).toArray(), [59, 63, 140, 153])
        XCTAssertEqual(try a.linear(weight: w, bias: nil).toArray(), [58, 64, 139, 154])
        // Rank-3 input and a transposed (non-contiguous) input give the same rows.
        let x3 = try a.reshape([1, 2, 3])
        XCTAssertEqual(try x3.linear(weight: w, bias: nil).shape, [1, 2, 2])
        let aT = try a.transpose(0, 1).contiguous().transpose(0, 1)
        XCTAssertEqual(try aT.linear(weight: w, bias: nil).toArray(), [58, 64, 139, 154])
        // A weight given as a transposed view (e.g. tied to an [in, out] matrix) is read in place.
        XCTAssertEqual(try a.linear(weight: b.transpose(0, 1), bias: nil).toArray(), [58, 64, 139, 154])
        XCTAssertThrowsError(try a.linear(weight: b, bias: nil))
        XCTAssertThrowsError(try a.linear(weight: w, bias: Tensor([1, 2, 3])))
    }
}
