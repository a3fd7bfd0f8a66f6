/* sgemm_bench: GFLOP/s of cblas_sgemm on the GEMM shapes of a BERT-style encoder.
 *
 * Built twice by Scripts/bench (gcc -O2), once against each BLAS:
 *   gcc -O2 -o .build/sgemm_openblas Scripts/sgemm_bench.c \
 *       /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0
 *   gcc -O2 -DUSE_BLIS -isystem /usr/include/x86_64-linux-gnu/blis-openmp -o .build/sgemm_blis \
 *       Scripts/sgemm_bench.c /usr/lib/x86_64-linux-gnu/blis-openmp/libblis.so.4 -fopenmp
 *
 * Usage: sgemm_bench [--threads N] [--reps R] [--hidden H] [--ffn F] [--tokens T]
 *                    [--trans nn|nt] [--cpu-time] [--json]
 *
 * Shapes (M x N x K, C[MxN] = A[MxK] . B[KxN], row-major, float32), for hidden H, FFN width F,
 * T tokens in a batch (default 512 = 32 sentences x 16 tokens) and one 16-token sentence:
 *   T x F x H   (FFN up-projection)      T x H x F   (FFN down-projection)
 *   T x H x H   (Q/K/V/output projection) 16 x F x H (one sentence, FFN up)
 *   16 x H x H  (one sentence, attention projection; reported, not in the summary)
 * --trans nt multiplies by B transposed (B stored N x K), which is what nn.Linear does
 * (y = x W^T with W [out x in]). --cpu-time (1 thread only) times by process CPU time.
 *
 * For each shape: a calibrated number of calls lasting about 50 ms is one repetition; R
 * repetitions give the median, min and max GFLOP/s (2*M*N*K flops a call).
 * The summary "sgemm_peak_gflops" is total flops of one call of each of the first four shapes
 * divided by the sum of their median seconds per call, the same definition as
 * matmul_gflops in Scripts/bench_torch.py.
 */
#define _GNU_SOURCE /* clock_gettime; BLIS's cblas.h needs pthread_barrier_t */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cblas.h>

#ifdef USE_BLIS
#include <blis.h> /* BLIS's cblas.h already pulls it in; kept for clarity */
#define BLAS_NAME "blis"
static void set_threads(int n) { bli_thread_set_num_threads(n); }
static const char *kernel_name(void) { return bli_arch_string(bli_arch_query_id()); }
static const char *blas_version(void) { return bli_info_get_version_str(); }
#else
#define BLAS_NAME "openblas"
static void set_threads(int n) { openblas_set_num_threads(n); }
static const char *kernel_name(void) { return openblas_get_corename(); }
static const char *blas_version(void) { return openblas_get_config(); }
#endif

/* Wall time; with --cpu-time (1 thread only) the process's CPU time, which other processes on
 * a busy shared machine barely disturb. */
static clockid_t clock_id = CLOCK_MONOTONIC;

static double now(void) {
    struct timespec ts;
    clock_gettime(clock_id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static float *random_matrix(long n, unsigned *seed) {
    float *p = malloc((size_t)n * sizeof(float));
    if (!p) { fprintf(stderr, "sgemm_bench: out of memory (%ld floats)\n", n); exit(1); }
    for (long i = 0; i < n; i++) {
        *seed = *seed * 1103515245u + 12345u;
        p[i] = (float)((*seed >> 8) & 0xffff) / 65536.0f - 0.5f;
    }
    return p;
}

typedef struct { int m, n, k; int in_summary; double median_s, min_s, max_s; int wrong; } Shape;

static void call(const Shape *s, int nt, const float *a, const float *b, float *c) {
    if (nt)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, s->m, s->n, s->k,
                    1.0f, a, s->k, b, s->k, 0.0f, c, s->n);
    else
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s->m, s->n, s->k,
                    1.0f, a, s->k, b, s->n, 0.0f, c, s->n);
}

