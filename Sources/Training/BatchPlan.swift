import Tensors

/// Cuts a list of example indices into batches: fixed size, reshuffled every epoch.
///
/// The last, smaller batch is kept unless `dropLast` is set (PyTorch `DataLoader(drop_last=)`).
public struct BatchPlan: Codable, Equatable, Sendable {
    public let batchSize: Int
    public let shuffle: Bool
    public let dropLast: Bool

    /// - Throws: `SamplingError.badBatchSize` unless `batchSize` ≥ 1.
    public init(batchSize: Int, shuffle: Bool = true, dropLast: Bool = false) throws {
        guard batchSize >= 1 else { throw SamplingError.badBatchSize(batchSize) }
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
    }

    /// The number of batches `count` examples make.
    public func batchCount(for count: Int) -> Int {
        guard count > 0 else { return 0 }
        return dropLast ? count / batchSize : (count + batchSize - 1) / batchSize
    }

    /// The batches of one epoch over `indices` (shuffled from `generator` when `shuffle` is set).
    public func batches(of indices: [Int], using generator: inout SeededGenerator) -> [[Int]] {
        let order = shuffle ? Sampling.shuffled(indices, using: &generator) : indices
        var result: [[Int]] = []
        result.reserveCapacity(batchCount(for: order.count))
        var start = 0
        while start < order.count {
            let end = min(start + batchSize, order.count)
            if end - start < batchSize && dropLast { break }
            result.append(Array(order[start..<end]))
            start = end
        }
        return result
    }

    /// The batches of one epoch over examples `0..<count`.
    public func batches(count: Int, using generator: inout SeededGenerator) -> [[Int]] {
        batches(of: Array(0..<max(0, count)), using: &generator)
    }
}
