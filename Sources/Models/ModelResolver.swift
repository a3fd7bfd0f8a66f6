import Foundation

/// Turns a model name typed by a user into something loadable.
///
/// A name is tried, in order, as:
/// 1. an existing folder (absolute, relative to the current folder, or `~/…`);
/// 2. `random:NAME`: seeded random weights for a `BuiltinModels` configuration;
/// 3. a built-in tiny model (`tiny-bert`, `tiny-distilbert`), also random weights;
/// 4. a folder in mtl's cache, `<mtlHome>/models/NAME` (`sentence-transformers/NAME` → `NAME`),
///    where `Scripts/bootstrap --model` puts all-MiniLM-L6-v2;
/// 5. a snapshot in the Hugging Face hub cache, `models--ORG--NAME/snapshots/*/`.
/// Nothing falls back silently: a name that matches none of these is an error saying what was tried.
public struct ModelResolver: Sendable {
    public var environment: ModelEnvironment

    public init(environment: ModelEnvironment = .current()) {
        self.environment = environment
    }

    /// Resolves `name` (see the type's documentation for the order).
    /// - Throws: `ModelResolutionError` naming the folder and what is missing, or listing the
    ///   places tried.
    public func resolve(_ name: String) throws -> ResolvedModel {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw ModelResolutionError.notFound(name: name, tried: [], hint: Self.generalHint) }