/* Checks 64 sampled entries of C against a double-precision dot product, so a kernel forced
 * by OPENBLAS_CORETYPE / BLIS_ARCH_TYPE that computes garbage is caught, not timed.
 * Tolerance: 1e-5 of sum |a_ik b_kj|, far above float32 rounding (~K * 6e-8 in the worst
 * case, much less on average) and far below any real error. Returns the count of bad entries. */
static int check(const Shape *s, int nt, const float *a, const float *b, const float *c) {
    unsigned seed = 7u;
    int bad = 0;
    for (int t = 0; t < 64; t++) {
        seed = seed * 1103515245u + 12345u;
        int i = (int)((seed >> 8) % (unsigned)s->m);
        seed = seed * 1103515245u + 12345u;
        int j = (int)((seed >> 8) % (unsigned)s->n);
        double ref = 0, mag = 0;
        for (int k = 0; k < s->k; k++) {
            double x = a[(long)i * s->k + k];
            double y = nt ? b[(long)j * s->k + k] : b[(long)k * s->n + j];
            ref += x * y;
            mag += x * y < 0 ? -x * y : x * y;
        }
        double err = c[(long)i * s->n + j] - ref;
        if (err < 0) err = -err;
        if (!(err <= 1e-5 * mag + 1e-30)) bad++;
    }
    return bad;
}

static void measure(Shape *s, int nt, int reps) {
    unsigned seed = 42u;
    float *a = random_matrix((long)s->m * s->k, &seed);
    float *b = random_matrix((long)s->k * s->n, &seed);
    float *c = random_matrix((long)s->m * s->n, &seed);
    /* warm-up: thread pool start, packing buffers, page faults */
    for (int i = 0; i < 3; i++) call(s, nt, a, b, c);
    /* calibrate: calls per repetition so that one repetition lasts about 50 ms */
    double t0 = now();
    call(s, nt, a, b, c);
    double one = now() - t0;
    long iters = one > 0 ? (long)(0.05 / one) : 1000;
    if (iters < 1) iters = 1;
    double *per_call = malloc((size_t)reps * sizeof(double));
    if (!per_call) { fprintf(stderr, "sgemm_bench: out of memory\n"); exit(1); }
    for (int r = 0; r < reps; r++) {
        t0 = now();
        for (long i = 0; i < iters; i++) call(s, nt, a, b, c);
        per_call[r] = (now() - t0) / (double)iters;
    }
    s->wrong = check(s, nt, a, b, c);
    qsort(per_call, (size_t)reps, sizeof(double), cmp_double);
    s->min_s = per_call[0];
    s->max_s = per_call[reps - 1];
    s->median_s = reps % 2 ? per_call[reps / 2]
                           : 0.5 * (per_call[reps / 2 - 1] + per_call[reps / 2]);
    free(per_call); free(a); free(b); free(c);
}

static int parse_int(const char *flag, const char *v) {
    char *end;
    long x = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || x < 1 || x > 1000000) {
        fprintf(stderr, "sgemm_bench: %s wants a positive integer, got '%s'\n", flag, v);
        exit(2);
    }
    return (int)x;
}

