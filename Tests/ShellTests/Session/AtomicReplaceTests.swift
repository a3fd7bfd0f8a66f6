import Foundation
import XCTest
@testable import Shell

/// Putting a new save in place of an old one: atomic exchange where the system has it, two
/// renames otherwise; either way the result is the new folder and nothing else is left.
final class AtomicReplaceTests: XCTestCase {
    private func folderWith(_ parent: URL, _ name: String, marker: String) throws -> URL {
        let url = parent.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try Data(marker.utf8).write(to: url.appendingPathComponent(SessionManifest.fileName))
        return url
    }

    private func marker(_ url: URL) throws -> String {
        try String(contentsOf: url.appendingPathComponent(SessionManifest.fileName), encoding: .utf8)
    }

    func testRenameExchangeIsAvailableOnLinux() throws {
        #if os(Linux)
        let parent = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let a = try folderWith(parent, "a", marker: "A"), b = try folderWith(parent, "b", marker: "B")
        XCTAssertTrue(AtomicReplace.exchange(a.path, b.path), "renameat2(RENAME_EXCHANGE) found and working")
        XCTAssertEqual(try marker(a), "B")
        XCTAssertEqual(try marker(b), "A")
        #else
        throw XCTSkip("renameat2 is Linux-only")
        #endif
    }

    func testBothWaysLeaveOnlyTheNewFolder() throws {
        for exchanging in [true, false] {
            let parent = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: parent) }
            let target = try folderWith(parent, "s.mtlsession", marker: "old")
            let fresh = try folderWith(parent, ".s.mtlsession.saving-1", marker: "new")
            try AtomicReplace.replace(target, with: fresh, exchanging: exchanging)
            XCTAssertEqual(try marker(target), "new", "exchanging: \(exchanging)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent.path), ["s.mtlsession"])
        }
    }

    func testAFolderThatIsNotASaveIsNeverReplaced() throws {
        let parent = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let target = parent.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: target.appendingPathComponent("notes.txt"))
        let fresh = try folderWith(parent, ".work.saving-1", marker: "new")
        XCTAssertThrowsError(try AtomicReplace.replace(target, with: fresh))
        XCTAssertTrue(FileManager.default.fileExists(atPath: target.appendingPathComponent("notes.txt").path))
    }

    func testAFirstSaveIsARename() throws {
        let parent = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let fresh = try folderWith(parent, ".n.saving-1", marker: "first")
        let target = parent.appendingPathComponent("n.mtlsession")
        try AtomicReplace.replace(target, with: fresh)
        XCTAssertEqual(try marker(target), "first")
    }
}
