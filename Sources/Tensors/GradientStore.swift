/// Gradients from one `backward()`, keyed by tensor identity (candle's `GradStore`).
///
/// Holds the gradient of every leaf that required grad and was reached; intermediate
/// gradients are released during the backward pass. Each entry keeps its tensor alive, so an
/// identity cannot be reused while the store exists.
public struct GradientStore: Sendable {
    private var entries: [ObjectIdentifier: (tensor: Tensor, gradient: Tensor)] = [:]

    public init() {}

    /// The gradient of `tensor`, if it got one.
    public subscript(_ tensor: Tensor) -> Tensor? {
        entries[ObjectIdentifier(tensor)]?.gradient
    }

    /// The gradient of the parameter's current value, if it got one.
    public subscript(_ parameter: Parameter) -> Tensor? { self[parameter.value] }

    /// Replaces the gradient of `tensor` (e.g. after clipping). Throws when shapes differ.
    public mutating func set(_ gradient: Tensor, for tensor: Tensor) throws {
        guard gradient.shape == tensor.shape else {
            throw TensorError.shapeMismatch(operation: "GradientStore.set", expected: "a gradient of shape \(tensor.shape)", got: gradient.shape)
        }
        entries[ObjectIdentifier(tensor)] = (tensor, gradient)
    }

    /// Removes and returns the gradient of `tensor`.
    @discardableResult
    public mutating func remove(_ tensor: Tensor) -> Tensor? {
        entries.removeValue(forKey: ObjectIdentifier(tensor))?.gradient
    }

    /// Adds `gradient` to what `tensor` already has (a tensor used twice gets both contributions).
    mutating func accumulate(_ gradient: Tensor, for tensor: Tensor) {
        let key = ObjectIdentifier(tensor)
        if let existing = entries[key] {
            // Shapes are equal by construction; a broadcast mismatch here would be an engine bug.
            let sum = (try? existing.gradient.add(gradient)) ?? existing.gradient
            entries[key] = (tensor, sum)
        } else {
            entries[key] = (tensor, gradient)
        }
    }

    /// The number of tensors with a gradient.
    public var count: Int { entries.count }

    /// The tensors that have a gradient (in no particular order).
    public var tensors: [Tensor] { entries.values.map(\.tensor) }
}
