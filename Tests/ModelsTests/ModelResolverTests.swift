import Foundation
import Models
import TestSupport
import XCTest

/// Every branch of model resolution, in temporary folders standing in for home, caches and cwd.
final class ModelResolverTests: XCTestCase {
    private var root: URL!
    private var home: URL { root.appendingPathComponent("home", isDirectory: true) }
    private var work: URL { root.appendingPathComponent("work", isDirectory: true) }

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("ModelResolverTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func resolver(_ variables: [String: String] = [:]) -> ModelResolver {
        ModelResolver(environment: ModelEnvironment(variables: variables, homeDirectory: home, currentDirectory: work))
    }

    /// Makes `folder` with the given files; `config.json` is the tiny-bert fixture's, others hold a byte.
    @discardableResult
    private func makeFolder(_ folder: URL, files: [String]) throws -> URL {
        for file in files {
            let url = folder.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if file == "config.json" {
                try FileManager.default.copyItem(at: Fixtures.url("tiny-bert/config.json"), to: url)
            } else {
                try Data([0]).write(to: url)
            }
        }
        return folder
    }

    private let complete = ["config.json", "model.safetensors", "vocab.txt"]

    private func resolveError(_ resolver: ModelResolver, _ name: String,
                              file: StaticString = #filePath, line: UInt = #line) -> ModelResolutionError? {
        do {
            let result = try resolver.resolve(name)
            XCTFail("expected an error, got \(result)", file: file, line: line)
        } catch let error as ModelResolutionError {
            return error
        } catch {
            XCTFail("not a ModelResolutionError: \(error)", file: file, line: line)
        }
        return nil
    }

    // MARK: - Folder paths

    func testAbsoluteFolderListsEveryCheckpointFile() throws {
        let folder = try makeFolder(root.appendingPathComponent("st-model"), files: complete + [
            "tokenizer.json", "tokenizer_config.json", "sentence_bert_config.json", "1_Pooling/config.json"])
        let resolved = try resolver().resolve(folder.path)
        guard case let .checkpoint(files, origin) = resolved else { return XCTFail("\(resolved)") }
        XCTAssertEqual(origin, .path)
        XCTAssertEqual(files.config.lastPathComponent, "config.json")
        XCTAssertEqual(files.weights.lastPathComponent, "model.safetensors")
        XCTAssertEqual(files.vocabTxt?.lastPathComponent, "vocab.txt")
        XCTAssertEqual(files.tokenizerJSON?.lastPathComponent, "tokenizer.json")
        XCTAssertEqual(files.tokenizerConfig?.lastPathComponent, "tokenizer_config.json")
        XCTAssertEqual(files.sentenceBertConfig?.lastPathComponent, "sentence_bert_config.json")
        XCTAssertEqual(files.poolingConfig?.path, folder.appendingPathComponent("1_Pooling/config.json").path)
        XCTAssertEqual(resolved.vocabulary, .vocabTxt(folder.appendingPathComponent("vocab.txt")))
        XCTAssertEqual(try resolved.loadConfig(), BuiltinModels.tinyBert)
    }

    func testRelativeAndHomeRelativeFoldersAndOptionalFilesAbsent() throws {
        try makeFolder(work.appendingPathComponent("ckpt"), files: ["config.json", "model.safetensors", "tokenizer.json"])
        try makeFolder(home.appendingPathComponent("models/mine"), files: complete)
        guard case let .checkpoint(files, .path) = try resolver().resolve("ckpt") else { return XCTFail() }
        XCTAssertNil(files.vocabTxt)
        XCTAssertNil(files.poolingConfig)
        XCTAssertEqual(files.vocabulary, .tokenizerJSON(work.appendingPathComponent("ckpt/tokenizer.json")))
        guard case let .checkpoint(mine, .path) = try resolver().resolve("~/models/mine") else { return XCTFail() }
        XCTAssertEqual(mine.directory.standardizedFileURL.path, home.appendingPathComponent("models/mine").path)
    }

    func testFolderWithoutConfigNamesFolderAndFile() throws {
        let folder = try makeFolder(root.appendingPathComponent("noconfig"), files: ["model.safetensors", "vocab.txt"])
        let error = resolveError(resolver(), folder.path)
        guard case let .incompleteCheckpoint(path, problem)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(path, folder.path)
        XCTAssertTrue(problem.hasPrefix("no config.json"), problem)
        XCTAssertTrue(error?.description.contains(folder.path) ?? false)
    }

