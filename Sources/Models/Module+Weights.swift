import Foundation
import NN
import Tensors

/// Moving a module's weights to and from safetensors files under its `namedParameters()` names.
extension Module {
    /// Copies the tensors of `file` whose names match this module's parameters.
    ///
    /// A file of the encoder alone (a Hugging Face checkpoint, or an export's model.safetensors)
    /// has no `encoder.` in front of its names, or `bert.` / `distilbert.` instead: its names are
    /// matched to the module's `encoder.…` ones (see `WeightNames`).
    ///
    /// Everything is checked before anything changes: a mis-shaped tensor (or, when `strict`,
    /// a missing or unexpected one) throws and leaves the module as it was.
    /// - Returns: which names were loaded, which parameters the file lacks, which tensors the
    ///   module has no parameter for.
    /// - Throws: `ModelError.incompatibleWeights`; `SafetensorsError` for an unreadable file.
    @discardableResult
    public func loadWeights(from file: SafetensorsFile, strict: Bool = false) throws -> WeightLoadReport {
        let named = namedParameters()
        var report = WeightLoadReport()
        var misShaped: [ShapeMismatch] = []
        let key = WeightNames(file: file, modelNames: named.map(\.0))
        for (name, parameter) in named {
            guard let entry = file.entry(key(name)) else { report.missing.append(name); continue }
            if entry.shape != parameter.shape {
                misShaped.append(ShapeMismatch(name: name, expected: parameter.shape, found: entry.shape))
            } else {
                report.loaded.append(name)
            }
        }
        let known = Set(named.map { key($0.0) })
        report.unexpected = file.names.filter { !known.contains($0) }
        if !misShaped.isEmpty || (strict && !report.missing.isEmpty) {
            throw ModelError.incompatibleWeights(file: file.file, missing: strict ? report.missing : [], misShaped: misShaped)
        }
        if strict && !report.unexpected.isEmpty {
            throw ModelError.invalidArgument("\(file.file) holds tensors the model does not have: \(report.unexpected.prefix(10).joined(separator: ", "))\(report.unexpected.count > 10 ? ", …" : "")")
        }
        let parameters = Dictionary(named, uniquingKeysWith: { first, _ in first })
        for name in report.loaded {
            guard let parameter = parameters[name] else { continue }
            parameter.value = try Tensor(shape: parameter.shape, values: file.floats(key(name)))
        }
        return report
    }

    /// `loadWeights(from:strict:)` for the safetensors file at `url`.
    @discardableResult
    public func loadWeights(from url: URL, strict: Bool = false) throws -> WeightLoadReport {
        try loadWeights(from: SafetensorsFile(contentsOf: url), strict: strict)
    }

    /// Every parameter as a named tensor, ready for `SafetensorsWriter`.
    public func weightTensors() -> [SafetensorsWriter.NamedTensor] {
        namedParameters().map { (name: $0.0, shape: $0.1.shape, values: $0.1.value.toArray()) }
    }

    /// Writes every parameter to `url` (atomically), names as `namedParameters()`.
    public func saveWeights(to url: URL, metadata: [String: String] = ["format": "pt"]) throws {
        try SafetensorsWriter.write(weightTensors(), metadata: metadata, to: url)
    }
}

/// What `loadWeights` did.
public struct WeightLoadReport: Equatable, Sendable {
    /// Parameters given values from the file.
    public var loaded: [String] = []
    /// Parameters the file has no tensor for (left unchanged).
    public var missing: [String] = []
    /// Tensors in the file that match no parameter (ignored).
    public var unexpected: [String] = []
}

/// Which name in a weights file holds a module parameter.
///
/// Names match as they are when the file has any of the module's names. Otherwise, when the file
/// is an encoder checkpoint (it has `embeddings.word_embeddings.weight` after one of the
/// prefixes the checkpoint loader accepts: none, `bert.`, `distilbert.`, `model.`), the module's
/// `encoder.X` is read from `<prefix>X`.
struct WeightNames {
    private let encoderPrefix: String?

    init(file: SafetensorsFile, modelNames: [String]) {
        let encoderNames = modelNames.filter { $0.hasPrefix("encoder.") }
        let prefix = Transformers.acceptedPrefixes.first { file.entry($0 + "embeddings.word_embeddings.weight") != nil }
        if let prefix, !encoderNames.isEmpty, !modelNames.contains(where: { file.entry($0) != nil }) {
            encoderPrefix = prefix
        } else {
            encoderPrefix = nil
        }
    }

    /// The file's name for the module parameter `name`.
    func callAsFunction(_ name: String) -> String {
        guard let encoderPrefix, name.hasPrefix("encoder.") else { return name }
        return encoderPrefix + name.dropFirst("encoder.".count)
    }
}
