// losses/cross_entropy.hpp — nll_loss and cross_entropy with PyTorch's F.nll_loss /
// F.cross_entropy semantics (1.13): class weights, ignore_index, label smoothing, [N, C, d1, ...]
// inputs, probability targets; built from core ops so autograd differentiates them. Thin modules
// nn::NLLLoss / nn::CrossEntropyLoss at the end. Weighting schemes: class_weights.hpp; other
// loss families: their own files in losses/. Math and references: docs/LOSSES.md §2, §11.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapters 6 and 8.
#pragma once
#include <cstdint>

#include "core/tensor.hpp"
#include "losses/reduction.hpp"
#include "nn/module.hpp"

namespace fulcrum {

struct NllLossOptions {
  Tensor weight = Tensor();  // [C], ≥ 0, same dtype as the input; undefined = all ones. A
                             // constant to autograd (detached), as every class weight.
  Reduction reduction = Reduction::mean;
  int64_t ignore_index = -100;  // targets equal to it contribute 0 and leave the mean's denominator
};

// Negative log-likelihood of class-index targets, from log-probabilities (e.g. a model ending in
// log_softmax, as the book's Nets do):
//   log_probs [N, C] or [N, C, d1, ...] (or [C], one sample), targets i64 [N] or [N, d1, ...]
//   (or 0-d) with values in [0, C) or equal to ignore_index.
//   l_n = −w_{y_n} · log_probs[n, y_n]   (0 where y_n = ignore_index)
//   none → l (targets' shape);  sum → Σ_n l_n;  mean → Σ_n l_n / Σ_n w_{y_n} over the non-ignored
//   n (their count when unweighted). The mean is NaN (0/0) when no target counts: an empty batch,
//   every target ignored, or every target's weight 0 — exactly as PyTorch.
Tensor nll_loss(const Tensor& log_probs, const Tensor& targets, NllLossOptions options = {});

struct CrossEntropyOptions {
  Tensor weight = Tensor();  // as NllLossOptions::weight
  Reduction reduction = Reduction::mean;
  int64_t ignore_index = -100;  // class-index targets only
  double label_smoothing = 0.0;  // ε in [0, 1]
};

// Cross-entropy from logits [N, C] / [N, C, d1, ...] / [C]: log_softmax over the class dim 1,
// then, by the targets' dtype,
// - i64 class indices (shape as for nll_loss): ε = 0 → nll_loss(log_softmax(x), y).
//   ε > 0 (PyTorch's label smoothing, docs/LOSSES.md §11): (1 − ε)·nll + (ε/C)·S with
//   S_n = −Σ_c w_c·log p_{n,c} (w_c = 1 unweighted), 0 on ignored targets, reduced like the nll
//   term: the mean divides by the same Σ_n w_{y_n}. Equivalent to the target distribution
//   (1 − ε)·e_y + ε/C only when unweighted: with weights, PyTorch weights each class term of S
//   by its own w_c, not by w_{y_n}.
// - floating class probabilities t (the input's shape and dtype): t ← (1 − ε)·t + ε/C, then
//   l_n = −Σ_c w_c·t_{n,c}·log p_{n,c}; the mean divides by N·d1·…, *not* by Σ w (PyTorch).
//   ignore_index must stay negative (PyTorch refuses it with probabilities).
// Empty batches give NaN for the mean, 0 for the sum.
Tensor cross_entropy(const Tensor& logits, const Tensor& targets, CrossEntropyOptions options = {});

}  // namespace fulcrum

// torch.nn.functional.nll_loss / cross_entropy are reachable as F::nll_loss, F::cross_entropy.
namespace fulcrum::nn::functional {
using fulcrum::cross_entropy;
using fulcrum::nll_loss;
}  // namespace fulcrum::nn::functional

namespace fulcrum::nn {

// nn.NLLLoss / nn.CrossEntropyLoss: the options, and forward(input, targets) calling the function.
// A weight is registered as the buffer "weight" (as PyTorch does), so state_dict() and to(dtype)
// include it; it has no parameters.
class NLLLoss : public Module {
public:
  explicit NLLLoss(NllLossOptions options = {});
  Tensor forward(const Tensor& log_probs, const Tensor& targets);
  Tensor operator()(const Tensor& log_probs, const Tensor& targets) { return forward(log_probs, targets); }
  Tensor forward(const Tensor& input) override;  // an Error: a loss needs targets
  NllLossOptions options;
};

class CrossEntropyLoss : public Module {
public:
  explicit CrossEntropyLoss(CrossEntropyOptions options = {});
  Tensor forward(const Tensor& logits, const Tensor& targets);
  Tensor operator()(const Tensor& logits, const Tensor& targets) { return forward(logits, targets); }
  Tensor forward(const Tensor& input) override;  // an Error: a loss needs targets
  CrossEntropyOptions options;
};

}  // namespace fulcrum::nn
