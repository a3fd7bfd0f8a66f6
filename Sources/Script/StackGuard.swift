import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Estimates where the current thread's stack runs out, so deep recursion in a script becomes
/// an error ("recursion too deep") instead of a crash, whatever thread the host runs us on.
///
/// Called at the outermost entry into the interpreter: the stack below that point, minus a
/// safety margin, is what evaluation may use.
enum StackGuard {
    /// The lowest address evaluation may reach, or nil when the stack size is unknown.
    static func limit() -> UInt? {
        let size = stackSize()
        guard size > 0 else { return nil }
        // Keep a quarter of the stack (at least 128 KiB) for the host's own frames above us
        // and for the frames between two checks.
        let usable = size - max(size / 4, 128 * 1024)
        guard usable > 0 else { return nil }
        let here = currentAddress()
        return here > UInt(usable) ? here - UInt(usable) : 0
    }

    /// The current thread's stack size in bytes (0 when unknown).
    private static func stackSize() -> Int {
        if Thread.isMainThread {
            var limit = rlimit()
            #if os(Linux)
            let resource = __rlimit_resource_t(RLIMIT_STACK.rawValue)
            #else
            let resource = RLIMIT_STACK
            #endif
            guard getrlimit(resource, &limit) == 0 else { return 0 }
            let current = Int(clamping: limit.rlim_cur)
            // An unlimited main stack still has to stop somewhere; 8 MiB is the common default.
            return limit.rlim_cur == rlim_t.max ? 8 << 20 : current
        }
        return Thread.current.stackSize
    }

    /// An address in the caller's stack frame.
    @inline(never)
    static func currentAddress() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }
}
