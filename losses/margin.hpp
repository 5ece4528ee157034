// losses/margin.hpp — margin losses with PyTorch 1.13 semantics (docs/LOSSES.md §15):
// multi_margin_loss (multi-class hinge, p ∈ {1, 2}) and hinge_embedding_loss. Modules
// nn::MultiMarginLoss, nn::HingeEmbeddingLoss at the end. Both are piecewise linear / quadratic:
// autograd gives the subgradient PyTorch gives (0 at the kink).
#pragma once
#include <cstdint>

#include "core/tensor.hpp"
#include "losses/reduction.hpp"
#include "nn/module.hpp"

namespace fulcrum {

struct MultiMarginOptions {
  int64_t p = 1;             // 1 or 2
  double margin = 1.0;
  Tensor weight = Tensor();  // [C] ≥ 0, a constant
  Reduction reduction = Reduction::mean;
};

// F.multi_margin_loss: input [N, C] (or [C] with a 0-d target) scores, i64 targets;
//   l_n = (1/C)·Σ_{j ≠ y} w_y·max(0, margin − x_y + x_j)^p
// The weight multiplies *outside* the power (PyTorch 1.13's kernel; old docs showed
// max(0, w_y(…))^p, which differs for p = 2). mean ÷ N, not weight-normalised.
Tensor multi_margin_loss(const Tensor& input, const Tensor& target, MultiMarginOptions options = {});

struct HingeEmbeddingOptions {
  double margin = 1.0;
  Reduction reduction = Reduction::mean;
};

// F.hinge_embedding_loss: input x (e.g. distances), target y ∈ {1, −1} of x's shape and dtype;
//   l = x where y = 1, max(0, margin − x) where y = −1
// exactly as PyTorch's where(y != 1, max(0, margin − x), 0) + where(y != −1, x, 0), so another
// target value gets both terms (PyTorch does not check it either). mean ÷ numel.
Tensor hinge_embedding_loss(const Tensor& input, const Tensor& target, HingeEmbeddingOptions options = {});

}  // namespace fulcrum

namespace fulcrum::nn::functional {
using fulcrum::hinge_embedding_loss;
using fulcrum::multi_margin_loss;
}  // namespace fulcrum::nn::functional

namespace fulcrum::nn {

// The weight is the buffer "weight".
class MultiMarginLoss : public Module {
public:
  explicit MultiMarginLoss(MultiMarginOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
  Tensor forward(const Tensor& input) override;  // an Error: a loss needs targets
  MultiMarginOptions options;
};

class HingeEmbeddingLoss : public Module {
public:
  explicit HingeEmbeddingLoss(HingeEmbeddingOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
  Tensor forward(const Tensor& input) override;
  HingeEmbeddingOptions options;
};

}  // namespace fulcrum::nn
