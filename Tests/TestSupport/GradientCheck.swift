import Tensors
import XCTest

/// Checks autograd against central finite differences.
///
/// The scalar checked is L = Σ_j f(inputs)_j · c_j with fixed pseudo-random weights c (so every
/// output element gets a different upstream gradient). For each input element x_i,
/// ∂L/∂x_i ≈ (L(x_i + h) − L(x_i − h)) / 2h, with L accumulated in Double from Float outputs.
/// The analytic gradient passes when |analytic − numeric| ≤ tolerance · (1 + |numeric|).
///
/// - Parameters:
///   - inputs: the points at which to check; each becomes a leaf requiring grad.
///   - step: h. Float evaluation error is about 1e-7·|L|/h, truncation about h²·f‴.
///   - function: the computation; constants it needs are captured, not passed.
public func assertGradientsMatchFiniteDifferences(
    _ inputs: [Tensor], step: Float = 1e-2, tolerance: Double = 2e-3,
    file: StaticString = #filePath, line: UInt = #line,
    _ function: ([Tensor]) throws -> Tensor
) throws {
    let leaves = inputs.map { $0.detached().requiringGrad() }
    let output = try function(leaves)
    var generator = SeededGenerator(seed: 0xC0FFEE)
    let weights = (0..<output.elementCount).map { _ in Double(generator.nextFloat(in: 0.5, 1.5)) }
    let weightTensor = try Tensor(shape: output.shape, values: weights.map(Float.init))
    let loss = try (output * weightTensor).sum()
    let grads = try loss.backward()

    func lossAt(_ perturbed: [Tensor]) throws -> Double {
        let values = try withoutGrad { try function(perturbed) }.toArray()
        var total = 0.0
        for j in values.indices { total += Double(values[j]) * weights[j] }
        return total
    }

    for (k, leaf) in leaves.enumerated() {
        let base = leaf.toArray()
        let analytic = grads[leaf]?.toArray() ?? [Float](repeating: 0, count: base.count)
        XCTAssertEqual(analytic.count, base.count, "input \(k): gradient has the wrong size", file: file, line: line)
        for i in base.indices {
            var plus = base, minus = base
            plus[i] += step
            minus[i] -= step
            func with(_ values: [Float]) throws -> [Tensor] {
                var list = leaves.map { $0.detached() }
                list[k] = try Tensor(shape: leaf.shape, values: values)
                return list
            }
            let numeric = (try lossAt(with(plus)) - lossAt(with(minus))) / (2 * Double(step))
            let a = Double(analytic[i])
            XCTAssertLessThanOrEqual(abs(a - numeric), tolerance * (1 + abs(numeric)),
                                     "input \(k) element \(i): analytic \(a) vs numeric \(numeric)",
                                     file: file, line: line)
        }
    }
}
