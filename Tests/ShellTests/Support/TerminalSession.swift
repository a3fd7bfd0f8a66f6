import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The built `mtl` executable, next to the test bundle (`.build/<triple>/debug/mtl`).
enum MTLBinary {
    static var url: URL? {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("mtl"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("mtl"),
            URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent().appendingPathComponent("mtl"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// The executable, or a failing test.
    static func require(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        guard let url else {
            XCTFail("the mtl executable was not found next to the test bundle \(Bundle.main.bundleURL.path)",
                    file: file, line: line)
            throw TerminalSession.Failure.notStarted("mtl executable not found")
        }
        return url
    }
}

/// A program run on a pseudo-terminal, driven like a person at a keyboard.
///
/// `openpty` gives the terminal; the child is started with `posix_spawn` in a new session whose
/// standard streams open the terminal's slave side, which makes it the controlling terminal, so
/// Ctrl-C typed on the master side is turned into SIGINT by the kernel's line discipline, as in
/// a real terminal. (`forkpty` would run Swift code between fork and exec, which is not safe.)
/// Every wait is bounded by a timeout; on failure the transcript is in the error.
final class TerminalSession {
    enum Failure: Error, CustomStringConvertible {
        case notStarted(String)
        case timedOut(waitingFor: String, screen: String)

        var description: String {
            switch self {
            case let .notStarted(reason): return "could not start the program: \(reason)"
            case let .timedOut(what, screen): return "timed out waiting for \(what); output so far:\n\(screen)"
            }
        }
    }

    /// Keys as the terminal sends them.
    enum Key {
        static let enter = "\r"
        static let tab = "\t"
        static let ctrlC = "\u{03}"
        static let ctrlD = "\u{04}"
        static let up = "\u{1b}[A"
    }

    private let master: Int32
    private let pid: pid_t
    private var output: [UInt8] = []
    /// Length (UTF-8 bytes of `screen`) already matched by a `waitFor`; later waits search after it.
    private var consumed = 0
    private var exitStatus: Int32?

    init(executable: URL, arguments: [String] = [], environment: [String: String]) throws {
        var masterFD: Int32 = -1
        var slaveFD: Int32 = -1
        var size = winsize(ws_row: 24, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&masterFD, &slaveFD, nil, nil, &size) == 0 else {
            throw Failure.notStarted("openpty failed: errno \(errno)")
        }
        guard let slaveName = ttyname(slaveFD).map({ String(cString: $0) }) else {
            close(masterFD); close(slaveFD)
            throw Failure.notStarted("ttyname failed")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addclose(&actions, masterFD)
        posix_spawn_file_actions_addclose(&actions, slaveFD)
        // Opened after setsid (glibc applies POSIX_SPAWN_SETSID first): becomes the controlling tty.
        posix_spawn_file_actions_addopen(&actions, 0, slaveName, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // glibc's POSIX_SPAWN_SETSID (0x80, spawn.h) is hidden behind _GNU_SOURCE from Swift.
        let spawnSetSID: Int32 = 0x80
        posix_spawnattr_setflags(&attributes, Int16(spawnSetSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = [executable.path] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var childPID: pid_t = 0
        let status = withCStrings(argv) { argvPointers in
            withCStrings(envp) { envPointers in
                posix_spawn(&childPID, executable.path, &actions, &attributes, argvPointers, envPointers)
            }
        }
        close(slaveFD)
        guard status == 0 else {
            close(masterFD)
            throw Failure.notStarted("posix_spawn failed: \(String(cString: strerror(status)))")
        }
        master = masterFD
        pid = childPID
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
    }

    /// Types `text` (use `Key` for special keys).
    func send(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return write(master, base + offset, buffer.count - offset)
            }
            if written > 0 { offset += written } else if errno != EAGAIN && errno != EINTR { return }
            else { usleep(1000) }
        }
    }

    /// Everything shown so far, with terminal control sequences removed.
    var screen: String { TerminalSession.plain(output) }

    /// Waits until `needle` appears in the output after what earlier waits matched; returns the
    /// output from there up to and including the match.
    @discardableResult
    func waitFor(_ needle: String, timeout: TimeInterval = 15) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            // The plain text of a longer output extends that of a shorter one, so a position in
            // it (counted in UTF-8 bytes) stays valid as output arrives.
            let text = screen
            let fresh = String(decoding: text.utf8.dropFirst(consumed), as: UTF8.self)
            if let range = fresh.range(of: needle) {
                let matched = String(fresh[..<range.upperBound])
                consumed += matched.utf8.count
                return matched
            }
            guard Date() < deadline else {
                throw Failure.timedOut(waitingFor: "\"\(needle)\"", screen: text)
            }
            pump(until: deadline)
        }
    }

    /// Keeps reading output for `interval` seconds (to see what arrives when nothing is typed).
    func settle(for interval: TimeInterval) {
        let deadline = Date().addingTimeInterval(interval)
        while Date() < deadline { pump(until: deadline) }
    }

    /// Waits for the program to exit and returns its exit status (128+n for signal n).
    func waitForExit(timeout: TimeInterval = 15) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            pump(until: Date().addingTimeInterval(0.05))
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                exitStatus = code
                pump(until: Date().addingTimeInterval(0.05))
                return code
            }
        }
        throw Failure.timedOut(waitingFor: "exit", screen: screen)
    }

    /// Reads what is available, waiting at most until `deadline` (and never more than 0.1 s).
    private func pump(until deadline: Date) {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(max(1, min(100, deadline.timeIntervalSinceNow * 1000)))
        guard poll(&descriptor, 1, milliseconds) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        if count > 0 {
            output.append(contentsOf: buffer[0..<count])
        } else {
            usleep(10_000)  // the terminal closed (EIO): nothing more will come; don't spin
        }
    }

    /// Drops escape sequences (CSI `ESC [ … final`, and two-byte `ESC x`), carriage returns and
    /// the BEL character, leaving the text a person would read.
    static func plain(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x1b {
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "[") {
                    var j = i + 2
                    while j < bytes.count, !(0x40...0x7e).contains(bytes[j]) { j += 1 }
                    i = j + 1
                } else {
                    i += 2
                }
                continue
            }
            if b != UInt8(ascii: "\r") && b != 0x07 { out.append(b) }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Calls `body` with a NULL-terminated C array of `strings`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
