// nn/functional.hpp — the functional forms of the layers, in PyTorch's names (torch.nn.functional):
// linear, conv2d, max_pool2d, avg_pool2d, adaptive_avg_pool2d, dropout, dropout2d, batch_norm,
// embedding, leaky_relu, gelu. conv2d / pooling / batch_norm are primitive ops with dedicated
// backward kernels (core/cpu/conv.cpp, pool.cpp, batch_norm.cpp); the rest are derived.
// Modules (nn/layers.hpp) are thin wrappers that own the parameters.
#pragma once
#include <array>
#include <optional>

#include "core/ops.hpp"

namespace fulcrum::nn::functional {

using Pair = std::array<int64_t, 2>;  // (height, width), like PyTorch's _pair

// y = x Wᵀ + b;  x [..., in], weight [out, in], bias [out] (optional).
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor());

struct Conv2dArgs {
  Pair stride = {1, 1};
  Pair padding = {0, 0};  // zeros on each side
  Pair dilation = {1, 1};
  int64_t groups = 1;
};
// x [N, C, H, W], weight [O, C / groups, kh, kw], bias [O] (optional) → [N, O, OH, OW] with
// OH = (H + 2·pad − dil·(kh − 1) − 1) / stride + 1 (floor).
Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor(), Conv2dArgs args = {});

struct Pool2dArgs {
  Pair kernel_size;
  std::optional<Pair> stride = std::nullopt;  // default: kernel_size, as in PyTorch
  Pair padding = {0, 0};          // at most half the kernel, as PyTorch requires
  Pair dilation = {1, 1};         // max_pool2d only
  bool ceil_mode = false;
  bool count_include_pad = true;  // avg_pool2d only
};
// Max over each window (padding counts as −∞); the backward routes the gradient to the argmax.
Tensor max_pool2d(const Tensor& x, Pool2dArgs args);
Tensor avg_pool2d(const Tensor& x, Pool2dArgs args);
// Average over PyTorch's adaptive windows: start = floor(i·H/OH), end = ceil((i+1)·H/OH).
Tensor adaptive_avg_pool2d(const Tensor& x, Pair output_size);

// Zeroes each element with probability p and scales the rest by 1/(1 − p) when training;
// identity otherwise. The mask comes from `generator` (the default one when null).
Tensor dropout(const Tensor& x, double p = 0.5, bool training = true, Generator* generator = nullptr);
// Zeroes whole channels ([N, C, ...] → per (n, c)).
Tensor dropout2d(const Tensor& x, double p = 0.5, bool training = true, Generator* generator = nullptr);

// Batch normalisation over dim 1 of x [N, C] or [N, C, *]. Training: normalise with the batch
// statistics (biased variance) and, if running stats are given, update them in place with
// `momentum` (running = (1 − m)·running + m·batch, the unbiased variance for running_var).
// Eval: normalise with the running statistics.
Tensor batch_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight, const Tensor& bias, bool training, double momentum = 0.1,
                  double eps = 1e-5);

// Rows of weight [num_embeddings, dim] for i64 indices of any shape → [..., dim].
Tensor embedding(const Tensor& indices, const Tensor& weight);

Tensor leaky_relu(const Tensor& x, double negative_slope = 0.01);
// GELU, exact form 0.5·x·(1 + erf(x/√2)), or the tanh approximation (approximate = true).
Tensor gelu(const Tensor& x, bool approximate = false);

}  // namespace fulcrum::nn::functional

namespace fulcrum {
namespace F = nn::functional;
}  // namespace fulcrum