int main(int argc, char **argv) {
    int threads = 1, reps = 7, hidden = 384, ffn = 1536, tokens = 512, nt = 0, json = 0;
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (!strcmp(f, "--json")) { json = 1; continue; }
        if (!strcmp(f, "--cpu-time")) { clock_id = CLOCK_PROCESS_CPUTIME_ID; continue; }
        if (i + 1 >= argc) { fprintf(stderr, "sgemm_bench: unknown or incomplete option '%s'\n", f); return 2; }
        const char *v = argv[++i];
        if (!strcmp(f, "--threads")) threads = parse_int(f, v);
        else if (!strcmp(f, "--reps")) reps = parse_int(f, v);
        else if (!strcmp(f, "--hidden")) hidden = parse_int(f, v);
        else if (!strcmp(f, "--ffn")) ffn = parse_int(f, v);
        else if (!strcmp(f, "--tokens")) tokens = parse_int(f, v);
        else if (!strcmp(f, "--trans")) {
            if (!strcmp(v, "nn")) nt = 0;
            else if (!strcmp(v, "nt")) nt = 1;
            else { fprintf(stderr, "sgemm_bench: --trans wants nn or nt, got '%s'\n", v); return 2; }
        } else { fprintf(stderr, "sgemm_bench: unknown option '%s'\n", f); return 2; }
    }
    if (clock_id == CLOCK_PROCESS_CPUTIME_ID && threads != 1) {
        fprintf(stderr, "sgemm_bench: --cpu-time needs --threads 1 (CPU time of several threads is not elapsed time)\n");
        return 2;
    }
    set_threads(threads);

    Shape shapes[] = {
        {tokens, ffn, hidden, 1, 0, 0, 0, 0},
        {tokens, hidden, ffn, 1, 0, 0, 0, 0},
        {tokens, hidden, hidden, 1, 0, 0, 0, 0},
        {16, ffn, hidden, 1, 0, 0, 0, 0},
        {16, hidden, hidden, 0, 0, 0, 0, 0},
    };
    int count = (int)(sizeof shapes / sizeof shapes[0]);
    double flops = 0, seconds = 0;
    int wrong = 0;
    for (int i = 0; i < count; i++) {
        measure(&shapes[i], nt, reps);
        wrong += shapes[i].wrong;
        if (shapes[i].in_summary) {
            flops += 2.0 * shapes[i].m * shapes[i].n * shapes[i].k;
            seconds += shapes[i].median_s;
        }
    }
    double peak = flops / seconds / 1e9;

    if (json) {
        printf("{\"blas\": \"%s\", \"kernel\": \"%s\", \"threads\": %d, \"trans\": \"%s\", "
               "\"reps\": %d, \"clock\": \"%s\", \"results_correct\": %s, \"sgemm_peak_gflops\": %.2f, \"shapes\": [",
               BLAS_NAME, kernel_name(), threads, nt ? "nt" : "nn", reps,
               clock_id == CLOCK_MONOTONIC ? "wall" : "cpu", wrong ? "false" : "true", peak);
        for (int i = 0; i < count; i++) {
            Shape *s = &shapes[i];
            double f = 2.0 * s->m * s->n * s->k / 1e9;
            printf("%s{\"m\": %d, \"n\": %d, \"k\": %d, \"median_gflops\": %.2f, "
                   "\"min_gflops\": %.2f, \"max_gflops\": %.2f}",
                   i ? ", " : "", s->m, s->n, s->k, f / s->median_s, f / s->max_s, f / s->min_s);
        }
        printf("]}\n");
    } else {
        printf("%s (%s), kernel %s, %d thread(s), %s, %d reps, %s time\n",
               BLAS_NAME, blas_version(), kernel_name(), threads, nt ? "A.B^T" : "A.B", reps,
               clock_id == CLOCK_MONOTONIC ? "wall" : "CPU");
        printf("%-16s %10s %10s %10s\n", "MxNxK", "median", "min", "max");
        for (int i = 0; i < count; i++) {
            Shape *s = &shapes[i];
            double f = 2.0 * s->m * s->n * s->k / 1e9;
            char name[48];
            snprintf(name, sizeof name, "%dx%dx%d", s->m, s->n, s->k);
            printf("%-16s %10.1f %10.1f %10.1f%s\n", name, f / s->median_s, f / s->max_s,
                   f / s->min_s, s->in_summary ? "" : "  (not in summary)");
        }
        printf("sgemm_peak_gflops %.1f\n", peak);
    }
    if (wrong) {
        fprintf(stderr, "sgemm_bench: %d sampled entries of C are WRONG: this kernel (%s) "
                "miscomputes on this CPU\n", wrong, kernel_name());
        return 3;
    }
    return 0;
}
