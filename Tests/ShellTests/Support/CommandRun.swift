import Foundation
import XCTest

/// The result of running `mtl` without a terminal: status and both output streams.
struct CommandResult {
    /// The exit status, or the signal number when `exitedNormally` is false (a crash).
    var status: Int32
    var exitedNormally: Bool
    var standardOutput: String
    var standardError: String
}

/// Runs the built `mtl` with `arguments`, feeding `input` to its standard input (a pipe, so not
/// a terminal). Bounded: the process is killed after `timeout` seconds and the test fails.
func runMTL(_ arguments: [String], input: Data = Data(), environment: [String: String] = [:],
            timeout: TimeInterval = 30, file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
    let process = Process()
    process.executableURL = try MTLBinary.require(file: file, line: line)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    // A history file of its own, so tests never touch the user's.
    env["MTL_HISTORY"] = FileManager.default.temporaryDirectory.appendingPathComponent("mtl-test-history-\(UUID().uuidString)").path
    for (key, value) in environment { env[key] = value }
    process.environment = env

    let stdinPipe = Pipe(), stdoutPipe = Pipe(), stderrPipe = Pipe()
    process.standardInput = stdinPipe
    process.standardOutput = stdoutPipe
    process.standardError = stderrPipe

    // Read both streams on their own threads so a full pipe never blocks the child.
    let collected = OutputCollector()
    let group = DispatchGroup()
    for (pipe, isError) in [(stdoutPipe, false), (stderrPipe, true)] {
        group.enter()
        DispatchQueue.global().async {
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            collected.set(data, isError: isError)
            group.leave()
        }
    }
    try process.run()
    DispatchQueue.global().async {
        // The child may exit before reading everything (a syntax error); ignore EPIPE.
        signal(SIGPIPE, SIG_IGN)
        try? stdinPipe.fileHandleForWriting.write(contentsOf: input)
        try? stdinPipe.fileHandleForWriting.close()
    }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning {
        process.terminate()
        XCTFail("mtl \(arguments) did not finish within \(timeout) s", file: file, line: line)
    }
    process.waitUntilExit()
    _ = group.wait(timeout: .now() + 5)
    let (out, err) = collected.values
    return CommandResult(status: process.terminationStatus,
                         exitedNormally: process.terminationReason == .exit,
                         standardOutput: String(decoding: out, as: UTF8.self),
                         standardError: String(decoding: err, as: UTF8.self))
}

/// Both streams' bytes, written from two reader threads.
private final class OutputCollector: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()

    func set(_ data: Data, isError: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if isError { err = data } else { out = data }
    }

    var values: (Data, Data) {
        lock.lock()
        defer { lock.unlock() }
        return (out, err)
    }
}
