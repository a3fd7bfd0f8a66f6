import Script
import Tensors
import XCTest
@testable import Shell

/// Tensors print like NumPy/PyTorch: shape, 4 decimals, aligned, elided in the middle.
final class PrintingTests: XCTestCase {
    func testAShortVectorPrintsEveryValueWithFourDecimals() throws {
        // Values rounded half away from zero to 4 decimals by hand; a sign column keeps them aligned.
        let t = Tensor([0.28474, -0.05351, 0.0368])
        XCTAssertEqual(TensorFormatter.describe(t), "tensor [3] [ 0.2847 -0.0535  0.0368]")
    }

    func testALongVectorIsElidedInTheMiddle() {
        let t = Tensor((0..<256).map { Float($0) / 100 })
        XCTAssertEqual(TensorFormatter.describe(t), "tensor [256] [0.0000 0.0100 0.0200 … 2.5300 2.5400 2.5500 ]")
    }

    func testColumnsAlignToTheWidestValue() {
        let t = Tensor([1, -12.5, 100])
        XCTAssertEqual(TensorFormatter.describe(t), "tensor [3] [  1.0000 -12.5000 100.0000]")
    }

    func testAMatrixPrintsARowPerLine() throws {
        let t = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, -6])
        XCTAssertEqual(TensorFormatter.describe(t), "tensor [2, 3] [[ 1.0000  2.0000  3.0000]\n [ 4.0000  5.0000 -6.0000]]")
    }

    func testTinyOrHugeMagnitudesUseScientificNotation() {
        XCTAssertEqual(TensorFormatter.describe(Tensor([1.5e-5, -2e-6])), "tensor [2] [ 1.5000e-05 -2.0000e-06]")
        XCTAssertEqual(TensorFormatter.describe(Tensor([123456, 1])), "tensor [2] [1.2346e+05 1.0000e+00]")
    }

    func testScalarsAndEmptyTensors() throws {
        XCTAssertEqual(TensorFormatter.describe(Tensor(scalar: 2.5)), "tensor [] 2.5000")
        XCTAssertEqual(TensorFormatter.describe(try Tensor(shape: [0], values: [])), "tensor [0] []")
    }

    func testNonFiniteValuesPrintByName() {
        XCTAssertEqual(TensorFormatter.describe(Tensor([.nan, .infinity, -.infinity, 1])), "tensor [4] [   nan    inf   -inf 1.0000]")
    }

    func testTensorsIndexAndSliceAtThePrompt() throws {
        let shell = ShellHarness()
        try shell.run("t = tensor([[1, 2], [3, 4], [5, 6]])")
        XCTAssertEqual(try shell.value("t.shape"), .list([.number(3), .number(2)]))
        XCTAssertEqual(try shell.value("t[1]").repr, "tensor [2] [3.0000 4.0000]")
        XCTAssertEqual(try shell.value("t[-1][0]"), .number(5))
        XCTAssertEqual(try shell.value("t[1:].shape"), .list([.number(2), .number(2)]))
        XCTAssertEqual(try shell.value("t.values"), .list([.list([.number(1), .number(2)]), .list([.number(3), .number(4)]), .list([.number(5), .number(6)])]))
        XCTAssertThrowsError(try shell.run("t[3]")) { XCTAssertTrue("\($0)".contains("index 3 is out of range for a tensor of shape [3, 2]"), "\($0)") }
        XCTAssertThrowsError(try shell.run("tensor([[1, 2], [3]])")) { XCTAssertTrue("\($0)".contains("lists must nest evenly"), "\($0)") }
    }

    func testParameterCountsPrintInTheDesignsUnits() {
        XCTAssertEqual(NumberText.count(22_811_776), "22.8M")
        XCTAssertEqual(NumberText.count(5_310_000), "5.3M")
        XCTAssertEqual(NumberText.count(980_900), "980.9K")
        XCTAssertEqual(NumberText.count(8544), "8544")
    }
}
