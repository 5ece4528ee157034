// bench/sgemm_peak.cpp — the machine's practical f32 peak, measured as OpenBLAS's cblas_sgemm on
// square N×N matrices (C = A·B: 2·N³ FLOPs) at the thread count OpenMP gives it
// (OMP_NUM_THREADS), best of REPEATS calls after one warm-up call. bench/compare_pytorch divides
// the training GFLOP/s by it. It also names the OpenBLAS kernel set in use. One line:
//     openblas_core=Haswell threads=1 sgemm_n=1024 gflops=95.3
//   sgemm_peak [N=1024] [REPEATS=10]
#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "bench/bench_args.hpp"

int main(int argc, char** argv) {
  const char* usage = "sgemm_peak [N=1024] [REPEATS=10]";
  const int n = argc > 1 ? static_cast<int>(fulcrum::bench::parse_count(argv[1], "N", 16, 16384, usage)) : 1024;
  const int repeats = argc > 2 ? static_cast<int>(fulcrum::bench::parse_count(argv[2], "REPEATS", 1, 1000, usage)) : 10;
  const size_t elements = static_cast<size_t>(n) * static_cast<size_t>(n);
  std::vector<float> a(elements), b(elements), c(elements);
  for (size_t i = 0; i < elements; ++i) {  // fixed values in [−1, 1): no denormals, no NaN
    a[i] = static_cast<float>(static_cast<int>(i % 97) - 48) / 48.0f;
    b[i] = static_cast<float>(static_cast<int>(i % 89) - 44) / 44.0f;
  }
  auto sgemm = [&] {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);
  };
  sgemm();  // warm-up: thread start, page faults
  double best = 1e30;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    sgemm();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::printf("openblas_core=%s threads=%d sgemm_n=%d gflops=%.1f\n", openblas_get_corename(), openblas_get_num_threads(),
              n, 2.0 * n * n * static_cast<double>(n) / best / 1e9);
  return 0;
}
