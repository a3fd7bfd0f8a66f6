import Tensors

/// Regression and shared pieces of the loss functions.
public enum Loss {
    /// Mean squared error, the mean over every element of (prediction − target)²
    /// (`torch.nn.functional.mse_loss`, reduction "mean").
    /// - Throws: `LossError.shapeMismatch` unless the shapes are equal, `LossError.emptyBatch`
    ///   for empty tensors.
    public static func mse(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
        guard prediction.shape == target.shape else {
            throw LossError.shapeMismatch(loss: "mse", prediction: prediction.shape, target: target.shape)
        }
        guard prediction.elementCount > 0 else { throw LossError.emptyBatch(loss: "mse") }
        let difference = try prediction - target
        return (try difference * difference).mean()
    }

    /// Cross-entropy of `logits` [B, C] against class indices, the batch mean (see `CrossEntropyLoss`).
    public static func crossEntropy(_ logits: Tensor, targets: [Int], classWeights: [Float]? = nil,
                                    labelSmoothing: Float = 0) throws -> Tensor {
        try CrossEntropyLoss(classWeights: classWeights, labelSmoothing: labelSmoothing)(logits, targets: targets)
    }
}

/// Arguments a loss cannot work with.
public enum LossError: Error, CustomStringConvertible, Equatable, Sendable {
    case shapeMismatch(loss: String, prediction: [Int], target: [Int])
    case logitsNotMatrix(shape: [Int])
    case targetCount(expected: Int, got: Int)
    case targetOutOfRange(index: Int, target: Int, classes: Int)
    case classWeightCount(expected: Int, got: Int)
    case badClassWeight(index: Int, weight: Float)
    case zeroTotalWeight
    case badLabelSmoothing(Float)
    case emptyBatch(loss: String)

    public var description: String {
        switch self {
        case let .shapeMismatch(loss, prediction, target):
            return "\(loss) loss: prediction shape \(prediction) and target shape \(target) differ; they must be equal"
        case let .logitsNotMatrix(shape):
            return "cross-entropy needs logits of shape [batch, classes], got \(shape)"
        case let .targetCount(expected, got):
            return "cross-entropy: \(got) targets for a batch of \(expected); give one class index per row"
        case let .targetOutOfRange(index, target, classes):
            return "cross-entropy: target \(target) of example \(index) is not a class index in 0..<\(classes)"
        case let .classWeightCount(expected, got):
            return "cross-entropy: \(got) class weights for \(expected) classes; give one weight per class"
        case let .badClassWeight(index, weight):
            return "cross-entropy: class weight \(weight) of class \(index) is invalid; use a finite number ≥ 0"
        case .zeroTotalWeight:
            return "cross-entropy: every example's class has weight 0, so the weighted mean is undefined; give some class present in the batch a positive weight"
        case let .badLabelSmoothing(value):
            return "cross-entropy: label smoothing \(value) is invalid; use a number in [0, 1]"
        case let .emptyBatch(loss):
            return "\(loss) loss of an empty batch is undefined; give at least one example"
        }
    }
}
