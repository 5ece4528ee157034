// bench/conv_bench.cpp — the CPU conv2d kernels (cpu::conv2d, cpu::conv2d_backward with dx, dw
// and db) timed per shape class of the models we train: ResNet-32 on CIFAR and the book's Net on
// MNIST, at 1 and 2 OpenMP threads, in f32. One line per shape and thread count:
//     fulcrum conv name=res16 batch=64 threads=1 fwd_ms=… fwd_cpu_ms=… fwd_gflops=… bwd_ms=… …
// The times are the fastest of REPEATS runs after a warm-up (the machine is shared; the minimum is
// the least noisy estimate): wall clock (ms, and GFLOP/s from it) and process CPU time (cpu_ms).
// FLOPs: forward 2·N·O·OH·OW·(C/G·kh·kw); backward twice that (dx and dw; db is not counted).
// bench/pytorch/conv_bench.py times torch the same way.
//   conv_bench [BATCH=64] [REPEATS=10] [THREADS...=1 2] [--only NAME] [--parts]
// --only times one shape class; --parts also times dx, dw and db alone (1 thread: CPU time).
#include <omp.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "bench/bench_args.hpp"
#include "core/cpu/kernels.hpp"
#include "fulcrum.hpp"

using namespace fulcrum;

namespace {

struct ConvShape {
  const char* name;
  int64_t channels, size, out_channels, kernel, stride, pad;
  bool resnet;  // ResNet shapes run at BATCH; the Net's at BATCH and at 256
};

// ResNet-32 (He et al. 2016, CIFAR variant) and the book's Net.
const std::vector<ConvShape> kShapes = {
    {"stem3to16", 3, 32, 16, 3, 1, 1, true},    // the stem, 32×32
    {"res16", 16, 32, 16, 3, 1, 1, true},       // stage 1: 16 ch at 32×32
    {"down16to32", 16, 32, 32, 3, 2, 1, true},  // stage transition, 3×3 stride 2
    {"proj16to32", 16, 32, 32, 1, 2, 0, true},  // projection shortcut, 1×1 stride 2
    {"res32", 32, 16, 32, 3, 1, 1, true},       // stage 2: 32 ch at 16×16
    {"down32to64", 32, 16, 64, 3, 2, 1, true},
    {"proj32to64", 32, 16, 64, 1, 2, 0, true},
    {"res64", 64, 8, 64, 3, 1, 1, true},        // stage 3: 64 ch at 8×8
    {"net_conv1", 1, 28, 10, 5, 1, 0, false},   // the Net: 1→10, 5×5 on 28×28
    {"net_conv2", 10, 12, 20, 5, 1, 0, false},  // 10→20, 5×5 on 12×12
};

Conv2dGeometry geometry(const ConvShape& s, int64_t batch) {
  Conv2dGeometry g;
  g.batch = batch;
  g.in_channels = s.channels;
  g.in_h = g.in_w = s.size;
  g.out_channels = s.out_channels;
  g.window = {s.kernel, s.kernel, s.stride, s.stride, s.pad, s.pad, 1, 1};
  g.out_h = g.out_w = window_output_size(s.size, s.kernel, s.stride, s.pad, 1, false);
  return g;
}

// The fastest of `repeats` runs after one warm-up run: wall-clock seconds, and seconds of CPU time
// of the whole process (at 1 thread the CPU time leaves out the time the run spent preempted by
// other processes, which on a loaded machine decides the wall-clock minimum of a 20 ms run).
struct Timing {
  double wall = 1e30, cpu = 1e30;
};
double process_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}
Timing best_time(const std::function<void()>& run, int repeats) {
  run();
  Timing best;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = process_seconds();
    run();
    best.cpu = std::min(best.cpu, process_seconds() - cpu_start);
    best.wall = std::min(best.wall, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

void bench_shape(const ConvShape& s, int64_t batch, int threads, int repeats, bool parts) {
  const Conv2dGeometry g = geometry(s, batch);
  Generator gen(7);
  Tensor x = randn({batch, s.channels, s.size, s.size}, {}, &gen);
  Tensor w = randn({s.out_channels, s.channels, s.kernel, s.kernel}, {}, &gen);
  Tensor b = randn({s.out_channels}, {}, &gen);
  Tensor y = empty({batch, s.out_channels, g.out_h, g.out_w});
  Tensor dy = randn(y.shape(), {}, &gen);
  Tensor dx = empty(x.shape()), dw = empty(w.shape()), db = empty(b.shape());
  omp_set_num_threads(threads);
  const Timing forward = best_time([&] { cpu::conv2d(x, w, b, g, y); }, repeats);
  const Timing backward = best_time([&] { cpu::conv2d_backward(dy, x, w, g, dx, dw, db); }, repeats);
  if (parts) {  // dx, dw and db alone
    const Timing dx_only = best_time([&] { cpu::conv2d_backward(dy, x, w, g, dx, Tensor(), Tensor()); }, repeats);
    const Timing dw_only = best_time([&] { cpu::conv2d_backward(dy, x, w, g, Tensor(), dw, Tensor()); }, repeats);
    const Timing db_only = best_time([&] { cpu::conv2d_backward(dy, x, w, g, Tensor(), Tensor(), db); }, repeats);
    std::printf("  parts %s dx_cpu_ms=%.3f dw_cpu_ms=%.3f db_cpu_ms=%.3f\n", s.name, dx_only.cpu * 1e3, dw_only.cpu * 1e3, db_only.cpu * 1e3);
  }
  const double flops = 2.0 * double(batch) * double(g.out_channels) * double(g.out_plane()) * double(g.patch_size());
  std::printf("fulcrum conv name=%s batch=%lld threads=%d fwd_ms=%.3f fwd_cpu_ms=%.3f fwd_gflops=%.2f "
              "bwd_ms=%.3f bwd_cpu_ms=%.3f bwd_gflops=%.2f\n",
              s.name, static_cast<long long>(batch), threads, forward.wall * 1e3, forward.cpu * 1e3,
              flops / forward.wall * 1e-9, backward.wall * 1e3, backward.cpu * 1e3, 2 * flops / backward.wall * 1e-9);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const char* usage = "conv_bench [BATCH=64] [REPEATS=10] [THREADS...=1 2] [--only NAME] [--parts]";
  std::vector<int64_t> numbers;
  std::string only;
  bool parts = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--parts") == 0) parts = true;
    else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
    else numbers.push_back(bench::parse_count(argv[i], "BATCH, REPEATS or THREADS", 1, 4096, usage));
  }
  const int64_t batch = numbers.size() > 0 ? numbers[0] : 64;
  const int repeats = numbers.size() > 1 ? static_cast<int>(numbers[1]) : 10;
  std::vector<int> thread_counts(numbers.size() > 2 ? numbers.begin() + 2 : numbers.end(), numbers.end());
  if (thread_counts.empty()) thread_counts = {1, 2};
  for (int threads : thread_counts)
    for (const ConvShape& s : kShapes) {
      if (!only.empty() && only != s.name) continue;
      bench_shape(s, batch, threads, repeats, parts);
      if (!s.resnet && batch != 256) bench_shape(s, 256, threads, repeats, parts);
    }
}
