/// A trainable, named leaf tensor (candle's `Var`): the only kind of tensor an optimiser changes.
///
/// `requiresGrad` false means frozen: the value tensor then does not require grad, so no
/// operation reading it records a graph edge to it and backward never descends there.
///
/// Thread safety: a parameter is changed only by its owner (loading, the optimiser step,
/// freezing), never while a forward or backward pass on another thread reads it; that
/// single-writer discipline is why the class is `@unchecked Sendable`.
public final class Parameter: @unchecked Sendable {
    /// The dotted Hugging Face name, e.g. `encoder.layer.0.attention.self.query.weight`.
    public let name: String
    private var storedValue: Tensor

    /// Whether the parameter trains. Flipping it re-wraps the value (storage shared).
    public var requiresGrad: Bool {
        didSet { storedValue = storedValue.requiringGrad(requiresGrad) }
    }

    /// The current value, always a leaf whose `requiresGrad` matches the parameter's.
    /// Assigning replaces it (the new tensor's history is dropped).
    public var value: Tensor {
        get { storedValue }
        set { storedValue = newValue.requiringGrad(requiresGrad) }
    }

    public init(name: String, value: Tensor, requiresGrad: Bool = true) {
        self.name = name
        self.requiresGrad = requiresGrad
        self.storedValue = value.requiringGrad(requiresGrad)
    }

    public var shape: [Int] { storedValue.shape }

    /// Changes the values in place (an optimiser step), in row-major order. The value is first
    /// made to own contiguous storage if it is a view.
    public func update<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        let v = storedValue
        if !v.isContiguous || v.layout.offset != 0 || v.storage.count != v.elementCount {
            storedValue = v.contiguousStorageView().requiringGrad(requiresGrad)
            if storedValue.storage === v.storage {
                // Contiguous but offset into a larger buffer: copy so we own exactly our elements.
                storedValue = Tensor(storage: Storage(copying: UnsafeBufferPointer(start: v.basePointer, count: v.elementCount)),
                                     layout: Layout(contiguous: v.shape), requiresGrad: requiresGrad)
            }
        }
        return try body(UnsafeMutableBufferPointer(start: storedValue.storage.base, count: storedValue.elementCount))
    }
}

extension Parameter: CustomStringConvertible {
    public var description: String {
        "Parameter(\(name), shape: \(shape)\(requiresGrad ? "" : ", frozen"))"
    }
}