    func testFolderWithOnlyPytorchWeightsSaysToConvert() throws {
        let folder = try makeFolder(root.appendingPathComponent("torch"), files: ["config.json", "pytorch_model.bin", "vocab.txt"])
        let message = resolveError(resolver(), folder.path)?.description ?? ""
        XCTAssertTrue(message.contains("pytorch_model.bin is not supported"), message)
        XCTAssertTrue(message.contains("convert it to model.safetensors"), message)
    }

    func testShardedOrMissingWeightsAndMissingVocabulary() throws {
        let sharded = try makeFolder(root.appendingPathComponent("sharded"), files: ["config.json", "model.safetensors.index.json", "vocab.txt"])
        XCTAssertTrue(resolveError(resolver(), sharded.path)?.description.contains("sharded") ?? false)
        let bare = try makeFolder(root.appendingPathComponent("bare"), files: ["config.json", "vocab.txt"])
        XCTAssertTrue(resolveError(resolver(), bare.path)?.description.contains("no model.safetensors") ?? false)
        let novocab = try makeFolder(root.appendingPathComponent("novocab"), files: ["config.json", "model.safetensors"])
        XCTAssertTrue(resolveError(resolver(), novocab.path)?.description.contains("no vocab.txt or tokenizer.json") ?? false)
    }

    func testMissingPathAndFilePathAreReportedAsSuch() throws {
        XCTAssertEqual(resolveError(resolver(), "./nowhere"), .noSuchFolder(path: work.appendingPathComponent("nowhere").path))
        let folder = try makeFolder(root.appendingPathComponent("m"), files: complete)
        let weights = folder.appendingPathComponent("model.safetensors").path
        XCTAssertEqual(resolveError(resolver(), weights), .notAFolder(path: weights))
    }

    // MARK: - Random weights

    func testRandomConfigWithoutAnyCachedVocabularyUsesTheBuiltinOne() throws {
        guard case let .random(spec) = try resolver().resolve("random:bert-base-uncased") else { return XCTFail() }
        XCTAssertEqual(spec.configName, "bert-base-uncased")
        XCTAssertEqual(spec.vocabulary, .builtin)
        var expected = BuiltinModels.bertBaseUncased
        expected.vocabSize = BuiltinVocabulary.tokens.count
        XCTAssertEqual(spec.config, expected)
    }

    func testRandomAndTinyModelsUseTheCachedPretrainedVocabulary() throws {
        let cached = try makeFolder(root.appendingPathComponent("mtl/models/all-MiniLM-L6-v2"), files: ["vocab.txt"])
        let r = resolver(["MTL_HOME": root.appendingPathComponent("mtl").path])
        for (name, configName, config) in [("tiny-bert", "tiny-bert", BuiltinModels.tinyBert),
                                           ("tiny-distilbert", "tiny-distilbert", BuiltinModels.tinyDistilBert),
                                           ("random:distilbert-base-uncased", "distilbert-base-uncased", BuiltinModels.distilBertBaseUncased)] {
            let resolved = try r.resolve(name)
            XCTAssertEqual(resolved, .random(RandomModelSpec(configName: configName, config: config,
                                                             vocabulary: .vocabTxt(cached.appendingPathComponent("vocab.txt")))), name)
            XCTAssertEqual(try resolved.loadConfig(), config)
        }
    }

    func testPretrainedVocabularyIsAlsoFoundInTheHubCache() throws {
        let snapshot = try makeFolder(home.appendingPathComponent(".cache/huggingface/hub/models--google-bert--bert-base-uncased/snapshots/abc"),
                                      files: ["config.json", "vocab.txt"])
        XCTAssertEqual(resolver().pretrainedVocabulary(), snapshot.appendingPathComponent("vocab.txt"))
    }

    func testUnknownRandomConfigListsTheAvailableOnes() {
        let error = resolveError(resolver(), "random:gpt2")
        XCTAssertEqual(error, .unknownRandomConfig(name: "gpt2", available: BuiltinModels.names))
        XCTAssertTrue(error?.description.contains("available: bert-base-uncased, distilbert-base-uncased, tiny-bert, tiny-distilbert") ?? false)
    }

