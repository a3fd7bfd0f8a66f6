import Models
import NN
import Script
import Tensors
import Training

/// A multi-task model held in a variable: a shared encoder and named heads.
///
/// `model.encoder` is the very encoder object it was built from (so saving both stores it
/// once); `model.heads.sentiment`, `model.projection` are addresses for `freeze`.
public final class ModelObject: HostObject, ArchivableObject {
    public let model: MultiTaskModel
    public let encoderObject: EncoderObject

    public init(_ model: MultiTaskModel, encoder: EncoderObject) {
        self.model = model
        self.encoderObject = encoder
    }

    public var typeName: String { "model" }

    /// `model · encoder tiny-bert (…) · heads sentence_type 3 labels (hidden 128), sentiment 3 labels (hidden 128) · 1.2M params, all trainable`.
    public var summary: String {
        let heads = model.heads.map { "\($0.spec.name) \($0.spec.labels.count) labels (hidden \($0.spec.hiddenSize))" }
        let total = model.parameterCount
        let trainable = model.parameters().filter(\.requiresGrad).reduce(0) { $0 + $1.value.elementCount }
        let state = trainable == total ? "all trainable" : trainable == 0 ? "all frozen" : "\(NumberText.count(trainable)) trainable"
        return "model · encoder \(encoderObject.description) · heads " + heads.joined(separator: ", ")
            + " · \(NumberText.count(total)) params, \(state)"
    }

    public var attributeNames: [String] { ["tasks", "labels", "encoder", "heads", "projection", "params", "trainable", "groups"] }

    public func attribute(_ name: String) throws -> Value? {
        switch name {
        case "tasks": return .list(model.taskNames.map(Value.string))
        case "labels":
            return .dict(ValueDict(model.heads.map { ($0.spec.name, .list($0.spec.labels.map(Value.string))) }))
        case "encoder": return .object(encoderObject)
        case "heads", "projection": return .object(AddressObject(root: .model(self), path: name))
        case "params": return .number(Double(model.parameterCount))
        case "trainable":
            return .number(Double(model.parameters().filter(\.requiresGrad).reduce(0) { $0 + $1.value.elementCount }))
        case "groups": return .list(model.groupAddresses.map(Value.string))
        default: return nil
        }
    }

    // MARK: - Archive

    struct Stored: Codable {
        struct Head: Codable { var name: String; var labels: [String]; var hidden: Int; var dropout: Double }
        var heads: [Head]
        var frozen: [String]
    }

    public var archiveKind: String { "model" }

    public func archive(into writer: SessionArchiveWriter) throws -> ArchivedParts {
        let encoderID = try writer.reference(encoderObject)
        let headParameters = model.namedParameters().filter { $0.0.hasPrefix("heads.") }
        let stored = Stored(heads: model.heads.map { Stored.Head(name: $0.spec.name, labels: $0.spec.labels, hidden: $0.spec.hiddenSize, dropout: $0.spec.dropout) },
                            frozen: headParameters.filter { !$0.1.requiresGrad }.map(\.0))
        return ArchivedParts(info: try JSONValue.from(stored),
                             tensors: headParameters.map { (name: $0.0, shape: $0.1.shape, values: $0.1.value.toArray()) },
                             references: ["encoder": encoderID])
    }

    static func decode(_ source: ArchivedObjectSource) throws -> any HostObject {
        let stored = try source.info(as: Stored.self)
        let encoder = try source.reference("encoder", as: EncoderObject.self)
        let specs = stored.heads.map { TaskSpec(name: $0.name, labels: $0.labels, hiddenSize: $0.hidden, dropout: $0.dropout) }
        let model = try MultiTaskModel(encoder: encoder.encoder, tasks: specs, seed: 0)
        try ArchivedWeights.load(into: model.namedParameters().filter { $0.0.hasPrefix("heads.") }, from: source, frozen: Set(stored.frozen))
        return ModelObject(model, encoder: encoder)
    }
}
