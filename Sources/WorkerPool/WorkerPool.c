// See include/WorkerPool.h. One job at a time; workers claim chunks from a single atomic ticket.
//
// The ticket packs (job id, chunk count, next chunk). The submitting thread writes the job's
// function and context, then publishes a new ticket (release). A worker claims chunk i by a
// compare-and-swap from (id, n, i) to (id, n, i + 1) with i < n, so it can never run a chunk of
// a job whose function it did not read: the fields are rewritten only after every chunk of the
// previous job was claimed and finished, and then the ticket's id has changed.

#define _GNU_SOURCE
#include "WorkerPool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#include <x86intrin.h>
static inline void cpu_relax(void) { _mm_pause(); }
static inline uint64_t cycles(void) { return __rdtsc(); }
#else
#include <time.h>
static inline void cpu_relax(void) {}
static inline uint64_t cycles(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;  // ~1 "cycle" per ns
}
#endif

enum { MAX_WORKERS = 63 };

/// How long an idle worker spins before sleeping: 2^17 TSC cycles, ~50 µs at 2.6 GHz. Long
/// enough to span the gap between two kernels of a forward pass, short enough that an idle
/// shell or a busy machine loses nothing noticeable.
static const uint64_t spin_cycles = 1u << 17;

static _Atomic uint64_t ticket;           // id << 32 | chunks << 16 | next
static _Atomic(mtl_pool_chunk_fn) job_fn; // written before the ticket is published
static _Atomic(void *) job_context;
static _Atomic long finished;             // chunks of the current job done
static _Atomic int busy;                  // a thread is submitting or waiting on a job
static _Atomic int sleepers;
static pthread_mutex_t sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sleep_wake = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t spawn_lock = PTHREAD_MUTEX_INITIALIZER;
static int workers;                       // guarded by spawn_lock
static _Thread_local int in_pool_job;

static inline uint64_t ticket_next(uint64_t t) { return t & 0xFFFF; }
static inline uint64_t ticket_chunks(uint64_t t) { return (t >> 16) & 0xFFFF; }
static inline int claimable(uint64_t t) { return ticket_next(t) < ticket_chunks(t); }

/// Claims and runs chunks of the published job until none is left.
static void run_chunks(void) {
    uint64_t t = atomic_load_explicit(&ticket, memory_order_acquire);
    while (claimable(t)) {
        // Possibly a later job's fields if this ticket is stale; the CAS then fails.
        mtl_pool_chunk_fn fn = atomic_load_explicit(&job_fn, memory_order_relaxed);
        void *context = atomic_load_explicit(&job_context, memory_order_relaxed);
        if (atomic_compare_exchange_weak_explicit(&ticket, &t, t + 1, memory_order_acq_rel, memory_order_acquire)) {
            fn(context, (long)ticket_next(t));
            atomic_fetch_add_explicit(&finished, 1, memory_order_release);
            t = atomic_load_explicit(&ticket, memory_order_acquire);
        }
    }
}

static void *worker_main(void *unused) {
    (void)unused;
    in_pool_job = 1;
    for (;;) {
        uint64_t start = cycles();
        while (!claimable(atomic_load_explicit(&ticket, memory_order_acquire)) && cycles() - start < spin_cycles)
            cpu_relax();
        if (!claimable(atomic_load(&ticket))) {
            pthread_mutex_lock(&sleep_lock);
            atomic_fetch_add(&sleepers, 1);
            while (!claimable(atomic_load(&ticket))) pthread_cond_wait(&sleep_wake, &sleep_lock);
            atomic_fetch_sub(&sleepers, 1);
            pthread_mutex_unlock(&sleep_lock);
        }
        run_chunks();
    }
    return 0;
}

/// Starts workers until there are `count` (they live as long as the process).
static void ensure_workers(int count) {
    if (count > MAX_WORKERS) count = MAX_WORKERS;
    pthread_mutex_lock(&spawn_lock);
    while (workers < count) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&thread, &attributes, worker_main, 0);
        pthread_attr_destroy(&attributes);
        if (failed) break;  // run with the workers there are
        workers++;
    }
    pthread_mutex_unlock(&spawn_lock);
}

static void run_inline(long chunks, mtl_pool_chunk_fn fn, void *context) {
    for (long c = 0; c < chunks; c++) fn(context, c);
}

void mtl_pool_run(long chunks, long threads, mtl_pool_chunk_fn fn, void *context) {
    if (chunks <= 0) return;
    int expected = 0;
    if (chunks == 1 || threads <= 1 || chunks > 0xFFFF || in_pool_job ||
        !atomic_compare_exchange_strong(&busy, &expected, 1)) {
        run_inline(chunks, fn, context);
        return;
    }
    ensure_workers((int)(threads - 1));
    atomic_store_explicit(&job_fn, fn, memory_order_relaxed);
    atomic_store_explicit(&job_context, context, memory_order_relaxed);
    atomic_store_explicit(&finished, 0, memory_order_relaxed);
    uint64_t id = (atomic_load_explicit(&ticket, memory_order_relaxed) >> 32) + 1;
    atomic_store(&ticket, (id << 32) | ((uint64_t)chunks << 16));  // seq_cst: ordered before the sleepers check
    if (atomic_load(&sleepers) > 0) {
        pthread_mutex_lock(&sleep_lock);
        pthread_cond_broadcast(&sleep_wake);
        pthread_mutex_unlock(&sleep_lock);
    }
    in_pool_job = 1;
    run_chunks();
    in_pool_job = 0;
    // Chunks claimed by workers may still be running.
    uint64_t start = cycles();
    while (atomic_load_explicit(&finished, memory_order_acquire) < chunks) {
        if (cycles() - start < spin_cycles) cpu_relax();
        else sched_yield();  // a worker was descheduled: give it the core
    }
    atomic_store_explicit(&busy, 0, memory_order_release);
}
