/// Whether operations record the autograd tape, scoped per task/thread.
///
/// A task-local value: `withoutGrad` switches recording off for its body on the current task or
/// thread only, so concurrent inference and training do not disturb each other (Swift 6 safe).
public enum GradMode {
    @TaskLocal static var isEnabledValue: Bool = true

    /// True unless inside `withoutGrad`.
    public static var isEnabled: Bool { isEnabledValue }
}

/// Runs `body` in inference mode: no operation records a graph, so no intermediate tensor is
/// kept alive by its results and `backward()` is impossible on them.
public func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabledValue.withValue(false) { try body() }
}

/// Runs `body` with recording switched on again (e.g. a training step inside an outer `withoutGrad`).
public func withGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabledValue.withValue(true) { try body() }
}
