import Foundation
import XCTest

/// `mtl run`, `mtl -e`, standard input as a script, and the options around them: exit statuses
/// (sysexits.h: 65 data error, 66 no input, 70 software error) and messages on standard error.
final class CommandLineTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mtl-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    private func script(_ name: String, _ text: String) throws -> String {
        let url = scratch.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testAGoodScriptRunsAndExitsZero() throws {
        let path = try script("good.mtls", "total = 0\nfor i in [1, 2, 3] { total = total + i }\nprint(total)\n")
        let result = try runMTL(["run", path])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(result.standardOutput, "6\n")
        XCTAssertEqual(result.standardError, "")
    }

    func testScriptArgumentsReachArg() throws {
        let path = try script("args.mtls", "print(arg(\"model\", \"all-MiniLM-L6-v2\"))\nprint(arg(\"seed\", \"1\"))\n")
        let result = try runMTL(["run", path, "model=tiny-bert"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(result.standardOutput, "tiny-bert\n1\n")
    }

    func testAScriptArgumentWithoutEqualsIsAUsageError() throws {
        let path = try script("args.mtls", "print(1)\n")
        let result = try runMTL(["run", path, "model"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.standardError.contains("name=value"), result.standardError)
        // `mtl FILE` without `run` points at `mtl run FILE`.
        let bare = try runMTL([path])
        XCTAssertEqual(bare.status, 64)
        XCTAssertTrue(bare.standardError.contains("mtl run \(path)"), bare.standardError)
    }

    func testASyntaxErrorExits65AndNothingRuns() throws {
        let path = try script("bad.mtls", "print(\"before\")\nx = (1 + \n")
        let result = try runMTL(["run", path])
        XCTAssertEqual(result.status, 65)
        XCTAssertEqual(result.standardOutput, "", "syntax errors are reported before anything runs")
        XCTAssertTrue(result.standardError.hasPrefix("\(path):"), result.standardError)
        XCTAssertTrue(result.standardError.contains(": error: "), result.standardError)
    }

    func testEverySyntaxErrorIsReported() throws {
        let path = try script("bad2.mtls", "x = )\ny = 1\nz = ]\n")
        let result = try runMTL(["run", path])
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.standardError.contains("\(path):1:5: error:"), result.standardError)
        XCTAssertTrue(result.standardError.contains("\(path):3:5: error:"), result.standardError)
    }

    func testARuntimeErrorExits70WithFileLineAndColumn() throws {
        let path = try script("runtime.mtls", "print(\"first\")\nprint(missing_name)\nprint(\"never\")\n")
        let result = try runMTL(["run", path])
        XCTAssertEqual(result.status, 70)
        XCTAssertEqual(result.standardOutput, "first\n", "the script stops at the first runtime error")
        XCTAssertTrue(result.standardError.hasPrefix("\(path):2:7: error:"), result.standardError)
        XCTAssertTrue(result.standardError.contains("print(missing_name)\n      ^"), result.standardError)
    }

    func testAnUnreadableScriptExits66() throws {
        let missing = scratch.appendingPathComponent("missing.mtls").path
        let result = try runMTL(["run", missing])
        XCTAssertEqual(result.status, 66)
        XCTAssertTrue(result.standardError.contains(missing), result.standardError)
    }

    func testSaveThenRestoreCarriesVariablesAcrossProcesses() throws {
        let session = scratch.appendingPathComponent("s.mtlsession").path
        let first = try script("first.mtls", "x = 41\n")
        let saved = try runMTL(["run", first, "--save", session])
        XCTAssertEqual(saved.status, 0, saved.standardError)
        let second = try script("second.mtls", "print(x + 1)\n")
        let restored = try runMTL(["run", second, "--restore", session])
        XCTAssertEqual(restored.status, 0, restored.standardError)
        XCTAssertEqual(restored.standardOutput, "42\n")
        let dashE = try runMTL(["--restore", session, "-e", "print(x)"])
        XCTAssertEqual(dashE.status, 0, dashE.standardError)
        XCTAssertEqual(dashE.standardOutput, "41\n")
    }

    func testRestoringAMissingSessionIsAnErrorBeforeTheScriptRuns() throws {
        let path = try script("s.mtls", "print(1)\n")
        let missing = scratch.appendingPathComponent("missing.mtlsession").path
        let result = try runMTL(["run", path, "--restore", missing])
        XCTAssertEqual(result.status, 66)
        XCTAssertEqual(result.standardOutput, "", "the script must not run")
        XCTAssertTrue(result.standardError.contains("missing.mtlsession"), result.standardError)
        let repl = try runMTL(["--restore", missing, "-e", "print(1)"])
        XCTAssertEqual(repl.status, 66)
        XCTAssertEqual(repl.standardOutput, "")
    }

    func testDashERunsOneLine() throws {
        let good = try runMTL(["-e", "print(2 * 21)"])
        XCTAssertEqual(good.status, 0, good.standardError)
        XCTAssertEqual(good.standardOutput, "42\n")
        let bad = try runMTL(["-e", "print(nope)"])
        XCTAssertEqual(bad.status, 70)
        XCTAssertTrue(bad.standardError.hasPrefix("<command line>:1:7: error:"), bad.standardError)
        let syntax = try runMTL(["-e", "print("])
        XCTAssertEqual(syntax.status, 65)
    }

    func testStandardInputThatIsNotATerminalIsRunAsAScript() throws {
        let result = try runMTL([], input: Data("print(1+1)\n".utf8))
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(result.standardOutput, "2\n", "no banner, no prompt")
        let failing = try runMTL([], input: Data("x = 1\nprint(x / y)\n".utf8))
        XCTAssertEqual(failing.status, 70)
        XCTAssertTrue(failing.standardError.hasPrefix("<stdin>:2:11: error:"), failing.standardError)
    }

    func testBinaryGarbageOnStandardInputIsAnErrorNotACrash() throws {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[0] = 0xFF  // never valid UTF-8
        let result = try runMTL([], input: Data(bytes))
        XCTAssertTrue(result.exitedNormally, "crashed with signal \(result.status)")
        XCTAssertEqual(result.status, 65)
        XCTAssertEqual(result.standardError, "<stdin>:1:1: error: input is not valid UTF-8 text (bad byte 0xFF at byte offset 0)\n")
    }

    func testInvalidUTF8OnStandardInputNamesTheByteOffsetLineAndColumn() throws {
        // "ok\n" is 3 bytes, then "ab" and 0xC3 followed by an ASCII byte (an unfinished é).
        let result = try runMTL([], input: Data(Array("ok\nab".utf8) + [0xC3, 0x41, 0x0A]))
        XCTAssertEqual(result.status, 65)
        XCTAssertEqual(result.standardError, "<stdin>:2:3: error: input is not valid UTF-8 text (bad byte 0xC3 at byte offset 5)\n")
    }

    func testExitStopsAScriptWithItsStatus() throws {
        let path = try script("early.mtls", "print(1)\nexit(3)\nprint(2)\n")
        let run = try runMTL(["run", path])
        XCTAssertEqual(run.status, 3, run.standardError)
        XCTAssertEqual(run.standardOutput, "1\n", "nothing after exit runs")
        XCTAssertEqual(run.standardError, "")
        let dashE = try runMTL(["-e", "print(1); quit; print(2)"])
        XCTAssertEqual(dashE.status, 0, dashE.standardError)
        XCTAssertEqual(dashE.standardOutput, "1\n")
        let piped = try runMTL([], input: Data("if true { exit(4) }\nprint(2)\n".utf8))
        XCTAssertEqual(piped.status, 4, piped.standardError)
        XCTAssertEqual(piped.standardOutput, "")
        let bad = try runMTL(["-e", "exit(300)"])
        XCTAssertEqual(bad.status, 70)
        XCTAssertTrue(bad.standardError.contains("exit: the exit status must be 0 to 255, got 300"), bad.standardError)
    }

    func testSaveInsideAScriptKeepsTheStatementsBeforeItInTheTranscript() throws {
        let session = scratch.appendingPathComponent("t1.mtlsession")
        let path = try script("t1.mtls", "a = 1\nb = 2; c = 3\nsave \"\(session.path)\"\n")
        let run = try runMTL(["run", path])
        XCTAssertEqual(run.status, 0, run.standardError)
        let transcript = try String(contentsOf: session.appendingPathComponent("transcript.mtls"), encoding: .utf8)
        XCTAssertTrue(transcript.hasSuffix("\na = 1\nb = 2;\nc = 3\n"), transcript)
        // -e the same way, after a restore: the restored transcript, then this line's statements.
        let again = scratch.appendingPathComponent("t2.mtlsession")
        let dashE = try runMTL(["--restore", session.path, "-e", "e = 5\nsave \"\(again.path)\""])
        XCTAssertEqual(dashE.status, 0, dashE.standardError)
        let second = try String(contentsOf: again.appendingPathComponent("transcript.mtls"), encoding: .utf8)
        XCTAssertTrue(second.contains("a = 1\nb = 2;\nc = 3"), second)
        XCTAssertTrue(second.hasSuffix("\ne = 5\n"), second)
    }

    func testATenMegabyteLineIsRefusedWithAClearError() throws {
        let line = "x = " + String(repeating: "a", count: 10_000_000) + "\n"
        let result = try runMTL([], input: Data(line.utf8), timeout: 60)
        XCTAssertTrue(result.exitedNormally, "crashed with signal \(result.status)")
        XCTAssertEqual(result.status, 65)
        XCTAssertEqual(result.standardError,
                       "<stdin>:1: error: line 1 is 10000004 bytes long; lines longer than 1048576 bytes are not accepted\n")
    }

    func testALongLineUnderTheLimitStillRuns() throws {
        // A 200 kB name: an undefined variable, a runtime error at line 1 column 5.
        let line = "print(\"ok\")\nx = " + String(repeating: "a", count: 200_000) + "\n"
        let result = try runMTL([], input: Data(line.utf8), timeout: 60)
        XCTAssertTrue(result.exitedNormally, "crashed with signal \(result.status)")
        XCTAssertEqual(result.status, 70, String(result.standardError.prefix(300)))
        XCTAssertEqual(result.standardOutput, "ok\n")
        XCTAssertTrue(result.standardError.hasPrefix("<stdin>:2:5: error:"), String(result.standardError.prefix(300)))
    }

    func testALineOfStrayCharactersShowsTheFirstErrorsAndACount() throws {
        // 500,000 stray `@`: one lexical error each; 20 are shown, the rest counted.
        let line = String(repeating: "@", count: 500_000) + "\n"
        let result = try runMTL([], input: Data(line.utf8), timeout: 60)
        XCTAssertTrue(result.exitedNormally, "crashed with signal \(result.status)")
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.standardError.hasPrefix("<stdin>:1:1: error:"), String(result.standardError.prefix(300)))
        XCTAssertTrue(result.standardError.hasSuffix("… and 499980 more errors\n"), String(result.standardError.suffix(300)))
        XCTAssertLessThan(result.standardError.utf8.count, 20_000)
    }

    func testSIGINTStopsARunningScriptWithStatus130() throws {
        let path = try script("forever.mtls", "print(\"started\")\nn = 0\nwhile true { n = n + 1 }\n")
        let process = Process()
        process.executableURL = try MTLBinary.require()
        process.arguments = ["run", path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Wait (bounded) until the script is inside its loop, then press "Ctrl-C".
        let started = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = output.fileHandleForReading.availableData
            started.signal()
        }
        guard started.wait(timeout: .now() + 15) == .success else {
            process.terminate()
            return XCTFail("the script printed nothing within 15 s")
        }
        Thread.sleep(forTimeInterval: 0.2)
        process.interrupt()
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate(); return XCTFail("mtl run did not stop on SIGINT") }
        XCTAssertEqual(process.terminationReason, .exit, "stopped by the interpreter, not killed by the signal")
        XCTAssertEqual(process.terminationStatus, 130)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(message.contains("\(path):3:"), message)
        XCTAssertTrue(message.contains("interrupted"), message)
    }

    func testNoConfirmIsAcceptedWithoutASubcommand() throws {
        let result = try runMTL(["--no-confirm", "--quiet", "-e", "print(1)"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(result.standardOutput, "1\n")
    }

    func testVersionAndHelp() throws {
        let version = try runMTL(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertEqual(version.standardOutput, "0.1.0\n")
        let help = try runMTL(["--help"])
        XCTAssertEqual(help.status, 0)
        for subcommand in ["repl", "run", "embed", "tokenize", "bench"] {
            XCTAssertTrue(help.standardOutput.contains(subcommand), "--help lists \(subcommand)")
        }
        let runHelp = try runMTL(["run", "--help"])
        XCTAssertEqual(runHelp.status, 0)
        XCTAssertTrue(runHelp.standardOutput.contains("--restore"), runHelp.standardOutput)
    }

    func testABashCompletionScriptIsGenerated() throws {
        let result = try runMTL(["--generate-completion-script", "bash"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.standardOutput.hasPrefix("#!/bin/bash"), String(result.standardOutput.prefix(100)))
        XCTAssertTrue(result.standardOutput.contains("run"))
    }
}
