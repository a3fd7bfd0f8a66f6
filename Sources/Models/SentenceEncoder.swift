import NN
import Tensors
import Tokenizers

/// Text → one vector: transformer encoder → pooling → optional Linear + Tanh projection →
/// optional L2 normalisation (sentence-transformers' `SentenceTransformer` pipeline).
///
/// Parameter names: `encoder.` + the checkpoint's names (`encoder.embeddings.word_embeddings.weight`),
/// then `projection.weight` / `projection.bias` when there is a projection.
public final class SentenceEncoder: Module, @unchecked Sendable {
    public let transformer: any TransformerEncoder
    public let tokenizer: WordPieceTokenizer
    public let pooling: Pooling
    /// Linear(hidden → dimension), followed by tanh; nil for none.
    public let projection: Linear?
    /// Whether outputs are divided by their L2 norm.
    public let normalize: Bool
    /// The random stream of every dropout in the encoder.
    public let random: RandomSource
    /// Checkpoint tensors the transformer did not use when loaded (e.g. `pooler.*`), for display.
    public internal(set) var unusedWeights: [String] = []
    public var isTraining = false

    /// - Throws: `ModelError.invalidArgument` when the projection does not read the hidden size
    ///   or the tokenizer's vocabulary is larger than the model's.
    public init(transformer: any TransformerEncoder, tokenizer: WordPieceTokenizer, pooling: Pooling = .mean,
                projection: Linear? = nil, normalize: Bool = false, random: RandomSource) throws {
        let config = transformer.config
        if let projection, projection.inFeatures != config.hiddenSize {
            throw ModelError.invalidArgument("the projection reads \(projection.inFeatures) features but the encoder's hidden size is \(config.hiddenSize)")
        }
        guard tokenizer.vocabulary.count <= config.vocabSize else {
            throw ModelError.invalidArgument("the tokenizer has \(tokenizer.vocabulary.count) tokens but the model's vocab_size is \(config.vocabSize); they do not belong together")
        }
        self.transformer = transformer
        self.tokenizer = tokenizer
        self.pooling = pooling
        self.projection = projection
        self.normalize = normalize
        self.random = random
    }

    public var config: TransformerConfig { transformer.config }

    /// The length of the output vectors.
    public var dimension: Int { projection?.outFeatures ?? config.hiddenSize }

    public var children: [(String, any Module)] {
        [("encoder", transformer)] + (projection.map { [("projection", $0)] } ?? [])
    }

    // MARK: - Forward

    /// Tokenizes `texts` into one padded batch (truncated to the tokenizer's maximum length).
    public func tokenize(_ texts: [String]) throws -> TokenBatch {
        try TokenBatch(tokenizer.encodeBatch(texts))
    }

    /// Sentence vectors [B, dimension] for `batch`, dropout following the current mode.
    public func forward(_ batch: TokenBatch) throws -> Tensor {
        let hidden = try transformer.forward(batch)
        var pooled = try pooling(hidden, mask: batch.maskTensor())
        if let projection { pooled = try projection(pooled).tanh() }
        if normalize {
            // F.normalize(p=2, dim=1, eps=1e-12) divides by max(‖x‖, 1e-12); √(‖x‖² + 1e-24)
            // agrees wherever ‖x‖ ≫ 1e-12 and stays differentiable at 0.
            let norm = try pooled.mul(pooled).sum(dims: [1], keepDim: true).affine(scale: 1, shift: 1e-24).sqrt()
            pooled = try pooled.div(norm)
        }
        return pooled
    }

    /// `forward(batch)` in training (dropout on) or evaluation mode, the mode restored afterwards.
    public func forward(_ batch: TokenBatch, training: Bool) throws -> Tensor {
        try withMode(training: training) { try forward(batch) }
    }

    // MARK: - Inference

    /// The embedding of each text, in input order: evaluation mode, no autograd tape, batches of
    /// `batchSize` texts of similar length (sorted by token count, so little padding).
    /// - Throws: `ModelError.invalidArgument` when `batchSize` < 1.
    public func encode(_ texts: [String], batchSize: Int = 32) throws -> [[Float]] {
        try inBatches(texts, batchSize: batchSize) { batch in
            try forward(batch, training: false)
        }
    }

    /// The embedding of one text.
    public func encode(_ text: String) throws -> [Float] {
        try encode([text], batchSize: 1)[0]
    }

    /// Runs `body` without a tape over length-sorted batches of `texts`, returning one row per text
    /// in input order, taken from the [B, n] tensors `body` returns.
    func inBatches(_ texts: [String], batchSize: Int, _ body: (TokenBatch) throws -> Tensor) throws -> [[Float]] {
        guard batchSize >= 1 else { throw ModelError.invalidArgument("batch size must be at least 1, got \(batchSize)") }
        let sequences = texts.map(tokenizer.encode)
        let order = sequences.indices.sorted { sequences[$0].count > sequences[$1].count }
        var rows = [[Float]](repeating: [], count: texts.count)
        try withoutGrad {
            for start in stride(from: 0, to: order.count, by: batchSize) {
                let chunk = Array(order[start ..< min(start + batchSize, order.count)])
                let encoding = BatchEncoding(sequences: chunk.map { sequences[$0] }, padTokenId: tokenizer.padTokenId)
                let output = try body(TokenBatch(encoding))
                let values = output.toArray()
                let width = output.shape.last ?? 0
                for (row, index) in chunk.enumerated() {
                    rows[index] = Array(values[row * width ..< (row + 1) * width])
                }
            }
        }
        return rows
    }
}
