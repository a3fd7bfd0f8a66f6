import Foundation
import XCTest
@testable import Shell

/// A process killed (SIGKILL) at any moment of a save over an existing session leaves a
/// session that restores: the old one or the new one, never a broken one.
final class SessionCrashTests: XCTestCase {
    func testKillingMtlMidSaveLeavesALoadableSession() throws {
        let binary = try MTLBinary.require()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = folder.appendingPathComponent("loop.mtlsession").path
        let script = folder.appendingPathComponent("loop.mtls")
        // ~4 MB of tensor data per save, so a save takes long enough to be cut in the middle.
        try """
        big = tensor(range(1000000))
        d = dummy 200 seed=1
        i = 0
        while true {
            i = i + 1
            save "\(archive)"
        }
        """.write(to: script, atomically: true, encoding: .utf8)

        let temporaryPrefix = ".loop.mtlsession.saving-"
        var killedMidWrite = 0
        for delay in [0.0, 0.01, 0.03, 0.2] {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["run", script.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait for a complete save, then for the next save to start writing over it (its
            // temporary folder appears), and kill it `delay` seconds into that save.
            let deadline = Date().addingTimeInterval(60)
            let saving = folder.appendingPathComponent(temporaryPrefix + "\(process.processIdentifier)").path
            while !FileManager.default.fileExists(atPath: archive + "/manifest.json"), Date() < deadline, process.isRunning {
                usleep(1_000)
            }
            while !FileManager.default.fileExists(atPath: saving), Date() < deadline, process.isRunning { usleep(200) }
            usleep(useconds_t(delay * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal)
            if FileManager.default.fileExists(atPath: saving) { killedMidWrite += 1 }

            let shell = ShellHarness()
            try shell.run("restore \"\(archive)\"")
            XCTAssertEqual(try shell.value("big.size"), .number(1_000_000))
            XCTAssertEqual(try shell.value("big[999999]"), .number(999_999))
            guard case .number(let i)? = shell.variable("i") else { return XCTFail("i missing") }
            XCTAssertGreaterThanOrEqual(i, 1)
        }
        XCTAssertGreaterThan(killedMidWrite, 0, "at least one kill must land inside a save for the test to mean anything")
    }
}
