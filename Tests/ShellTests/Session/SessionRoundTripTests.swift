import Foundation
import Script
import Tensors
import Training
import XCTest
@testable import Shell

/// Saving a session and restoring it in a fresh context gives back every value exactly.
final class SessionRoundTripTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws { folder = try temporaryFolder() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private var archive: String { folder.appendingPathComponent("s.mtlsession").path }

    func testPlainValuesRoundTripExactly() throws {
        let shell = ShellHarness()
        try shell.run("""
        n = 3
        small = -0.5e-7
        big = 1e300
        s = "tab\\t \\"quoted\\" é ∑ \\n line"
        yes = true
        no = false
        nothing = none
        items = [1, "two", [3, [4]], {k: none}]
        table = {b: 1, a: [true, false], "odd key": {x: 2.5}}
        p = print
        """)
        // Values the language cannot write as literals, set directly.
        shell.interpreter.globals.define("nan", .number(.nan))
        shell.interpreter.globals.define("negzero", .number(-0.0))
        shell.interpreter.globals.define("inf", .number(-.infinity))
        shell.interpreter.globals.define("third", .number(1.0 / 3.0))
        try shell.run("save \"\(archive)\"")

        let fresh = ShellHarness()
        try fresh.run("restore \"\(archive)\"")
        for name in ["n", "small", "big", "s", "yes", "no", "items", "table", "third", "inf"] {
            XCTAssertEqual(fresh.variable(name), shell.variable(name), name)
        }
        XCTAssertEqual(fresh.variable("nothing"), .null)
        guard case .number(let nan)? = fresh.variable("nan"), case .number(let negzero)? = fresh.variable("negzero"),
              case .number(let third)? = fresh.variable("third") else { return XCTFail("numbers missing") }
        XCTAssertTrue(nan.isNaN)
        XCTAssertEqual(negzero.bitPattern, (-0.0).bitPattern, "the sign of zero survives")
        XCTAssertEqual(third.bitPattern, (1.0 / 3.0).bitPattern)
        guard case .builtin(let p)? = fresh.variable("p") else { return XCTFail("builtin missing") }
        XCTAssertEqual(p.name, "print")
        // Dict order is kept (it is how dicts print and iterate).
        guard case .dict(let table)? = fresh.variable("table") else { return XCTFail("dict missing") }
        XCTAssertEqual(table.keys, ["b", "a", "odd key"])
        // The variables come back in the order they were made (as `vars` lists them).
        XCTAssertEqual(fresh.interpreter.userVariables.map(\.name), shell.interpreter.userVariables.map(\.name))
    }

    func testTensorsRoundTripBitForBit() throws {
        let shell = ShellHarness()
        var generator = SeededGenerator(seed: 9)
        let random = try Tensor.randn([3, 5, 2], generator: &generator)
        shell.interpreter.globals.define("r", .object(TensorObject(random)))
        try shell.run("t = tensor([[1.5, -2], [3, 4e-8]])\nscalar = tensor(7)\nempty = tensor([])\nrow = r[1]")
        try shell.run("save \"\(archive)\"")
        let fresh = ShellHarness()
        try fresh.run("restore \"\(archive)\"")
        for name in ["r", "t", "scalar", "empty", "row"] {
            guard case .object(let a as TensorObject)? = shell.variable(name),
                  case .object(let b as TensorObject)? = fresh.variable(name) else { return XCTFail("\(name) is not a tensor") }
            XCTAssertEqual(b.tensor.shape, a.tensor.shape, name)
            XCTAssertEqual(b.tensor.toArray().map(\.bitPattern), a.tensor.toArray().map(\.bitPattern), name)
        }
    }

    func testDatasetsCountsAndSplitsRoundTrip() throws {
        let shell = ShellHarness()
        try shell.run("d = dummy 25 seed=1\nparts = split d 0.6 seed=2\ncounts = d.counts")
        try shell.run("save \"\(archive)\"")
        let fresh = ShellHarness()
        try fresh.run("restore \"\(archive)\"")
        guard case .object(let a as DatasetObject)? = shell.variable("d"),
              case .object(let b as DatasetObject)? = fresh.variable("d") else { return XCTFail("d is not a dataset") }
        XCTAssertEqual(b.dataset, a.dataset)
        XCTAssertEqual(try fresh.value("[parts[0].size, parts[1].size]"), .list([.number(15), .number(10)]))
        XCTAssertEqual(try fresh.value("parts[1].texts"), try shell.value("parts[1].texts"))
        XCTAssertEqual(try fresh.value("counts").repr, try shell.value("counts").repr)
    }

