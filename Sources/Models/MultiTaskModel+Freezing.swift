import Foundation
import NN
import Tensors

/// Freezing and unfreezing parts of a multi-task model by address, and a summary of what trains.
///
/// Addresses: `all` (or `model`); `encoder` (the transformer); `encoder.embeddings`;
/// `encoder.layers` (every block), `encoder.layers[i]`, `encoder.layers[i:j]` (blocks i..<j,
/// Python slice rules, negative indices from the end); `projection`; `heads`; `heads.<task>`;
/// a parameter name or a dotted prefix of names (`encoder.encoder.layer.3`); or a glob over
/// names (`encoder.*.layer.[0-2].*`: `*` any run, `?` one character, `[0-2]` a class).
///
/// A frozen parameter's value does not require grad, so the tape records nothing that leads
/// only to it and backward never descends there (docs/TENSORS.md).
extension MultiTaskModel {
    /// The common strategies, each one call to `apply(_:)`.
    public enum FreezingStrategy: Equatable, Sendable {
        /// Everything trains.
        case none
        /// Nothing trains (a baseline to evaluate as is).
        case all
        /// The transformer is frozen; projection and heads train.
        case encoder
        /// One task head is frozen.
        case head(String)
        /// The embeddings and the lowest `n` blocks are frozen; the rest fine-tunes.
        case embeddingsAndLowerLayers(Int)
    }

    /// Makes the parameters at `address` untrainable. Returns the names it matched.
    /// - Throws: `ModelError.unknownAddress` (listing the valid groups) when it matches nothing.
    @discardableResult
    public func freeze(_ address: String) throws -> [String] { try setTrainable(address, false) }

    /// Makes the parameters at `address` trainable again. Returns the names it matched.
    @discardableResult
    public func unfreeze(_ address: String) throws -> [String] { try setTrainable(address, true) }

    /// Resets every parameter to trainable, then freezes what `strategy` names.
    public func apply(_ strategy: FreezingStrategy) throws {
        try unfreeze("all")
        switch strategy {
        case .none: break
        case .all: try freeze("all")
        case .encoder: try freeze("encoder")
        case let .head(task): try freeze("heads.\(task)")
        case let .embeddingsAndLowerLayers(count):
            guard count >= 0, count <= encoder.config.layers else {
                throw ModelError.invalidArgument("cannot freeze the lower \(count) layers of a \(encoder.config.layers)-layer encoder")
            }
            try freeze("encoder.embeddings")
            if count > 0 { try freeze("encoder.layers[0:\(count)]") }
        }
    }

    /// Sets `requiresGrad` of every parameter at `address`.
    @discardableResult
    public func setTrainable(_ address: String, _ trainable: Bool) throws -> [String] {
        let matched = try parameters(at: address)
        for (_, parameter) in matched where parameter.requiresGrad != trainable { parameter.requiresGrad = trainable }
        return matched.map(\.0)
    }

    /// The names of the trainable parameters, in `namedParameters()` order.
    public var trainableParameterNames: [String] {
        namedParameters().filter { $0.1.requiresGrad }.map(\.0)
    }

    /// The parameters an address names (see the type's documentation).
    public func parameters(at address: String) throws -> [(String, Parameter)] {
        let all = namedParameters()
        let key = address.trimmingCharacters(in: .whitespaces)
        func under(_ prefix: String) -> [(String, Parameter)] { all.filter { $0.0.hasPrefix(prefix + ".") } }
        func nonEmpty(_ found: [(String, Parameter)]) throws -> [(String, Parameter)] {
            guard !found.isEmpty else { throw ModelError.unknownAddress(address, validGroups: groupAddresses) }
            return found
        }
        let transformer = encoder.transformer
        switch key {
        case "all", "model": return all
        case "encoder": return under("encoder")
        case "encoder.embeddings": return under("encoder." + transformer.embeddingsPrefix)
        case "encoder.layers": return try nonEmpty(all.filter { $0.0.hasPrefix("encoder.\(transformer.layerPrefix).") })
        case "projection": return try nonEmpty(under("projection"))
        case "heads": return under("heads")
        default: break
        }
        if key.hasPrefix("encoder.layers[") && key.hasSuffix("]") {
            let range = try layerRange(String(key.dropFirst("encoder.layers[".count).dropLast()), address: address)
            let prefixes = range.map { "encoder.\(transformer.layerPrefix).\($0)." }
            return all.filter { name, _ in prefixes.contains { name.hasPrefix($0) } }
        }
        if key.hasPrefix("heads.") {
            let task = String(key.dropFirst("heads.".count))
            if head(task) != nil { return under("heads.\(task)") }
            if !task.contains(".") && !Glob.isPattern(task) {
                throw ModelError.invalidArgument("no task '\(task)'; tasks: \(taskNames.joined(separator: ", "))")
            }
        }
        if Glob.isPattern(key) {
            let glob = try Glob(key)
            return try nonEmpty(all.filter { glob.matches($0.0) })
        }
        return try nonEmpty(all.filter { $0.0 == key || $0.0.hasPrefix(key + ".") })
    }

