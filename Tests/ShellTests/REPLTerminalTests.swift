import Foundation
import XCTest

/// The `mtl>` prompt used as a person uses it: the built `mtl` on a pseudo-terminal, keys typed,
/// the screen read back. Every wait is bounded (see `TerminalSession`).
final class REPLTerminalTests: XCTestCase {
    private typealias Key = TerminalSession.Key
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mtl-repl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// Starts `mtl` with its history in the scratch folder and waits for the first prompt.
    private func startREPL(arguments: [String] = []) throws -> TerminalSession {
        let environment = [
            "TERM": "xterm",
            "HOME": scratch.path,
            "MTL_HISTORY": scratch.appendingPathComponent("history").path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
        let session = try TerminalSession(executable: try MTLBinary.require(), arguments: arguments, environment: environment)
        try session.waitFor("mtl> ")
        return session
    }

    func testTheBannerShowsVersionModelCacheAndHelpHint() throws {
        let repl = try startREPL()
        XCTAssertTrue(repl.screen.contains("mtl 0.1.0"), repl.screen)
        XCTAssertTrue(repl.screen.contains("models: \(scratch.path)/.cache/mtl"), repl.screen)
        XCTAssertTrue(repl.screen.contains("help"), repl.screen)
    }

    func testAMultiLineDefShowsTheContinuationPromptAndDefinesTheFunction() throws {
        let repl = try startREPL()
        repl.send("def twice(x) {" + Key.enter)
        try repl.waitFor("...> ")
        repl.send("return x * 2" + Key.enter)
        try repl.waitFor("...> ")
        repl.send("}" + Key.enter)
        try repl.waitFor("mtl> ")
        repl.send("twice(21)" + Key.enter)
        let shown = try repl.waitFor("mtl> ")
        XCTAssertTrue(shown.contains("\n42\n"), shown)
    }

    func testExpressionValuesArePrintedUnlessTheLineEndsWithASemicolon() throws {
        let repl = try startREPL()
        repl.send("6 * 7;" + Key.enter)
        let silent = try repl.waitFor("mtl> ")
        XCTAssertFalse(silent.contains("42"), silent)
        repl.send("6 * 7" + Key.enter)
        XCTAssertTrue(try repl.waitFor("mtl> ").contains("\n42\n"))
    }

    func testTabCompletesAVariableName() throws {
        let repl = try startREPL()
        repl.send("learning_rate = 0.25" + Key.enter)
        try repl.waitFor("mtl> ")
        repl.send("print(learn" + Key.tab)
        try repl.waitFor("learning_rate")
        repl.send(")" + Key.enter)
        let shown = try repl.waitFor("mtl> ")
        XCTAssertTrue(shown.contains("\n0.25\n"), shown)
    }

    func testTabCompletesKeywordNamesOfABuiltin() throws {
        let repl = try startREPL()
        // range(start, stop, step): after `range(1, sto` Tab the only match is `stop=`.
        repl.send("range(1, sto" + Key.tab)
        try repl.waitFor("stop=")
        repl.send("4)" + Key.enter)
        let shown = try repl.waitFor("mtl> ")
        XCTAssertTrue(shown.contains("[1, 2, 3]"), shown)
    }

    func testTabCompletesAFilePathInsideAStringAndClosesTheQuote() throws {
        let data = scratch.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: data.appendingPathComponent("train_set.jsonl").path, contents: Data())
        let repl = try startREPL()
        // An absolute path, so the REPL's working directory does not matter.
        repl.send("path = \"\(scratch.path)/da" + Key.tab)
        try repl.waitFor("data/")
        repl.send("tr" + Key.tab)
        try repl.waitFor("train_set.jsonl\"")
        repl.send(Key.enter + "print(path)" + Key.enter)
        let shown = try repl.waitFor("\(scratch.path)/data/train_set.jsonl\n")
        XCTAssertFalse(shown.contains("error"), shown)
    }

