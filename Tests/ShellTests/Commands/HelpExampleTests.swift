import Foundation
import Script
import XCTest
@testable import Shell

/// Every shell command's help example runs (on tiny-bert, offline), and docs/SHELL.md lists
/// every command with the signature the registry gives it.
final class HelpExampleTests: XCTestCase {
    static let required = ["encoder", "encode", "multitask", "predict", "freeze", "unfreeze", "trainable", "load_weights",
                           "dataset", "dummy", "split", "adamw", "sgd", "train", "evaluate", "save", "restore", "export",
                           "seed", "time", "plot"]

    var commands: [Builtin] { ShellCommands.all(session: ShellSession()) }

    func testEveryCommandTheDesignNamesIsRegisteredWithHelp() {
        let registry = ShellHarness().interpreter.registry
        for name in Self.required {
            guard let builtin = registry.lookup(name) else { XCTFail("\(name) is not registered"); continue }
            XCTAssertFalse(builtin.summary.isEmpty, name)
            XCTAssertFalse(builtin.example.isEmpty, "\(name) has no example")
        }
        XCTAssertTrue(registry.lookup("load_model") === registry.lookup("encoder"))
    }

    func testEveryHelpExampleRuns() throws {
        // Examples are run from the package root, where Experiments/data lives.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(root.path)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        for builtin in commands {
            let shell = ShellHarness()
            do {
                try shell.run(builtin.example)
            } catch {
                XCTFail("the example of \(builtin.name) fails:\n\(builtin.example)\n\(error)")
            }
        }
    }

    func testDocsListEveryCommandWithItsSignature() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/SHELL.md")
        if ProcessInfo.processInfo.environment["MTL_WRITE_SHELL_REFERENCE"] != nil {
            try ShellReference.markdown.write(to: docs.deletingLastPathComponent().appendingPathComponent("SHELL-reference.generated.md"),
                                              atomically: true, encoding: .utf8)
        }
        let text = try String(contentsOf: docs, encoding: .utf8)
        for builtin in commands {
            XCTAssertTrue(text.contains("#### `\(builtin.signature)`"), "docs/SHELL.md lacks `\(builtin.signature)`")
        }
        // The reference section is generated from the registry; regenerate with
        // `ShellReference.markdown` if this fails after changing a command.
        XCTAssertTrue(text.contains(ShellReference.markdown), "docs/SHELL.md's command reference is out of date")
    }
}
