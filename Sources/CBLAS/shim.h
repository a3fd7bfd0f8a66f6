// OpenBLAS's CBLAS interface (Debian: libopenblas-dev). Swapping the BLAS is a change here
// and in Scripts/bootstrap only.
#include <cblas.h>

// OpenBLAS's thread-server entry points (exported by libopenblas, not declared in cblas.h),
// used by `ComputeThreads` to shorten how long idle BLAS workers spin (OPENBLAS_THREAD_TIMEOUT
// is otherwise read only when the library loads): re-read the environment, stop the workers,
// start them again with the new timeout. Source: OpenBLAS driver/others/blas_server.c,
// openblas_env.c (0.3.x).
void openblas_read_env(void);
int blas_thread_init(void);
int blas_thread_shutdown_(void);
