// bench/resnet_throughput.cpp — the Fulcrum side of bench/compare_pytorch's ResNet rows: the CIFAR
// ResNet-32 (nn/models/resnet.hpp, projection shortcuts) trained with SGD (lr 0.1, momentum 0.9,
// weight decay 5e-4, LDAM-DRW's settings) and cross-entropy on random [B, 3, 32, 32] images and
// random labels of 10 classes — 2 warm-up steps, then STEPS timed steps — exactly as
// bench/pytorch/resnet_throughput.py does. One line:
//     fulcrum resnet32 train batch=64 samples_per_s=41.2 gflop_per_sample=0.4147 peak_rss_mib=180.3
// gflop_per_sample counts a training step as 3× the forward's conv and linear FLOPs (resnet_flops.hpp).
// With --profile, also a per-op table of where 2 more training steps spend their time.
//   resnet_throughput BATCH [STEPS=10] [DEPTH=32] [--profile]
#include <cstdio>
#include <cstring>
#include <vector>

#include "bench/bench_args.hpp"
#include "bench/bench_measure.hpp"
#include "bench/resnet_flops.hpp"
#include "core/profiler.hpp"
#include "fulcrum.hpp"

using namespace fulcrum;

int main(int argc, char** argv) {
  const char* usage = "resnet_throughput BATCH [STEPS=10] [DEPTH=32] [--profile]";
  bool profile = false;
  std::vector<const char*> counts;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--profile") == 0) profile = true;
    else counts.push_back(argv[i]);
  }
  if (counts.empty() || counts.size() > 3) {
    std::fprintf(stderr, "usage: %s\n", usage);
    return 2;
  }
  const int64_t batch = bench::parse_count(counts[0], "BATCH", 1, 100000, usage);
  const int steps = counts.size() > 1 ? static_cast<int>(bench::parse_count(counts[1], "STEPS", 1, 100000, usage)) : 10;
  const int64_t depth = counts.size() > 2 ? bench::parse_count(counts[2], "DEPTH", 8, 1202, usage) : 32;
  if ((depth - 2) % 6 != 0) {
    std::fprintf(stderr, "DEPTH must be 6n + 2 (8, 20, 32, 44, 56, 110), got %lld\n", static_cast<long long>(depth));
    return 2;
  }
  manual_seed(0);
  const nn::models::ResNetOptions options = {.depth = depth, .num_classes = 10};
  nn::models::ResNet model(options);
  optim::SGD optimizer(model.parameters(), {.lr = 0.1, .momentum = 0.9, .weight_decay = 5e-4});
  const Tensor x = randn({batch, 3, 32, 32});
  const Tensor y = randint(0, 10, {batch});
  auto step = [&] {
    optimizer.zero_grad();
    Tensor loss = cross_entropy(model(x), y);
    loss.backward();
    optimizer.step();
  };
  const double seconds = bench::time_steps(step, steps, /*warmup=*/2);
  std::printf("fulcrum resnet%lld train batch=%lld samples_per_s=%.2f gflop_per_sample=%.4f peak_rss_mib=%.1f\n",
              static_cast<long long>(depth), static_cast<long long>(batch), static_cast<double>(batch) * steps / seconds,
              bench::resnet_training_flops(options, 32, 32) / 1e9, bench::peak_rss_mib());
  if (profile) {
    std::fflush(stdout);
    profiler::enable(true);
    bench::time_steps(step, 2, 0);
    profiler::enable(false);
    std::printf("per-op profile of 2 training steps (backward:* rows include the kernels they call):\n%s",
                profiler::report().c_str());
  }
  return 0;
}