    func testRunHistoriesRoundTrip() throws {
        var history = RunHistory(tasks: ["a", "b"])
        history.append(StepRecord(step: 1, epoch: 1, lr: 2e-5, losses: ["a": 0.9, "b": 1.1], accuracies: ["a": 0.5, "b": 0.25], totalLoss: 2.0, seconds: 0.1))
        history.append(StepRecord(step: 2, epoch: 1, lr: 2e-5, losses: ["a": .nan, "b": 0.7], accuracies: ["a": 0.75, "b": 0.5], totalLoss: .nan, seconds: 0.1))
        history.append(EvalRecord(epoch: 1, step: 2, losses: ["a": 0.8, "b": 0.6], accuracies: ["a": 0.6, "b": 0.4], macroF1: ["a": 0.5, "b": 0.3], totalLoss: 1.4, seconds: nil))
        let shell = ShellHarness()
        shell.interpreter.globals.define("run", .object(RunHistoryObject(history)))
        try shell.run("save \"\(archive)\"")
        let fresh = ShellHarness()
        try fresh.run("restore \"\(archive)\"")
        guard case .object(let restored as RunHistoryObject)? = fresh.variable("run") else { return XCTFail("run missing") }
        XCTAssertEqual(restored.history.steps.count, 2)
        XCTAssertEqual(restored.history.evals, history.evals)
        XCTAssertTrue(restored.history.steps[1].losses["a"]?.isNaN ?? false, "a diverged loss stays NaN")
        XCTAssertEqual(restored.history.steps[0], history.steps[0])
    }

    func testSharedObjectsAreSavedOnceAndRestoredShared() throws {
        let shell = ShellHarness()
        try shell.run("d = dummy 5 seed=1\nalias = d\nboth = [d, {inner: d}]\nt = tensor([1, 2])\nts = [t, t]")
        try shell.run("save \"\(archive)\"")
        let data = try Data(contentsOf: URL(fileURLWithPath: archive).appendingPathComponent("manifest.json"))
        let manifest = try JSONDecoder().decode(SessionManifest.self, from: data)
        XCTAssertEqual(manifest.objects.map(\.kind).sorted(), ["dataset", "tensor"], "each shared object stored once")
        let fresh = ShellHarness()
        try fresh.run("restore \"\(archive)\"")
        XCTAssertEqual(try fresh.value("alias == d"), .bool(true), "host objects compare by identity")
        XCTAssertEqual(try fresh.value("both[1].inner == d"), .bool(true))
        XCTAssertEqual(try fresh.value("ts[0] == ts[1]"), .bool(true))
    }

    func testTheRandomGeneratorResumesWhereItWasSaved() throws {
        let shell = ShellHarness()
        try shell.run("seed 5\nwarmup = dummy 3")
        try shell.run("save \"\(archive)\"")
        try shell.run("after = dummy 4")
        let fresh = ShellHarness()
        try fresh.run("restore \"\(archive)\"")
        try fresh.run("after = dummy 4")
        XCTAssertEqual(try fresh.value("after.texts"), try shell.value("after.texts"))
    }

    func testFunctionsAreSkippedAndNamedAndTheTranscriptKeepsTheirSource() throws {
        let shell = ShellHarness()
        try shell.run("def twice(x) { return 2 * x }")
        try shell.run("y = twice(4)\nops = [twice, 1]")
        _ = shell.takeOutput()
        try shell.run("save \"\(archive)\"")
        let said = shell.takeOutput()
        XCTAssertTrue(said.contains("not saved: twice (a function"), said)
        XCTAssertTrue(said.contains("ops (it holds a function"), said)
        let transcript = try String(contentsOfFile: archive + "/transcript.mtls", encoding: .utf8)
        XCTAssertTrue(transcript.contains("def twice(x) { return 2 * x }\ny = twice(4)\nops = [twice, 1]"), transcript)
        let fresh = ShellHarness()
        try fresh.run("restore \"\(archive)\"")
        XCTAssertNil(fresh.variable("twice"))
        XCTAssertNil(fresh.variable("ops"))
        XCTAssertEqual(fresh.variable("y"), .number(8))
    }

    func testRestoreReplacesTheWholeSession() throws {
        let shell = ShellHarness()
        try shell.run("kept = 1")
        try shell.run("save \"\(archive)\"")
        let other = ShellHarness()
        try other.run("stray = 2\nkept = 5")
        try other.run("restore \"\(archive)\"")
        XCTAssertNil(other.variable("stray"), "variables not in the save are gone")
        XCTAssertEqual(other.variable("kept"), .number(1))
    }

