#include "KernelBaseline.h"
#include <math.h>

void baseline_add(const float *a, const float *b, float *out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = a[i] + b[i];
}

void baseline_gelu(const float *x, float *out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
}

void baseline_layer_norm(const float *x, const float *w, const float *b, float *out,
                         size_t rows, size_t width, float eps) {
    for (size_t r = 0; r < rows; r++) {
        const float *xr = x + r * width;
        float *yr = out + r * width;
        float mean = 0;
        for (size_t j = 0; j < width; j++) mean += xr[j];
        mean /= (float)width;
        float var = 0;
        for (size_t j = 0; j < width; j++) var += (xr[j] - mean) * (xr[j] - mean);
        var /= (float)width;
        float rstd = 1.0f / sqrtf(var + eps);
        for (size_t j = 0; j < width; j++) yr[j] = (xr[j] - mean) * rstd * w[j] + b[j];
    }
}
