// bench/net_functional.hpp — the book's Net written with functional ops and raw parameter tensors,
// for profiling the core without the Module layer. Same architecture and initialisation rule as
// REPRODUCTION.md: conv1(1→10, k5) → max_pool 2 → relu → conv2(10→20, k5) → dropout2d(.5) →
// max_pool 2 → relu → flatten 320 → fc1(320→50) → relu → dropout(.5) → fc2(50→10) → log_softmax.
#pragma once
#include <cmath>
#include <vector>

#include "fulcrum.hpp"
#include "nn/functional.hpp"

namespace bench {

using namespace fulcrum;

struct FunctionalNet {
  Tensor conv1_w, conv1_b, conv2_w, conv2_b, fc1_w, fc1_b, fc2_w, fc2_b;

  explicit FunctionalNet(Generator& gen) {
    // PyTorch's default: U(−1/√fan_in, 1/√fan_in) for weights and biases.
    auto init = [&](const Shape& shape, int64_t fan_in) {
      const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
      return uniform(shape, -bound, bound, {.requires_grad = true}, &gen);
    };
    conv1_w = init({10, 1, 5, 5}, 25);
    conv1_b = init({10}, 25);
    conv2_w = init({20, 10, 5, 5}, 250);
    conv2_b = init({20}, 250);
    fc1_w = init({50, 320}, 320);
    fc1_b = init({50}, 320);
    fc2_w = init({10, 50}, 50);
    fc2_b = init({10}, 50);
  }
  std::vector<Tensor*> parameters() {
    return {&conv1_w, &conv1_b, &conv2_w, &conv2_b, &fc1_w, &fc1_b, &fc2_w, &fc2_b};
  }
  Tensor forward(const Tensor& x, bool training, Generator& gen) {
    Tensor h = relu(F::max_pool2d(F::conv2d(x, conv1_w, conv1_b), {.kernel_size = {2, 2}}));
    h = F::dropout2d(F::conv2d(h, conv2_w, conv2_b), 0.5, training, &gen);
    h = relu(F::max_pool2d(h, {.kernel_size = {2, 2}}));
    h = relu(F::linear(h.flatten(1), fc1_w, fc1_b));
    h = F::dropout(h, 0.5, training, &gen);
    return log_softmax(F::linear(h, fc2_w, fc2_b), 1);
  }
};

}  // namespace bench
