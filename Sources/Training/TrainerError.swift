/// Why training or evaluation stopped with an error.
public enum TrainingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A task loss was NaN or infinite; the step was not applied.
    case nonFiniteLoss(step: Int, task: String, value: Float)
    /// A gradient was NaN or infinite; the step was not applied.
    case nonFiniteGradient(step: Int, parameter: String, task: String)
    /// The optimizer step made a parameter NaN or infinite (finite gradients, overflowing update).
    case nonFiniteUpdate(step: Int, parameter: String)
    /// A problem with the evaluation dataset (train's eval=) rather than the training data.
    indirect case inEvaluationData(TrainingError)
    /// An example's label is not one of the model's labels for that task.
    case unknownLabel(task: String, label: String, location: String, known: [String])
    /// None of the dataset's tasks is one of the model's.
    case noCommonTask(model: [String], dataset: [String])
    /// A task asked for (weights, `tasks`) that the model lacks.
    case unknownTask(task: String, model: [String])
    /// The model returned no logits for a task it declares.
    case missingTaskOutput(task: String)
    /// The model returned logits of the wrong shape.
    case badTaskOutput(shape: [Int], batch: Int)
    /// An option out of range.
    case badOption(name: String, value: String, expected: String)
    /// The dataset holds no examples.
    case emptyDataset(name: String)
    /// Every parameter of the model is frozen, so a step could change nothing.
    case nothingTrainable

    public var description: String {
        switch self {
        case let .nonFiniteLoss(step, task, value):
            return "step \(step): the loss of task '\(task)' is \(value); training stopped before the update, so the weights are those after step \(step - 1). Lower the learning rate or clip gradients (clip=1.0)"
        case let .nonFiniteGradient(step, parameter, task):
            return "step \(step): the gradient of \(parameter) (task \(task)) is not finite; training stopped before the update, so the weights are those after step \(step - 1). Lower the learning rate or clip gradients (clip=1.0)"
        case let .nonFiniteUpdate(step, parameter):
            return "step \(step): the update made \(parameter) not finite (NaN or infinite), so the model's weights are no longer usable; restore a saved session or rebuild the model, and lower the learning rate"
        case let .inEvaluationData(error):
            return "the evaluation dataset (eval=): \(error)"
        case let .unknownLabel(task, label, location, known):
            return "\(location): label '\(label)' is not one of task '\(task)''s labels (\(known.joined(separator: ", "))); fix the data or build the model with this label"
        case let .noCommonTask(model, dataset):
            return "the dataset's tasks (\(dataset.isEmpty ? "none" : dataset.joined(separator: ", "))) are none of the model's (\(model.joined(separator: ", "))); name the label columns after the model's tasks"
        case let .unknownTask(task, model):
            return "the model has no task '\(task)'; its tasks are \(model.joined(separator: ", "))"
        case let .missingTaskOutput(task):
            return "the model gave no logits for its task '\(task)'"
        case let .badTaskOutput(shape, batch):
            return "the model gave logits of shape \(shape) for a batch of \(batch); expected [\(batch), classes]"
        case let .badOption(name, value, expected):
            return "\(name)=\(value) is invalid; use \(expected)"
        case let .emptyDataset(name):
            return "dataset \(name) has no examples; load or generate some first"
        case .nothingTrainable:
            return "nothing to train: every parameter of the model is frozen; unfreeze a part first (e.g. unfreeze model.heads)"
        }
    }
}
