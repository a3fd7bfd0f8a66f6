// OpenBLAS's CBLAS interface (Debian: libopenblas-dev). Swapping the BLAS is a change here
// and in Scripts/bootstrap only.
#include <cblas.h>
