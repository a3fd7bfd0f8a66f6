import Foundation

/// Recently freed large buffers, kept for reuse by the next allocation of the same size.
///
/// A training step allocates the same large buffers every step (gradients of the weights,
/// activations); returned to the system, each comes back as fresh pages the kernel must fault
/// in and zero (measured: ~12% of a MiniLM training step on one thread). Only buffers of at
/// least `minimumCount` floats are kept, at most `limitBytes` in all, exact size matches only.
/// 128 KiB, not 1 MiB: a batch's [tokens × hidden] activations (272 × 384 floats = 418 KB in
/// `mtl bench`) were left to malloc, which maps and unmaps them; pooling them too lowered the
/// bench's peak RSS 484 → 455 MB and kept the step time (1 thread, CPU time, 3 A/B pairs).
enum StoragePool {
    static let minimumCount = 1 << 15          // 128 KiB
    static let limitBytes = 192 << 20

    private static let lock = NSLock()
    /// Guarded by `lock`.
    nonisolated(unsafe) private static var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
    nonisolated(unsafe) private static var pooledBytes = 0

    /// A pooled buffer of exactly `count` floats (contents undefined), or nil.
    static func take(_ count: Int) -> UnsafeMutablePointer<Float>? {
        guard count >= minimumCount else { return nil }
        lock.lock()
        defer { lock.unlock() }
        guard let buffer = free[count]?.popLast() else { return nil }
        pooledBytes -= count * MemoryLayout<Float>.stride
        return buffer
    }

    /// Keeps `buffer` for reuse when there is room; false when the caller must free it.
    static func give(_ buffer: UnsafeMutablePointer<Float>, count: Int) -> Bool {
        guard count >= minimumCount else { return false }
        let bytes = count * MemoryLayout<Float>.stride
        lock.lock()
        defer { lock.unlock() }
        guard pooledBytes + bytes <= limitBytes else { return false }
        free[count, default: []].append(buffer)
        pooledBytes += bytes
        return true
    }
}
