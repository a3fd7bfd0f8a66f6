import Foundation
@testable import Shell
import XCTest

/// A language stand-in: a block is open while `{` outnumber `}`; `fail` throws.
private final class FakeEngine: REPLEngine {
    var entries: [String] = []

    func isIncomplete(_ source: String) -> Bool {
        source.filter { $0 == "{" }.count > source.filter { $0 == "}" }.count
    }

    func evaluate(_ entry: String) throws -> String? {
        entries.append(entry)
        if entry == "fail" { throw REPLMessage(text: "<prompt>:1:1: error: failed on purpose") }
        return nil
    }

    var interruptAction: @Sendable () -> Void { {} }
    func clearInterrupt() {}
    var completionSource: CompletionSource { EmptySource() }
}

private struct EmptySource: CompletionSource {
    func commandNames() -> [String] { [] }
    func variableNames() -> [String] { [] }
    func attributeNames(of base: String, path: [AccessStep]) -> [String] { [] }
    func keywordNames(of callee: String) -> [String] { [] }
}

/// Typed input, one answer per prompt; end of input once the script runs out.
private final class ScriptedReader: LineReader {
    var inputs: [LineEditor.Input]
    var prompts: [String] = []
    var history: [String] = []

    init(_ inputs: [LineEditor.Input]) { self.inputs = inputs }

    func readLine(prompt: String) -> LineEditor.Input {
        prompts.append(prompt)
        return inputs.isEmpty ? .endOfInput : inputs.removeFirst()
    }
    func setHistory(_ entries: [String]) { history = entries }
    func addHistory(_ entry: String) { history.append(entry) }
}

private final class RecordingHooks: SessionHooks {
    var hasUnsavedChanges = false
    var savePath: String?
    var saveFails = false
    var saves: [String?] = []

    func save(to path: String?) throws {
        saves.append(path)
        if saveFails { throw SessionHookError.notBuilt(operation: "save") }
    }
    func restore(from path: String) throws {}
}

/// The REPL loop without a terminal: a fake language, scripted input, recorded session hooks.
final class REPLLoopTests: XCTestCase {
    private var historyFile: URL!

