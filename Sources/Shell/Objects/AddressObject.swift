import Models
import NN
import Script
import Tensors

/// A part of a model named by an attribute chain: `model.encoder.layers[0:3]`,
/// `model.heads.sentiment`. `freeze`, `unfreeze` and `trainable` take it.
///
/// The chain builds the address text (`encoder.layers[0:3]`) that `MultiTaskModel`'s freezing
/// understands; nothing is looked up until it is used, and then an unknown part is an error
/// listing the valid groups.
public final class AddressObject: HostObject, ArchivableObject {
    /// What an address is relative to.
    public enum Root {
        case model(ModelObject)
        case encoder(EncoderObject)
    }

    public let root: Root
    public let path: String

    public init(root: Root, path: String) {
        self.root = root
        self.path = path
    }

    public var typeName: String { "address" }

    public var summary: String {
        guard let parameters = try? self.parameters() else { return "address \(path) (matches nothing)" }
        let count = parameters.reduce(0) { $0 + $1.1.value.elementCount }
        let trainable = parameters.filter { $0.1.requiresGrad }.reduce(0) { $0 + $1.1.value.elementCount }
        let state = trainable == count ? "trainable" : trainable == 0 ? "frozen" : "partly frozen"
        return "address \(path) · \(parameters.count) tensors, \(NumberText.count(count)) params, \(state)"
    }

    public func attribute(_ name: String) throws -> Value? {
        .object(AddressObject(root: root, path: path + "." + name))
    }

    public func element(at key: Value) throws -> Value {
        if case .string(let name) = key { return .object(AddressObject(root: root, path: path + "." + name)) }
        guard let index = key.exactInteger else { throw ScriptError.runtime("an address index must be a whole number or a name, got \(key.typeName)") }
        return .object(AddressObject(root: root, path: path + "[\(index)]"))
    }

    public func slice(lower: Int?, upper: Int?) throws -> Value {
        .object(AddressObject(root: root, path: path + "[\(lower.map(String.init) ?? ""):\(upper.map(String.init) ?? "")]"))
    }

    public var archiveKind: String { "address" }

    public func archive(into writer: SessionArchiveWriter) throws -> ArchivedParts {
        switch root {
        case .model(let model): return ArchivedParts(info: .string(path), references: ["model": try writer.reference(model)])
        case .encoder(let encoder): return ArchivedParts(info: .string(path), references: ["encoder": try writer.reference(encoder)])
        }
    }

    static func decode(_ source: ArchivedObjectSource) throws -> any HostObject {
        let path = try source.info(as: String.self)
        if source.record.references["model"] != nil {
            return AddressObject(root: .model(try source.reference("model", as: ModelObject.self)), path: path)
        }
        return AddressObject(root: .encoder(try source.reference("encoder", as: EncoderObject.self)), path: path)
    }

    /// The parameters the address names.
    public func parameters() throws -> [(String, Tensors.Parameter)] {
        switch root {
        case .model(let model): return try model.model.parameters(at: path)
        case .encoder(let encoder): return try EncoderAddress.parameters(of: encoder.encoder, at: path)
        }
    }
}

/// Addresses inside a `SentenceEncoder` alone (the same vocabulary as `MultiTaskModel`'s):
/// `all`, `encoder`, `encoder.embeddings`, `encoder.layers`, `encoder.layers[i]`,
/// `encoder.layers[i:j]`, `projection`, or a parameter name or dotted prefix.
enum EncoderAddress {
    static func parameters(of encoder: SentenceEncoder, at address: String) throws -> [(String, Tensors.Parameter)] {
        let all = encoder.namedParameters()
        let transformer = encoder.transformer
        let layers = encoder.config.layers
        func under(_ prefix: String) -> [(String, Tensors.Parameter)] { all.filter { $0.0.hasPrefix(prefix + ".") } }
        var found: [(String, Tensors.Parameter)]
        switch address {
        case "all": found = all
        case "encoder": found = under("encoder")
        case "encoder.embeddings": found = under("encoder." + transformer.embeddingsPrefix)
        case "encoder.layers": found = under("encoder." + transformer.layerPrefix)
        case "projection": found = under("projection")
        default:
            if address.hasPrefix("encoder.layers["), address.hasSuffix("]") {
                let inside = address.dropFirst("encoder.layers[".count).dropLast()
                let range = try layerRange(String(inside), layers: layers, address: address)
                let prefixes = range.map { "encoder.\(transformer.layerPrefix).\($0)." }
                found = all.filter { name, _ in prefixes.contains { name.hasPrefix($0) } }
            } else {
                found = all.filter { $0.0 == address || $0.0.hasPrefix(address + ".") }
            }
        }
        guard !found.isEmpty else {
            var groups = ["all", "encoder", "encoder.embeddings", "encoder.layers[0:\(layers)]"]
            if encoder.projection != nil { groups.append("projection") }
            throw ModelError.unknownAddress(address, validGroups: groups)
        }
        return found
    }

    /// Python slice rules over `layers` blocks: `i`, `i:j`, `:j`, `i:`, negatives from the end.
    static func layerRange(_ text: String, layers: Int, address: String) throws -> Range<Int> {
        func index(_ part: Substring, _ fallback: Int) throws -> Int {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return fallback }
            guard let value = Int(trimmed) else {
                throw ModelError.invalidArgument("'\(address)': '\(trimmed)' is not a layer index (layers 0 to \(layers - 1))")
            }
            return value < 0 ? value + layers : value
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 1 {
            let i = try index(parts[0], -1)
            guard (0..<layers).contains(i) else { throw ModelError.invalidArgument("'\(address)': the encoder has layers 0 to \(layers - 1)") }
            return i ..< i + 1
        }
        guard parts.count == 2 else { throw ModelError.invalidArgument("'\(address)': write encoder.layers[i] or encoder.layers[i:j]") }
        let lower = min(max(try index(parts[0], 0), 0), layers)
        let upper = min(max(try index(parts[1], layers), 0), layers)
        guard lower < upper else { throw ModelError.invalidArgument("'\(address)' names no layer (layers 0 to \(layers - 1))") }
        return lower ..< upper
    }
}

import Foundation
