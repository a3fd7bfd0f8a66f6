/// A batch of encodings padded to a common length, as HF's `padding="longest"` returns.
public struct BatchEncoding: Equatable, Sendable {
    /// [batch][length] token ids, right-padded with the pad id.
    public var ids: [[Int]]
    /// [batch][length]: 1 for a real token, 0 for padding.
    public var attentionMask: [[Int]]
    /// The unpadded length of each sequence.
    public var lengths: [Int]

    /// The padded length (0 for an empty batch).
    public var sequenceLength: Int { ids.first?.count ?? 0 }

    /// Pads `sequences` on the right to the longest one.
    public init(sequences: [[Int]], padTokenId: Int) {
        let longest = sequences.map(\.count).max() ?? 0
        lengths = sequences.map(\.count)
        ids = sequences.map { $0 + Array(repeating: padTokenId, count: longest - $0.count) }
        attentionMask = sequences.map {
            Array(repeating: 1, count: $0.count) + Array(repeating: 0, count: longest - $0.count)
        }
    }
}
