import Foundation
import Script
import XCTest
@testable import Shell

/// Shell commands report file problems in plain words, never as `NSCocoaErrorDomain Code=…`.
final class FileErrorMessagesTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws { folder = try temporaryFolder() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func message(_ shell: ShellHarness, _ source: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            try shell.run(source)
            XCTFail("\(source) succeeded", file: file, line: line)
            return ""
        } catch {
            let text = "\(error)"
            XCTAssertFalse(text.contains("NSCocoaErrorDomain") || text.contains("Error Domain"), text, file: file, line: line)
            return text
        }
    }

    private func aFile() throws -> URL {
        let url = folder.appendingPathComponent("afile.txt")
        try Data("x".utf8).write(to: url)
        return url
    }

    func testExportOntoAFileSaysExportWritesAFolder() throws {
        let shell = ShellHarness()
        try shell.run("model = multitask(encoder(\"tiny-bert\"), hidden=4)")
        let file = try aFile()
        XCTAssertTrue(message(shell, "export model \"\(file.path)\"").contains("export: \(file.path) is a file; export writes a folder"))
        XCTAssertTrue(message(shell, "export model \"\(file.path)/sub\"").contains("export: cannot write \(file.path)/sub: \(file.path) is a file, not a folder"))
    }

    func testADatasetOnAFolderSaysItIsAFolder() throws {
        let text = message(ShellHarness(), "d = dataset \"\(folder.path)\" format=\"jsonl\"")
        XCTAssertTrue(text.contains("cannot read the file: it is a folder"), text)
    }

    func testSavingWhereNoFolderCanBeMadeSaysWhy() throws {
        let shell = ShellHarness()
        try shell.run("v = 1")
        let file = try aFile()
        let below = message(shell, "save \"\(file.path)/s.mtlsession\"")
        XCTAssertTrue(below.contains("cannot create the folder \(file.path): a file with that name already exists"), below)
        // /proc refuses new entries (ENOENT) even to root.
        guard FileManager.default.fileExists(atPath: "/proc/self") else { throw XCTSkip("no /proc here") }
        let proc = message(shell, "save \"/proc/nope.mtlsession\"")
        XCTAssertTrue(proc.contains("cannot write the session: cannot write in /proc: no such file or folder"), proc)
    }

    func testPlottingBelowAFileNamesTheFile() throws {
        let shell = ShellHarness()
        try shell.run("d = dummy 8 seed=1\nmodel = multitask(encoder(\"tiny-bert\"), hidden=4)\nopt = adamw model\nr = train model d opt steps=1 batch=4")
        let file = try aFile()
        let text = message(shell, "plot r \"\(file.path)/x.svg\"")
        XCTAssertTrue(text.contains("plot: cannot write \(file.path)/x.svg: \(file.path) is a file, not a folder"), text)
    }
}
