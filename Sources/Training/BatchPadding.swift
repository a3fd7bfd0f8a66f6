/// Token id rows padded to the longest row, with the attention mask that marks real tokens.
public struct PaddedBatch: Equatable, Sendable {
    /// `[batch][length]` ids, each row padded at the end with the pad id.
    public let ids: [[Int]]
    /// `[batch][length]`: 1 for a real token, 0 for padding (Hugging Face's `attention_mask`).
    public let attentionMask: [[Int]]
    /// The padded length (the longest row; 0 for an empty batch).
    public let length: Int

    /// Pads `rows` to the longest one (dynamic padding, as HF's `padding=True`).
    public init(_ rows: [[Int]], padID: Int = 0) {
        let length = rows.map(\.count).max() ?? 0
        self.length = length
        ids = rows.map { $0 + Array(repeating: padID, count: length - $0.count) }
        attentionMask = rows.map { Array(repeating: 1, count: $0.count) + Array(repeating: 0, count: length - $0.count) }
    }

    /// The ids flattened row by row (`[batch × length]`), as a tensor wants them.
    public var flatIDs: [Int] { ids.flatMap { $0 } }
    /// The mask flattened row by row.
    public var flatMask: [Int] { attentionMask.flatMap { $0 } }
}
