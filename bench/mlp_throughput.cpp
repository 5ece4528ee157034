// bench/mlp_throughput.cpp — the Fulcrum side of bench/compare_pytorch's MLP rows: the book's
// fraud-style tabular model (docs/REPRODUCTION.md, experiment 19) — Linear(30 → 16, He-uniform)
// → ReLU → Dropout(0.5) → Linear(16 → 1) — trained with Adam (lr 1e-3) and sigmoid
// binary cross-entropy on random standardised features [B, 30] and random 0/1 labels: 10 warm-up
// steps, then STEPS timed steps, exactly as bench/pytorch/mlp_throughput.py does. So small a model
// measures the framework's per-op overhead more than its kernels. One line:
//     fulcrum mlp train batch=256 samples_per_s=812345.0 peak_rss_mib=12.1
//   mlp_throughput BATCH [STEPS=200]
#include <cstdio>

#include "bench/bench_args.hpp"
#include "bench/bench_measure.hpp"
#include "fulcrum.hpp"

using namespace fulcrum;

int main(int argc, char** argv) {
  const char* usage = "mlp_throughput BATCH [STEPS=200]";
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s\n", usage);
    return 2;
  }
  const int64_t batch = bench::parse_count(argv[1], "BATCH", 1, 10000000, usage);
  const int steps = argc > 2 ? static_cast<int>(bench::parse_count(argv[2], "STEPS", 1, 10000000, usage)) : 200;
  manual_seed(0);
  nn::Sequential model(nn::Linear({.in_features = 30, .out_features = 16}), nn::ReLU(), nn::Dropout({.p = 0.5}),
                       nn::Linear({.in_features = 16, .out_features = 1}));
  // Keras' he_uniform on the hidden layer, as the book's model: U(±√(6 / fan_in)).
  nn::init::kaiming_uniform_(std::dynamic_pointer_cast<nn::Linear>(model[0])->weight, {.nonlinearity = "relu"});
  optim::Adam optimizer(model.parameters(), {.lr = 1e-3});
  const Tensor x = randn({batch, 30});
  const Tensor y = randint(0, 2, {batch}).to(DType::f32);
  auto step = [&] {
    optimizer.zero_grad();
    Tensor loss = binary_cross_entropy_with_logits(model(x).squeeze(1), y);
    loss.backward();
    optimizer.step();
  };
  const double seconds = bench::time_steps(step, steps, /*warmup=*/10);
  std::printf("fulcrum mlp train batch=%lld samples_per_s=%.1f peak_rss_mib=%.1f\n", static_cast<long long>(batch),
              static_cast<double>(batch) * steps / seconds, bench::peak_rss_mib());
  return 0;
}
