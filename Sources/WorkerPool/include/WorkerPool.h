#ifndef MTL_WORKER_POOL_H
#define MTL_WORKER_POOL_H

// A pool of compute threads that start a job within microseconds.
//
// Why not libdispatch: `concurrentPerform` wakes a sleeping worker for every call; for the
// products of one sentence (each tens of microseconds) the calling thread had usually claimed
// both halves before the worker woke, so a second core added ~10% instead of ~80%. Here idle
// workers spin for a short while (`spin_cycles`, ~50 µs) before they sleep, so consecutive
// kernels find them awake, and a machine with nothing to do pays nothing.

#ifdef __cplusplus
extern "C" {
#endif

/// A chunk of a job: `chunk` in [0, chunks).
typedef void (*mtl_pool_chunk_fn)(void *context, long chunk);

/// Runs `fn(context, c)` once for every c in [0, chunks) on the calling thread and up to
/// `threads - 1` pool workers (created on first need), and returns when all have finished.
/// Which thread runs which chunk is not fixed. From a worker (nested) or while another thread
/// is running a job, the chunks run on the calling thread, in order. `chunks` ≤ 65535.
void mtl_pool_run(long chunks, long threads, mtl_pool_chunk_fn fn, void *context);

#ifdef __cplusplus
}
#endif

#endif