    override func setUp() {
        historyFile = FileManager.default.temporaryDirectory.appendingPathComponent("mtl-loop-\(UUID().uuidString)")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: historyFile)
    }

    private func run(_ inputs: [LineEditor.Input], hooks: SessionHooks = UnbuiltSessionHooks(),
                     confirmExit: Bool = true) -> (FakeEngine, ScriptedReader, Int32) {
        let engine = FakeEngine()
        let reader = ScriptedReader(inputs)
        let options = REPLOptions(historyFile: historyFile, confirmExit: confirmExit, showBanner: false)
        let status = REPL(engine: engine, hooks: hooks, options: options, reader: reader).run()
        return (engine, reader, status)
    }

    func testAnOpenBlockIsReadWithTheContinuationPromptAndRunAsOneEntry() throws {
        let (engine, reader, status) = run([.line("def f() {"), .line("return 1"), .line("}")])
        XCTAssertEqual(status, 0)
        XCTAssertEqual(reader.prompts, ["mtl> ", "...> ", "...> ", "mtl> "])
        XCTAssertEqual(engine.entries, ["def f() {\nreturn 1\n}"])
        XCTAssertEqual(reader.history, ["def f() {\nreturn 1\n}"])
        XCTAssertEqual(try History.load(from: historyFile).entries, ["def f() {\nreturn 1\n}"])
    }

    func testCtrlCDropsAnUnfinishedBlock() {
        let (engine, reader, _) = run([.line("def f() {"), .interrupted, .line("x = 1")])
        XCTAssertEqual(engine.entries, ["x = 1"])
        XCTAssertEqual(reader.prompts, ["mtl> ", "...> ", "mtl> ", "mtl> "])
    }

    func testCtrlDInsideABlockDropsTheBlockAndASecondCtrlDLeaves() {
        let (engine, reader, status) = run([.line("if true {"), .endOfInput, .endOfInput])
        XCTAssertEqual(engine.entries, [])
        XCTAssertEqual(reader.prompts, ["mtl> ", "...> ", "mtl> "])
        XCTAssertEqual(status, 0)
    }

    func testAnErrorDoesNotEndTheLoop() {
        let (engine, _, status) = run([.line("fail"), .line("x = 2")])
        XCTAssertEqual(engine.entries, ["fail", "x = 2"])
        XCTAssertEqual(status, 0)
    }

    func testRepeatedEntriesAreRememberedOnce() throws {
        let (engine, reader, _) = run([.line("x = 1"), .line("x = 1"), .line("y = 2")])
        XCTAssertEqual(engine.entries, ["x = 1", "x = 1", "y = 2"])
        XCTAssertEqual(reader.history, ["x = 1", "y = 2"])
    }

    func testREPLCommandsAreNotSentToTheLanguage() {
        let (engine, _, _) = run([.line(":time on"), .line(":time off"), .line(":nonsense")])
        XCTAssertEqual(engine.entries, [])
    }

    func testNothingUnsavedLeavesWithoutAsking() {
        let (_, reader, status) = run([.line("exit")])
        XCTAssertEqual(status, 0)
        XCTAssertEqual(reader.prompts, ["mtl> "])
    }

    func testLeavingWithUnsavedChangesAsksAndSavesOnYes() {
        let hooks = RecordingHooks()
        hooks.hasUnsavedChanges = true
        hooks.savePath = "known.mtlsession"
        let (_, reader, status) = run([.line("quit"), .line("y")], hooks: hooks)
        XCTAssertEqual(status, 0)
        XCTAssertEqual(reader.prompts, ["mtl> ", "save the session first? [y/N] "])
        XCTAssertEqual(hooks.saves, ["known.mtlsession"])
    }

    func testASessionNeverSavedAsksForAPathAndSavesThere() {
        let hooks = RecordingHooks()
        hooks.hasUnsavedChanges = true
        let (_, reader, status) = run([.line("exit"), .line("y"), .line(" new.mtlsession ")], hooks: hooks)
        XCTAssertEqual(status, 0)
        XCTAssertEqual(reader.prompts, ["mtl> ", "save the session first? [y/N] ", "save to (path): "])
        XCTAssertEqual(hooks.saves, ["new.mtlsession"])
    }

    func testNoPathGivenReturnsToThePromptWithoutSaving() {
        let hooks = RecordingHooks()
        hooks.hasUnsavedChanges = true
        let (engine, reader, _) = run([.line("exit"), .line("y"), .line(""), .line("x = 1"), .line("exit"), .line("n")], hooks: hooks)
        XCTAssertEqual(hooks.saves, [])
        XCTAssertEqual(engine.entries, ["x = 1"], "the session went on")
        XCTAssertEqual(reader.prompts, ["mtl> ", "save the session first? [y/N] ", "save to (path): ", "mtl> ", "mtl> ",
                                        "save the session first? [y/N] "])
    }

    func testAnsweringNoLeavesWithoutSaving() {
        let hooks = RecordingHooks()
        hooks.hasUnsavedChanges = true
        let (_, reader, status) = run([.endOfInput, .line("")], hooks: hooks)
        XCTAssertEqual(status, 0)
        XCTAssertEqual(reader.prompts.last, "save the session first? [y/N] ")
        XCTAssertEqual(hooks.saves, [])
    }

    func testAFailedSaveReturnsToThePrompt() {
        let hooks = RecordingHooks()
        hooks.hasUnsavedChanges = true
        hooks.saveFails = true
        hooks.savePath = "known.mtlsession"
        let (engine, reader, _) = run([.line("exit"), .line("y"), .line("x = 3"), .line("exit"), .line("n")], hooks: hooks)
        XCTAssertEqual(engine.entries, ["x = 3"], "the session went on after the failed save")
        XCTAssertEqual(hooks.saves.count, 1)
        XCTAssertEqual(reader.prompts, ["mtl> ", "save the session first? [y/N] ", "mtl> ", "mtl> ",
                                        "save the session first? [y/N] "])
    }

    func testNoConfirmLeavesWithoutAsking() {
        let hooks = RecordingHooks()
        hooks.hasUnsavedChanges = true
        let (_, reader, status) = run([.line("exit")], hooks: hooks, confirmExit: false)
        XCTAssertEqual(status, 0)
        XCTAssertEqual(reader.prompts, ["mtl> "])
        XCTAssertEqual(hooks.saves, [])
    }

    func testDurationsReadInMillisecondsOrSeconds() {
        XCTAssertEqual(REPL.format(.milliseconds(12)), "12.0 ms")
        XCTAssertEqual(REPL.format(.milliseconds(2500)), "2.500 s")
    }
}
