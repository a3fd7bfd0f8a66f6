import Tensors

/// A shared, seeded random stream: one per model (or session), drawn from by every dropout.
///
/// A reference type so that all the dropout layers of a model advance one stream, and a
/// session can save and restore its `generator` state to resume bit for bit.
///
/// Thread safety: drawn from only inside a forward pass, which runs on one thread at a time
/// for a given model (the same single-writer discipline as `Parameter`), hence `@unchecked`.
public final class RandomSource: @unchecked Sendable {
    /// The stream's state; assign to restore a saved state.
    public var generator: SeededGenerator

    public init(seed: UInt64) { generator = SeededGenerator(seed: seed) }
    public init(generator: SeededGenerator) { self.generator = generator }
}
