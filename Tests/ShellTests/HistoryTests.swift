import Foundation
@testable import Shell
import XCTest

final class HistoryTests: XCTestCase {
    private func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("mtl-history-\(UUID().uuidString)")
    }

    func testOldestEntriesAreDroppedBeyondTheLimit() {
        var history = History(limit: 3)
        for entry in ["a", "b", "c", "d", "e"] { history.add(entry) }
        XCTAssertEqual(history.entries, ["c", "d", "e"])
    }

    func testAnEntryRepeatingThePreviousOneIsNotKeptTwice() {
        var history = History()
        XCTAssertTrue(history.add("x = 1"))
        XCTAssertFalse(history.add("x = 1"))
        XCTAssertFalse(history.add("x = 1\n"), "a trailing newline does not make it a new entry")
        XCTAssertTrue(history.add("print(x)"))
        XCTAssertTrue(history.add("x = 1"), "a repeat that is not consecutive is kept")
        XCTAssertEqual(history.entries, ["x = 1", "print(x)", "x = 1"])
    }

    func testBlankEntriesAreNotKept() {
        var history = History()
        XCTAssertFalse(history.add(""))
        XCTAssertFalse(history.add("   \n\t"))
        XCTAssertEqual(history.entries, [])
    }

    func testHistoryPersistsAcrossInstances() throws {
        let file = temporaryFile()
        defer { try? FileManager.default.removeItem(at: file) }
        var first = History(limit: 10)
        first.add("enc = encoder \"tiny-bert\"")
        first.add("def f(a) {\n  return a \\ 2\n}")
        first.add("print(\"a\\nb\")")
        try first.save(to: file)

        let second = try History.load(from: file, limit: 10)
        XCTAssertEqual(second.entries, first.entries)
        // Each entry is one line of the file, multi-line entries included.
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertEqual(text.split(separator: "\n").count, 3)
        XCTAssertTrue(text.contains("def f(a) {\\n  return a \\\\ 2\\n}"))
    }

    func testLoadingAppliesTheLimit() throws {
        let file = temporaryFile()
        defer { try? FileManager.default.removeItem(at: file) }
        try History(limit: 100, entries: (1...50).map { "x = \($0)" }).save(to: file)
        let loaded = try History.load(from: file, limit: 5)
        XCTAssertEqual(loaded.entries, (46...50).map { "x = \($0)" })
    }

    func testAMissingFileIsAnEmptyHistory() throws {
        XCTAssertEqual(try History.load(from: temporaryFile()).entries, [])
    }

    func testAFileThatIsNotUTF8IsAnError() throws {
        let file = temporaryFile()
        defer { try? FileManager.default.removeItem(at: file) }
        try Data([0xff, 0xfe, 0x00, 0x80]).write(to: file)
        XCTAssertThrowsError(try History.load(from: file)) { error in
            XCTAssertTrue("\(error)".contains("not valid UTF-8"), "\(error)")
        }
    }

    func testTheFileIsMTLHistoryOrDotMtlHistoryInHome() {
        XCTAssertEqual(History.defaultFileURL(environment: ["MTL_HISTORY": "/tmp/h", "HOME": "/home/u"]).path, "/tmp/h")
        XCTAssertEqual(History.defaultFileURL(environment: ["HOME": "/home/u"]).path, "/home/u/.mtl_history")
        XCTAssertEqual(History.defaultFileURL(environment: ["MTL_HISTORY": "", "HOME": "/home/u"]).path, "/home/u/.mtl_history")
    }
}
