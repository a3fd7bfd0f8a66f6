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
///   and `takePromptInterrupt()` tells the REPL it was Ctrl-C and not end of input. A Ctrl-C
///   that lands just before libedit enters `read()` would interrupt nothing, so the watcher
///   thread (below) re-sends SIGINT to the reading thread every 20 ms until `readline` returns.
///   The re-sending is tied to the read the Ctrl-C came in (its generation, taken in the
///   handler), and checking "still that read" and sending happen under a lock that ending a read
///   also takes: a re-sent signal can never reach the next read, where it would pass for a new
///   Ctrl-C and start re-sending again (a flood of `^C` prompts);
/// - while a command runs (`whileRunning`), the handler wakes a watcher thread through a pipe
///   (the self-pipe trick: `write` is async-signal-safe, the interpreter's lock-based interrupt
///   flag is not), and that thread calls the action given to `whileRunning`, so the command
///   stops at its next safe point and the session stays intact. A third Ctrl-C during one
///   command ends the process (exit status 130): the way out of a command stuck somewhere that
///   never checks the flag.
public enum InterruptHandler {
    /// Phases the handler distinguishes.
    private enum Phase: Int {
        case idle = 0, reading = 1, running = 2
    }

    private static let phase = Atomic<Int>(Phase.idle.rawValue)
    private static let pending = Atomic<Int>(0)
    /// The write end of the pipe the handler signals the watcher through (-1 before `install`).
    private static let wakeDescriptor = Atomic<Int32>(-1)
    /// The action for a Ctrl-C during a command; the watcher thread calls it.
    private static let runAction = Mutex<(@Sendable () -> Void)?>(nil)
    private static let installed = Atomic<Bool>(false)
    /// The thread blocked in `readline`, and a count bumped each time a read starts or ends, so
    /// the watcher knows whether the read it wants to interrupt is still the same one.
    private static let readingThread = Atomic<UInt>(0)
    private static let readGeneration = Atomic<Int>(0)
    /// The generation of the read the last prompt Ctrl-C came in; set by the handler.
    private static let kickGeneration = Atomic<Int>(0)
    /// Held while the watcher checks the read is the same and re-sends SIGINT, and while a read
    /// starts or ends, so no re-sent signal is aimed at a read that has already ended.
    private static let kickLock = Mutex<Void>(())

    /// Bytes the handler sends the watcher.
    private static let wakeForRun: UInt8 = 1
    private static let wakeForPrompt: UInt8 = 2

    /// Installs the SIGINT handler and starts the watcher thread (once; later calls do nothing).
    public static func install() {
        guard !installed.exchange(true, ordering: .sequentiallyConsistent) else { return }
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            let readEnd = ends[0]
            wakeDescriptor.store(ends[1], ordering: .sequentiallyConsistent)
            let watcher = Thread {
                // SIGINT is for the thread that reads or runs; this one only relays it.
                var blocked = sigset_t()
                sigemptyset(&blocked)
                sigaddset(&blocked, SIGINT)
                pthread_sigmask(SIG_BLOCK, &blocked, nil)
                var byte: UInt8 = 0
                while true {
                    let count = read(readEnd, &byte, 1)
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { return }
                    if byte == wakeForPrompt {
                        kickReader()
                    } else {
                        runAction.withLock { action in action?() }
                    }
                }
            }
            watcher.name = "mtl-interrupt"
            watcher.start()
        }
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
        kickLock.withLock { _ in
            pending.store(0, ordering: .sequentiallyConsistent)
            readingThread.store(UInt(pthread_self()), ordering: .sequentiallyConsistent)
            readGeneration.add(1, ordering: .sequentiallyConsistent)
            phase.store(Phase.reading.rawValue, ordering: .sequentiallyConsistent)
        }
    }

    /// Ends the reading phase. Returns whether Ctrl-C was pressed during it.
    public static func takePromptInterrupt() -> Bool {
        kickLock.withLock { _ in
            phase.store(Phase.idle.rawValue, ordering: .sequentiallyConsistent)
            readGeneration.add(1, ordering: .sequentiallyConsistent)
        }
        return pending.exchange(0, ordering: .sequentiallyConsistent) > 0
    }

    /// Runs `body` with Ctrl-C routed to `onInterrupt` (called on the watcher thread).
    /// - Returns: `body`'s result, and whether Ctrl-C was pressed while it ran.
    public static func whileRunning<T>(onInterrupt: @escaping @Sendable () -> Void,
                                       _ body: () throws -> T) rethrows -> (result: T, interrupted: Bool) {
        runAction.withLock { $0 = onInterrupt }
        pending.store(0, ordering: .sequentiallyConsistent)
        phase.store(Phase.running.rawValue, ordering: .sequentiallyConsistent)
        defer {
            phase.store(Phase.idle.rawValue, ordering: .sequentiallyConsistent)
            runAction.withLock { $0 = nil }
        }
        let result = try body()
        return (result, pending.exchange(0, ordering: .sequentiallyConsistent) > 0)
    }

    /// On the watcher thread: re-sends SIGINT to the reading thread until its read has ended
    /// (at most one second), so a Ctrl-C that came before libedit's `read()` still ends it.
    /// The read is the one the Ctrl-C came in (`kickGeneration`), not whichever read is current
    /// when this thread wakes: by then the REPL may have printed `^C` and started the next one.
    private static func kickReader() {
        let generation = kickGeneration.load(ordering: .sequentiallyConsistent)
        for _ in 0..<50 {
            usleep(20_000)
            let sent = kickLock.withLock { _ -> Bool in
                guard phase.load(ordering: .sequentiallyConsistent) == Phase.reading.rawValue,
                      readGeneration.load(ordering: .sequentiallyConsistent) == generation else { return false }
                pthread_kill(pthread_t(readingThread.load(ordering: .sequentiallyConsistent)), SIGINT)
                return true
            }
            if !sent { return }
        }
    }

    /// The signal handler proper: atomics, write(2) and _exit(2) only.
    private static func handleSignal() {
        let count = pending.add(1, ordering: .sequentiallyConsistent).newValue
        let current = phase.load(ordering: .sequentiallyConsistent)
        guard current != Phase.idle.rawValue else { return }
        // Only the first Ctrl-C of a read starts the watcher's re-sending; its own signals don't.
        if current == Phase.reading.rawValue && count > 1 { return }
        if current == Phase.reading.rawValue {
            kickGeneration.store(readGeneration.load(ordering: .sequentiallyConsistent), ordering: .sequentiallyConsistent)
        }
        var byte = current == Phase.running.rawValue ? wakeForRun : wakeForPrompt
        let descriptor = wakeDescriptor.load(ordering: .sequentiallyConsistent)
        if descriptor >= 0 { _ = write(descriptor, &byte, 1) }
        guard current == Phase.running.rawValue else { return }
        if count >= 3 {
            let message: StaticString = "\nmtl: interrupted three times; quitting\n"
            _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
            _exit(130)
        }
    }
}
