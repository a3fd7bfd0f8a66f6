import Foundation
import Script
@testable import Shell

/// A shell context whose output is collected, for driving commands as a person would.
final class ShellHarness {
    let context: ShellContext
    private(set) var output: [String] = []

    init(arguments: [String: String] = [:]) {
        context = ShellContext(scriptArguments: arguments)
        context.interpreter.output = { [unowned self] in self.output.append($0) }
    }

    var interpreter: Interpreter { context.interpreter }

    /// Runs `source` as one top-level entry (recorded in the transcript).
    @discardableResult
    func run(_ source: String) throws -> Value? {
        try context.run(source: source, file: "<test>")
    }

    /// The value of the expression `source`.
    func value(_ source: String) throws -> Value {
        try run(source) ?? .null
    }

    func variable(_ name: String) -> Value? { interpreter.globals.lookup(name) }

    /// Everything printed since the last call.
    func takeOutput() -> String {
        defer { output = [] }
        return output.joined(separator: "\n")
    }
}

/// A fresh folder under the temporary directory, removed by the caller.
func temporaryFolder(_ name: String = #function) throws -> URL {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mtl-shell-tests-\(safe)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
