import Tensors
import TestSupport
import XCTest

final class TensorCreationTests: XCTestCase {
    func testValuesComeBackInRowMajorOrder() throws {
        let t = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(t.shape, [2, 3])
        XCTAssertEqual(t.strides, [3, 1])
        XCTAssertEqual(t.toArray(), [1, 2, 3, 4, 5, 6])
    }

    func testWrongValueCountThrows() {
        XCTAssertThrowsError(try Tensor(shape: [2, 2], values: [1, 2, 3])) { error in
            XCTAssertEqual(error as? TensorError, .elementCountMismatch(shape: [2, 2], count: 3))
        }
        XCTAssertThrowsError(try Tensor.zeros([2, -1]))
        XCTAssertThrowsError(try Tensor.zeros([1 << 40, 1 << 40]), "an overflowing element count throws, not traps")
    }

    func testInitializerWritesStraightIntoStorage() throws {
        let t = try Tensor(shape: [2, 2]) { buffer in
            for i in buffer.indices { buffer[i] = Float(i * i) }
        }
        XCTAssertEqual(t.toArray(), [0, 1, 4, 9])
    }

    func testEmptyTensorsWorkThroughOps() throws {
        let e = try Tensor.zeros([3, 0])
        XCTAssertEqual(try (e + e).shape, [3, 0])
        XCTAssertEqual(e.gelu().toArray(), [])
        XCTAssertEqual(try e.sum(dims: [1]).toArray(), [0, 0, 0])
        XCTAssertEqual(try e.transpose(0, 1).contiguous().shape, [0, 3])
        XCTAssertEqual(try e.matmul(Tensor.zeros([0, 2])).toArray(), [0, 0, 0, 0, 0, 0])
    }

    func testFillsAndScalar() throws {
        XCTAssertEqual(try Tensor.zeros([2, 2]).toArray(), [0, 0, 0, 0])
        XCTAssertEqual(try Tensor.ones([3]).toArray(), [1, 1, 1])
        XCTAssertEqual(try Tensor.full([1, 2], value: 7).toArray(), [7, 7])
        let s = Tensor(scalar: 2.5)
        XCTAssertEqual(s.shape, [])
        XCTAssertEqual(try s.item(), 2.5)
        XCTAssertThrowsError(try Tensor([1, 2]).item())
    }

    func testRandomTensorsAreReproducibleFromTheSeed() throws {
        var g1 = SeededGenerator(seed: 42), g2 = SeededGenerator(seed: 42)
        let a = try Tensor.randn([100], generator: &g1)
        let b = try Tensor.randn([100], generator: &g2)
        XCTAssertEqual(a.toArray(), b.toArray())
        let mean = a.toArray().reduce(0, +) / 100
        XCTAssertLessThan(abs(mean), 0.35, "100 standard normals average near 0")
        let u = try Tensor.uniform([1000], low: -2, high: 3, generator: &g1).toArray()
        XCTAssertTrue(u.allSatisfy { $0 >= -2 && $0 < 3 })
    }
}
