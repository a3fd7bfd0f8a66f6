#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The per-element functions of the element-wise kernels, as types: a kernel generic over one
/// is specialised by the compiler with the function inlined in its loop (a closure argument
/// would be an indirect call per element and block vectorisation).
protocol UnaryFunction {
    func callAsFunction(_ x: Float) -> Float
    /// True when `vector(_:)` is a real eight-lane form (the kernels then use it on runs of 8).
    static var hasVectorForm: Bool { get }
    func vector(_ x: SIMD8<Float>) -> SIMD8<Float>
}

protocol BinaryFunction {
    func callAsFunction(_ a: Float, _ b: Float) -> Float
    static var hasVectorForm: Bool { get }
    func vector(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float>
}

extension UnaryFunction {
    static var hasVectorForm: Bool { false }
    func vector(_ x: SIMD8<Float>) -> SIMD8<Float> {
        var y = x
        for i in 0..<8 { y[i] = self(x[i]) }
        return y
    }
}

extension BinaryFunction {
    static var hasVectorForm: Bool { false }
    func vector(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        var y = a
        for i in 0..<8 { y[i] = self(a[i], b[i]) }
        return y
    }
}

enum Scalar {
    struct Identity: UnaryFunction { func callAsFunction(_ x: Float) -> Float { x } }
    struct Affine: UnaryFunction {
        let scale: Float, shift: Float
        func callAsFunction(_ x: Float) -> Float { x * scale + shift }
    }
    struct Exp: UnaryFunction { func callAsFunction(_ x: Float) -> Float { expf(x) } }
    struct Log: UnaryFunction { func callAsFunction(_ x: Float) -> Float { logf(x) } }
    struct Sqrt: UnaryFunction { func callAsFunction(_ x: Float) -> Float { x.squareRoot() } }
    struct Square: UnaryFunction { func callAsFunction(_ x: Float) -> Float { x * x } }
    struct Pow: UnaryFunction {
        let exponent: Float
        func callAsFunction(_ x: Float) -> Float { powf(x, exponent) }
    }
    struct Tanh: UnaryFunction { func callAsFunction(_ x: Float) -> Float { tanhf(x) } }
    /// `x < 0 ? 0 : x`, so NaN passes through as in torch.relu (a NaN must not turn into a
    /// finite logit and hide a diverged model).
    struct Relu: UnaryFunction { func callAsFunction(_ x: Float) -> Float { x < 0 ? 0 : x } }
    struct Sigmoid: UnaryFunction { func callAsFunction(_ x: Float) -> Float { 1 / (1 + expf(-x)) } }
    struct Clamp: UnaryFunction {
        let low: Float, high: Float
        func callAsFunction(_ x: Float) -> Float { Swift.min(Swift.max(x, low), high) }
    }
    /// Upstream gradient a passed where the input b lies inside [low, high].
    struct ClampBackward: BinaryFunction {
        let low: Float, high: Float
        func callAsFunction(_ a: Float, _ b: Float) -> Float { b >= low && b <= high ? a : 0 }
    }
    /// x · Φ(x) with Φ(x) = ½(1 + erf(x/√2)), torch's exact GELU, evaluated as PyTorch's
    /// vectorised CPU kernel does (see `VectorMath`). Single elements (row tails, strided
    /// inputs) go through the same eight-lane code, so a value never depends on its position,
    /// layout or the number of threads.
    struct Gelu: UnaryFunction {
        func callAsFunction(_ x: Float) -> Float { vector(SIMD8(repeating: x))[0] }
        static var hasVectorForm: Bool { true }
        func vector(_ x: SIMD8<Float>) -> SIMD8<Float> { 0.5 * x * (1 + VectorMath.erf(x * 0.70710678118654752)) }
    }

    struct Add: BinaryFunction { func callAsFunction(_ a: Float, _ b: Float) -> Float { a + b } }
    struct Sub: BinaryFunction { func callAsFunction(_ a: Float, _ b: Float) -> Float { a - b } }
    struct Mul: BinaryFunction { func callAsFunction(_ a: Float, _ b: Float) -> Float { a * b } }
    struct Div: BinaryFunction { func callAsFunction(_ a: Float, _ b: Float) -> Float { a / b } }
    /// `value` where the mask b is non-zero, else a.
    struct MaskedFill: BinaryFunction {
        let value: Float
        func callAsFunction(_ a: Float, _ b: Float) -> Float { b != 0 ? value : a }
    }
    /// Upstream gradient a passed where the input b is positive.
    struct ReluBackward: BinaryFunction {
        func callAsFunction(_ a: Float, _ b: Float) -> Float { b > 0 ? a : 0 }
    }
    /// Upstream gradient a times d/dx x·Φ(x) = Φ(x) + x·φ(x) at b, φ(x) = exp(−x²/2)/√(2π),
    /// with the same eight-lane erf and exp as the forward.
    struct GeluBackward: BinaryFunction {
        func callAsFunction(_ a: Float, _ b: Float) -> Float { vector(SIMD8(repeating: a), SIMD8(repeating: b))[0] }
        static var hasVectorForm: Bool { true }
        func vector(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
            let cdf = 0.5 * (1 + VectorMath.erf(b * 0.70710678118654752))
            let pdf = VectorMath.exp(-0.5 * b * b) * 0.39894228040143268
            return a * (cdf + b * pdf)
        }
    }
}
