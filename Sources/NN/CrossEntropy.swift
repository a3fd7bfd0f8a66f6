import Tensors

/// Cross-entropy from logits with class-index targets, averaged over the batch
/// (`torch.nn.CrossEntropyLoss`, reduction "mean"), built from `logSoftmax`, `gather` and sums
/// so autograd differentiates it.
///
/// With logp = logSoftmax(logits), per example i with target yᵢ:
/// - plain: loss = (1/B) Σᵢ −logp[i, yᵢ]
/// - class weights w: the weighted mean Σᵢ w_{yᵢ}·(−logp[i, yᵢ]) / Σᵢ w_{yᵢ}
/// - label smoothing ε over C classes (PyTorch's `cross_entropy_loss_label_smoothing` in
///   aten/src/ATen/native/LossNLL.cpp): (1−ε)·nll + (ε/C)·smooth, where
///   smooth = Σᵢ Σ_c w_c·(−logp[i, c]) / Σᵢ w_{yᵢ} (w ≡ 1 without weights, so the divisor is B).
/// logSoftmax subtracts the row maximum, so large logits do not overflow.
public struct CrossEntropyLoss: Sendable, Equatable {
    /// One weight per class, or nil for all 1.
    public let classWeights: [Float]?
    /// ε in [0, 1].
    public let labelSmoothing: Float

    /// - Throws: `LossError.badLabelSmoothing` for ε outside [0, 1], `badClassWeight` for a
    ///   negative or non-finite weight.
    public init(classWeights: [Float]? = nil, labelSmoothing: Float = 0) throws {
        guard labelSmoothing.isFinite, labelSmoothing >= 0, labelSmoothing <= 1 else {
            throw LossError.badLabelSmoothing(labelSmoothing)
        }
        if let classWeights {
            for (c, w) in classWeights.enumerated() where !(w.isFinite && w >= 0) {
                throw LossError.badClassWeight(index: c, weight: w)
            }
        }
        self.classWeights = classWeights
        self.labelSmoothing = labelSmoothing
    }

    /// The loss (rank 0) of `logits` [B, C] for `targets` (B class indices).
    public func callAsFunction(_ logits: Tensor, targets: [Int]) throws -> Tensor {
        guard logits.rank == 2 else { throw LossError.logitsNotMatrix(shape: logits.shape) }
        let batch = logits.shape[0], classes = logits.shape[1]
        guard batch > 0, classes > 0 else { throw LossError.emptyBatch(loss: "cross-entropy") }
        guard targets.count == batch else { throw LossError.targetCount(expected: batch, got: targets.count) }
        for (i, t) in targets.enumerated() where !(0..<classes).contains(t) {
            throw LossError.targetOutOfRange(index: i, target: t, classes: classes)
        }
        if let classWeights, classWeights.count != classes {
            throw LossError.classWeightCount(expected: classes, got: classWeights.count)
        }

        let logp = try logits.logSoftmax(dim: -1)
        let picked = try logp.gather(indices: IndexTensor(shape: [batch, 1], values: targets))   // [B, 1]
        let nll: Tensor
        let divisor: Float
        if let classWeights {
            let perExample = targets.map { classWeights[$0] }
            divisor = perExample.reduce(0, +)
            guard divisor > 0 else { throw LossError.zeroTotalWeight }
            let weights = try Tensor(shape: [batch, 1], values: perExample)
            nll = -(try picked * weights).sum() / divisor
        } else {
            divisor = Float(batch)
            nll = -picked.mean()
        }
        guard labelSmoothing > 0 else { return nll }

        let smoothSum: Tensor
        if let classWeights {
            smoothSum = try (logp * Tensor(shape: [1, classes], values: classWeights)).sum()
        } else {
            smoothSum = logp.sum()
        }
        let smooth = -smoothSum / divisor
        return try (nll * (1 - labelSmoothing)) + (smooth * (labelSmoothing / Float(classes)))
    }
}
