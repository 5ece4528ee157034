// losses/focal.hpp — focal loss (Lin et al. 2017; docs/LOSSES.md §4) in its two reference forms:
// sigmoid_focal_loss (per-element, torchvision's semantics by default, tensorflow-addons' as an
// option) and the multi-class softmax focal_loss from logits or from log-probabilities (the
// book's Nets end in log_softmax). Modules nn::SigmoidFocalLoss and nn::FocalLoss at the end.
// Class-balanced focal (Cui et al.) is in class_balanced.hpp.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 8.
#pragma once
#include "core/tensor.hpp"
#include "losses/reduction.hpp"
#include "nn/module.hpp"

namespace fulcrum {

enum class SigmoidFocalConvention {
  torchvision,         // torchvision.ops.sigmoid_focal_loss (0.14)
  tensorflow_addons,   // tfa.losses.SigmoidFocalCrossEntropy
};

struct SigmoidFocalOptions {
  double alpha = 0.25;  // weight of the positives; negatives get 1 − α
  double gamma = 2.0;   // γ ≥ 0
  Reduction reduction = Reduction::none;  // torchvision's and tfa's default
  SigmoidFocalConvention convention = SigmoidFocalConvention::torchvision;
  bool from_logits = true;  // false: the input holds probabilities (tfa's default is false)
};

// Per element, with p = σ(x) (or x itself when from_logits = false), target y (0/1 or soft,
// the input's shape and dtype):
//   ce = BCE(p, y);  p_t = p·y + (1 − p)(1 − y);  l = α_t·(1 − p_t)^γ·ce,  α_t = α·y + (1 − α)(1 − y)
// torchvision: α < 0 disables α_t (α = −1 is its "off"); the reduction is over all elements
//   (mean ÷ N·C). Probability input: ce = binary_cross_entropy (logs clamped at −100).
// tensorflow_addons: α = 0 and γ = 0 mean "factor 1" (`if alpha:` / `if gamma:`); l is summed
//   over the last axis (one value per example, the shape without the last dim) and the
//   reduction then acts on those; probability input uses Keras' binary_crossentropy:
//   p clipped to [1e-7, 1 − 1e-7], ce = −[y·log(p + 1e-7) + (1 − y)·log(1 − p + 1e-7)], p_t from
//   the unclipped p. (Its docstring case y = [1, 1, 0], p = [.97, .91, .03] is a test.)
// (1 − p_t)^γ is computed as max(1 − p_t, 1e-12)^γ so that γ < 1 keeps a finite gradient at
// p_t = 1 (there 0 instead of the true +∞·0); the value changes by < 1e-12^γ · ce.
Tensor sigmoid_focal_loss(const Tensor& input, const Tensor& target, SigmoidFocalOptions options = {});

// How focal_loss's mean is normalised.
enum class FocalMean {
  batch,          // Σ_n l_n / N — LDAM-DRW's FocalLoss, richardaecn's focal (÷ Σ one-hot = N)
  target_weight,  // Σ_n l_n / Σ_n α_{y_n} — as weighted nll_loss / cross_entropy
};

enum class FocalInput { logits, log_probs };

struct FocalLossOptions {
  double gamma = 2.0;        // γ ≥ 0; γ = 0 is cross-entropy exactly
  double alpha = 1.0;        // scalar α ≥ 0 for every class
  Tensor weight = Tensor();  // [C] per-class α_c ≥ 0 (multiplies `alpha`); a constant
  FocalInput input = FocalInput::logits;
  Reduction reduction = Reduction::mean;
  FocalMean mean = FocalMean::batch;
};

// Multi-class (softmax) focal loss on input [N, C] (or [C] with a 0-d target), i64 targets:
//   logp = log_softmax(x) (input = logits) or x itself (input = log_probs, e.g. a Net ending in
//   log_softmax); logp_t = logp[n, y_n], p_t = exp(logp_t);
//   l_n = −α·w_{y_n}·(1 − p_t)^γ·logp_t
// mean: Σ l / N (FocalMean::batch, the default) or Σ l / Σ α·w_{y_n} (target_weight; then
// γ = 0 equals cross_entropy with `weight`); sum: Σ l. The modulating factor is not detached
// (as every reference); 1 − p_t is clamped at 1e-12 before the power (finite gradient for γ < 1
// at p_t = 1). γ = 0 skips the factor, so the loss is cross-entropy bit for bit. Empty batch:
// mean NaN (0/0), sum 0, as cross_entropy.
Tensor focal_loss(const Tensor& input, const Tensor& target, FocalLossOptions options = {});

}  // namespace fulcrum

namespace fulcrum::nn::functional {
using fulcrum::focal_loss;
using fulcrum::sigmoid_focal_loss;
}  // namespace fulcrum::nn::functional

namespace fulcrum::nn {

class SigmoidFocalLoss : public Module {
public:
  explicit SigmoidFocalLoss(SigmoidFocalOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
  Tensor forward(const Tensor& input) override;  // an Error: a loss needs targets
  SigmoidFocalOptions options;
};

// The per-class weight is the buffer "weight".
class FocalLoss : public Module {
public:
  explicit FocalLoss(FocalLossOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
  Tensor forward(const Tensor& input) override;
  FocalLossOptions options;
};

}  // namespace fulcrum::nn