    func testNonASCIITextIsTypedAndShownIntact() throws {
        let repl = try startREPL()
        repl.send("print(\"données → ok\")" + Key.enter)
        let shown = try repl.waitFor("mtl> ")
        XCTAssertTrue(shown.contains("\ndonnées → ok\n"), shown)
    }

    func testHistoryIsRecalledWithTheUpArrowInASecondRun() throws {
        do {
            let first = try startREPL()
            first.send("print(6 * 7)" + Key.enter)
            try first.waitFor("42")
            try first.waitFor("mtl> ")
            first.send(Key.ctrlD)
            XCTAssertEqual(try first.waitForExit(), 0)
        }
        let saved = try String(contentsOf: scratch.appendingPathComponent("history"), encoding: .utf8)
        XCTAssertEqual(saved, "print(6 * 7)\n")

        let second = try startREPL()
        second.send(Key.up)
        try second.waitFor("print(6 * 7)")
        second.send(Key.enter)
        let shown = try second.waitFor("mtl> ")
        XCTAssertTrue(shown.contains("\n42\n"), shown)
    }

    func testAMultiLineEntryIsRecalledWhole() throws {
        do {
            let first = try startREPL()
            first.send("def three() {" + Key.enter)
            try first.waitFor("...> ")
            first.send("return 3" + Key.enter + "}" + Key.enter)
            try first.waitFor("mtl> ")
            first.send(Key.ctrlD)
            XCTAssertEqual(try first.waitForExit(), 0)
        }
        let second = try startREPL()
        second.send(Key.up + Key.enter)
        try second.waitFor("mtl> ")
        second.send("three()" + Key.enter)
        let shown = try second.waitFor("mtl> ")
        XCTAssertTrue(shown.contains("\n3\n"), shown)
    }

    func testAnErrorIsShownWithItsPlaceAndTheNextCommandWorks() throws {
        let repl = try startREPL()
        repl.send("nothing_defined_here + 1" + Key.enter)
        let error = try repl.waitFor("mtl> ")
        XCTAssertTrue(error.contains("<prompt>:1:1: error:"), error)
        XCTAssertTrue(error.contains("nothing_defined_here + 1\n^"), "source line and caret: \(error)")
        repl.send("print(\"still here\")" + Key.enter)
        let shown = try repl.waitFor("mtl> ")
        XCTAssertTrue(shown.contains("\nstill here\n"), shown)
    }

    func testCtrlCAtThePromptClearsTheLine() throws {
        let repl = try startREPL()
        repl.send("half typed garbage")
        try repl.waitFor("garbage")
        repl.send(Key.ctrlC)
        try repl.waitFor("mtl> ")
        repl.send("print(5)" + Key.enter)
        let shown = try repl.waitFor("mtl> ")
        XCTAssertTrue(shown.contains("\n5\n"), shown)
        XCTAssertFalse(shown.contains("error"), "the cleared text must not be run: \(shown)")
    }

    func testTwoCtrlCsAtThePromptShowExactlyTwoFreshPromptsAndTypingStillWorks() throws {
        let repl = try startREPL()
        repl.send(Key.ctrlC)
        try repl.waitFor("^C")
        try repl.waitFor("mtl> ")
        repl.send(Key.ctrlC)
        try repl.waitFor("^C")
        try repl.waitFor("mtl> ")
        // A re-sent signal reaching the next read would show `^C` prompts again and again.
        repl.settle(for: 1.5)
        XCTAssertEqual(repl.screen.components(separatedBy: "^C").count - 1, 2, repl.screen)
        repl.send("print(\"typed after\")" + Key.enter)
        let shown = try repl.waitFor("mtl> ")
        XCTAssertTrue(shown.contains("\ntyped after\n"), shown)
        XCTAssertEqual(repl.screen.components(separatedBy: "^C").count - 1, 2, repl.screen)
    }

