import Foundation
import Models
import TestSupport
import XCTest

final class TransformerConfigTests: XCTestCase {
    private func config(_ json: String) throws -> TransformerConfig {
        try TransformerConfig(json: Data(json.utf8), source: "cfg/config.json")
    }

    private func configError(_ json: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try config(json)
            XCTFail("expected an error", file: file, line: line)
        } catch {
            XCTAssertTrue(error is TransformerConfigError, "\(error)", file: file, line: line)
            return "\(error)"
        }
        return ""
    }

    // MARK: - Real configs

    /// Tests/Fixtures/tiny-bert/config.json, written by transformers 5.24.
    func testTinyBertFixtureEqualsTheBuiltinConfig() throws {
        let cfg = try TransformerConfig(contentsOf: Fixtures.url("tiny-bert/config.json"))
        XCTAssertEqual(cfg, BuiltinModels.tinyBert)
        XCTAssertEqual(cfg.kind, .bert)
        XCTAssertEqual(cfg.hiddenSize, 32)
        XCTAssertEqual(cfg.headSize, 8)
        XCTAssertEqual(cfg.typeVocabSize, 2)
        XCTAssertEqual(cfg.layerNormEps, 1e-12)
    }

    /// DistilBERT keys (dim, n_layers, n_heads, hidden_dim, activation, dropout, …).
    func testTinyDistilBertFixtureEqualsTheBuiltinConfig() throws {
        let cfg = try TransformerConfig(contentsOf: Fixtures.url("tiny-distilbert/config.json"))
        XCTAssertEqual(cfg, BuiltinModels.tinyDistilBert)
        XCTAssertEqual(cfg.kind, .distilbert)
        XCTAssertEqual(cfg.intermediateSize, 64)
        XCTAssertEqual(cfg.typeVocabSize, 0)
        XCTAssertEqual(cfg.layerNormEps, 1e-12)
        XCTAssertFalse(cfg.sinusoidalPositions)
    }

    func testPretrainedMiniLMConfigWhenPresent() throws {
        let url = FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".cache/mtl/models/all-MiniLM-L6-v2/config.json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("all-MiniLM-L6-v2 not in ~/.cache/mtl (Scripts/bootstrap --model fetches it)")
        }
        let cfg = try TransformerConfig(contentsOf: url)
        XCTAssertEqual([cfg.hiddenSize, cfg.layers, cfg.heads, cfg.intermediateSize, cfg.maxPositions, cfg.vocabSize],
                       [384, 6, 12, 1536, 512, 30522])
        XCTAssertEqual(cfg.activation, .gelu)
    }

    func testDistilBertValuesAreTakenFromTheirOwnKeys() throws {
        let cfg = try config(#"""
        {"model_type": "distilbert", "dim": 48, "n_layers": 3, "n_heads": 6, "hidden_dim": 96,
         "activation": "relu", "max_position_embeddings": 64, "vocab_size": 100, "dropout": 0.2,
         "attention_dropout": 0.05, "sinusoidal_pos_embds": true, "pad_token_id": 3}
        """#)
        XCTAssertEqual(cfg, TransformerConfig(kind: .distilbert, hiddenSize: 48, layers: 3, heads: 6,
                                              intermediateSize: 96, activation: .relu, maxPositions: 64,
                                              typeVocabSize: 0, vocabSize: 100, layerNormEps: 1e-12,
                                              hiddenDropout: 0.2, attentionDropout: 0.05, padTokenId: 3,
                                              sinusoidalPositions: true))
    }

    /// BertConfig's defaults apply to optional keys: gelu, type vocab 2, eps 1e-12, dropout 0.1, pad 0.
    func testOptionalBertKeysTakeTransformersDefaults() throws {
        let cfg = try config(#"""
        {"model_type": "bert", "hidden_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2,
         "intermediate_size": 32, "max_position_embeddings": 8, "vocab_size": 10, "pad_token_id": null}
        """#)
        XCTAssertEqual(cfg.activation, .gelu)
        XCTAssertEqual(cfg.typeVocabSize, 2)
        XCTAssertEqual(cfg.layerNormEps, 1e-12)
        XCTAssertEqual(cfg.hiddenDropout, 0.1)
        XCTAssertEqual(cfg.attentionDropout, 0.1)
        XCTAssertEqual(cfg.padTokenId, 0)
    }

    // MARK: - Errors

    func testUnknownModelTypeListsSupportedTypes() {
        XCTAssertEqual(configError(#"{"model_type": "roberta", "hidden_size": 8}"#),
                       #"cfg/config.json: model_type "roberta" is not supported; supported model types: "bert", "distilbert""#)
        XCTAssertTrue(configError(#"{"hidden_size": 8}"#).contains(#"no "model_type" key"#))
    }

    func testMissingRequiredKeyIsNamed() {
        XCTAssertEqual(configError(#"{"model_type": "bert", "hidden_size": 8, "num_attention_heads": 2}"#),
                       #"cfg/config.json: required key "num_hidden_layers" is missing"#)
        // A bert key in a distilbert config does not count.
        XCTAssertTrue(configError(#"{"model_type": "distilbert", "hidden_size": 8}"#).contains(#""dim" is missing"#))
    }

    func testHiddenNotDivisibleByHeads() {
        let message = configError(#"""
        {"model_type": "distilbert", "dim": 30, "n_layers": 1, "n_heads": 4, "hidden_dim": 8,
         "max_position_embeddings": 8, "vocab_size": 10}
        """#)
        XCTAssertEqual(message, #"cfg/config.json: key "dim": dim 30 is not divisible by n_heads 4"#)
    }

    func testWrongTypesAndImpossibleValues() {
        let base = #""model_type": "bert", "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 4, "max_position_embeddings": 8, "vocab_size": 10"#
        XCTAssertTrue(configError("{\(base), \"hidden_size\": \"16\"}").contains(#"key "hidden_size": expected an integer"#))
        XCTAssertTrue(configError("{\(base), \"hidden_size\": 16.5}").contains("expected an integer"))
        XCTAssertTrue(configError("{\(base), \"hidden_size\": 0}").contains("must be positive"))
        XCTAssertTrue(configError("{\(base), \"hidden_size\": 16, \"hidden_dropout_prob\": 1.5}").contains("[0, 1)"))
        XCTAssertTrue(configError("{\(base), \"hidden_size\": 16, \"layer_norm_eps\": 0}").contains("layer_norm_eps"))
        XCTAssertTrue(configError("{\(base), \"hidden_size\": 16, \"hidden_act\": \"silu\"}")
            .contains(#"activation "silu" is not supported (supported: gelu, relu)"#))
        XCTAssertTrue(configError("{\(base), \"hidden_size\": 16, \"pad_token_id\": 10}").contains("not below vocab_size"))
        XCTAssertTrue(configError("[1, 2]").contains("not valid JSON"))
    }

    func testUnreadableFileIsNamed() {
        let url = URL(fileURLWithPath: "/nonexistent/model/config.json")
        XCTAssertThrowsError(try TransformerConfig(contentsOf: url)) { error in
            XCTAssertTrue("\(error)".hasPrefix("/nonexistent/model/config.json: cannot read"), "\(error)")
        }
    }

    // MARK: - Export

    /// Exported JSON reads back to the same config, with the keys of its own model type.
    func testHuggingFaceJSONRoundTripsForBothKinds() throws {
        for original in [BuiltinModels.tinyBert, BuiltinModels.distilBertBaseUncased,
                         TransformerConfig(kind: .bert, hiddenSize: 12, layers: 1, heads: 3, intermediateSize: 5,
                                           activation: .relu, maxPositions: 7, typeVocabSize: 1, vocabSize: 9,
                                           layerNormEps: 1e-5, hiddenDropout: 0, attentionDropout: 0.25, padTokenId: 2)] {
            let json = try original.huggingFaceJSON()
            XCTAssertEqual(try TransformerConfig(json: json, source: "export"), original)
            let keys = try XCTUnwrap(JSONSerialization.jsonObject(with: json) as? [String: Any]).keys
            if original.kind == .bert {
                XCTAssertTrue(keys.contains("hidden_size") && keys.contains("layer_norm_eps") && !keys.contains("dim"))
            } else {
                XCTAssertTrue(keys.contains("dim") && keys.contains("sinusoidal_pos_embds") && !keys.contains("hidden_size"))
            }
        }
        let text = String(decoding: try BuiltinModels.tinyBert.huggingFaceJSON(), as: UTF8.self)
        XCTAssertTrue(text.contains(#""architectures" : ["#) && text.contains(#""BertModel""#), text)
    }

    func testBenchmarkConfigsHaveThePublishedSizes() {
        let bert = BuiltinModels.bertBaseUncased
        XCTAssertEqual([bert.hiddenSize, bert.layers, bert.heads, bert.intermediateSize, bert.maxPositions,
                        bert.typeVocabSize, bert.vocabSize], [768, 12, 12, 3072, 512, 2, 30522])
        let distil = BuiltinModels.distilBertBaseUncased
        XCTAssertEqual([distil.hiddenSize, distil.layers, distil.heads, distil.intermediateSize], [768, 6, 12, 3072])
        XCTAssertEqual(BuiltinModels.names, ["bert-base-uncased", "distilbert-base-uncased", "tiny-bert", "tiny-distilbert"])
    }
}
