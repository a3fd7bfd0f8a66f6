/// The one random number generator of mtl: xoshiro256** seeded through SplitMix64.
///
/// Everything random (initialisation, dropout masks, shuffling, dummy data) draws from a value
/// of this type, so a seed reproduces a run bit for bit. The state is four words and `Codable`,
/// so a saved session resumes the exact stream.
/// Reference: Blackman & Vigna, "Scrambled linear pseudorandom number generators" (2018).
public struct SeededGenerator: RandomNumberGenerator, Codable, Equatable, Sendable {
    /// The generator's full state; restoring it restores the stream.
    public private(set) var state: [UInt64]

    /// A generator whose stream is fixed by `seed`.
    public init(seed: UInt64) {
        // SplitMix64 spreads a small seed over 256 bits (never all zero).
        var z = seed
        var words: [UInt64] = []
        for _ in 0..<4 {
            z &+= 0x9E37_79B9_7F4A_7C15
            var x = z
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            words.append(x ^ (x >> 31))
        }
        state = words
    }

    /// A generator resuming from a state saved earlier; nil unless it is four words, not all zero.
    public init?(state: [UInt64]) {
        guard state.count == 4, state.contains(where: { $0 != 0 }) else { return nil }
        self.state = state
    }

    public mutating func next() -> UInt64 {
        let result = rotl(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotl(state[3], 45)
        return result
    }

    /// Uniform in [0, 1), from the top 24 bits (every Float of that grid equally likely).
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [low, high).
    public mutating func nextFloat(in low: Float, _ high: Float) -> Float {
        low + (high - low) * nextFloat()
    }

    /// Standard normal, by Box–Muller on two uniforms (computed in Double).
    public mutating func nextNormal() -> Float {
        let u1 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let radius = (-2.0 * log(1.0 - u1)).squareRoot()
        return Float(radius * cos(2.0 * Double.pi * u2))
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
