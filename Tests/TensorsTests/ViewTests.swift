import Tensors
import TestSupport
import XCTest

/// Views share storage and read the right elements; worked by hand on a 2×3 / 2×2×3 tensor.
final class ViewTests: XCTestCase {
    let x = try! Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])

    func testTransposeIsAViewWithSwappedStrides() throws {
        let t = try x.transpose(0, 1)
        XCTAssertEqual(t.shape, [3, 2])
        XCTAssertEqual(t.strides, [1, 3])
        XCTAssertFalse(t.isContiguous)
        XCTAssertEqual(t.toArray(), [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(t.contiguous().toArray(), [1, 4, 2, 5, 3, 6])
        XCTAssertTrue(t.contiguous().isContiguous)
    }

    func testReshapeInfersMinusOneAndCopiesOnlyWhenNeeded() throws {
        XCTAssertEqual(try x.reshape([3, -1]).shape, [3, 2])
        XCTAssertEqual(try x.reshape([6]).toArray(), [1, 2, 3, 4, 5, 6])
        // Reshaping a transpose reads it in logical order: [[1,4],[2,5],[3,6]] → [1,4,2,5,3,6].
        XCTAssertEqual(try x.transpose(0, 1).reshape([6]).toArray(), [1, 4, 2, 5, 3, 6])
        XCTAssertThrowsError(try x.reshape([4, -1]))
        XCTAssertThrowsError(try x.reshape([5]))
    }

    func testPermuteOfRankThree() throws {
        let t = try Tensor(shape: [2, 2, 3], values: (0..<12).map(Float.init))
        // p[k][i][j] = t[i][j][k]
        let p = try t.permute([2, 0, 1])
        XCTAssertEqual(p.shape, [3, 2, 2])
        XCTAssertEqual(p.toArray(), [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11])
        XCTAssertThrowsError(try t.permute([0, 0, 1]))
    }

    func testNarrowSelectsARangeWithAnOffset() throws {
        XCTAssertEqual(try x.narrow(dim: 1, start: 1, length: 2).toArray(), [2, 3, 5, 6])
        XCTAssertEqual(try x.narrow(dim: 0, start: 1, length: 1).toArray(), [4, 5, 6])
        XCTAssertEqual(try x.select(dim: 1, index: 2).toArray(), [3, 6])
        XCTAssertThrowsError(try x.narrow(dim: 1, start: 2, length: 2))
        XCTAssertThrowsError(try x.narrow(dim: 2, start: 0, length: 1))
    }

    func testExpandRepeatsWithStrideZero() throws {
        let col = try Tensor(shape: [2, 1], values: [1, 2])
        let e = try col.expand([2, 3])
        XCTAssertEqual(e.strides, [1, 0])
        XCTAssertEqual(e.toArray(), [1, 1, 1, 2, 2, 2])
        XCTAssertEqual(try Tensor([1, 2]).expand([2, 2]).toArray(), [1, 2, 1, 2])
        XCTAssertThrowsError(try x.expand([2, 4]))
    }

    func testUnsqueezeAndSqueeze() throws {
        XCTAssertEqual(try x.unsqueeze(0).shape, [1, 2, 3])
        XCTAssertEqual(try x.unsqueeze(-1).shape, [2, 3, 1])
        XCTAssertEqual(try x.unsqueeze(1).squeeze(1).toArray(), x.toArray())
        XCTAssertThrowsError(try x.squeeze(0))
    }
}
