import NN
import Tensors

/// Scaled dot-product attention over heads, shared by BERT and DistilBERT.
///
/// transformers `eager_attention_forward` (models/bert/modeling_bert.py):
/// `softmax(q·kᵀ · d^-½ + mask) · v`, with attention dropout on the probabilities. Heads are
/// strided views ([B,T,H] → [B,h,T,d] by reshape + permute, no copy); the two products are one
/// sgemm per (batch, head) reading those views directly, kᵀ through the transpose flag.
enum Attention {
    /// - Parameters:
    ///   - query, key, value: [B, T, H] projections.
    ///   - additiveMask: [B, 1, 1, T], 0 where attended, Float32 min where padded.
    /// - Returns: the merged heads, [B, T, H] (contiguous).
    static func attend(query: Tensor, key: Tensor, value: Tensor, heads: Int,
                       additiveMask: Tensor, dropout: Dropout) throws -> Tensor {
        let batch = query.shape[0], length = query.shape[1], hidden = query.shape[2]
        let headSize = hidden / heads
        func split(_ x: Tensor) throws -> Tensor {
            try x.reshape([batch, length, heads, headSize]).permute([0, 2, 1, 3])
        }
        let q = try split(query)
        let kT = try key.reshape([batch, length, heads, headSize]).permute([0, 2, 3, 1])  // [B,h,d,T]
        let v = try split(value)
        let scores = try q.matmul(kT).affine(scale: 1 / Float(headSize).squareRoot(), shift: 0).add(additiveMask)
        let probabilities = try dropout(scores.softmax(dim: -1))
        let context = try probabilities.matmul(v)                     // [B,h,T,d]
        return try context.permute([0, 2, 1, 3]).reshape([batch, length, hidden])
    }
}
