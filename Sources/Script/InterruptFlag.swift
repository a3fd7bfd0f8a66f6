import Foundation

/// A flag the host raises (on Ctrl-C) to stop a running script; checked in loops and calls.
///
/// Thread-safe through a lock. Raise it from a `DispatchSourceSignal` handler or another
/// thread, not from inside a C signal handler (a lock is not async-signal-safe).
public final class InterruptFlag: @unchecked Sendable {
    // @unchecked: `raised` is only touched while holding `lock`.
    private let lock = NSLock()
    private var raised = false

    public init() {}

    /// Asks the interpreter to stop at its next check.
    public func raise() {
        lock.lock()
        raised = true
        lock.unlock()
    }

    /// Returns whether the flag was raised, and lowers it.
    public func consume() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let was = raised
        raised = false
        return was
    }
}
