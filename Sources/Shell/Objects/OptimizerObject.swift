import NN
import Script
import Tensors

/// An optimizer bound to the model whose parameters it updates (`opt = adamw model lr=2e-5`).
///
/// Saved with its moments and per-parameter step counts, so training resumes exactly.
public final class OptimizerObject: HostObject, ArchivableObject {
    public let optimizer: any Optimizer
    public let model: ModelObject

    public init(_ optimizer: any Optimizer, model: ModelObject) {
        self.optimizer = optimizer
        self.model = model
    }

    public var typeName: String { "optimizer" }

    /// A float32 setting as the number the user typed: 1e-3 is stored as 0.0010000000474974513,
    /// whose shortest float32 spelling "0.001" is read back as a double.
    static func asTyped(_ value: Float) -> Double {
        Double(value.description) ?? Double(value)
    }

    public var summary: String {
        let fields = optimizer.stateFields
        let settings = fields.hyperParameters.keys.sorted().map { key in "\(key) \(Value.format(Self.asTyped(fields.hyperParameters[key] ?? .nan)))" }
        let steps = fields.steps.values.max() ?? 0
        return "optimizer \(fields.kind) · " + settings.joined(separator: ", ") + " · \(steps) step\(steps == 1 ? "" : "s") taken"
    }

    public var attributeNames: [String] { ["kind", "lr", "steps", "model", "settings"] }

    public func attribute(_ name: String) throws -> Value? {
        let fields = optimizer.stateFields
        switch name {
        case "kind": return .string(fields.kind)
        case "lr": return .number(Self.asTyped(optimizer.learningRate))
        case "steps": return .number(Double(fields.steps.values.max() ?? 0))
        case "model": return .object(model)
        case "settings":
            return .dict(ValueDict(fields.hyperParameters.keys.sorted().map { ($0, .number(Self.asTyped(fields.hyperParameters[$0] ?? .nan))) }))
        default: return nil
        }
    }

    public func setAttribute(_ name: String, to value: Value) throws {
        guard name == "lr" else { throw ScriptError.runtime("cannot set attribute '\(name)' of an optimizer (only lr)") }
        guard case .number(let lr) = value, lr >= 0, lr.isFinite else {
            throw ScriptError.runtime("opt.lr must be a finite number ≥ 0, got \(value.repr)")
        }
        optimizer.learningRate = Float(lr)
    }

    public var archiveKind: String { "optimizer" }

    public func archive(into writer: SessionArchiveWriter) throws -> ArchivedParts {
        let modelID = try writer.reference(model)
        let state = optimizer.exportState()
        return ArchivedParts(info: try JSONValue.from(state.fields), tensors: state.namedTensors, references: ["model": modelID])
    }

    static func decode(_ source: ArchivedObjectSource) throws -> any HostObject {
        let fields = try source.info(as: OptimizerStateFields.self)
        var tensors: [String: Tensor] = [:]
        for record in source.record.tensors { tensors[record.name] = try source.tensor(record.name) }
        let state = OptimizerState(fields: fields, tensors: tensors)
        let model = try source.reference("model", as: ModelObject.self)
        let optimizer: any Optimizer
        switch fields.kind {
        case "adamw": optimizer = try AdamW(state: state)
        case "sgd": optimizer = try SGD(state: state)
        default: throw source.problem("unknown optimizer kind '\(fields.kind)'")
        }
        return OptimizerObject(optimizer, model: model)
    }
}
