// core/cpu/blas_threads.hpp — pinning OpenBLAS to the calling thread. Debian's OpenMP build of
// OpenBLAS runs single-threaded inside a parallel region; outside one it uses
// omp_get_max_threads() threads and splits C by that number, and with some of its kernels an
// element's rounding depends on where the split falls (measured with OpenBLAS 0.3.21: sgemm of
// [64, 320] × [320, 50] differs between 1 and 2 threads with the Haswell and Prescott kernels).
// Kernels that want results independent of the thread count call GEMM under this guard when
// they are not already inside a region of their own (matmul.cpp, conv.cpp).
#pragma once
#ifdef _OPENMP
#include <omp.h>
#endif

namespace fulcrum::cpu {

// The setting is the calling thread's own and is put back on exit; `active = false` leaves it
// alone (for a caller that is about to open a parallel region of its own). (The fuzz build has
// no OpenMP: nothing to pin there.)
struct SingleThreadedBlas {
#ifdef _OPENMP
  explicit SingleThreadedBlas(bool active = true) : saved(active ? omp_get_max_threads() : 0) {
    if (saved > 0) omp_set_num_threads(1);
  }
  ~SingleThreadedBlas() {
    if (saved > 0) omp_set_num_threads(saved);
  }
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

private:
  int saved;  // 0 when not active
#else
  explicit SingleThreadedBlas(bool = true) {}
#endif
};

}  // namespace fulcrum::cpu
