#ifndef MTL_GEMM_KERNELS_H
#define MTL_GEMM_KERNELS_H

// AVX-512 single-precision matrix-product kernels that read both operands in place (no packing).
//
// Why they exist: the OpenBLAS that Debian ships runs its AVX2 kernels here (the environment pins
// OPENBLAS_CORETYPE=Haswell) and packs the weight matrix on every call. For the products of a
// transformer on one sentence (16 rows × 384 × 1536) packing took a third of the time, and the
// AVX2 kernels reach half of what this CPU's 512-bit FMAs can do (docs/PERFORMANCE.md).
//
// Each function computes a rectangle of C, so callers split the work across threads by giving
// each thread its own columns (or rows). Every element of C is computed by the same sequence of
// operations wherever it lies in the rectangle, so results never depend on how work was split.
// Call them only when mtl_gemm_avx512_available() returns 1.

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU and the operating system support the AVX-512F kernels below, else 0.
int mtl_gemm_avx512_available(void);

/// "A·Bᵀ": for i in [0, m), j in [j0, j1):
///   C[i·ldc + j] = Σ_{p<k} A[i·lda + p] · B[j·ldb + p]  (+ beta · C[i·ldc + j] when beta ≠ 0).
/// Both operands' rows are contiguous along the reduction (a linear layer's x and W).
void mtl_gemm_nt_avx512(long m, long j0, long j1, long k,
                        const float *a, long lda, const float *b, long ldb,
                        float *c, long ldc, float beta);

/// "A·B" with B's rows contiguous: for i in [i0, i1), j in [j0, j1):
///   C[i·ldc + j] = Σ_{p<k} A[i·ars + p·aps] · B[p·ldb + j]  (+ beta · C[i·ldc + j] when beta ≠ 0).
/// A is read element by element through its two strides, so it may be stored either way round.
void mtl_gemm_nn_avx512(long i0, long i1, long j0, long j1, long k,
                        const float *a, long ars, long aps, const float *b, long ldb,
                        float *c, long ldc, float beta);

#ifdef __cplusplus
}
#endif

#endif
