// losses/class_balanced.hpp — the class-balanced loss of Cui et al. (CVPR 2019; docs/LOSSES.md §5):
// the per-class weight α_c = (1 − β)/(1 − β^{n_c}) (normalised to Σ α = C) applied per sample
// (α_{y_n}) to a softmax, sigmoid or sigmoid-focal loss. Weights: class_weights.hpp's
// effective_number_class_weights, or given ready. Module nn::ClassBalancedLoss at the end.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 8 (its class-balanced notebook).
#pragma once
#include <cstdint>
#include <vector>

#include "core/tensor.hpp"
#include "losses/reduction.hpp"
#include "nn/module.hpp"

namespace fulcrum {

enum class ClassBalancedType { softmax, sigmoid, focal };

// How the mean is normalised. The references differ (docs/LOSSES.md §5 (c)); α is not re-normalised
// per batch, so this changes the loss scale, not only its direction.
enum class ClassBalancedMean {
  batch,          // Σ_n α_{y_n}·l_n / N: richardaecn (TF) for all three types — the default
  target_weight,  // Σ_n α_{y_n}·l_n / Σ_n α_{y_n}: the book's NLLLoss(weight) (scale-free)
};

struct ClassBalancedOptions {
  std::vector<int64_t> samples_per_class = {};  // n_c, to compute α with `beta` ...
  double beta = 0.9999;                         // ... (richardaecn's CIFAR setting)
  Tensor weight = Tensor();                     // ... or α [C] ready (then the counts are unused)
  ClassBalancedType type = ClassBalancedType::softmax;
  double gamma = 1.0;  // focal only; richardaecn's CIFAR γ (fcakyon defaults to 2)
  bool from_log_probs = false;  // softmax only: the input holds log-probabilities (the book's Nets)
  Reduction reduction = Reduction::mean;
  ClassBalancedMean mean = ClassBalancedMean::batch;
};

// input [N, C] logits (log-probs for softmax with from_log_probs), target i64 [N]; with
// z^t_{n,c} = z_{n,c} if c = y_n else −z_{n,c}:
//   softmax: l_n = −α_y·log softmax(z_n)_y
//   sigmoid: l_n = −α_y·Σ_c log σ(z^t_{n,c})            (BCE with the one-hot target, per class)
//   focal:   l_n = −α_y·Σ_c (1 − σ(z^t))^γ·log σ(z^t)    the modulator computed as
//            exp(γ·log σ(−z^t)) (richardaecn's stable form; finite gradient for every γ ≥ 0)
// none → [N]; sum → Σ l_n; mean → by options.mean. Empty batch: mean NaN, sum 0.
// For the bug-compatible per-batch focal of the book's notebook, see docs/LOSSES.md §4: not built.
Tensor class_balanced_loss(const Tensor& input, const Tensor& target, ClassBalancedOptions options = {});

}  // namespace fulcrum

namespace fulcrum::nn::functional {
using fulcrum::class_balanced_loss;
}  // namespace fulcrum::nn::functional

namespace fulcrum::nn {

// The weights α are computed once at construction (from the counts and β, in the options' f32
// unless `weight` is given) and registered as the buffer "weight"; convert with to(f64) for f64
// inputs, like any module.
class ClassBalancedLoss : public Module {
public:
  explicit ClassBalancedLoss(ClassBalancedOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
  Tensor forward(const Tensor& input) override;
  ClassBalancedOptions options;
};

}  // namespace fulcrum::nn
