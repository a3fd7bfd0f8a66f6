import Foundation
import XCTest

/// The pty harness itself, checked on `cat` before it is trusted with the REPL.
final class TerminalSessionTests: XCTestCase {
    func testTypedLinesAreEchoedAndCtrlDEndsInput() throws {
        let cat = try TerminalSession(executable: URL(fileURLWithPath: "/bin/cat"), environment: ["TERM": "dumb"])
        cat.send("hello pty" + TerminalSession.Key.enter)
        // The line discipline echoes the line once, then cat prints it again.
        try cat.waitFor("hello pty")
        try cat.waitFor("hello pty")
        cat.send(TerminalSession.Key.ctrlD)
        XCTAssertEqual(try cat.waitForExit(), 0)
    }

    func testCtrlCIsDeliveredAsSIGINTThroughTheControllingTerminal() throws {
        let cat = try TerminalSession(executable: URL(fileURLWithPath: "/bin/cat"), environment: ["TERM": "dumb"])
        cat.send("x" + TerminalSession.Key.enter)
        try cat.waitFor("x")
        cat.send(TerminalSession.Key.ctrlC)
        XCTAssertEqual(try cat.waitForExit(), 128 + SIGINT)
    }

    func testControlSequencesAreRemovedFromTheScreenText() {
        let raw = Array("\u{1b}[1mmtl>\u{1b}[0m x\r\n\u{07}".utf8)
        XCTAssertEqual(TerminalSession.plain(raw), "mtl> x\n")
    }
}
