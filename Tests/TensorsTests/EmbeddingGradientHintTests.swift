import Tensors
import XCTest

/// An embedding table's gradient is written only in the rows of the looked-up ids; the tensor
/// says which (`nonZeroRowsHint`) so that optimizers can skip the rest, and the hint must be
/// exact: every row it leaves out is zero.
final class EmbeddingGradientHintTests: XCTestCase {
    func testLargeTableGradientNamesExactlyTheLookedUpRows() throws {
        // 2048 × 512 floats = 4 MiB: large enough for the mapped, row-recorded zeros.
        let rows = 2048, width = 512
        let table = try Tensor(shape: [rows, width], values: (0 ..< rows * width).map { Float($0 % 7) - 3 }, requiresGrad: true)
        let ids = try IndexTensor(shape: [2, 3], values: [1500, 7, 7, 0, 2047, 1500])
        let loss = try Tensor.embedding(weight: table, ids: ids).sum()
        let gradient = try XCTUnwrap(try loss.backward()[table])
        XCTAssertEqual(gradient.nonZeroRowsHint, [0, 7, 1500, 2047])
        // The hint's promise, checked on every element: rows outside it are zero, and each row
        // in it holds its count of lookups (d sum / d table = 1 per use).
        let values = gradient.toArray()
        for row in 0 ..< rows {
            let expected: Float = [7: 2, 1500: 2, 0: 1, 2047: 1][row] ?? 0
            for j in 0 ..< width where values[row * width + j] != expected {
                return XCTFail("row \(row) column \(j): \(values[row * width + j]), expected \(expected)")
            }
        }
    }

    func testHintIsAbsentForViewsOtherTensorsAndSmallTables() throws {
        let big = try Tensor.zeros([2048, 512])
        XCTAssertNil(big.nonZeroRowsHint, "zeros made directly: nothing recorded")
        let table = try Tensor.zeros([2048, 512]).detached()
        let parameter = Parameter(name: "table", value: try Tensor(shape: [2048, 512], values: table.toArray()))
        let ids = try IndexTensor(shape: [1], values: [5])
        let gradient = try XCTUnwrap(try Tensor.embedding(weight: parameter.value, ids: ids).sum().backward()[parameter])
        XCTAssertEqual(gradient.nonZeroRowsHint, [5])
        XCTAssertNil(try gradient.narrow(dim: 0, start: 1, length: 10).nonZeroRowsHint, "a view of part of the rows")
        XCTAssertNil(try gradient.transpose(0, 1).nonZeroRowsHint, "a transposed view")
        XCTAssertNil(try gradient.add(gradient).nonZeroRowsHint, "a sum is new storage")
        let small = try Tensor(shape: [10, 4], values: [Float](repeating: 1, count: 40), requiresGrad: true)
        let smallGradient = try XCTUnwrap(try Tensor.embedding(weight: small, ids: ids).sum().backward()[small])
        XCTAssertNil(smallGradient.nonZeroRowsHint, "a small table is filled the ordinary way")
    }
}