    func testATrainingErrorStartsOnItsOwnLineAfterTheProgressBar() throws {
        let repl = try startREPL()
        // lr=1e30 makes step 2's gradients infinite: the bar for step 1 is on screen when it fails.
        repl.send("enc = encoder \"tiny-bert\"; model = multitask enc hidden=8; d = dummy 12 seed=1; "
                  + "opt = adamw model lr=1e30; r = train model d opt steps=3 batch=4" + Key.enter)
        let shown = try repl.waitFor("mtl> ", timeout: 60)
        let errorLine = shown.split(separator: "\n").first { $0.contains("error: train:") }
        XCTAssertNotNil(errorLine, shown)
        XCTAssertTrue(errorLine?.hasPrefix("<") ?? false, "the error must not follow the bar on its line: \(shown)")
        XCTAssertTrue(shown.contains("epoch 1/1"), "the bar was drawn: \(shown)")
    }

    func testCtrlCStopsALongRunningLoopAndTheSessionSurvives() throws {
        let repl = try startREPL()
        repl.send("n = 0" + Key.enter)
        try repl.waitFor("mtl> ")
        repl.send("while true { n = n + 1 }" + Key.enter)
        try repl.waitFor("while true { n = n + 1 }\n")
        Thread.sleep(forTimeInterval: 0.5)
        repl.send(Key.ctrlC)
        let stopped = try repl.waitFor("mtl> ", timeout: 10)
        XCTAssertTrue(stopped.contains("interrupted"), stopped)
        // The loop ran, and its variable is still there.
        repl.send("print(n > 0)" + Key.enter)
        let shown = try repl.waitFor("mtl> ")
        XCTAssertTrue(shown.contains("\ntrue\n"), shown)
    }

    func testTimeOnShowsTheTimeOfEachCommand() throws {
        let repl = try startREPL()
        repl.send(":time on" + Key.enter)
        try repl.waitFor("mtl> ")
        repl.send("x = 1" + Key.enter)
        XCTAssertTrue(try repl.waitFor("mtl> ").contains("time: "))
        repl.send(":time off" + Key.enter)
        try repl.waitFor("mtl> ")
        repl.send("x = 2" + Key.enter)
        XCTAssertFalse(try repl.waitFor("mtl> ").contains("time: "))
    }

    func testCtrlDOnAnEmptyLineExitsWithStatusZero() throws {
        let repl = try startREPL()
        repl.send(Key.ctrlD)
        XCTAssertEqual(try repl.waitForExit(), 0)
    }

    func testLeavingANeverSavedSessionAsksForAPathAndSaysWhereItSaved() throws {
        let target = scratch.appendingPathComponent("left.mtlsession").path
        let repl = try startREPL()
        repl.send("v = 42" + Key.enter)
        try repl.waitFor("mtl> ")
        repl.send("exit" + Key.enter)
        try repl.waitFor("save the session first? [y/N] ")
        repl.send("y" + Key.enter)
        try repl.waitFor("save to (path): ")
        repl.send(target + Key.enter)
        try repl.waitFor("saved to \(target)")
        XCTAssertEqual(try repl.waitForExit(), 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: target + "/manifest.json"), repl.screen)
        let transcript = try String(contentsOfFile: target + "/transcript.mtls", encoding: .utf8)
        XCTAssertTrue(transcript.hasSuffix("\nv = 42\n"), transcript)
    }

    func testExitWithACodeInsideABlockLeavesWithThatStatus() throws {
        let repl = try startREPL()
        repl.send("if true { exit(3) }" + Key.enter)
        XCTAssertEqual(try repl.waitForExit(), 3)
    }

    func testExitAndQuitLeave() throws {
        let first = try startREPL()
        first.send("exit" + Key.enter)
        XCTAssertEqual(try first.waitForExit(), 0)
        let second = try startREPL()
        second.send("quit" + Key.enter)
        XCTAssertEqual(try second.waitForExit(), 0)
    }
}
