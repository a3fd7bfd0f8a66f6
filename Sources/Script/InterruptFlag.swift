import Foundation
#if os(Linux)
import Synchronization
#endif

/// A flag the host raises (on Ctrl-C) to stop a running script; checked in loops and calls.
///
/// On Linux it is a lock-free atomic, so `raise()` may be called even from inside a C signal
/// handler (`signal(SIGINT, …)`); elsewhere it falls back to a lock, so raise it from a
/// `DispatchSourceSignal` handler or another thread.
public final class InterruptFlag: Sendable {
    #if os(Linux)
    private let raised = Atomic<Bool>(false)
    #else
    private let lock = NSLock()
    // nonisolated(unsafe): only touched while holding `lock`.
    nonisolated(unsafe) private var raisedValue = false
    #endif

    public init() {}

    /// Asks the interpreter to stop at its next check.
    public func raise() {
        #if os(Linux)
        raised.store(true, ordering: .relaxed)
        #else
        lock.lock()
        raisedValue = true
        lock.unlock()
        #endif
    }

    /// Whether the flag is raised, leaving it raised (for long host commands that poll it and
    /// then throw via `BuiltinCall.checkInterrupt()`).
    public var isRaised: Bool {
        #if os(Linux)
        return raised.load(ordering: .relaxed)
        #else
        lock.lock()
        defer { lock.unlock() }
        return raisedValue
        #endif
    }

    /// Returns whether the flag was raised, and lowers it.
    public func consume() -> Bool {
        #if os(Linux)
        // Cheap load first: the flag is almost always down, and this runs on every loop step.
        guard raised.load(ordering: .relaxed) else { return false }
        return raised.exchange(false, ordering: .relaxed)
        #else
        lock.lock()
        defer { lock.unlock() }
        let was = raisedValue
        raisedValue = false
        return was
        #endif
    }
}
