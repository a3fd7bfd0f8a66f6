import CBLAS

/// How many threads compute: OpenBLAS's and the engine's own loops (`Parallel`).
///
/// Set once at start-up (`mtl bench --threads N`), before any tensor work: the value is read
/// unsynchronised by the kernels, so changing it while they run is not supported.
public enum ComputeThreads {
    /// The number of online processors (the default of both counts).
    public static var processors: Int { Parallel.onlineProcessors }

    /// The engine's thread count.
    public static var engine: Int { Parallel.coreCount }

    /// OpenBLAS's current thread count.
    public static var blas: Int { Int(openblas_get_num_threads()) }

    /// The OpenBLAS kernel in use (e.g. `Zen`, `SkylakeX`, `Haswell`).
    public static var blasCore: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// Sets both counts to `count` (clamped to at least 1).
    public static func set(_ count: Int) {
        let n = Swift.max(1, count)
        openblas_set_num_threads(Int32(n))
        Parallel.coreCount = n
    }

    /// Sets only the engine's own count (for experiments on BLAS/engine thread contention).
    public static func setEngine(_ count: Int) { Parallel.coreCount = Swift.max(1, count) }

    /// Calls `body` on disjoint ranges covering `0..<count`, on up to `engine` threads when
    /// `count × cost` is large enough (`cost`: rough work per index). Each index is handled by
    /// exactly one call, so element-wise loops give the same result for any thread count.
    public static func forRanges(_ count: Int, cost: Int = 1, _ body: (Range<Int>) -> Void) {
        Parallel.forRanges(count, cost: cost, body)
    }
}
