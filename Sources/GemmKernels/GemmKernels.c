// AVX-512 matrix-product kernels without packing: see include/GemmKernels.h for the contract.
//
// Compiled with -ffp-contract=off (Package.swift) so that the only fused multiply-adds are the
// explicit ones: the edge paths (plain C) and the vector paths then round identically.

#include "GemmKernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))

#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f")))
#define INLINE static inline __attribute__((always_inline))

int mtl_gemm_avx512_available(void) {
    // Checks the CPUID bit and that the OS saves the 512-bit registers (XCR0), as libgcc and
    // compiler-rt both do for "avx512f".
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? 1 : 0;
}

static inline long min_long(long x, long y) { return x < y ? x : y; }

// MARK: - A·Bᵀ: dot products along contiguous rows

// The per-128-bit-lane sums of four vectors: lane L of the result holds, in order, the sums of
// lane L of v0, v1, v2, v3 (two unpack/add rounds, one shuffle/add round).
AVX512 INLINE __m512 lane_sums4(__m512 v0, __m512 v1, __m512 v2, __m512 v3) {
    __m512 s01 = _mm512_add_ps(_mm512_unpacklo_ps(v0, v1), _mm512_unpackhi_ps(v0, v1));
    __m512 s23 = _mm512_add_ps(_mm512_unpacklo_ps(v2, v3), _mm512_unpackhi_ps(v2, v3));
    return _mm512_add_ps(_mm512_shuffle_ps(s01, s23, _MM_SHUFFLE(1, 0, 1, 0)),
                         _mm512_shuffle_ps(s01, s23, _MM_SHUFFLE(3, 2, 3, 2)));
}

// The 16 horizontal sums of a 4×4 block of accumulators in one vector: 128-bit lane r holds
// row r's four sums, columns in order. Each sum's tree depends only on its own accumulator.
AVX512 INLINE __m512 block_sums(__m512 acc[4][4]) {
    __m512 q0 = lane_sums4(acc[0][0], acc[0][1], acc[0][2], acc[0][3]);
    __m512 q1 = lane_sums4(acc[1][0], acc[1][1], acc[1][2], acc[1][3]);
    __m512 q2 = lane_sums4(acc[2][0], acc[2][1], acc[2][2], acc[2][3]);
    __m512 q3 = lane_sums4(acc[3][0], acc[3][1], acc[3][2], acc[3][3]);
    __m512 r01 = _mm512_add_ps(_mm512_shuffle_f32x4(q0, q1, _MM_SHUFFLE(1, 0, 1, 0)),
                               _mm512_shuffle_f32x4(q0, q1, _MM_SHUFFLE(3, 2, 3, 2)));
    __m512 r23 = _mm512_add_ps(_mm512_shuffle_f32x4(q2, q3, _MM_SHUFFLE(1, 0, 1, 0)),
                               _mm512_shuffle_f32x4(q2, q3, _MM_SHUFFLE(3, 2, 3, 2)));
    return _mm512_add_ps(_mm512_shuffle_f32x4(r01, r23, _MM_SHUFFLE(2, 0, 2, 0)),
                         _mm512_shuffle_f32x4(r01, r23, _MM_SHUFFLE(3, 1, 3, 1)));
}

// Dot products of 4 rows of A with 4 rows of B over k, 16 lanes at a time (the last step
// masked), then reduced: see block_sums for the layout. Each step also asks for the next cache
// line of the first `prefetch` rows of `pf` (rows of B needed soon), so that streaming weights
// from memory overlaps the arithmetic: with few rows of A (one sentence) the products are
// otherwise bound by memory latency, not bandwidth.
AVX512 INLINE __m512 nt_block(const float *const ap[4], const float *const bp[4], long k,
                              int prefetch, const float *const pf[4]) {
    __m512 acc[4][4];
    for (int r = 0; r < 4; r++)
        for (int s = 0; s < 4; s++) acc[r][s] = _mm512_setzero_ps();
    long p = 0;
    for (; p + 16 <= k; p += 16) {
        for (int s = 0; s < prefetch; s++) _mm_prefetch((const char *)(pf[s] + p), _MM_HINT_T0);
        __m512 bv[4];
        for (int s = 0; s < 4; s++) bv[s] = _mm512_loadu_ps(bp[s] + p);
        for (int r = 0; r < 4; r++) {
            __m512 av = _mm512_loadu_ps(ap[r] + p);
            for (int s = 0; s < 4; s++) acc[r][s] = _mm512_fmadd_ps(av, bv[s], acc[r][s]);
        }
    }
    if (p < k) {
        __mmask16 mask = (__mmask16)((1u << (k - p)) - 1);
        __m512 bv[4];
        for (int s = 0; s < 4; s++) bv[s] = _mm512_maskz_loadu_ps(mask, bp[s] + p);
        for (int r = 0; r < 4; r++) {
            __m512 av = _mm512_maskz_loadu_ps(mask, ap[r] + p);
            for (int s = 0; s < 4; s++) acc[r][s] = _mm512_fmadd_ps(av, bv[s], acc[r][s]);
        }
    }
    return block_sums(acc);
}