    /// A folder in the current directory named like a built-in wins (folders come first).
    func testExistingFolderTakesPrecedenceOverBuiltinName() throws {
        try makeFolder(work.appendingPathComponent("tiny-bert"), files: complete)
        guard case .checkpoint(_, .path) = try resolver().resolve("tiny-bert") else { return XCTFail() }
    }

    // MARK: - mtl cache

    func testMiniLMInMtlHomeWithAndWithoutOrganisation() throws {
        let folder = try makeFolder(root.appendingPathComponent("mh/models/all-MiniLM-L6-v2"), files: complete)
        let r = resolver(["MTL_HOME": root.appendingPathComponent("mh").path,
                          "XDG_CACHE_HOME": root.appendingPathComponent("xdg").path])
        for name in ["all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"] {
            guard case let .checkpoint(files, .mtlCache) = try r.resolve(name) else { return XCTFail(name) }
            XCTAssertEqual(files.directory.path, folder.path)
        }
    }

    func testMtlCacheDefaultsToXdgCacheHomeThenHomeCache() throws {
        let xdg = try makeFolder(root.appendingPathComponent("xdg/mtl/models/all-MiniLM-L6-v2"), files: complete)
        let dotCache = try makeFolder(home.appendingPathComponent(".cache/mtl/models/all-MiniLM-L6-v2"), files: complete)
        guard case let .checkpoint(a, .mtlCache) = try resolver(["XDG_CACHE_HOME": root.appendingPathComponent("xdg").path])
            .resolve("all-MiniLM-L6-v2") else { return XCTFail() }
        XCTAssertEqual(a.directory.path, xdg.path)
        // An empty variable counts as unset, as in the shell's ${X:-default}.
        guard case let .checkpoint(b, .mtlCache) = try resolver(["MTL_HOME": "", "XDG_CACHE_HOME": ""])
            .resolve("all-MiniLM-L6-v2") else { return XCTFail() }
        XCTAssertEqual(b.directory.path, dotCache.path)
    }

    func testDamagedCachedModelIsAnErrorNotASkip() throws {
        let folder = try makeFolder(home.appendingPathComponent(".cache/mtl/models/all-MiniLM-L6-v2"), files: ["config.json", "vocab.txt"])
        XCTAssertEqual(resolveError(resolver(), "all-MiniLM-L6-v2"),
                       .incompleteCheckpoint(folder: folder.path, problem: "no model.safetensors (the weights)"))
    }

    // MARK: - Hugging Face hub cache

