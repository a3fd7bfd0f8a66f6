/// Reference-counted, 64-byte aligned Float32 memory shared by a tensor and all its views.
///
/// The memory is written once when a kernel produces it and read afterwards; the only later
/// writes are an optimiser's in-place parameter updates (see `Parameter.update`), made while no
/// forward pass runs. That discipline is why the class may be `@unchecked Sendable`.
final class Storage: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    let count: Int

    /// Uninitialised memory for `count` floats: the caller writes every element.
    init(uninitializedCount count: Int) {
        self.count = count
        if let reused = StoragePool.take(count) {
            base = reused
            return
        }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride,
                                                   alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Memory holding `count` copies of `value`.
    convenience init(repeating value: Float, count: Int) {
        self.init(uninitializedCount: count)
        base.initialize(repeating: value, count: count)
    }

    /// Memory holding a copy of `values`.
    convenience init(copying values: UnsafeBufferPointer<Float>) {
        self.init(uninitializedCount: values.count)
        if let source = values.baseAddress { base.initialize(from: source, count: values.count) }
    }

    deinit {
        if !StoragePool.give(base, count: count) { UnsafeMutableRawPointer(base).deallocate() }
    }
}