AVX512 INLINE void store4(float *c, __m128 sums, float beta) {
    if (beta != 0) sums = _mm_add_ps(sums, _mm_mul_ps(_mm_loadu_ps(c), _mm_set1_ps(beta)));
    _mm_storeu_ps(c, sums);
}

// Writes a block's sums (block_sums layout) to the rows × cols corner of C at `c`.
AVX512 INLINE void store_block(float *c, long ldc, long rows, long cols, __m512 sums, float beta) {
    if (rows == 4 && cols == 4) {
        store4(c, _mm512_extractf32x4_ps(sums, 0), beta);
        store4(c + ldc, _mm512_extractf32x4_ps(sums, 1), beta);
        store4(c + 2 * ldc, _mm512_extractf32x4_ps(sums, 2), beta);
        store4(c + 3 * ldc, _mm512_extractf32x4_ps(sums, 3), beta);
        return;
    }
    float t[16];
    _mm512_storeu_ps(t, sums);
    for (long r = 0; r < rows; r++)
        for (long s = 0; s < cols; s++) {
            float *x = c + r * ldc + s;
            *x = beta != 0 ? t[r * 4 + s] + *x * beta : t[r * 4 + s];
        }
}

// Reductions longer than NT_CHUNK_LIMIT run in chunks of at most NT_CHUNK (a multiple of 16),
// their sums added in order: 4 rows of B and 4 of A (4 × k floats each) then fit in the 48 KB
// L1 together. Unchunked, k = 3072 ran at 152 GFLOP/s against 190–230 for k ≤ 768 (one thread).
enum { NT_CHUNK_LIMIT = 1024, NT_CHUNK = 768, NT_MAX_ROWS = 128 };

AVX512 void mtl_gemm_nt_avx512(long m, long j0, long j1, long k,
                               const float *a, long lda, const float *b, long ldb,
                               float *c, long ldc, float beta) {
    if (m <= 0 || j1 <= j0) return;
    long chunks = k > NT_CHUNK_LIMIT ? (k + NT_CHUNK - 1) / NT_CHUNK : 1;
    long kc = chunks == 1 ? k : (((k + chunks - 1) / chunks + 15) & ~15L);
    // Rows of A per pass, so that a pass's A (mc × kc floats) stays in the 1 MB L2 while every
    // 4-row group of B is run past it; B's group (4 × kc) stays in L1 across the pass.
    long mc = (65536 / (kc > 0 ? kc : 1)) & ~3L;
    if (mc < 4) mc = 4;
    if (mc > NT_MAX_ROWS) mc = NT_MAX_ROWS;
    __m512 partial[NT_MAX_ROWS / 4];  // a pass's sums over the chunks so far, one per 4 rows
    for (long i0 = 0; i0 < m; i0 += mc) {
        long i1 = min_long(m, i0 + mc);
        for (long j = j0; j < j1; j += 4) {
            // Past the edge, rows are repeated (computed, not stored): every element then goes
            // through the same instructions wherever it lies.
            const float *bp[4], *pf[4];
            long cols = min_long(4, j1 - j);
            for (long k0 = 0; k0 < k; k0 += kc) {
                long kk = min_long(kc, k - k0);
                for (int s = 0; s < 4; s++) bp[s] = b + min_long(j + s, j1 - 1) * ldb + k0;
                // The group after next: prefetched while this group is in use.
                for (int s = 0; s < 4; s++) pf[s] = b + min_long(j + 8 + s, j1 - 1) * ldb + k0;
                for (long i = i0; i < i1; i += 4) {
                    const float *ap[4];
                    for (int r = 0; r < 4; r++) ap[r] = a + min_long(i + r, m - 1) * lda + k0;
                    // Short rows (k ≤ 512): row block b < 4 prefetches row b of the group
                    // after next, spread over the first four blocks (MiniLM, batch 1, 2
                    // threads: 568–621 → 681–731 sentences/s); longer rows: the first block
                    // prefetches all four (spread, DistilBERT's lost 5%).
                    long block = (i - i0) / 4;
                    __m512 sums;
                    if (kk <= 512)
                        sums = block < 4 ? nt_block(ap, bp, kk, 1, &pf[block]) : nt_block(ap, bp, kk, 0, pf);
                    else
                        sums = block == 0 ? nt_block(ap, bp, kk, 4, pf) : nt_block(ap, bp, kk, 0, pf);
                    if (chunks == 1)
                        store_block(c + i * ldc + j, ldc, min_long(4, m - i), cols, sums, beta);
                    else
                        partial[(i - i0) / 4] = k0 == 0 ? sums : _mm512_add_ps(partial[(i - i0) / 4], sums);
                }
            }
            if (chunks > 1)
                for (long i = i0; i < i1; i += 4)
                    store_block(c + i * ldc + j, ldc, min_long(4, m - i), cols, partial[(i - i0) / 4], beta);
        }
    }
}

// MARK: - A·B: broadcast A's elements against contiguous rows of B

enum { NN_ROWS = 6, NN_VECTORS = 4 };

