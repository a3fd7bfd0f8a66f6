import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C in the REPL: it clears the line at the prompt and stops a running command.
///
/// One SIGINT handler (installed with `sigaction`, without `SA_RESTART`) serves both moments:
/// - while a line is being read, the signal interrupts libedit's `read()`, `readline` returns,
///   and `takePromptInterrupt()` tells the REPL it was Ctrl-C and not end of input;
/// - while a command runs (`whileRunning`), the handler calls the `onRunInterrupt` action given
///   there (Script's interrupt request), so the command stops at its next safe point and the
///   session stays intact. A third Ctrl-C during one command ends the process (exit status 130),
///   the way out when a command is stuck somewhere that never checks the flag.
///
/// A signal handler may only touch lock-free state, so everything it reads or writes is an
/// `Atomic`, and the run action must itself be async-signal-safe (an atomic store).
public enum InterruptHandler {
    /// Phases the handler distinguishes.
    private enum Phase: Int {
        case idle = 0, reading = 1, running = 2
    }

    private static let phase = Atomic<Int>(Phase.idle.rawValue)
    private static let pending = Atomic<Int>(0)
    /// The action for a Ctrl-C during a command. A global because a C signal handler cannot
    /// capture context; set only by `whileRunning` on the REPL's thread before the phase becomes
    /// `running`, and read by the handler only in that phase, so the write happens-before the read.
    nonisolated(unsafe) private static var runAction: (@Sendable () -> Void)?
    private static let installed = Atomic<Bool>(false)

    /// Installs the SIGINT handler (once; later calls do nothing).
    public static func install() {
        guard !installed.exchange(true, ordering: .sequentiallyConsistent) else { return }
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { _ in InterruptHandler.handleSignal() }
        #else
        action.__sigaction_u.__sa_handler = { _ in InterruptHandler.handleSignal() }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: the prompt's read() must return on Ctrl-C
        sigaction(SIGINT, &action, nil)
    }

    /// Marks the start of reading a line; a Ctrl-C from now on interrupts the read.
    public static func beginReading() {
        pending.store(0, ordering: .sequentiallyConsistent)
        phase.store(Phase.reading.rawValue, ordering: .sequentiallyConsistent)
    }

    /// Ends the reading phase. Returns whether Ctrl-C was pressed during it.
    public static func takePromptInterrupt() -> Bool {
        phase.store(Phase.idle.rawValue, ordering: .sequentiallyConsistent)
        return pending.exchange(0, ordering: .sequentiallyConsistent) > 0
    }

    /// Runs `body` with Ctrl-C routed to `onInterrupt` (which must be async-signal-safe).
    public static func whileRunning<T>(onInterrupt: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T {
        runAction = onInterrupt
        pending.store(0, ordering: .sequentiallyConsistent)
        phase.store(Phase.running.rawValue, ordering: .sequentiallyConsistent)
        defer {
            phase.store(Phase.idle.rawValue, ordering: .sequentiallyConsistent)
            pending.store(0, ordering: .sequentiallyConsistent)
        }
        return try body()
    }

    /// The signal handler proper: atomics and write(2) only.
    private static func handleSignal() {
        let count = pending.add(1, ordering: .sequentiallyConsistent).newValue
        guard phase.load(ordering: .sequentiallyConsistent) == Phase.running.rawValue else { return }
        runAction?()
        if count >= 3 {
            let message: StaticString = "\nmtl: interrupted three times; quitting\n"
            _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
            _exit(130)
        }
    }
}
