// losses/overlap.hpp — overlap losses on probabilities: Dice, its self-adjusting form (Li et al.,
// ACL 2020; ShannonAI's loss/dice_loss.py) and Tversky (Salehi et al. 2017). docs/LOSSES.md §10, §12.
//
// Input: scores [N] or [N, 1] (binary: one probability per sample, σ(x) when with_logits) or
// [N, C] with C ≥ 2 (one-vs-rest: softmax over the classes when with_logits, targets one-hot).
// Targets: i64 [N], in {0, 1} for binary, [0, C) otherwise. Let p [N, K] be the probabilities
// and y [N, K] the one-hot targets (K = 1 binary: only the positive class, as ShannonAI).
//
// Dice (per class c; Σ runs over the samples n for set_level, is absent per sample):
//   p̃ = (1 − p)^α · p   (self-adjusting; α = 0 is plain Dice)
//   L_c = 1 − (2 Σ p̃ y + s) / (Σ p̃ + Σ y + s)        (square_denominator: Σ p̃² + Σ y²)
// Tversky (α weighs false positives, β false negatives; α = β = 0.5 is Dice with smoothing 2s,
// α = β = 1 Jaccard):
//   TP = Σ p y,  FP = Σ p (1 − y),  FN = Σ (1 − p) y,  L_c = 1 − (TP + s) / (TP + α FP + β FN + s)
//
// set_level (default true): the sums run over the whole batch, so L_c is the soft (1 − F1) /
// (1 − Tversky index) of class c over the batch — the form that makes Dice insensitive to how
// many easy negatives there are, which is the reason to use it on imbalanced data (Milletari's
// and Salehi's segmentation losses are set-level over voxels too). set_level = false is the
// paper's per-example formula: with a tiny smoothing s it degenerates on negative entries
// (1 − s/(p̃ + s) ≈ 1 for any p̃ ≫ s), which is why it is not the default.
// Reductions, at the finest level each form has:
//   per sample: L [N, K] → class_reduction (sum | mean over K) → [N] → none / sum / mean over N;
//   set level:  L [K]   → none gives the per-class losses [K]; sum and mean both give
//               class_reduction(L) (the batch is one set: there is nothing left to average).
// ShannonAI (docs/LOSSES.md §10): binary = our set_level; multi-class with --dice_square = our
// set_level = false, class_reduction = sum, reduction = mean. Its multi-class non-squared path
// mixes a per-sample numerator with a set-level denominator; that inconsistency is not offered.
// Empty batch: per sample, mean → NaN (0/0) and sum → 0; set level → L_c = 1 − s/s = 0 (NaN if s = 0).
#pragma once
#include "core/tensor.hpp"
#include "losses/reduction.hpp"
#include "nn/module.hpp"

namespace fulcrum {

enum class ClassReduction { sum, mean };

struct DiceLossOptions {
  double smooth = 1e-4;             // s ≥ 0 (ShannonAI's default; its MRPC script uses 1)
  double alpha = 0.0;               // α ≥ 0 of the self-adjusting p̃ (MRPC script: 0.01)
  bool square_denominator = false;  // Σ p̃² + Σ y² in the denominator
  bool with_logits = true;          // apply sigmoid (binary) / softmax (C ≥ 2) to the input;
                                    // false: the input are probabilities in [0, 1] (checked)
  bool set_level = true;            // see above
  ClassReduction class_reduction = ClassReduction::sum;  // ShannonAI sums the per-class losses
  Reduction reduction = Reduction::mean;
};

Tensor dice_loss(const Tensor& input, const Tensor& targets, DiceLossOptions options = {});

struct TverskyLossOptions {
  double alpha = 0.3;   // weight of false positives (paper's best setting α = 0.3, β = 0.7)
  double beta = 0.7;    // weight of false negatives
  double smooth = 1e-4; // s ≥ 0 in numerator and denominator
  bool with_logits = true;
  bool set_level = true;
  ClassReduction class_reduction = ClassReduction::sum;
  Reduction reduction = Reduction::mean;
};

Tensor tversky_loss(const Tensor& input, const Tensor& targets, TverskyLossOptions options = {});

}  // namespace fulcrum

namespace fulcrum::nn {

// Thin modules: the options, and forward(input, targets) calling the function. No parameters.
class DiceLoss : public Module {
public:
  explicit DiceLoss(DiceLossOptions options = {}) : Module("DiceLoss"), options(options) {}
  Tensor forward(const Tensor& input, const Tensor& targets) { return dice_loss(input, targets, options); }
  Tensor operator()(const Tensor& input, const Tensor& targets) { return forward(input, targets); }
  Tensor forward(const Tensor& input) override;  // an Error: a loss needs targets
  DiceLossOptions options;
};

class TverskyLoss : public Module {
public:
  explicit TverskyLoss(TverskyLossOptions options = {}) : Module("TverskyLoss"), options(options) {}
  Tensor forward(const Tensor& input, const Tensor& targets) { return tversky_loss(input, targets, options); }
  Tensor operator()(const Tensor& input, const Tensor& targets) { return forward(input, targets); }
  Tensor forward(const Tensor& input) override;  // an Error: a loss needs targets
  TverskyLossOptions options;
};

}  // namespace fulcrum::nn
