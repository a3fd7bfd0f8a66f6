/// Model configurations mtl knows by name, for random-weight models and benchmarks.
///
/// `tiny-bert` and `tiny-distilbert` equal `Tests/Fixtures/tiny-*/config.json` (made with
/// transformers); `bert-base-uncased` and `distilbert-base-uncased` equal the published
/// configs of those Hugging Face models.
public enum BuiltinModels {
    /// Hidden 32, 2 layers, 4 heads, intermediate 64, 128 positions (the tiny-bert fixture).
    public static let tinyBert = TransformerConfig(
        kind: .bert, hiddenSize: 32, layers: 2, heads: 4, intermediateSize: 64,
        maxPositions: 128, typeVocabSize: 2, vocabSize: 30522)

    /// The DistilBERT counterpart of `tinyBert` (the tiny-distilbert fixture).
    public static let tinyDistilBert = TransformerConfig(
        kind: .distilbert, hiddenSize: 32, layers: 2, heads: 4, intermediateSize: 64,
        maxPositions: 128, typeVocabSize: 0, vocabSize: 30522)

    /// google-bert/bert-base-uncased: 768 wide, 12 layers, 12 heads, 3072, 512 positions.
    public static let bertBaseUncased = TransformerConfig(
        kind: .bert, hiddenSize: 768, layers: 12, heads: 12, intermediateSize: 3072,
        maxPositions: 512, typeVocabSize: 2, vocabSize: 30522)

    /// distilbert/distilbert-base-uncased: 768 wide, 6 layers, 12 heads, 3072, 512 positions.
    public static let distilBertBaseUncased = TransformerConfig(
        kind: .distilbert, hiddenSize: 768, layers: 6, heads: 12, intermediateSize: 3072,
        maxPositions: 512, typeVocabSize: 0, vocabSize: 30522)

    /// Every built-in configuration by name (the names `random:NAME` accepts).
    public static let configs: [String: TransformerConfig] = [
        "tiny-bert": tinyBert,
        "tiny-distilbert": tinyDistilBert,
        "bert-base-uncased": bertBaseUncased,
        "distilbert-base-uncased": distilBertBaseUncased,
    ]

    /// The built-in names, sorted (for help texts and error messages).
    public static var names: [String] { configs.keys.sorted() }

    /// The names that resolve to a random-weight model without the `random:` prefix.
    public static let tinyNames: [String] = ["tiny-bert", "tiny-distilbert"]

    /// The configuration called `name`, or nil.
    public static func config(named name: String) -> TransformerConfig? { configs[name] }
}