    func testUnsavedChangesFollowEntriesAndSaves() throws {
        let shell = ShellHarness()
        XCTAssertFalse(shell.context.sessionHooks.hasUnsavedChanges)
        try shell.run("print(1)")
        XCTAssertFalse(shell.context.sessionHooks.hasUnsavedChanges, "printing changes nothing")
        try shell.run("def f() { return 1 }")
        XCTAssertFalse(shell.context.sessionHooks.hasUnsavedChanges, "functions are not saved, so they do not count")
        try shell.run("x = 1")
        XCTAssertTrue(shell.context.sessionHooks.hasUnsavedChanges)
        try shell.context.sessionHooks.save(to: archive)
        XCTAssertFalse(shell.context.sessionHooks.hasUnsavedChanges)
        try shell.run("seed 3")
        XCTAssertTrue(shell.context.sessionHooks.hasUnsavedChanges, "reseeding changes the session")
        try shell.run("save")
        XCTAssertFalse(shell.context.sessionHooks.hasUnsavedChanges, "save with no path reuses the last one")
        let fresh = ShellHarness()
        try fresh.context.sessionHooks.restore(from: archive)
        XCTAssertFalse(fresh.context.sessionHooks.hasUnsavedChanges)
        XCTAssertEqual(fresh.variable("x"), .number(1))
    }

    func testSavingOverAnExistingSaveReplacesIt() throws {
        let shell = ShellHarness()
        try shell.run("v = 1\nsave \"\(archive)\"\nv = 2\nsave \"\(archive)\"")
        let fresh = ShellHarness()
        try fresh.run("restore \"\(archive)\"")
        XCTAssertEqual(fresh.variable("v"), .number(2))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != "s.mtlsession" }
        XCTAssertEqual(leftovers, [], "no temporary or previous folders remain")
    }

    func testRestoreFallsBackToThePreviousSaveWhenASwapWasCutShort() throws {
        // The non-atomic fallback renames the old save to NAME.previous before moving the new one in;
        // a crash between the two renames leaves only NAME.previous.
        let shell = ShellHarness()
        try shell.run("v = 41\nsave \"\(archive)\"")
        try FileManager.default.moveItem(atPath: archive, toPath: archive + AtomicReplace.previousSuffix)
        let fresh = ShellHarness()
        try fresh.run("restore \"\(archive)\"")
        XCTAssertEqual(fresh.variable("v"), .number(41))
        XCTAssertTrue(fresh.takeOutput().contains("was interrupted"))
    }

    func testCRC32MatchesTheStandardCheckValue() {
        // The CRC-32/ISO-HDLC check value from the CRC catalogue (and zlib): "123456789" → cbf43926.
        XCTAssertEqual(CRC32.hex(CRC32.checksum(Data("123456789".utf8))), "cbf43926")
        XCTAssertEqual(CRC32.hex(CRC32.checksum(Data())), "00000000")
    }

    func testSavingOverAFileThatIsNotASessionIsRefused() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("notes.mtlsession")
        try Data("keep me".utf8).write(to: file)
        let shell = ShellHarness()
        XCTAssertThrowsError(try shell.run("x = 1\nsave \"\(file.path)\"")) { error in
            XCTAssertTrue("\(error)".contains("exists and is not a session folder"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "keep me")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertEqual(leftovers, ["notes.mtlsession"], "the temporary folder is removed")
    }

    func testSavingOverAFolderThatIsNotASessionIsRefused() throws {
        let other = folder.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: other.appendingPathComponent("notes.txt"))
        let shell = ShellHarness()
        XCTAssertThrowsError(try shell.run("x = 1\nsave \"\(other.path)\"")) { error in
            XCTAssertTrue("\(error)".contains("exists and is not a session folder"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: other.appendingPathComponent("notes.txt"), encoding: .utf8), "mine")
        // An empty folder may be used.
        let empty = folder.appendingPathComponent("empty.mtlsession")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try shell.run("save \"\(empty.path)\"")
        XCTAssertTrue(FileManager.default.fileExists(atPath: empty.appendingPathComponent("manifest.json").path))
    }
}

/// The transcript grows one top-level statement at a time (so `save` mid-script keeps what ran).
final class TranscriptRecordingTests: XCTestCase {
    func testAPromptEntryIsRecordedOnceAndAScriptStatementByStatement() throws {
        let shell = ShellHarness()
        try shell.run("x = 1")
        XCTAssertEqual(shell.context.session.transcript, ["x = 1"])
        try shell.run("a = 2\nb = 3")
        XCTAssertEqual(shell.context.session.transcript, ["x = 1", "a = 2", "b = 3"])
        XCTAssertThrowsError(try shell.run("c = 4\nd = nope"))
        XCTAssertEqual(shell.context.session.transcript, ["x = 1", "a = 2", "b = 3", "c = 4"], "what ran before the error")
    }

    func testUnsavedChangesFollowEachStatement() throws {
        let shell = ShellHarness()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = folder.appendingPathComponent("s.mtlsession").path
        try shell.run("a = 1\nsave \"\(archive)\"")
        XCTAssertFalse(shell.context.session.hasUnsavedChanges, "saved after the last change")
        try shell.run("print(a)")
        XCTAssertFalse(shell.context.session.hasUnsavedChanges, "nothing changed")
        try shell.run("save \"\(archive)\"\nb = 2")
        XCTAssertTrue(shell.context.session.hasUnsavedChanges, "b came after the save")
    }
}
