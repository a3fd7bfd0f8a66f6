import Foundation
@testable import Shell
import XCTest

/// A session as the completer sees it: fixed names, attributes and keyword lists.
private struct FakeSource: CompletionSource {
    var commands = ["encoder", "encode", "train", "print", "help"]
    var variables = ["model", "modelB", "enc", "parts", "total"]
    var attributes: [String: [String]] = [
        "model": ["encoder", "heads", "name"],
        "model.encoder": ["layers", "embeddings", "config"],
        "parts[0]": ["count", "columns"],
        "cfg[\"opt\"]": ["lr"],
    ]
    var keywords: [String: [String]] = ["train": ["epochs", "batch", "eval"], "encoder": ["pooling", "dim"]]
    var directory: URL?

    func commandNames() -> [String] { commands }
    func variableNames() -> [String] { variables }
    func attributeNames(of base: String, path: [AccessStep]) -> [String] {
        var key = base
        for step in path {
            switch step {
            case let .attribute(name): key += "." + name
            case let .index(index): key += "[\(index)]"
            case let .key(name): key += "[\"\(name)\"]"
            }
        }
        return attributes[key] ?? []
    }
    func keywordNames(of callee: String) -> [String] { keywords[callee] ?? [] }
    func directoryEntries(atPath path: String) -> [DirectoryEntry] {
        // Paths are resolved against a temporary folder instead of the working directory.
        guard let directory else { return [] }
        let resolved = path == "." ? directory.path : directory.appendingPathComponent(path).path
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: resolved) else { return [] }
        return names.map { name in
            var isDirectory: ObjCBool = false
            _ = manager.fileExists(atPath: resolved + "/" + name, isDirectory: &isDirectory)
            return DirectoryEntry(name: name, isDirectory: isDirectory.boolValue)
        }
    }
}

final class CompleterTests: XCTestCase {
    private let completer = Completer(source: FakeSource())

    func testCommandsAndVariablesCompleteAtTheStartOfALine() {
        let completion = completer.complete("enc")
        XCTAssertEqual(completion.kind, .name)
        XCTAssertEqual(completion.word, "enc")
        XCTAssertEqual(completion.candidates, ["enc", "encode", "encoder"])
    }

    func testVariablesCompleteInsideExpressions() {
        XCTAssertEqual(completer.complete("x = 1 + mod").candidates, ["model", "modelB"])
        XCTAssertEqual(completer.complete("print(tot").candidates, ["total"])
    }

    func testNamesMayUseAnyAlphabet() {
        var source = FakeSource()
        source.variables = ["données", "donnée_b", "d"]
        XCTAssertEqual(Completer(source: source).complete("print(donné").candidates, ["donnée_b", "données"])
    }

    func testLanguageKeywordsAreOffered() {
        XCTAssertEqual(completer.complete("ret").candidates, ["return"])
        XCTAssertEqual(completer.complete("x = tr").candidates, ["train", "true"])
    }

    func testAttributesCompleteAfterADot() {
        let completion = completer.complete("model.")
        XCTAssertEqual(completion.kind, .attribute)
        XCTAssertEqual(completion.word, "")
        XCTAssertEqual(completion.candidates, ["encoder", "heads", "name"])
        XCTAssertEqual(completer.complete("print(model.h").candidates, ["heads"])
    }

    func testNestedAttributesAndIndexesFollowTheChain() {
        XCTAssertEqual(completer.complete("freeze model.encoder.la").candidates, ["layers"])
        XCTAssertEqual(completer.complete("parts[0].c").candidates, ["columns", "count"])
        XCTAssertEqual(completer.complete("cfg[\"opt\"].").candidates, ["lr"])
    }

    func testNoAttributesAfterACallOrANumber() {
        // Completing after `f().` would mean running f.
        XCTAssertEqual(completer.complete("encode(enc).").candidates, [])
        XCTAssertEqual(completer.complete("x = 1.5e").candidates, [])
        XCTAssertEqual(completer.complete("x = 1.").candidates, [])
    }

    func testKeywordNamesInsideAFunctionCall() {
        let completion = completer.complete("train(model, parts, ep")
        XCTAssertEqual(completion.candidates, ["epochs="])
        // After `(` or `,` the keywords come first, then the ordinary names.
        XCTAssertEqual(completer.complete("train(model, e").candidates, ["epochs=", "eval=", "else", "enc", "encode", "encoder"])
    }

    func testKeywordNamesInCommandForm() {
        XCTAssertEqual(completer.complete("train model parts[0] ba").candidates, ["batch="])
        XCTAssertEqual(completer.complete("enc = encoder \"all-MiniLM-L6-v2\" po").candidates, ["pooling="])
    }

    func testNoKeywordNamesForTheCommandNameItselfOrAfterAnOperator() {
        XCTAssertEqual(completer.complete("train").candidates, ["train"])
        XCTAssertFalse(completer.complete("x = train + ep").candidates.contains("epochs="))
        XCTAssertFalse(completer.complete("train(model, x + ep").candidates.contains("epochs="))
    }

    func testNoCompletionInsideAComment() {
        XCTAssertEqual(completer.complete("x = 1 # mod").kind, .none)
    }

    func testPathsCompleteInsideStrings() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mtl-completer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        for name in ["data/train.jsonl", "data/test.jsonl", "data/.hidden", "notes.txt"] {
            _ = FileManager.default.createFile(atPath: root.appendingPathComponent(name).path, contents: Data())
        }
        var source = FakeSource()
        source.directory = root
        let completer = Completer(source: source)

        let top = completer.complete("d = dataset \"")
        XCTAssertEqual(top.kind, .path)
        XCTAssertEqual(top.candidates, ["data/", "notes.txt"])
        let inside = completer.complete("d = dataset \"data/t")
        XCTAssertEqual(inside.word, "data/t")
        XCTAssertEqual(inside.candidates, ["data/test.jsonl", "data/train.jsonl"])
        XCTAssertEqual(completer.complete("dataset(\"data/tr").candidates, ["data/train.jsonl"])
        // Hidden files only when asked for with a leading dot.
        XCTAssertEqual(completer.complete("\"data/.").candidates, ["data/.hidden"])
        // A closed string is not completed as a path.
        XCTAssertEqual(completer.complete("print(\"data/\", to").candidates, ["total"])
    }

    func testLineEditorRewritesCandidatesForLibeditsWord() {
        // libedit cuts words at `/`, the completer at the opening quote: same completion either way.
        let completion = Completion(kind: .path, word: "data/t", candidates: ["data/test.jsonl", "data/train.jsonl"])
        XCTAssertEqual(LineEditor.reconcile(completion, withLibeditWord: "t"), ["test.jsonl", "train.jsonl"])
        let name = Completion(kind: .name, word: "ep", candidates: ["epochs="])
        XCTAssertEqual(LineEditor.reconcile(name, withLibeditWord: "ep"), ["epochs="])
        XCTAssertEqual(LineEditor.longestCommonPrefix(["encode", "encoder", "enc"]), "enc")
    }
}
