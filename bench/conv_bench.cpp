// bench/conv_bench.cpp — the CPU conv2d kernels (cpu::conv2d, cpu::conv2d_backward with dx, dw
// and db) timed per shape class of the models we train: ResNet-32 on CIFAR and the book's Net on
// MNIST, at 1 and 2 OpenMP threads, in f32. One line per shape and thread count:
//     fulcrum conv name=res16 threads=1 fwd_ms=… fwd_gflops=… bwd_ms=… bwd_gflops=…
// The time is the fastest of REPEATS runs after a warm-up (the machine is shared; the minimum is
// the least noisy estimate). FLOPs: forward 2·N·O·OH·OW·(C/G·kh·kw); backward twice that (dx and
// dw, one GEMM each; db is not counted). bench/pytorch/conv_bench.py times torch the same way.
//   conv_bench [BATCH=64] [REPEATS=10] [THREADS...=1 2]
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
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

// The fastest of `repeats` runs, in seconds, after one warm-up run.
double best_time(const std::function<void()>& run, int repeats) {
  run();
  double best = 1e30;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    run();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

void bench_shape(const ConvShape& s, int64_t batch, int threads, int repeats) {
  const Conv2dGeometry g = geometry(s, batch);
  Generator gen(7);
  Tensor x = randn({batch, s.channels, s.size, s.size}, {}, &gen);
  Tensor w = randn({s.out_channels, s.channels, s.kernel, s.kernel}, {}, &gen);
  Tensor b = randn({s.out_channels}, {}, &gen);
  Tensor y = empty({batch, s.out_channels, g.out_h, g.out_w});
  Tensor dy = randn(y.shape(), {}, &gen);
  Tensor dx = empty(x.shape()), dw = empty(w.shape()), db = empty(b.shape());
  omp_set_num_threads(threads);
  const double forward = best_time([&] { cpu::conv2d(x, w, b, g, y); }, repeats);
  const double backward = best_time([&] { cpu::conv2d_backward(dy, x, w, g, dx, dw, db); }, repeats);
  const double flops = 2.0 * double(batch) * double(g.out_channels) * double(g.out_plane()) * double(g.patch_size());
  std::printf("fulcrum conv name=%s batch=%lld threads=%d fwd_ms=%.3f fwd_gflops=%.2f bwd_ms=%.3f bwd_gflops=%.2f\n",
              s.name, static_cast<long long>(batch), threads, forward * 1e3, flops / forward * 1e-9, backward * 1e3,
              2 * flops / backward * 1e-9);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const char* usage = "conv_bench [BATCH=64] [REPEATS=10] [THREADS...=1 2]";
  const int64_t batch = argc > 1 ? bench::parse_count(argv[1], "BATCH", 1, 4096, usage) : 64;
  const int repeats = argc > 2 ? static_cast<int>(bench::parse_count(argv[2], "REPEATS", 1, 10000, usage)) : 10;
  std::vector<int> thread_counts;
  for (int i = 3; i < argc; ++i) thread_counts.push_back(static_cast<int>(bench::parse_count(argv[i], "THREADS", 1, 256, usage)));
  if (thread_counts.empty()) thread_counts = {1, 2};
  for (int threads : thread_counts)
    for (const ConvShape& s : kShapes) {
      bench_shape(s, batch, threads, repeats);
      if (!s.resnet && batch != 256) bench_shape(s, 256, threads, repeats);
    }
}