        // 1. A folder path.
        let path = environment.absolutePath(trimmed)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return .checkpoint(try checkpoint(at: path), origin: .path) }
            if Self.looksLikePath(trimmed) { throw ModelResolutionError.notAFolder(path: path.path) }
        } else if Self.looksLikePath(trimmed) {
            throw ModelResolutionError.noSuchFolder(path: path.path)
        }

        // 2. random:NAME.
        if trimmed.hasPrefix("random:") {
            let configName = String(trimmed.dropFirst("random:".count))
            guard BuiltinModels.config(named: configName) != nil else {
                throw ModelResolutionError.unknownRandomConfig(name: configName, available: BuiltinModels.names)
            }
            return .random(randomSpec(configName))
        }

        // 3. Built-in tiny models.
        if BuiltinModels.tinyNames.contains(trimmed) { return .random(randomSpec(trimmed)) }

        // 4. mtl's cache.
        var tried: [String] = [path.path]
        let baseName = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
        let cached = environment.mtlModels.appendingPathComponent(baseName, isDirectory: true)
        if Self.isDirectory(cached) { return .checkpoint(try checkpoint(at: cached), origin: .mtlCache) }
        tried.append(cached.path)

        // 5. The Hugging Face hub cache.
        for repository in Self.hubRepositories(for: trimmed) {
            let folder = environment.huggingFaceHubCache.appendingPathComponent(repository, isDirectory: true)
            if let snapshot = Self.snapshot(in: folder) {
                return .checkpoint(try checkpoint(at: snapshot), origin: .huggingFaceCache)
            }
            tried.append(folder.appendingPathComponent("snapshots").path)
        }
        throw ModelResolutionError.notFound(name: trimmed, tried: tried, hint: Self.hint(for: baseName))
    }

    /// Lists and checks the files of a checkpoint folder.
    /// - Throws: `ModelResolutionError.incompleteCheckpoint` when `config.json`, the weights
    ///   (`model.safetensors`) or a vocabulary (`vocab.txt` or `tokenizer.json`) is missing.
    public func checkpoint(at directory: URL) throws -> CheckpointFiles {
        func file(_ relative: String) -> URL? {
            let url = directory.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            return exists && !isDirectory.boolValue ? url : nil
        }
        func incomplete(_ problem: String) -> ModelResolutionError {
            .incompleteCheckpoint(folder: directory.path, problem: problem)
        }
        guard let config = file("config.json") else {
            throw incomplete("no config.json (the model's configuration); a Hugging Face checkpoint folder holds config.json, model.safetensors and vocab.txt")
        }
        guard let weights = file("model.safetensors") else {
            if file("model.safetensors.index.json") != nil {
                throw incomplete("the weights are sharded (model.safetensors.index.json), which is not supported; merge them into one model.safetensors")
            }
            if file("pytorch_model.bin") != nil {
                throw incomplete("pytorch_model.bin is not supported (a pickle can run code when loaded); convert it to model.safetensors, e.g. in Python: safetensors.torch.save_file(torch.load('pytorch_model.bin'), 'model.safetensors')")
            }
            throw incomplete("no model.safetensors (the weights)")
        }
        let vocabTxt = file("vocab.txt")
        let tokenizerJSON = file("tokenizer.json")
        guard vocabTxt != nil || tokenizerJSON != nil else {
            throw incomplete("no vocab.txt or tokenizer.json (the tokenizer's vocabulary)")
        }
        return CheckpointFiles(directory: directory, config: config, weights: weights,
                               vocabTxt: vocabTxt, tokenizerJSON: tokenizerJSON,
                               tokenizerConfig: file("tokenizer_config.json"),
                               sentenceBertConfig: file("sentence_bert_config.json"),
                               poolingConfig: file("1_Pooling/config.json"))
    }

    /// A pretrained uncased BERT `vocab.txt` already on this machine, if any: all-MiniLM-L6-v2
    /// in mtl's cache, then the hub caches of models that share bert-base-uncased's vocabulary.
    public func pretrainedVocabulary() -> URL? {
        for name in Self.uncasedVocabularyModels {
            let cached = environment.mtlModels.appendingPathComponent(name).appendingPathComponent("vocab.txt")
            if FileManager.default.fileExists(atPath: cached.path) { return cached }
        }
        for name in Self.uncasedVocabularyModels {
            for repository in Self.hubRepositories(for: name) {
                let folder = environment.huggingFaceHubCache.appendingPathComponent(repository, isDirectory: true)
                if let vocab = Self.snapshot(in: folder)?.appendingPathComponent("vocab.txt"),
                   FileManager.default.fileExists(atPath: vocab.path) {
                    return vocab
                }
            }
        }
        return nil
    }

    // MARK: - Random models

    /// A random-weight spec: the pretrained vocabulary when cached, else the built-in one
    /// (with `vocabSize` shrunk to it, so no embedding row is unreachable).
    private func randomSpec(_ configName: String) -> RandomModelSpec {
        var config = BuiltinModels.config(named: configName) ?? BuiltinModels.tinyBert
        if let vocab = pretrainedVocabulary() {
            return RandomModelSpec(configName: configName, config: config, vocabulary: .vocabTxt(vocab))
        }
        config.vocabSize = BuiltinVocabulary.tokens.count
        return RandomModelSpec(configName: configName, config: config, vocabulary: .builtin)
    }

    // MARK: - Hub cache

    /// Models whose `vocab.txt` is bert-base-uncased's (30,522 tokens).
    private static let uncasedVocabularyModels = ["all-MiniLM-L6-v2", "bert-base-uncased", "distilbert-base-uncased"]

    /// Hub cache folder names to try for `name` (`ORG/NAME` → `models--ORG--NAME`), including
    /// the organisations that now own models first published without one.
    static func hubRepositories(for name: String) -> [String] {
        var ids = [name]
        switch name {
        case "all-MiniLM-L6-v2": ids.append("sentence-transformers/all-MiniLM-L6-v2")
        case "bert-base-uncased": ids.append("google-bert/bert-base-uncased")
        case "distilbert-base-uncased": ids.append("distilbert/distilbert-base-uncased")
        default: break
        }
        return ids.map { "models--" + $0.replacingOccurrences(of: "/", with: "--") }
    }

    /// The snapshot folder of a hub cache repository: the one `refs/main` names, else the most
    /// recently modified snapshot holding a `config.json`.
    static func snapshot(in repository: URL) -> URL? {
        let snapshots = repository.appendingPathComponent("snapshots", isDirectory: true)
        let refs = repository.appendingPathComponent("refs/main")
        if let data = FileManager.default.contents(atPath: refs.path),
           let hash = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
           !hash.isEmpty, !hash.contains("/"),
           isDirectory(snapshots.appendingPathComponent(hash)) {
            return snapshots.appendingPathComponent(hash, isDirectory: true)
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: snapshots.path) else { return nil }
        let candidates = names.sorted().map { snapshots.appendingPathComponent($0, isDirectory: true) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("config.json").path) }
        func modified(_ url: URL) -> Date {
            ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date) ?? .distantPast
        }
        return candidates.max { modified($0) < modified($1) }
    }

    // MARK: - Helpers

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Names that can only mean a path (so a missing one is reported as such, not looked up).
    private static func looksLikePath(_ name: String) -> Bool {
        name.hasPrefix("/") || name.hasPrefix("./") || name.hasPrefix("../") || name.hasPrefix("~")
            || name == "." || name == ".." || name.hasSuffix(".safetensors") || name.hasSuffix(".json")
    }

    private static let generalHint = "give a folder holding config.json, model.safetensors and vocab.txt, a built-in model (tiny-bert, tiny-distilbert), or random:NAME with NAME one of \(BuiltinModels.names.joined(separator: ", "))"

    private static func hint(for baseName: String) -> String {
        if baseName == "all-MiniLM-L6-v2" {
            return "run Scripts/bootstrap --model to fetch all-MiniLM-L6-v2 into mtl's cache"
        }
        if BuiltinModels.config(named: baseName) != nil {
            return "its pretrained weights are not on this machine; use random:\(baseName) for a model of that shape with random weights, or " + generalHint
        }
        return generalHint
    }
}

/// Why a model name could not be resolved.
public enum ModelResolutionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A path-like name that does not exist.
    case noSuchFolder(path: String)
    /// A path that is a file, where a checkpoint folder is expected.
    case notAFolder(path: String)
    /// A checkpoint folder lacking a file it needs.
    case incompleteCheckpoint(folder: String, problem: String)
    /// `random:NAME` with an unknown NAME.
    case unknownRandomConfig(name: String, available: [String])
    /// A name that matches nothing, with every place looked at.
    case notFound(name: String, tried: [String], hint: String)

    public var description: String {
        switch self {
        case let .noSuchFolder(path):
            return "model folder \(path) does not exist"
        case let .notAFolder(path):
            return "\(path) is a file; give the checkpoint folder that holds it (config.json, model.safetensors, vocab.txt)"
        case let .incompleteCheckpoint(folder, problem):
            return "model folder \(folder) is not a usable checkpoint: \(problem)"
        case let .unknownRandomConfig(name, available):
            return "no built-in configuration named '\(name)' for random weights; available: \(available.joined(separator: ", "))"
        case let .notFound(name, tried, hint):
            let places = tried.map { "\n  \($0)" }.joined()
            return "unknown model '\(name)'" + (tried.isEmpty ? "" : "; looked in:" + places) + "\nTo fix: \(hint)"
        }
    }
}
