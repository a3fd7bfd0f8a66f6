import Tensors

/// A layer or model: parameters under dotted names, sub-modules, and a train/eval mode.
///
/// Names follow PyTorch's `named_parameters()`: a module's own parameters under their local
/// name (`weight`), a child's under `childName.` + the child's names. A child registered under
/// the empty name contributes its names unprefixed (a wrapper that adds no level).
///
/// Modules are reference types: a parameter is one object shared by everyone holding the model.
public protocol Module: AnyObject {
    /// This module's own parameters, by local name, in registration order.
    var ownParameters: [(String, Parameter)] { get }
    /// Direct sub-modules, by local name, in registration order.
    var children: [(String, any Module)] { get }
    /// True in training mode (dropout active), false in evaluation mode.
    var isTraining: Bool { get set }
}

extension Module {
    public var ownParameters: [(String, Parameter)] { [] }
    public var children: [(String, any Module)] { [] }

    /// Every parameter with its dotted path, depth first in registration order.
    public func namedParameters() -> [(String, Parameter)] {
        var result = ownParameters
        for (name, child) in children {
            let prefix = name.isEmpty ? "" : name + "."
            result += child.namedParameters().map { (prefix + $0.0, $0.1) }
        }
        return result
    }

    /// Every parameter, in `namedParameters()` order.
    public func parameters() -> [Parameter] { namedParameters().map(\.1) }

    /// The total number of scalar parameters.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.value.elementCount } }

    /// Sets training (`true`) or evaluation mode on this module and every descendant.
    public func setTraining(_ training: Bool) {
        isTraining = training
        for (_, child) in children { child.setTraining(training) }
    }

    /// Runs `body` with the whole module tree in `training` mode, restoring the previous mode
    /// afterwards (also when `body` throws), so no caller can leave the model in the wrong mode.
    public func withMode<R>(training: Bool, _ body: () throws -> R) rethrows -> R {
        let previous = isTraining
        setTraining(training)
        defer { setTraining(previous) }
        return try body()
    }
}
