import Tensors
import TestSupport
import XCTest

/// x = [[1, 2, 3], [4, 5, 6]] (and a 2×2×2 cube 0…7), reduced by hand.
final class ReductionTests: XCTestCase {
    let x = try! Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])

    func testSumOverDims() throws {
        XCTAssertEqual(try x.sum(dims: [0]).toArray(), [5, 7, 9])
        XCTAssertEqual(try x.sum(dims: [1]).toArray(), [6, 15])
        XCTAssertEqual(try x.sum(dims: [-1], keepDim: true).shape, [2, 1])
        XCTAssertEqual(try x.sum().item(), 21)
        XCTAssertEqual(x.sum().shape, [])
        XCTAssertThrowsError(try x.sum(dims: [2]))
    }

    func testSumOverNonAdjacentDimsAndOfAView() throws {
        let cube = try Tensor(shape: [2, 2, 2], values: (0..<8).map(Float.init))
        // Over dims 0 and 2: [0+1+4+5, 2+3+6+7] = [10, 18]
        XCTAssertEqual(try cube.sum(dims: [0, 2]).toArray(), [10, 18])
        // xᵀ = [[1,4],[2,5],[3,6]] summed along its rows.
        XCTAssertEqual(try x.transpose(0, 1).sum(dims: [1]).toArray(), [5, 7, 9])
    }

    func testMean() throws {
        XCTAssertEqual(try x.mean(dims: [0]).toArray(), [2.5, 3.5, 4.5])
        XCTAssertEqual(try x.mean().item(), 3.5)
    }

    func testMaxAndArgmax() throws {
        let y = try Tensor(shape: [2, 3], values: [3, 9, 1, 7, 2, 7])
        XCTAssertEqual(try y.max(dims: [1]).toArray(), [9, 7])
        XCTAssertEqual(try y.max(dims: [0], keepDim: true).toArray(), [7, 9, 7])
        XCTAssertEqual(try y.max().item(), 9)
        XCTAssertEqual(try y.argmax(dim: 1).values, [1, 0], "ties go to the first maximum")
        XCTAssertEqual(try y.argmax(dim: 0).values, [1, 0, 1])
        XCTAssertEqual(try y.argmax(dim: -1, keepDim: true).shape, [2, 1])
    }

    /// A bias-gradient shaped sum ([rows, features] over rows) splits columns across threads,
    /// yet each column is still added row by row: bit-identical to a sequential Float loop,
    /// whatever the number of threads.
    func testColumnSumsOfALargeMatrixAreBitIdenticalToASequentialLoop() throws {
        var g = SeededGenerator(seed: 4)
        let t = try Tensor.randn([300, 257], generator: &g)
        let v = t.toArray()
        let sums = try t.sum(dims: [0]).toArray()
        for j in 0..<257 {
            var reference: Float = 0
            for r in 0..<300 { reference += v[r * 257 + j] }
            XCTAssertEqual(sums[j], reference)
        }
    }

    func testLongRowSumsMatchADoubleSum() throws {
        var g = SeededGenerator(seed: 3)
        let t = try Tensor.randn([3, 1000], generator: &g)
        let v = t.toArray()
        let sums = try t.sum(dims: [1]).toArray()
        for r in 0..<3 {
            let reference = v[(r * 1000)..<((r + 1) * 1000)].reduce(0.0) { $0 + Double($1) }
            XCTAssertEqual(Double(sums[r]), reference, accuracy: 1e-3)
        }
    }
}
