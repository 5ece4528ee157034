// bench/net_throughput.cpp — the Fulcrum side of bench/compare_pytorch: the book's Net
// (examples/book_net.hpp) trained with SGD (lr 0.01, momentum 0.5) and nll_loss on random
// 28×28 inputs — warm-up steps, then timed steps — at batch 64 and 256, and inference (eval,
// no grad) at batch 1000, exactly as bench/pytorch/net_throughput.py does. One line each, and the
// run's peak resident memory:
//     fulcrum train batch=64 samples_per_s=7512.3
//     fulcrum peak_rss_mib=45.2
// With --profile, also a per-op table of where a batch-64 training step spends its time.
//   net_throughput [STEPS=200] [--profile]
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), whose Net is that of chapters 6 and 8.
#include <omp.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "bench/bench_args.hpp"
#include "bench/bench_measure.hpp"
#include "core/profiler.hpp"
#include "core/runtime.hpp"
#include "examples/book_net.hpp"

using namespace fulcrum;

int main(int argc, char** argv) {
  const char* usage = "net_throughput [STEPS=200] [--profile]";
  int steps = 200;
  bool profile = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--profile") == 0) profile = true;
    else steps = static_cast<int>(bench::parse_count(argv[i], "STEPS", 1, 1000000, usage));
  }
  // The header: what ran (compare_pytorch reads only the "fulcrum …" lines below).
  std::printf("# threads=%d blas_core=%s\n", omp_get_max_threads(), blas_core_name().c_str());
  manual_seed(0);
  examples::BookNet model;
  optim::SGD optimizer(model.parameters(), {.lr = 0.01, .momentum = 0.5});
  for (int64_t batch : {64, 256}) {
    Tensor x = randn({batch, 1, 28, 28});
    Tensor y = randint(0, 10, {batch});
    auto step = [&] {
      optimizer.zero_grad();
      Tensor loss = nll_loss(model(x), y);
      loss.backward();
      optimizer.step();
    };
    const int n = batch == 64 ? steps : std::max(steps / 4, 10);
    const double seconds = bench::time_steps(step, n, 10);
    std::printf("fulcrum train batch=%lld samples_per_s=%.1f\n", static_cast<long long>(batch), batch * n / seconds);
    std::fflush(stdout);
    if (profile && batch == 64) {
      profiler::enable(true);
      bench::time_steps(step, 50, 0);
      profiler::enable(false);
      std::printf("per-op profile of 50 training steps at batch 64 (backward:* rows include the kernels "
                  "they call):\n%s", profiler::report().c_str());
    }
  }
  model.eval();
  Tensor x = randn({1000, 1, 28, 28});
  const int n = std::max(steps / 10, 5);
  const double seconds = bench::time_steps([&] { NoGradGuard no_grad; model(x); }, n, 2);
  std::printf("fulcrum infer batch=1000 samples_per_s=%.1f\n", 1000.0 * n / seconds);
  std::printf("fulcrum peak_rss_mib=%.1f\n", bench::peak_rss_mib());  // of the whole run
  return 0;
}
