import Foundation

/// A thread-safe stop request, checked by the trainer between steps.
///
/// The shell sets it when the user presses Ctrl-C (from a dispatch signal source or another
/// thread, never from inside a raw signal handler: the flag takes a lock). The trainer finishes
/// the step in progress, so the model and optimizer stay consistent, and returns the history
/// so far marked interrupted.
public final class InterruptFlag: @unchecked Sendable {
    // @unchecked: every access to `requested` goes through `lock`.
    private let lock = NSLock()
    private var requested = false

    public init() {}

    /// Asks the run to stop after its current step.
    public func request() {
        lock.lock()
        requested = true
        lock.unlock()
    }

    /// Whether a stop was requested since the last `reset`.
    public var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }

    /// Clears the request (the trainer does this when a run starts).
    public func reset() {
        lock.lock()
        requested = false
        lock.unlock()
    }
}