    /// Blocks named by `i`, `i:j`, `i:`, `:j` (Python slice rules; negatives count from the end).
    private func layerRange(_ text: String, address: String) throws -> Range<Int> {
        let count = encoder.config.layers
        func index(_ part: Substring, default fallback: Int) throws -> Int {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return fallback }
            guard let value = Int(trimmed) else {
                throw ModelError.invalidArgument("'\(address)': '\(trimmed)' is not a layer index (the encoder has layers 0 to \(count - 1))")
            }
            return value < 0 ? value + count : value
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            let i = try index(parts[0], default: -1)
            guard (0..<count).contains(i) else {
                throw ModelError.invalidArgument("'\(address)': the encoder has layers 0 to \(count - 1)")
            }
            return i ..< i + 1
        case 2:
            let lower = min(max(try index(parts[0], default: 0), 0), count)
            let upper = min(max(try index(parts[1], default: count), 0), count)
            guard lower < upper else {
                throw ModelError.invalidArgument("'\(address)' names no layer (the encoder has layers 0 to \(count - 1))")
            }
            return lower ..< upper
        default:
            throw ModelError.invalidArgument("'\(address)': write encoder.layers[i] or encoder.layers[i:j]")
        }
    }

    /// The group addresses of this model, for error messages and completion.
    public var groupAddresses: [String] {
        var groups = ["all", "encoder", "encoder.embeddings", "encoder.layers[0:\(encoder.config.layers)]"]
        if encoder.projection != nil { groups.append("projection") }
        groups.append("heads")
        groups += taskNames.map { "heads.\($0)" }
        return groups
    }

    // MARK: - Summary

    /// Parameter counts per group and whether each trains: embeddings, runs of blocks in the same
    /// state, projection, each head; then totals.
    public func parameterSummary() -> ParameterSummary {
        func group(_ name: String, _ parameters: [Parameter]) -> ParameterSummary.Group {
            ParameterSummary.Group(name: name,
                                   count: parameters.reduce(0) { $0 + $1.value.elementCount },
                                   trainable: parameters.filter(\.requiresGrad).reduce(0) { $0 + $1.value.elementCount })
        }
        let all = namedParameters()
        func under(_ prefix: String) -> [Parameter] { all.filter { $0.0.hasPrefix(prefix) }.map(\.1) }
        let transformer = encoder.transformer
        var groups = [group("encoder.embeddings", under("encoder.\(transformer.embeddingsPrefix)."))]
        var runStart = 0
        var run: [ParameterSummary.Group] = []
        func flush(upTo end: Int) {
            guard !run.isEmpty else { return }
            let name = end - runStart == 1 ? "encoder.layers[\(runStart)]" : "encoder.layers[\(runStart):\(end)]"
            groups.append(ParameterSummary.Group(name: name, count: run.reduce(0) { $0 + $1.count },
                                                 trainable: run.reduce(0) { $0 + $1.trainable }))
            run = []
        }
        for i in 0..<encoder.config.layers {
            let layer = group("", under("encoder.\(transformer.layerPrefix).\(i)."))
            if let last = run.last, last.state != layer.state { flush(upTo: i); runStart = i }
            if run.isEmpty { runStart = i }
            run.append(layer)
        }
        flush(upTo: encoder.config.layers)
        if encoder.projection != nil { groups.append(group("projection", under("projection."))) }
        for task in taskNames { groups.append(group("heads.\(task)", under("heads.\(task)."))) }
        return ParameterSummary(groups: groups)
    }
}

/// Parameter counts by group, trainable or frozen (`MultiTaskModel.parameterSummary()`).
public struct ParameterSummary: Equatable, Sendable, CustomStringConvertible {
    public struct Group: Equatable, Sendable {
        public let name: String
        /// Scalars in the group.
        public let count: Int
        /// Scalars of trainable parameters in the group.
        public let trainable: Int

        public enum State: String, Sendable { case trainable, frozen, partial }

        public var state: State {
            trainable == count ? .trainable : trainable == 0 ? .frozen : .partial
        }
    }

    public let groups: [Group]

    public var total: Int { groups.reduce(0) { $0 + $1.count } }
    public var trainable: Int { groups.reduce(0) { $0 + $1.trainable } }
    public var frozen: Int { total - trainable }

    /// A table: group, parameters, state; then the totals.
    public var description: String {
        let width = max(groups.map(\.name.count).max() ?? 0, 5)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        func count(_ n: Int) -> String {
            let digits = String(n)
            let padded = String(repeating: " ", count: max(0, 12 - digits.count)) + digits
            return padded
        }
        var lines = groups.map { "\(pad($0.name, width))  \(count($0.count))  \($0.state.rawValue)" }
        lines.append(String(repeating: "-", count: width + 26))
        lines.append("\(pad("total", width))  \(count(total))")
        lines.append("\(pad("trainable", width))  \(count(trainable))")
        lines.append("\(pad("frozen", width))  \(count(frozen))")
        return lines.joined(separator: "\n")
    }
}
