import Foundation
@testable import Tensors
import XCTest

/// The eight-lane exp and erf against Double-precision libm on dense grids.
final class VectorMathTests: XCTestCase {
    func grid(_ low: Float, _ high: Float, step: Float) -> [Float] {
        stride(from: low, through: high, by: step).map { $0 }
    }

    func apply(_ xs: [Float], _ f: (SIMD8<Float>) -> SIMD8<Float>) -> [Float] {
        var out: [Float] = []
        var i = 0
        while i < xs.count {
            var v = SIMD8<Float>(repeating: 0)
            for k in 0..<8 where i + k < xs.count { v[k] = xs[i + k] }
            let y = f(v)
            for k in 0..<8 where i + k < xs.count { out.append(y[k]) }
            i += 8
        }
        return out
    }

    func testExpIsWithinThreeUlpsAndUnderflowsToZero() {
        let xs = grid(-87, 88, step: 0.0137)
        let ys = apply(xs) { VectorMath.exp($0) }
        for (x, y) in zip(xs, ys) {
            let exact = Foundation.exp(Double(x))
            XCTAssertLessThanOrEqual(abs(Double(y) - exact) / exact, 3.6e-7, "exp(\(x))")
        }
        XCTAssertEqual(apply([-100, -1000, 0]) { VectorMath.exp($0) }, [0, 0, 1])
    }

    /// Abramowitz–Stegun 7.1.26 promises |error| ≤ 1.5e-7 in exact arithmetic; in Float the
    /// cancellation in 1 − r·t·e^(−x²) near 0 adds a few ulps of 1 (1.2e-7 each).
    func testErfIsWithinItsPublishedBound() {
        let xs = grid(-6, 6, step: 0.001)
        let ys = apply(xs) { VectorMath.erf($0) }
        for (x, y) in zip(xs, ys) {
            XCTAssertLessThanOrEqual(abs(Double(y) - Foundation.erf(Double(x))), 5e-7, "erf(\(x))")
        }
    }

    /// GELU on the tensor path (vector body, scalar tail) against x·½(1 + erf(x/√2)) in Double.
    func testGeluMatchesTheExactFormula() {
        let xs = grid(-10, 10, step: 0.00123)
        let ys = Tensor(xs).gelu().toArray()
        for (x, y) in zip(xs, ys) {
            let exact = 0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
            XCTAssertLessThanOrEqual(abs(Double(y) - exact), 3e-7 * Swift.max(1, Double(abs(x))), "gelu(\(x))")
        }
    }

    /// Vector body, scalar tail and strided views all give bit-identical GELU values.
    func testGeluValueDoesNotDependOnLayoutOrPosition() throws {
        var g = SeededGenerator(seed: 12)
        let x = try Tensor.randn([13, 11], generator: &g)
        let viaTranspose = try x.transpose(0, 1).gelu().transpose(0, 1).contiguous().toArray()
        XCTAssertEqual(x.gelu().toArray(), viaTranspose)
        let values = x.toArray()
        XCTAssertEqual(Tensor(Array(values[3..<4])).gelu().toArray()[0], x.gelu().toArray()[3])
    }
}
