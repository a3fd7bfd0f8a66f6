import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What benchmark timings read: wall time, or the process's CPU time (`mtl bench --cpu-time`,
/// one thread only), which other processes on a busy shared machine barely disturb, as
/// `Scripts/bench_torch.py --cpu-time` (`time.process_time`) does.
public enum BenchmarkClock: Sendable {
    case wall
    case processCPU

    /// Seconds since an arbitrary origin.
    public func now() -> Double {
        switch self {
        case .wall:
            return Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        case .processCPU:
            var spec = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
            return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
        }
    }
}
