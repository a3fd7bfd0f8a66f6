/// exp and erf on eight lanes at once, for the GELU kernels (and anything else with a vector form).
///
/// PyTorch's CPU GELU (aten/src/ATen/native/cpu/Activation.cpp, approximate='none') evaluates
/// `x · ½ · (1 + erf(x/√2))` with ATen's vectorised `erf` (cpu/vec/vec256/vec256_float.h), the
/// Abramowitz–Stegun 7.1.26 formula erf(x) ≈ 1 − (a₁t + … + a₅t⁵)·exp(−x²), t = 1/(1 + p|x|),
/// absolute error ≤ 1.5e-7, over a vectorised expf. We use the same formula: within 3e-7 of the
/// exact erf (tested), several times faster than libm's `erff` per element.
enum VectorMath {
    typealias Vector = SIMD8<Float>

    /// e^x with Cephes' single-precision method: x = n·ln2 + r, |r| ≤ ½ln2, a degree-6
    /// polynomial for e^r, then the exponent bits add n. About 1 ulp; 0 below −87.3.
    @inline(__always)
    static func exp(_ x: Vector) -> Vector {
        let low = Vector(repeating: -87.33654), high = Vector(repeating: 88.37626)
        let clamped = x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
        // Adding 1.5·2²³ rounds to the nearest integer and leaves it in the low mantissa bits,
        // which gives n both as a Float and as exponent bits without a (slow) conversion.
        let magic = Vector(repeating: 12_582_912)
        let shifted = clamped * 1.44269504088896341 + magic
        let n = shifted - magic
        var r = clamped - n * 0.693359375
        r = r - n * -2.12194440e-4
        var p = Vector(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let er = p * r * r + r + 1
        let bits = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        let scale = unsafeBitCast(bits, to: Vector.self)
        // e^x underflows to 0 where x < −87.3 (n + 127 would leave the normal range).
        return (er * scale).replacing(with: 0, where: x .< -87.33654)
    }

    /// erf(x) by Abramowitz–Stegun 7.1.26 (the formula of PyTorch's `Vectorized<float>::erf`).
    @inline(__always)
    static func erf(_ x: Vector) -> Vector {
        let magnitude = abs(x)
        let t = 1 / (magnitude * 0.3275911 + 1)
        var r = Vector(repeating: 1.061405429)
        r = r * t - 1.453152027
        r = r * t + 1.421413741
        r = r * t - 0.284496736
        r = r * t + 0.254829592
        let positive = 1 - r * t * exp(-(x * x))
        return positive.replacing(with: -positive, where: x .< 0)
    }

    @inline(__always)
    static func abs(_ x: Vector) -> Vector { x.replacing(with: -x, where: x .< 0) }
}
