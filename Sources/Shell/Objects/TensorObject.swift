import Script
import Tensors

/// A tensor held in a variable (`e = encode enc "text"`): prints like NumPy, indexes and
/// slices along its first dimension, and reports its shape.
public final class TensorObject: HostObject, ArchivableObject {
    public let tensor: Tensor

    public init(_ tensor: Tensor) {
        self.tensor = tensor
    }

    public var typeName: String { "tensor" }
    public var summary: String { TensorFormatter.describe(tensor) }
    public var helpText: String {
        "a tensor of shape \(TensorFormatter.shapeText(tensor.shape)); index or slice it along the first dimension (e[0], e[0:5])"
    }

    public var attributeNames: [String] { ["shape", "rank", "size", "values", "sum", "mean", "norm"] }

    public func attribute(_ name: String) throws -> Value? {
        switch name {
        case "shape": return .list(tensor.shape.map { .number(Double($0)) })
        case "rank": return .number(Double(tensor.rank))
        case "size": return .number(Double(tensor.elementCount))
        case "values": return Self.nested(tensor.toArray(), shape: tensor.shape)
        case "sum": return .number(tensor.toArray().reduce(0.0) { $0 + Double($1) })
        case "mean":
            let values = tensor.toArray()
            return .number(values.isEmpty ? .nan : values.reduce(0.0) { $0 + Double($1) } / Double(values.count))
        case "norm": return .number(tensor.toArray().reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
        default: return nil
        }
    }

    public var count: Int? { tensor.rank == 0 ? nil : tensor.shape[0] }

    public func element(at key: Value) throws -> Value {
        guard tensor.rank > 0 else { throw ScriptError.runtime("a scalar tensor cannot be indexed; use its value: t.values") }
        guard let index = key.exactInteger else { throw ScriptError.runtime("a tensor index must be a whole number, got \(key.typeName)") }
        let n = tensor.shape[0]
        let position = index < 0 ? n + index : index
        guard (0..<n).contains(position) else {
            throw ScriptError.runtime("index \(index) is out of range for a tensor of shape \(TensorFormatter.shapeText(tensor.shape)) (valid: \(-n)…\(n - 1))")
        }
        let row = try tensor.select(dim: 0, index: position)
        if row.rank == 0 { return .number(Double(try row.item())) }
        return .object(TensorObject(row.contiguous()))
    }

    public func slice(lower: Int?, upper: Int?) throws -> Value {
        guard tensor.rank > 0 else { throw ScriptError.runtime("a scalar tensor cannot be sliced") }
        let (start, end) = Self.clamp(lower: lower, upper: upper, count: tensor.shape[0])
        return .object(TensorObject(try tensor.narrow(dim: 0, start: start, length: end - start).contiguous()))
    }

    /// Python's slice bounds: negatives count from the end, out-of-range bounds are clamped.
    static func clamp(lower: Int?, upper: Int?, count: Int) -> (Int, Int) {
        func resolve(_ bound: Int?, _ fallback: Int) -> Int {
            guard let bound else { return fallback }
            return min(max(bound < 0 ? count + bound : bound, 0), count)
        }
        let start = resolve(lower, 0)
        return (start, max(start, resolve(upper, count)))
    }

    /// Nested lists of numbers in the tensor's shape.
    static func nested(_ flat: [Float], shape: [Int]) -> Value {
        guard let first = shape.first else { return .number(Double(flat.first ?? .nan)) }
        let inner = shape.dropFirst().reduce(1, *)
        return .list((0..<first).map { i in
            shape.count == 1 ? .number(Double(flat[i])) : nested(Array(flat[(i * inner)..<((i + 1) * inner)]), shape: Array(shape.dropFirst()))
        })
    }

    public var archiveKind: String { "tensor" }

    public func archive(into writer: SessionArchiveWriter) throws -> ArchivedParts {
        ArchivedParts(tensors: [(name: "value", shape: tensor.shape, values: tensor.toArray())])
    }

    static func decode(_ source: ArchivedObjectSource) throws -> any HostObject {
        TensorObject(try source.tensor("value"))
    }
}
