import Foundation
import Models
import NN
import Tensors
import Tokenizers

/// A multi-task model as a Hugging Face folder plus mtl's own head files.
///
/// `config.json` (TransformerConfig's HF JSON), `model.safetensors` (the encoder under its
/// checkpoint names, which `transformers.AutoModel.from_pretrained` loads), `vocab.txt` and
/// `tokenizer_config.json`; then `mtl_heads.safetensors` (projection and heads under their
/// PyTorch names, `projection.weight`, `heads.<task>.0.weight`, …) and `mtl_model.json`
/// (pooling, projection size, normalisation, heads with hidden sizes and labels) from which
/// `encoder "DIR"` rebuilds the same multi-task model.
public enum ModelExport {
    public static let descriptionFile = "mtl_model.json"
    public static let headsFile = "mtl_heads.safetensors"

    /// `mtl_model.json`.
    public struct Description: Codable, Equatable {
        public struct Head: Codable, Equatable {
            public var name: String
            public var labels: [String]
            public var hidden: Int
            public var dropout: Double
        }
        public var format = "mtl-model"
        public var version = 1
        public var base: String
        public var pooling: Pooling
        public var projection: Int?
        public var normalize: Bool
        public var maxLength: Int
        public var heads: [Head]

        enum CodingKeys: String, CodingKey {
            case format, version, base, pooling, projection, normalize, heads
            case maxLength = "max_length"
        }
    }

    /// Why an export folder cannot be read back.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes `model` to the folder `path` (created if needed; files of the same names replaced).
    public static func write(_ model: MultiTaskModel, name: String, to path: String) throws {
        let folder = URL(fileURLWithPath: path, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let encoder = model.encoder
        try encoder.config.huggingFaceJSON().write(to: folder.appendingPathComponent("config.json"), options: .atomic)
        let named = model.namedParameters()
        // The transformer's names without the "encoder." the multi-task model puts in front.
        let encoderTensors = named.filter { $0.0.hasPrefix("encoder.") }.map { entry in
            (name: String(entry.0.dropFirst("encoder.".count)), shape: entry.1.shape, values: entry.1.value.toArray())
        }
        try SafetensorsWriter.write(encoderTensors, metadata: ["format": "pt"], to: folder.appendingPathComponent("model.safetensors"))
        let tokens = EncoderObject.tokens(of: encoder.tokenizer.vocabulary, limit: encoder.config.vocabSize)
        try Data((tokens.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("vocab.txt"), options: .atomic)
        var tokenizerConfig: [String: Any] = [
            "do_lower_case": encoder.tokenizer.lowercase,
            "model_max_length": encoder.tokenizer.maxLength,
            "tokenizer_class": encoder.config.kind == .bert ? "BertTokenizer" : "DistilBertTokenizer",
            "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]",
        ]
        if let strip = encoder.tokenizer.stripAccents { tokenizerConfig["strip_accents"] = strip }
        try JSONSerialization.data(withJSONObject: tokenizerConfig, options: [.prettyPrinted, .sortedKeys])
            .write(to: folder.appendingPathComponent("tokenizer_config.json"), options: .atomic)
        let headTensors = named.filter { !$0.0.hasPrefix("encoder.") }.map { (name: $0.0, shape: $0.1.shape, values: $0.1.value.toArray()) }
        try SafetensorsWriter.write(headTensors, metadata: ["format": "pt"], to: folder.appendingPathComponent(headsFile))
        let description = Description(
            base: name, pooling: encoder.pooling, projection: encoder.projection?.outFeatures, normalize: encoder.normalize,
            maxLength: encoder.tokenizer.maxLength,
            heads: model.heads.map { Description.Head(name: $0.spec.name, labels: $0.spec.labels, hidden: $0.spec.hiddenSize, dropout: $0.spec.dropout) })
        let encoderJSON = JSONEncoder()
        encoderJSON.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoderJSON.encode(description).write(to: folder.appendingPathComponent(descriptionFile), options: .atomic)
    }

    /// Whether `path` is a folder written by `write`.
    public static func isExport(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: URL(fileURLWithPath: path).appendingPathComponent(descriptionFile).path)
    }

    /// The sentence encoder of the model exported at `path`, with its pooling, projection and
    /// normalisation from mtl_model.json unless `pooling` / `normalize` override them
    /// (what `mtl embed --model DIR` uses, so it embeds as `encode (encoder "DIR")` does).
    public static func loadEncoder(_ path: String, pooling: Pooling? = nil, normalize: Bool? = nil) throws -> SentenceEncoder {
        let exported = try load(path, seed: 0).encoder
        guard pooling != nil || normalize != nil else { return exported }
        return try SentenceEncoder(transformer: exported.transformer, tokenizer: exported.tokenizer,
                                   pooling: pooling ?? exported.pooling, projection: exported.projection,
                                   normalize: normalize ?? exported.normalize, random: exported.random)
    }

    /// Rebuilds the multi-task model exported at `path`.
    public static func load(_ path: String, seed: UInt64) throws -> MultiTaskModel {
        let folder = URL(fileURLWithPath: path, isDirectory: true)
        let descriptionURL = folder.appendingPathComponent(descriptionFile)
        guard let data = FileManager.default.contents(atPath: descriptionURL.path) else {
            throw Failure(description: "\(descriptionURL.path): cannot read the file")
        }
        let description: Description
        do { description = try JSONDecoder().decode(Description.self, from: data) } catch {
            throw Failure(description: "\(descriptionURL.path): not a valid mtl model description: \(SessionArchiveReader.describe(error))")
        }
        guard description.format == "mtl-model", description.version == 1 else {
            throw Failure(description: "\(descriptionURL.path): format '\(description.format)' version \(description.version) is not supported (this mtl reads mtl-model version 1)")
        }
        let options = SentenceEncoder.Options(pooling: description.pooling, projectionDimension: description.projection,
                                              normalize: description.normalize, seed: seed, maxLength: description.maxLength)
        let encoder = try SentenceEncoder.load(folder.standardizedFileURL.path, options: options)
        let specs = description.heads.map { TaskSpec(name: $0.name, labels: $0.labels, hiddenSize: $0.hidden, dropout: $0.dropout) }
        let model = try MultiTaskModel(encoder: encoder, tasks: specs, seed: seed)
        // Every projection and head tensor must be there: a partial file would leave random weights.
        let headsURL = folder.appendingPathComponent(headsFile)
        let heads = try SafetensorsFile(contentsOf: headsURL)
        let needed = model.namedParameters().map(\.0).filter { !$0.hasPrefix("encoder.") }
        if let missing = needed.first(where: { heads.entry($0) == nil }) {
            throw Failure(description: "\(headsURL.path): tensor '\(missing)' is missing; the export is incomplete")
        }
        try model.loadWeights(from: heads)
        return model
    }
}
