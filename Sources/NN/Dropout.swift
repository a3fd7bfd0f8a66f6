import Tensors

/// Inverted dropout (`torch.nn.Dropout`): active only in training mode, masks drawn from a
/// shared `RandomSource` so a seed reproduces a run.
public final class Dropout: Module, @unchecked Sendable {
    public let p: Float
    public let random: RandomSource
    public var isTraining = false

    /// - Throws: `NNError.invalidProbability` unless 0 ≤ p < 1.
    public init(p: Float, random: RandomSource) throws {
        guard p >= 0, p < 1 else { throw NNError.invalidProbability(p) }
        self.p = p
        self.random = random
    }

    /// `x` itself in evaluation mode or when p is 0; else x with elements zeroed at rate p and
    /// the rest scaled by 1/(1−p).
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard isTraining, p > 0 else { return x }
        return try x.dropout(p: p, training: true, generator: &random.generator)
    }
}
