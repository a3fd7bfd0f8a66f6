import Tensors
import Tokenizers

/// A rectangular batch of token ids with its attention mask: the input of every encoder.
public struct TokenBatch: Sendable {
    /// [batch, length] token ids.
    public let ids: IndexTensor
    /// [batch][length]: 1 for a real token, 0 for padding.
    public let attentionMask: [[Int]]
    public let batchSize: Int
    public let length: Int

    /// Checks that `ids` is rectangular and `attentionMask` (all ones when nil) matches it
    /// and holds only 0 and 1.
    /// - Throws: `ModelError.invalidBatch` saying which row is wrong.
    public init(ids: [[Int]], attentionMask: [[Int]]? = nil) throws {
        let length = ids.first?.count ?? 0
        for (row, item) in ids.enumerated() where item.count != length {
            throw ModelError.invalidBatch("row \(row) has \(item.count) ids, row 0 has \(length); pad rows to one length")
        }
        let mask = attentionMask ?? ids.map { Array(repeating: 1, count: $0.count) }
        guard mask.count == ids.count else {
            throw ModelError.invalidBatch("the attention mask has \(mask.count) rows for \(ids.count) rows of ids")
        }
        for (row, item) in mask.enumerated() {
            guard item.count == length else {
                throw ModelError.invalidBatch("attention mask row \(row) has \(item.count) entries for \(length) ids")
            }
            guard item.allSatisfy({ $0 == 0 || $0 == 1 }) else {
                throw ModelError.invalidBatch("attention mask row \(row) holds a value other than 0 or 1")
            }
        }
        for (row, item) in ids.enumerated() where item.contains(where: { $0 < 0 }) {
            throw ModelError.invalidBatch("row \(row) holds a negative token id")
        }
        self.ids = try IndexTensor(shape: [ids.count, length], values: ids.flatMap { $0 })
        self.attentionMask = mask
        self.batchSize = ids.count
        self.length = length
    }

    /// A tokenizer's padded batch.
    public init(_ encoding: BatchEncoding) throws {
        try self.init(ids: encoding.ids, attentionMask: encoding.attentionMask)
    }

    /// The rows of the batch, in order.
    public var rows: [[Int]] {
        (0..<batchSize).map { Array(ids.values[$0 * length ..< ($0 + 1) * length]) }
    }

    /// The mask as floats, [batch, length].
    public func maskTensor() throws -> Tensor {
        try Tensor(shape: [batchSize, length], values: attentionMask.flatMap { $0.map(Float.init) })
    }

    /// The additive attention mask [batch, 1, 1, length]: 0 where attended, the Float32 minimum
    /// where padded (transformers' `_prepare_4d_attention_mask`: `(1 − mask) · finfo.min`).
    public func additiveMask() throws -> Tensor {
        try Tensor(shape: [batchSize, 1, 1, length],
                   values: attentionMask.flatMap { $0.map { $0 == 1 ? 0 : -Float.greatestFiniteMagnitude } })
    }

    /// Checks the ids against a model: each below `vocabSize`, the length within `maxPositions`.
    func validate(for config: TransformerConfig) throws {
        guard length <= config.maxPositions else {
            throw ModelError.invalidBatch("sequences of \(length) tokens are longer than the model's \(config.maxPositions) positions; truncate them")
        }
        if let bad = ids.values.first(where: { $0 >= config.vocabSize }) {
            throw ModelError.invalidBatch("token id \(bad) is outside the model's vocabulary of \(config.vocabSize); the tokenizer does not belong to this model")
        }
    }
}