    func testHubSnapshotNamedByRefsMainUnderHFHome() throws {
        let repo = root.appendingPathComponent("hf/hub/models--distilbert--distilbert-base-uncased")
        try makeFolder(repo.appendingPathComponent("snapshots/old"), files: complete)
        let current = try makeFolder(repo.appendingPathComponent("snapshots/0123abc"), files: complete)
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("refs"), withIntermediateDirectories: true)
        try Data("0123abc\n".utf8).write(to: repo.appendingPathComponent("refs/main"))
        let resolved = try resolver(["HF_HOME": root.appendingPathComponent("hf").path]).resolve("distilbert-base-uncased")
        guard case let .checkpoint(files, .huggingFaceCache) = resolved else { return XCTFail("\(resolved)") }
        XCTAssertEqual(files.directory.path, current.path)
    }

    func testHubSnapshotWithoutOrganisationInDefaultCacheAndHubCacheOverride() throws {
        let plain = try makeFolder(home.appendingPathComponent(".cache/huggingface/hub/models--distilbert-base-uncased/snapshots/s1"),
                                   files: complete)
        guard case let .checkpoint(a, .huggingFaceCache) = try resolver().resolve("distilbert-base-uncased") else { return XCTFail() }
        XCTAssertEqual(a.directory.path, plain.path)

        let custom = try makeFolder(root.appendingPathComponent("hubcache/models--acme--encoder/snapshots/s2"), files: complete)
        guard case let .checkpoint(b, .huggingFaceCache) = try resolver(["HF_HUB_CACHE": root.appendingPathComponent("hubcache").path,
                                                                          "HF_HOME": root.appendingPathComponent("unused").path])
            .resolve("acme/encoder") else { return XCTFail() }
        XCTAssertEqual(b.directory.path, custom.path)
    }

    func testHubSnapshotWithPytorchWeightsOnlyIsAnError() throws {
        try makeFolder(home.appendingPathComponent(".cache/huggingface/hub/models--google-bert--bert-base-uncased/snapshots/s"),
                       files: ["config.json", "pytorch_model.bin", "vocab.txt"])
        XCTAssertTrue(resolveError(resolver(), "bert-base-uncased")?.description.contains("pytorch_model.bin is not supported") ?? false)
    }

    // MARK: - Unknown names

    func testUnknownMiniLMListsPlacesTriedAndSuggestsBootstrap() {
        let error = resolveError(resolver(), "all-MiniLM-L6-v2")
        guard case let .notFound(name, tried, _)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(name, "all-MiniLM-L6-v2")
        XCTAssertEqual(tried, [
            work.appendingPathComponent("all-MiniLM-L6-v2").path,
            home.appendingPathComponent(".cache/mtl/models/all-MiniLM-L6-v2").path,
            home.appendingPathComponent(".cache/huggingface/hub/models--all-MiniLM-L6-v2/snapshots").path,
            home.appendingPathComponent(".cache/huggingface/hub/models--sentence-transformers--all-MiniLM-L6-v2/snapshots").path,
        ])
        XCTAssertTrue(error?.description.contains("Scripts/bootstrap --model") ?? false)
    }

    func testUnknownBenchmarkNameSuggestsRandomWeights() {
        XCTAssertTrue(resolveError(resolver(), "bert-base-uncased")?.description.contains("use random:bert-base-uncased") ?? false)
        let other = resolveError(resolver(), "roberta-base")?.description ?? ""
        XCTAssertTrue(other.hasPrefix("unknown model 'roberta-base'; looked in:"), other)
        XCTAssertTrue(other.contains("tiny-bert, tiny-distilbert"), other)
        XCTAssertNotNil(resolveError(resolver(), "  "))
    }

    // MARK: - Environment and vocabulary

    func testEnvironmentPrecedence() {
        let env = ModelEnvironment(variables: ["MTL_HOME": "/m", "XDG_CACHE_HOME": "/x", "HF_HOME": "/h"],
                                   homeDirectory: URL(fileURLWithPath: "/home/u"), currentDirectory: URL(fileURLWithPath: "/"))
        XCTAssertEqual(env.mtlModels.path, "/m/models")
        XCTAssertEqual(env.huggingFaceHubCache.path, "/h/hub")
        var xdg = env
        xdg.variables = ["XDG_CACHE_HOME": "/x"]
        XCTAssertEqual(xdg.mtlHome.path, "/x/mtl")
        XCTAssertEqual(xdg.huggingFaceHubCache.path, "/x/huggingface/hub")
        var none = env
        none.variables = [:]
        XCTAssertEqual(none.mtlHome.path, "/home/u/.cache/mtl")
        XCTAssertEqual(none.huggingFaceHubCache.path, "/home/u/.cache/huggingface/hub")
    }

    func testBuiltinVocabularyIsUniqueWithPadFirstAndCoversAscii() {
        let tokens = BuiltinVocabulary.tokens
        XCTAssertEqual(tokens.count, 1341)
        XCTAssertEqual(Set(tokens).count, tokens.count)
        XCTAssertEqual(Array(tokens.prefix(5)), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
        for c in "abcxyz0189!?.,\"\\#" {
            XCTAssertTrue(tokens.contains(String(c)) && tokens.contains("##" + String(c)), String(c))
        }
        XCTAssertTrue(tokens.contains("the") && tokens.contains("##ing"))
        XCTAssertFalse(tokens.contains("A"))
    }

    /// The real pretrained model, when `Scripts/bootstrap --model` has fetched it.
    func testResolvesTheFetchedMiniLMWhenPresent() throws {
        let r = ModelResolver()
        guard FileManager.default.fileExists(atPath: r.environment.mtlModels.appendingPathComponent("all-MiniLM-L6-v2/config.json").path) else {
            throw XCTSkip("all-MiniLM-L6-v2 not fetched (Scripts/bootstrap --model)")
        }
        guard case let .checkpoint(files, .mtlCache) = try r.resolve("all-MiniLM-L6-v2") else { return XCTFail() }
        XCTAssertNotNil(files.poolingConfig)
        XCTAssertNotNil(files.sentenceBertConfig)
        XCTAssertEqual(try TransformerConfig(contentsOf: files.config).hiddenSize, 384)
    }
}
