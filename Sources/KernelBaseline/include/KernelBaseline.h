// Plain C loops used only as the baseline of `mtl bench --kernels`: the speed a straightforward
// single-threaded C implementation reaches at -O2, to compare the tensor engine against.
#ifndef KERNEL_BASELINE_H
#define KERNEL_BASELINE_H

#include <stddef.h>

/// out[i] = a[i] + b[i]
void baseline_add(const float *a, const float *b, float *out, size_t n);

/// out[i] = 0.5·x·(1 + erf(x/√2))
void baseline_gelu(const float *x, float *out, size_t n);

/// Layer norm over rows of `width`: (x − mean)/√(var + eps)·w + b.
void baseline_layer_norm(const float *x, const float *w, const float *b, float *out,
                         size_t rows, size_t width, float eps);

#endif
