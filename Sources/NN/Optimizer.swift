import Tensors

/// Something that changes trainable parameters from their gradients: `AdamW`, `SGD`.
///
/// Optimizers are given the parameters at every step rather than holding them, and keep their
/// per-parameter state keyed by the parameter's dotted name. So a model can be frozen or
/// unfrozen between runs: a frozen parameter (`requiresGrad == false`) is skipped — it keeps its
/// moments and step count but is not updated — and a parameter without a gradient in this step
/// (a head whose task was not in the batch) is skipped too, as PyTorch skips `grad is None`.
public protocol Optimizer: AnyObject {
    /// The learning rate the next `step` uses; a schedule sets it before each step.
    var learningRate: Float { get set }
    /// Updates every trainable parameter of `parameters` that has a gradient in `gradients`.
    /// - Throws: `OptimizerError` when a gradient's shape differs from its parameter's, or two
    ///   parameters share a name; nothing is changed then.
    func step(_ parameters: [Parameter], gradients: GradientStore) throws
    /// Everything needed to continue exactly: hyper-parameters, step counts, moment tensors.
    func exportState() -> OptimizerState
    /// The JSON-able part of `exportState()` (kind, hyper-parameters, step counts) without
    /// materialising the moment tensors: what describing an optimizer needs.
    var stateFields: OptimizerStateFields { get }
    /// Replaces the state with one exported earlier (by an optimizer of the same kind).
    /// - Throws: `OptimizerError.stateMismatch` for another kind or inconsistent tensors.
    func restoreState(_ state: OptimizerState) throws
}

extension Optimizer {
    /// By default, the fields of a full export (an optimizer whose buffers are cheap to copy).
    public var stateFields: OptimizerStateFields { exportState().fields }
}

/// Applies `update` to each trainable parameter that has a gradient, after validating them all.
///
/// Shared by the optimizers so both skip frozen and gradient-less parameters the same way and
/// change nothing when any gradient is malformed.
/// `bufferSize(name)` is the size of the state already held for a parameter (nil if none); a
/// size different from the parameter's means the model changed under a restored state.
func forEachTrainable(_ parameters: [Parameter], gradients: GradientStore, bufferSize: (String) -> Int?,
                      _ update: (Parameter, UnsafeBufferPointer<Float>, _ nonZeroRows: [Int32]?) throws -> Void) throws {
    var seen = Set<String>()
    var work: [(Parameter, Tensor)] = []
    for parameter in parameters where parameter.requiresGrad {
        guard seen.insert(parameter.name).inserted else { throw OptimizerError.duplicateName(parameter.name) }
        guard let gradient = gradients[parameter] else { continue }
        guard gradient.shape == parameter.shape else {
            throw OptimizerError.gradientShape(name: parameter.name, parameter: parameter.shape, gradient: gradient.shape)
        }
        if let size = bufferSize(parameter.name), size != gradient.elementCount {
            throw OptimizerError.stateMismatch("the state of \(parameter.name) holds \(size) values but the parameter has \(gradient.elementCount); reset the optimizer after changing the model")
        }
        work.append((parameter, gradient))
    }
    for (parameter, gradient) in work {
        try gradient.withUnsafeBufferPointer { try update(parameter, $0, gradient.nonZeroRowsHint) }
    }
}

/// Misuse of an optimizer or its saved state.
public enum OptimizerError: Error, CustomStringConvertible, Equatable, Sendable {
    case gradientShape(name: String, parameter: [Int], gradient: [Int])
    case duplicateName(String)
    case badHyperParameter(name: String, value: Float, expected: String)
    case stateMismatch(String)

    public var description: String {
        switch self {
        case let .gradientShape(name, parameter, gradient):
            return "optimizer: gradient of \(name) has shape \(gradient) but the parameter has shape \(parameter)"
        case let .duplicateName(name):
            return "optimizer: two parameters are named \(name); the optimizer keys its state by name, so names must be unique"
        case let .badHyperParameter(name, value, expected):
            return "optimizer: \(name) \(value) is invalid; use \(expected)"
        case let .stateMismatch(reason):
            return "optimizer state cannot be restored: \(reason)"
        }
    }
}
