/// An n-dimensional array of Float32: a layout (shape, strides, offset) over shared storage,
/// plus, when it was computed while gradients were needed, the op that produced it.
///
/// Tensors are immutable values with reference identity: views share storage, and the autograd
/// tape is the graph of `op` links (candle's `Tensor_`). Identity keys the `GradientStore`.
public final class Tensor: @unchecked Sendable {
    let storage: Storage
    /// Shape, strides and offset into the storage.
    public let layout: Layout
    /// How this tensor was computed; nil for leaves and for anything built in inference mode.
    let op: Op?
    /// True for leaves that want a gradient and for every recorded result depending on one.
    public let requiresGrad: Bool

    init(storage: Storage, layout: Layout, op: Op? = nil, requiresGrad: Bool = false) {
        self.storage = storage
        self.layout = layout
        self.op = op
        self.requiresGrad = requiresGrad
    }

    /// A contiguous result of `shape` over fresh `storage`, recording `op` only when grad mode
    /// is on and one of `inputs` requires grad (otherwise the inputs are not retained).
    static func result(_ storage: Storage, shape: [Int], inputs: Tensor...,
                       op: @autoclosure () -> Op) -> Tensor {
        result(storage, layout: Layout(contiguous: shape), inputs: inputs, op: op())
    }

    static func result(_ storage: Storage, layout: Layout, inputs: [Tensor],
                       op: @autoclosure () -> Op) -> Tensor {
        if inputs.contains(where: { $0.requiresGrad }) && GradMode.isEnabled {
            return Tensor(storage: storage, layout: layout, op: op(), requiresGrad: true)
        }
        return Tensor(storage: storage, layout: layout)
    }

    // MARK: - Shape

    public var shape: [Int] { layout.shape }
    public var strides: [Int] { layout.strides }
    public var rank: Int { layout.rank }
    public var elementCount: Int { layout.elementCount }
    public var isContiguous: Bool { layout.isContiguous }
    /// True when no op produced this tensor (a parameter, an input, a detached value).
    public var isLeaf: Bool { op == nil }

    /// The size of dimension `dim` (negative counts from the end).
    public func size(_ dim: Int) throws -> Int {
        shape[try Shapes.normalize(dim: dim, rank: rank, operation: "size")]
    }

    // MARK: - Reading values

    /// Pointer to the first logical element (offset applied); read with `strides`.
    var basePointer: UnsafeMutablePointer<Float> { storage.base + layout.offset }

    /// All values in logical (row-major) order.
    public func toArray() -> [Float] {
        let c = contiguousStorageView()
        return Array(UnsafeBufferPointer(start: c.storage.base + c.layout.offset, count: elementCount))
    }

    /// The single value of a one-element tensor.
    public func item() throws -> Float {
        guard elementCount == 1 else {
            throw TensorError.shapeMismatch(operation: "item", expected: "a tensor with one element", got: shape)
        }
        return basePointer[0]
    }

    /// Calls `body` with the values in logical order (copies only when not contiguous).
    /// When this tensor is known to be zero outside some rows of its last dimension: those rows
    /// (sorted, unique). An embedding table's gradient is written only in the rows of the
    /// batch's tokens; optimizers use this to skip reading the rest. nil when nothing is known
    /// (also for any view that is not the whole 2-D storage).
    public var nonZeroRowsHint: [Int32]? {
        guard let rows = storage.writtenRows, rank == 2, isContiguous, layout.offset == 0,
              elementCount == storage.count, shape[1] == storage.writtenRowLength else { return nil }
        return rows
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        let c = contiguousStorageView()
        return try body(UnsafeBufferPointer(start: c.storage.base + c.layout.offset, count: elementCount))
    }

    /// This tensor when contiguous, else a contiguous copy with no graph link (kernel input use).
    func contiguousStorageView() -> Tensor {
        if isContiguous { return self }
        let out = Storage(uninitializedCount: elementCount)
        Elementwise.unary(shape: shape, a: basePointer, aStrides: strides, out: out.base, Scalar.Identity())
        return Tensor(storage: out, layout: Layout(contiguous: shape))
    }

    // MARK: - Graph

    /// The same values as a leaf with no history and no gradient (storage shared).
    public func detached() -> Tensor {
        Tensor(storage: storage, layout: layout)
    }

    /// The same values as a leaf whose `requiresGrad` is `flag` (storage shared, history dropped).
    public func requiringGrad(_ flag: Bool = true) -> Tensor {
        Tensor(storage: storage, layout: layout, requiresGrad: flag)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let values = toArray()
        let shown = values.prefix(8).map { "\($0)" }.joined(separator: ", ")
        let more = values.count > 8 ? ", … (\(values.count) values)" : ""
        return "Tensor(shape: \(shape), [\(shown)\(more)]\(requiresGrad ? ", requiresGrad" : ""))"
    }
}
