import Foundation
import Tensors

/// Gradient clipping by global norm, as `torch.nn.utils.clip_grad_norm_` (norm type 2).
public enum GradientClipping {
    /// The 2-norm of all gradients of `parameters` taken together: √(Σ‖g‖²), accumulated in
    /// Double. Parameters without a gradient count as zero.
    public static func globalNorm(_ gradients: GradientStore, parameters: [Parameter]) -> Float {
        var total = 0.0
        for parameter in parameters {
            guard let g = gradients[parameter] else { continue }
            g.withUnsafeBufferPointer { buffer in
                for x in buffer { total += Double(x) * Double(x) }
            }
        }
        return Float(total.squareRoot())
    }

    /// Scales the gradients of `parameters` so their global norm is at most `maxNorm`.
    ///
    /// As PyTorch: total = √(Σ‖g‖²), coefficient = maxNorm / (total + 1e-6), and every gradient
    /// is multiplied by the coefficient when it is below 1 (otherwise left as it is).
    /// - Returns: the total norm before clipping (infinite or NaN when a gradient is; nothing is
    ///   scaled then, so the caller can report it).
    /// - Throws: `OptimizerError.badHyperParameter` unless `maxNorm` is positive and finite.
    @discardableResult
    public static func clip(_ gradients: inout GradientStore, parameters: [Parameter], maxNorm: Float) throws -> Float {
        try check("max norm", maxNorm, maxNorm > 0, "a positive finite number")
        let total = globalNorm(gradients, parameters: parameters)
        guard total.isFinite else { return total }
        let coefficient = maxNorm / (total + 1e-6)
        guard coefficient < 1 else { return total }
        for parameter in parameters {
            guard let g = gradients[parameter] else { continue }
            try gradients.set(g * coefficient, for: parameter.value)
        }
        return total
    }
}
