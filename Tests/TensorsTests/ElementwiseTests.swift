import Tensors
import TestSupport
import XCTest

final class ElementwiseTests: XCTestCase {
    func testBroadcastingFollowsNumPyRules() throws {
        let a = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let row = Tensor([10, 20, 30])
        let col = try Tensor(shape: [2, 1], values: [100, 200])
        XCTAssertEqual(try (a + row).toArray(), [11, 22, 33, 14, 25, 36])
        XCTAssertEqual(try (a + col).toArray(), [101, 102, 103, 204, 205, 206])
        // [2,1] · [3] → [2,3] outer product.
        XCTAssertEqual(try (col * row).toArray(), [1000, 2000, 3000, 2000, 4000, 6000])
        XCTAssertEqual(try (a - row).toArray(), [-9, -18, -27, -6, -15, -24])
        XCTAssertEqual(try (row / Tensor([2])).toArray(), [5, 10, 15])
        XCTAssertThrowsError(try a + Tensor([1, 2])) { error in
            XCTAssertEqual(error as? TensorError, .broadcastMismatch(operation: "add", lhs: [2, 3], rhs: [2]))
        }
    }

    func testOperandsMayBeNonContiguousViews() throws {
        let a = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        // aᵀ + aᵀ: [[2,8],[4,10],[6,12]]
        let t = try a.transpose(0, 1)
        XCTAssertEqual(try (t + t).toArray(), [2, 8, 4, 10, 6, 12])
    }

    func testScalarOps() throws {
        let a = Tensor([1, 2, 4])
        XCTAssertEqual((a + 1).toArray(), [2, 3, 5])
        XCTAssertEqual((1 - a).toArray(), [0, -1, -3])
        XCTAssertEqual((a * 3).toArray(), [3, 6, 12])
        XCTAssertEqual((a / 2).toArray(), [0.5, 1, 2])
        XCTAssertEqual((-a).toArray(), [-1, -2, -4])
    }

    /// References from Python's math module (math.exp, math.log, math.tanh, 1/(1+exp(−x)),
    /// gelu(x) = 0.5·x·(1 + math.erf(x/√2))).
    func testUnaryFunctions() throws {
        let x = Tensor([-1, 0, 2])
        assertClose(x.exp().toArray(), [0.36787944, 1, 7.3890561], tolerance: 1e-6)
        assertClose(Tensor([1, 4, 9]).log().toArray(), [0, 1.3862944, 2.1972246], tolerance: 1e-6)
        XCTAssertEqual(Tensor([1, 4, 9]).sqrt().toArray(), [1, 2, 3])
        XCTAssertEqual(Tensor([1, 2, 3]).pow(2).toArray(), [1, 4, 9])
        assertClose(Tensor([4, 9]).pow(0.5).toArray(), [2, 3], tolerance: 1e-6)
        assertClose(x.tanh().toArray(), [-0.76159416, 0, 0.96402758], tolerance: 1e-6)
        assertClose(x.sigmoid().toArray(), [0.26894142, 0.5, 0.88079708], tolerance: 1e-6)
        XCTAssertEqual(x.relu().toArray(), [0, 0, 2])
        // torch.relu(torch.tensor([nan, -inf, inf])) is [nan, 0, inf]: NaN passes through.
        let special = Tensor([.nan, -.infinity, .infinity]).relu().toArray()
        XCTAssertTrue(special[0].isNaN)
        XCTAssertEqual(Array(special[1...]), [0, .infinity])
        assertClose(Tensor([-2, -0.5, 0, 1, 3]).gelu().toArray(),
                    [-0.04550026, -0.15426877, 0, 0.84134475, 2.99595031], tolerance: 1e-6)
    }

    func testClampLimitsBothSides() throws {
        XCTAssertEqual(try Tensor([-2, 0.5, 3]).clamp(low: 0, high: 1).toArray(), [0, 0.5, 1])
        XCTAssertEqual(try Tensor([-2, 0.5]).clamp(low: 0).toArray(), [0, 0.5])
        XCTAssertThrowsError(try Tensor([1]).clamp(low: 2, high: 1))
    }

    func testLargeTensorsTakeTheParallelPathWithTheSameResult() throws {
        var g = SeededGenerator(seed: 1)
        let a = try Tensor.randn([300, 257], generator: &g)
        let b = try Tensor.randn([257], generator: &g)
        let sum = try (a + b).toArray()
        let av = a.toArray(), bv = b.toArray()
        for i in stride(from: 0, to: av.count, by: 997) { XCTAssertEqual(sum[i], av[i] + bv[i % 257]) }
        let gelu = a.gelu().toArray()
        XCTAssertEqual(gelu[12345], 0.5 * av[12345] * (1 + erff(av[12345] / Float(2).squareRoot())), accuracy: 1e-6)
    }
}
