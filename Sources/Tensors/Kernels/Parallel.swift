import WorkerPool
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splitting loops across cores. Work is cut into ranges fixed by the problem size, never by
/// timing, and each output element is computed by one thread in a fixed order, so results do not
/// depend on how many threads ran.
enum Parallel {
    /// Online processors, read once.
    static let onlineProcessors: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// The engine's own thread count (`ComputeThreads.set`), the online processors by default.
    /// Written only by `ComputeThreads.set`, which programs call before computing (stated there),
    /// and read as a plain word, hence `nonisolated(unsafe)`.
    nonisolated(unsafe) static var coreCount: Int = onlineProcessors

    /// Below this much work (element operations) a loop runs on the calling thread. 2^13: the
    /// worker pool starts a job in about a microsecond (2^15 suited libdispatch's wake-ups).
    static let threshold = 1 << 13

    /// Calls `body` on disjoint ranges covering `0..<count`, in parallel when `count × cost` is
    /// large enough. `cost` is the rough work per index (e.g. a row length).
    static func forRanges(_ count: Int, cost: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = min(coreCount, count, (count * cost) / threshold)
        if chunks <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        // The chunks write disjoint output ranges and `mtl_pool_run` returns only when all are
        // done, so handing the non-Sendable body to the pool's threads (through a pointer to
        // this frame) is safe. The ranges depend on `count` and `chunks` only.
        withoutActuallyEscaping(body) { body in
            var job = Job(count: count, chunks: chunks, body: body)
            withUnsafeMutablePointer(to: &job) { pointer in
                mtl_pool_run(chunks, coreCount, { context, chunk in
                    guard let job = context?.assumingMemoryBound(to: Job.self).pointee else { return }
                    let c = Int(chunk)
                    job.body((job.count * c / job.chunks)..<(job.count * (c + 1) / job.chunks))
                }, pointer)
            }
        }
    }

    /// What the pool's C callback needs to run one chunk.
    private struct Job {
        let count: Int
        let chunks: Int
        let body: (Range<Int>) -> Void
    }
}
