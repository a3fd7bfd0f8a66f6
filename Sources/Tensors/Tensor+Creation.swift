// MARK: - Creating tensors

extension Tensor {
    static func validate(_ shape: [Int], operation: String) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.invalidArgument(operation: operation, reason: "shape \(shape) has a negative size")
        }
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw TensorError.invalidArgument(operation: operation, reason: "shape \(shape) holds more elements than memory can address")
            }
            count = product
        }
    }

    /// A tensor of `shape` holding `values` in row-major order.
    /// - Throws: `TensorError.elementCountMismatch` unless `values.count` is the shape's product.
    public convenience init(shape: [Int], values: [Float], requiresGrad: Bool = false) throws {
        try Tensor.validate(shape, operation: "Tensor(shape:values:)")
        guard shape.reduce(1, *) == values.count else {
            throw TensorError.elementCountMismatch(shape: shape, count: values.count)
        }
        let storage = values.withUnsafeBufferPointer { Storage(copying: $0) }
        self.init(storage: storage, layout: Layout(contiguous: shape), requiresGrad: requiresGrad)
    }

    /// A tensor of `shape` whose values `initializer` writes, in row-major order, straight into
    /// the new storage (no intermediate array; e.g. decoding a weights file). Every element must
    /// be written.
    public convenience init(shape: [Int], initializingWith initializer: (UnsafeMutableBufferPointer<Float>) throws -> Void) throws {
        try Tensor.validate(shape, operation: "Tensor(shape:initializingWith:)")
        let storage = Storage(repeating: 0, count: shape.reduce(1, *))
        try initializer(UnsafeMutableBufferPointer(start: storage.base, count: storage.count))
        self.init(storage: storage, layout: Layout(contiguous: shape))
    }

    /// A rank-1 tensor of `values`.
    public convenience init(_ values: [Float], requiresGrad: Bool = false) {
        let storage = values.withUnsafeBufferPointer { Storage(copying: $0) }
        self.init(storage: storage, layout: Layout(contiguous: [values.count]), requiresGrad: requiresGrad)
    }

    /// A rank-0 tensor holding `value`.
    public convenience init(scalar value: Float, requiresGrad: Bool = false) {
        self.init(storage: Storage(repeating: value, count: 1), layout: Layout(contiguous: []),
                  requiresGrad: requiresGrad)
    }

    /// A tensor of `shape` with every element `value`.
    public static func full(_ shape: [Int], value: Float, requiresGrad: Bool = false) throws -> Tensor {
        try validate(shape, operation: "full")
        return filled(shape, value, requiresGrad: requiresGrad)
    }

    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) throws -> Tensor {
        try full(shape, value: 0, requiresGrad: requiresGrad)
    }

    public static func ones(_ shape: [Int], requiresGrad: Bool = false) throws -> Tensor {
        try full(shape, value: 1, requiresGrad: requiresGrad)
    }

    /// Samples of N(mean, std²) drawn in row-major order from `generator`.
    public static func randn(_ shape: [Int], mean: Float = 0, std: Float = 1,
                             generator: inout SeededGenerator, requiresGrad: Bool = false) throws -> Tensor {
        try validate(shape, operation: "randn")
        let storage = Storage(uninitializedCount: shape.reduce(1, *))
        for i in 0..<storage.count { storage.base[i] = mean + std * generator.nextNormal() }
        return Tensor(storage: storage, layout: Layout(contiguous: shape), requiresGrad: requiresGrad)
    }

    /// Samples of U[low, high) drawn in row-major order from `generator`.
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                               generator: inout SeededGenerator, requiresGrad: Bool = false) throws -> Tensor {
        try validate(shape, operation: "uniform")
        let storage = Storage(uninitializedCount: shape.reduce(1, *))
        for i in 0..<storage.count { storage.base[i] = generator.nextFloat(in: low, high) }
        return Tensor(storage: storage, layout: Layout(contiguous: shape), requiresGrad: requiresGrad)
    }

    /// Internal: a filled tensor for shapes already known to be valid.
    static func filled(_ shape: [Int], _ value: Float, requiresGrad: Bool = false) -> Tensor {
        Tensor(storage: Storage(repeating: value, count: shape.reduce(1, *)),
               layout: Layout(contiguous: shape), requiresGrad: requiresGrad)
    }

    /// A zero tensor with this tensor's shape.
    func zerosLike() -> Tensor { Tensor.filled(shape, 0) }
}
