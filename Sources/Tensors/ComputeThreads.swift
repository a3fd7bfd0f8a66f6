import CBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// What runs the matrix products: mtl's AVX-512 kernels, or OpenBLAS with its kernel name
    /// (CPUs without AVX-512F, or `MTL_GEMM=blas`).
    public static var products: String {
        Gemm.usesAVX512 ? "mtl AVX-512 kernels" : "OpenBLAS (\(blasCore) kernels)"
    }

    /// Sets both counts to `count` (clamped to at least 1), and shortens how long OpenBLAS's
    /// idle workers spin (`blasSpinTimeout`).
    public static func set(_ count: Int) {
        let n = Swift.max(1, count)
        openblas_set_num_threads(Int32(n))
        Parallel.coreCount = n
        shortenBLASSpin()
    }

    /// `OPENBLAS_THREAD_TIMEOUT` used unless the environment sets one: idle BLAS workers spin
    /// for 2^20 cycles (≈ 0.3 ms) before sleeping, instead of OpenBLAS's default 2^28 (≈ 0.1 s).
    /// With the default, the worker kept spinning on one of the two cores after every product
    /// while the engine's element-wise loops ran there; MiniLM, 2 threads, quiet machine:
    /// encode_bs32 ≈ 480 → ≈ 560 sent/s, train step ≈ 0.13 → ≈ 0.11 s (docs/PERFORMANCE.md).
    static let blasSpinTimeout = "20"

    /// Restarts OpenBLAS's workers so that they take `OPENBLAS_THREAD_TIMEOUT` (set to
    /// `blasSpinTimeout` when absent): the library reads it only when it loads, and re-reads it
    /// with `openblas_read_env` (OpenBLAS driver/others/blas_server.c: `blas_thread_init`
    /// applies it to the workers it creates). Call it at start-up, before any tensor work: no
    /// product may be running while the workers restart (`mtl` calls it first thing).
    public static func shortenBLASSpin() {
        setenv("OPENBLAS_THREAD_TIMEOUT", blasSpinTimeout, 0)
        openblas_read_env()
        blas_thread_shutdown_()
        blas_thread_init()
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