// C rows ap[0..5] × `nv` vectors of 16 columns (the last one masked) accumulated over k:
// acc[r][v] += A(r, p) · B[p][16v..16v+15], p in order.
AVX512 INLINE void nn_block(int nv, const float *const ap[NN_ROWS], long aps, const float *b, long ldb,
                            long k, __mmask16 last, __m512 acc[NN_ROWS][NN_VECTORS]) {
    for (int r = 0; r < NN_ROWS; r++)
        for (int v = 0; v < nv; v++) acc[r][v] = _mm512_setzero_ps();
    for (long p = 0; p < k; p++) {
        const float *bp = b + p * ldb;
        __m512 bv[NN_VECTORS];
        for (int v = 0; v < nv; v++)
            bv[v] = v == nv - 1 ? _mm512_maskz_loadu_ps(last, bp + 16 * v) : _mm512_loadu_ps(bp + 16 * v);
        for (int r = 0; r < NN_ROWS; r++) {
            __m512 av = _mm512_set1_ps(ap[r][p * aps]);
            for (int v = 0; v < nv; v++) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
        }
    }
}

AVX512 INLINE void nn_store(int nv, float *c, long ldc, long rows, __mmask16 last, float beta,
                            __m512 acc[NN_ROWS][NN_VECTORS]) {
    for (long r = 0; r < rows; r++) {
        float *cr = c + r * ldc;
        for (int v = 0; v < nv; v++) {
            __mmask16 mask = v == nv - 1 ? last : (__mmask16)0xFFFF;
            __m512 x = acc[r][v];
            if (beta != 0)
                x = _mm512_add_ps(x, _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, cr + 16 * v), _mm512_set1_ps(beta)));
            _mm512_mask_storeu_ps(cr + 16 * v, mask, x);
        }
    }
}

// Reductions longer than NN_CHUNK_LIMIT run in chunks of at most NN_CHUNK, each chunk's sums
// added to C in order: a 64-column panel of B over the whole reduction (k × 256 bytes) is then
// at most 256 KB and stays in L2 while every block of rows runs past it. Unchunked, a panel of
// k = 3072 (DistilBERT's FFN, backward) came from L3 for every 6 rows: 120 GFLOP/s, below
// OpenBLAS's 126.
enum { NN_CHUNK_LIMIT = 1536, NN_CHUNK = 1024 };

AVX512 void mtl_gemm_nn_avx512(long i0, long i1, long j0, long j1, long k,
                               const float *a, long ars, long aps, const float *b, long ldb,
                               float *c, long ldc, float beta) {
    if (i1 <= i0 || j1 <= j0) return;
    long chunks = k > NN_CHUNK_LIMIT ? (k + NN_CHUNK - 1) / NN_CHUNK : 1;
    long kc = (k + chunks - 1) / chunks;
    __m512 acc[NN_ROWS][NN_VECTORS];
    for (long j = j0; j < j1; j += 16 * NN_VECTORS) {
        long cols = min_long(16 * NN_VECTORS, j1 - j);
        int nv = (int)((cols + 15) / 16);
        long tail = cols - 16 * (nv - 1);
        __mmask16 last = (__mmask16)(tail == 16 ? 0xFFFF : (1u << tail) - 1);
        for (long k0 = 0; k0 < k; k0 += kc) {
            long kk = min_long(kc, k - k0);
            const float *bk = b + k0 * ldb + j;
            float bt = k0 == 0 ? beta : 1.0f;  // later chunks add to what the earlier ones wrote
            for (long i = i0; i < i1; i += NN_ROWS) {
                // Past the last row, the last row is repeated (computed, not stored).
                const float *ap[NN_ROWS];
                for (int r = 0; r < NN_ROWS; r++) ap[r] = a + min_long(i + r, i1 - 1) * ars + k0 * aps;
                // A constant vector count per call, so each case is unrolled into registers.
                switch (nv) {
                case 4: nn_block(4, ap, aps, bk, ldb, kk, last, acc); break;
                case 3: nn_block(3, ap, aps, bk, ldb, kk, last, acc); break;
                case 2: nn_block(2, ap, aps, bk, ldb, kk, last, acc); break;
                default: nn_block(1, ap, aps, bk, ldb, kk, last, acc); break;
                }
                nn_store(nv, c + i * ldc + j, ldc, min_long(NN_ROWS, i1 - i), last, bt, acc);
            }
        }
    }
}

#else

// Other architectures: never available, so callers use the BLAS.
int mtl_gemm_avx512_available(void) { return 0; }
void mtl_gemm_nt_avx512(long m, long j0, long j1, long k, const float *a, long lda, const float *b,
                        long ldb, float *c, long ldc, float beta) {
    (void)m; (void)j0; (void)j1; (void)k; (void)a; (void)lda; (void)b; (void)ldb; (void)c; (void)ldc; (void)beta;
}
void mtl_gemm_nn_avx512(long i0, long i1, long j0, long j1, long k, const float *a, long ars, long aps,
                        const float *b, long ldb, float *c, long ldc, float beta) {
    (void)i0; (void)i1; (void)j0; (void)j1; (void)k; (void)a; (void)ars; (void)aps; (void)b; (void)ldb;
    (void)c; (void)ldc; (void)beta;
}

#endif
