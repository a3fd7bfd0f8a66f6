/* gemm_kernels_bench: mtl's AVX-512 product kernels (Sources/GemmKernels) against the system
 * OpenBLAS, one thread, on a transformer's shapes; and the products of one sentence with the
 * weights streamed from memory, as batch-1 encoding does. The tables in docs/PERFORMANCE.md
 * ("Matrix products") come from it.
 *
 * Build (from the repository root):
 *   clang -O3 -ffp-contract=off -ISources/GemmKernels/include $(pkg-config --cflags openblas) \
 *       -o .build/gemm_kernels_bench Scripts/gemm_kernels_bench.c Sources/GemmKernels/GemmKernels.c \
 *       $(pkg-config --libs openblas) -lpthread -lm
 * Usage:
 *   .build/gemm_kernels_bench                    GFLOP/s per shape: A·Bᵀ, A·B, Aᵀ·B; mtl vs OpenBLAS
 *   .build/gemm_kernels_bench --sentence H M T   ms per "sentence": the six products of each of 6
 *                                                layers (hidden H, FFN 4H, M rows) on T threads,
 *                                                every weight distinct (so streamed from memory)
 * Each mtl result is also checked against OpenBLAS's (largest difference printed). */
#include "GemmKernels.h"
#include <cblas.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static void fill(float *x, long n) { for (long i = 0; i < n; i++) x[i] = (float)(rand() % 2001) / 1000.0f - 1.0f; }
// 64-byte aligned, as mtl's tensor storage is (an unaligned 512-bit load touches two lines).
static float *floats(long n) { return aligned_alloc(64, ((size_t)n * 4 + 63) / 64 * 64); }
static double max_diff(const float *x, const float *y, long n) {
    double d = 0; for (long i = 0; i < n; i++) d = fmax(d, fabs((double)x[i] - y[i])); return d;
}

static void shapes(void) {
    long list[][3] = {{16, 1536, 384}, {16, 384, 1536}, {16, 384, 384}, {272, 1536, 384}, {272, 384, 1536},
                      {512, 1536, 384}, {16, 768, 3072}, {272, 768, 3072}, {3, 384, 384}};
    printf("M×N×K          A·Bᵀ blas   mtl  | A·B blas   mtl  | Aᵀ·B blas   mtl  | max |diff|\n");
    for (unsigned s = 0; s < sizeof list / sizeof list[0]; s++) {
        long m = list[s][0], n = list[s][1], k = list[s][2];
        float *a = floats(m * k), *b = floats(n * k), *c = floats(m * n), *d = floats(m * n);
        fill(a, m * k); fill(b, n * k);
        int reps = (int)(2e9 / (2.0 * m * n * k)) + 1;
        double f = 2.0 * m * n * k / 1e9, g[6], diff = 0;
        for (int form = 0; form < 3; form++) {
            // form 0: C = A·Bᵀ (B stored n×k); 1: C = A·B (B stored k×n); 2: C = Aᵀ·B (A stored k×m)
            enum CBLAS_TRANSPOSE ta = form == 2 ? CblasTrans : CblasNoTrans, tb = form == 0 ? CblasTrans : CblasNoTrans;
            long lda = form == 2 ? m : k, ldb = form == 0 ? k : n;
            cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1, a, lda, b, ldb, 0, c, n);
            double t0 = now();
            for (int r = 0; r < reps; r++) cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1, a, lda, b, ldb, 0, c, n);
            g[2 * form] = f / ((now() - t0) / reps);
            t0 = now();
            for (int r = 0; r < reps; r++) {
                if (form == 0) mtl_gemm_nt_avx512(m, 0, n, k, a, k, b, k, d, n, 0);
                else mtl_gemm_nn_avx512(0, m, 0, n, k, a, form == 2 ? 1 : k, form == 2 ? m : 1, b, n, d, n, 0);
            }
            g[2 * form + 1] = f / ((now() - t0) / reps);
            diff = fmax(diff, max_diff(c, d, m * n));
        }
        printf("%4ld×%4ld×%4ld  %6.1f %6.1f | %6.1f %6.1f | %6.1f %6.1f | %.1e\n", m, n, k, g[0], g[1], g[2], g[3], g[4], g[5], diff);
        free(a); free(b); free(c); free(d);
    }
}

enum { LAYERS = 6, PRODUCTS = 6, SENTENCES = 40 };
static long sizes[PRODUCTS][2];              // rows of W (outputs), columns (inputs)
static float *weights[LAYERS][PRODUCTS], *x, *y;
static long rows, threads;
static _Atomic long arrived;

static void *run(void *arg) {
    long t = (long)arg, phase = 0;
    for (int s = 0; s < SENTENCES; s++)
        for (int l = 0; l < LAYERS; l++)
            for (int q = 0; q < PRODUCTS; q++) {
                long n = sizes[q][0], k = sizes[q][1], groups = (n + 3) / 4;
                long j0 = 4 * (groups * t / threads), j1 = 4 * (groups * (t + 1) / threads);
                mtl_gemm_nt_avx512(rows, j0, j1 < n ? j1 : n, k, x, k, weights[l][q], k, y, n, 0);
                long target = (++phase) * threads;  // a spinning barrier between products
                atomic_fetch_add(&arrived, 1);
                while (atomic_load(&arrived) < target) {}
            }
    return 0;
}

static void sentence(long h, long m, long t) {
    long f = 4 * h, list[PRODUCTS][2] = {{h, h}, {h, h}, {h, h}, {h, h}, {f, h}, {h, f}};
    memcpy(sizes, list, sizeof list);
    rows = m; threads = t < 1 ? 1 : t > 8 ? 8 : t;
    for (int l = 0; l < LAYERS; l++)
        for (int q = 0; q < PRODUCTS; q++) {
            weights[l][q] = floats(sizes[q][0] * sizes[q][1]);
            fill(weights[l][q], sizes[q][0] * sizes[q][1]);
        }
    x = floats(m * f); y = floats(m * f); fill(x, m * f);
    for (int rep = 0; rep < 3; rep++) {
        atomic_store(&arrived, 0);
        pthread_t helpers[8];
        double t0 = now();
        for (long i = 1; i < threads; i++) pthread_create(&helpers[i], 0, run, (void *)i);
        run(0);
        for (long i = 1; i < threads; i++) pthread_join(helpers[i], 0);
        printf("hidden %ld, %ld rows, %ld threads: %.3f ms per sentence (%.1f MB of weights)\n", h, m, threads,
               (now() - t0) / SENTENCES * 1e3, LAYERS * (4.0 * h * h + 2.0 * h * f) * 4 / 1e6);
    }
}

int main(int argc, char **argv) {
    if (!mtl_gemm_avx512_available()) { fprintf(stderr, "gemm_kernels_bench: this CPU has no AVX-512F\n"); return 1; }
    openblas_set_num_threads(1);
    if (argc == 5 && strcmp(argv[1], "--sentence") == 0) sentence(atol(argv[2]), atol(argv[3]), atol(argv[4]));
    else if (argc == 1) shapes();
    else { fprintf(stderr, "usage: gemm_kernels_bench [--sentence HIDDEN ROWS THREADS]\n"); return 2; }
    return 0;
}
