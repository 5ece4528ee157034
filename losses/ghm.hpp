// losses/ghm.hpp — GHM-C, the gradient-harmonized classification loss of Li, Liu & Wang (AAAI
// 2019), exactly as mmdetection's mmdet/models/losses/ghm_loss.py::GHMC (docs/LOSSES.md §9).
// Sigmoid outputs x [N, C] (one binary task per class), targets y ∈ {0, 1}:
//   g = |σ(x) − y|                       (detached: the gradient norm of BCE w.r.t. x)
//   edges = [0, 1/M, …, 1] with the last edge + 1e-6; valid = label_weight > 0;
//   tot = max(#valid, 1);  for each bin i with k_i > 0 valid elements in [edge_i, edge_{i+1}):
//     momentum = 0: w = tot / k_i;   momentum α > 0: S_i ← α S_i + (1 − α) k_i, w = tot / S_i;
//   then w /= (number of non-empty bins), and invalid elements get w = 0;
//   L = loss_weight · Σ w · BCEWithLogits(x, y) / tot.
// Without momentum Σ w = tot (the mean weight is 1). S starts at 0, so the first step's weights
// are 1/(1 − α) times too large (4× at α = 0.75), as in mmdet. Empty bins keep their S.
// The weights are constants (no gradient through the histogram): dL/dx = w (σ(x) − y) / tot.
// Targets: i64 class indices [N] are expanded to one-hot rows over the C outputs; a label
// outside [0, C) is background (an all-zero row) — mmdet's _expand_onehot_labels. Or floating
// targets of the input's shape (values in [0, 1]).
#pragma once
#include "core/tensor.hpp"
#include "losses/reduction.hpp"
#include "nn/module.hpp"

namespace fulcrum {

struct GhmcOptions {
  int64_t bins = 10;          // M ≥ 1 (mmdet default; its RetinaNet config uses 30)
  double momentum = 0.0;      // α ∈ [0, 1) (RetinaNet config: 0.75)
  double loss_weight = 1.0;
  Reduction reduction = Reduction::mean;  // mean: Σ / tot; sum: Σ; none: w·BCE [N, C] (all × loss_weight)
};

}  // namespace fulcrum

namespace fulcrum::nn {

// The module holds the moving histogram S [bins] as the f64 buffer "acc_sum" (mmdet keeps it as
// a plain attribute; a buffer saves it with the model). Each forward in training *and* eval mode
// updates it, as mmdet's does.
class GHMCLoss : public Module {
public:
  explicit GHMCLoss(GhmcOptions options = {});
  // pred [N, C] logits; target i64 [N] (class indices, outside [0, C) = background) or floating
  // [N, C]; label_weight [N] (with i64 targets) or [N, C] — only > 0 matters (the valid mask);
  // undefined = every element valid.
  Tensor forward(const Tensor& pred, const Tensor& target, const Tensor& label_weight = Tensor());
  Tensor operator()(const Tensor& pred, const Tensor& target, const Tensor& label_weight = Tensor()) {
    return forward(pred, target, label_weight);
  }
  Tensor forward(const Tensor& input) override;  // an Error: a loss needs targets
  std::string extra_repr() const override;
  // The weights w [N, C] the last forward used (constants), for inspection and tests.
  const Tensor& last_weights() const { return last_weights_; }

  GhmcOptions options;
  Tensor acc_sum;  // S [bins], f64

private:
  Tensor last_weights_;
};

}  // namespace fulcrum::nn
