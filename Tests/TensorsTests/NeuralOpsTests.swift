import Tensors
import TestSupport
import XCTest

/// Softmax, layer norm, embedding, gather, masked fill, concat, dropout against values worked
/// with Python's math module (recipes in the comments).
final class NeuralOpsTests: XCTestCase {
    /// e = [exp(v − 3) for v in (1, 2, 3)]; softmax = e / sum(e); logSoftmax = v − 3 − log(sum(e)).
    func testSoftmaxAndLogSoftmaxOverTheLastDim() throws {
        let x = try Tensor(shape: [2, 3], values: [1, 2, 3, 1001, 1002, 1003])
        let expected: [Float] = [0.09003057, 0.24472847, 0.66524096]
        assertClose(try x.softmax(dim: -1).toArray(), expected + expected, tolerance: 1e-6)
        let logExpected: [Float] = [-2.40760596, -1.40760596, -0.40760596]
        // The second row is shifted by 1000: one Float ulp there is 6e-5.
        assertClose(try x.logSoftmax(dim: 1).toArray(), logExpected + logExpected, tolerance: 1.5e-4)
    }

    /// HF attention masks add the Float32 minimum: those positions get probability 0; a long
    /// row (vector body + tail) still sums to 1.
    func testSoftmaxWithMaskedPositionsAndALongRow() throws {
        let masked = try Tensor(shape: [1, 3], values: [1, -Float.greatestFiniteMagnitude, 3]).softmax(dim: -1)
        assertClose(masked.toArray(), [0.11920292, 0, 0.88079708], tolerance: 1e-6)
        var g = SeededGenerator(seed: 6)
        let long = try Tensor.randn([2, 37], std: 3, generator: &g).softmax(dim: -1).toArray()
        XCTAssertEqual(Double(long[0..<37].reduce(0, +)), 1, accuracy: 1e-5)
        XCTAssertEqual(Double(long[37...].reduce(0, +)), 1, accuracy: 1e-5)
    }

    func testSoftmaxOverTheFirstDimMatchesSoftmaxOfTheTranspose() throws {
        let x = try Tensor(shape: [3, 2], values: [1, 0, 2, 0, 3, 0])
        let s = try x.softmax(dim: 0)
        XCTAssertEqual(s.shape, [3, 2])
        assertClose(s.toArray(), [0.09003057, 1.0 / 3, 0.24472847, 1.0 / 3, 0.66524096, 1.0 / 3], tolerance: 1e-6)
    }

    /// x = [1, 2, 3, 4]: mean 2.5, biased var 1.25, (x − 2.5)/√(1.25 + 1e-5).
    func testLayerNormNormalisesTheLastDim() throws {
        let x = try Tensor(shape: [2, 4], values: [1, 2, 3, 4, 2, 4, 6, 8])
        let plain: [Float] = [-1.34163542, -0.44721181, 0.44721181, 1.34163542]
        assertClose(try x.layerNorm(weight: nil, bias: nil, eps: 1e-5).toArray(), plain + plain, tolerance: 2e-5)
        let w = Tensor([1, 2, 1, 1]), b = Tensor([0, 0, 0, 10])
        let y = try x.layerNorm(weight: w, bias: b, eps: 1e-5).toArray()
        assertClose(Array(y[0..<4]), [-1.34163542, -0.89442362, 0.44721181, 11.34163542], tolerance: 2e-5)
        XCTAssertThrowsError(try x.layerNorm(weight: Tensor([1, 2]), bias: nil, eps: 1e-5))
    }

    func testEmbeddingPicksRows() throws {
        let w = try Tensor(shape: [3, 2], values: [0, 1, 10, 11, 20, 21])
        let ids = try IndexTensor(rows: [[2, 0], [1, 1]])
        let e = try Tensor.embedding(weight: w, ids: ids)
        XCTAssertEqual(e.shape, [2, 2, 2])
        XCTAssertEqual(e.toArray(), [20, 21, 0, 1, 10, 11, 10, 11])
        XCTAssertThrowsError(try Tensor.embedding(weight: w, ids: IndexTensor([3]))) { error in
            XCTAssertEqual(error as? TensorError, .indexOutOfRange(operation: "embedding id", index: 3, size: 3))
        }
    }

    func testGatherAlongTheLastDim() throws {
        let x = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let picked = try x.gather(indices: IndexTensor(shape: [2, 1], values: [2, 0]))
        XCTAssertEqual(picked.toArray(), [3, 4])
        XCTAssertEqual(try x.gather(indices: IndexTensor(shape: [2, 2], values: [0, 0, 1, 2])).toArray(), [1, 1, 5, 6])
        XCTAssertThrowsError(try x.gather(indices: IndexTensor(shape: [2, 1], values: [3, 0])))
        XCTAssertThrowsError(try x.gather(indices: IndexTensor(shape: [3, 1], values: [0, 0, 0])))
    }

    func testMaskedFillBroadcastsTheMask() throws {
        let x = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let mask = Tensor([0, 1, 0])
        XCTAssertEqual(try x.maskedFill(mask: mask, value: -100).toArray(), [1, -100, 3, 4, -100, 6])
        XCTAssertThrowsError(try Tensor([1, 2, 3]).maskedFill(mask: x, value: 0))
    }

    func testConcatAlongEachDim() throws {
        let a = try Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        let b = try Tensor(shape: [2, 1], values: [5, 6])
        XCTAssertEqual(try Tensor.concat([a, b], dim: 1).toArray(), [1, 2, 5, 3, 4, 6])
        XCTAssertEqual(try Tensor.concat([a, a], dim: 0).toArray(), [1, 2, 3, 4, 1, 2, 3, 4])
        XCTAssertThrowsError(try Tensor.concat([a, b], dim: 0))
    }

    /// Kept elements are scaled by 1/(1 − p); about p of them are zero; eval mode is the identity.
    func testDropoutScalesKeptElementsAndIsIdentityInEval() throws {
        let x = try Tensor.ones([10_000])
        var g = SeededGenerator(seed: 5)
        let y = try x.dropout(p: 0.25, training: true, generator: &g).toArray()
        XCTAssertTrue(y.allSatisfy { $0 == 0 || abs($0 - 4.0 / 3.0) < 1e-6 })
        let zeros = y.filter { $0 == 0 }.count
        XCTAssertEqual(Double(zeros) / 10_000, 0.25, accuracy: 0.02)
        var g2 = SeededGenerator(seed: 5)
        XCTAssertEqual(try x.dropout(p: 0.25, training: true, generator: &g2).toArray(), y, "same seed, same mask")
        XCTAssertTrue(try x.dropout(p: 0.25, training: false, generator: &g) === x)
        XCTAssertThrowsError(try x.dropout(p: 1.5, training: true, generator: &g))
    }
}
