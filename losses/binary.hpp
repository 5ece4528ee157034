// losses/binary.hpp — binary and multi-label losses with PyTorch 1.13 semantics (docs/LOSSES.md §3,
// §15): binary_cross_entropy (probabilities), binary_cross_entropy_with_logits (weight,
// pos_weight), the weighted / balanced BCE of the segmentation survey (Jadon 2020),
// multilabel_soft_margin_loss; log_sigmoid, the stable log σ(x) they share with the focal and
// class-balanced losses. Every reduction='mean' here divides by the number of elements. Thin
// modules nn::BCELoss, nn::BCEWithLogitsLoss, nn::MultiLabelSoftMarginLoss at the end.
#pragma once
#include <optional>

#include "core/tensor.hpp"
#include "losses/reduction.hpp"
#include "nn/module.hpp"

namespace fulcrum {

// log σ(x) = −(m + log(e^{−m} + e^{−x−m})), m = max(−x, 0): PyTorch 1.13's stable form (never
// log of a rounded-to-0 sigmoid). Its gradient σ(−x) is right everywhere, x = 0 included: the
// expression does not depend on m, so m's (sub)gradient cancels. F.logsigmoid.
Tensor log_sigmoid(const Tensor& x);

struct BCELossOptions {
  Tensor weight = Tensor();  // rescales each element; broadcastable to the input; a constant
  Reduction reduction = Reduction::mean;
};

// F.binary_cross_entropy on probabilities x ∈ [0, 1] (an Error otherwise, NaN included, as
// PyTorch), targets y of x's shape and dtype (soft targets allowed):
//   l = −w·[y·max(log x, −100) + (1 − y)·max(log(1 − x), −100)]
// PyTorch clamps each log at −100 so x = 0 or 1 gives a finite loss. Gradient: PyTorch's bounded
// form — each log's slope is 1 / max(x, 1e-12) — so x = 0 or 1e-39 gives ≈ ±1e12, never ±∞
// (see clamped_log in binary.cpp). Prefer the logits form.
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, BCELossOptions options = {});

struct BCEWithLogitsOptions {
  Tensor weight = Tensor();      // per-element rescale, broadcastable to the input; not normalised
  Tensor pos_weight = Tensor();  // p_c on the positive term, broadcast along the last dim ([C]);
                                 // e.g. #negatives / #positives of class c
  Reduction reduction = Reduction::mean;
};

// F.binary_cross_entropy_with_logits: l = −w·[p·y·log σ(x) + (1 − y)·log(1 − σ(x))], computed
// stably as (1 − y)·x − (1 + (p − 1)·y)·log σ(x). Targets of x's shape and dtype; weight and
// pos_weight are constants (no gradient), pos_weight ≥ 0. dl/dx = w·[σ(x)(p·y + 1 − y) − p·y].
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        BCEWithLogitsOptions options = {});

// The "distribution-based" weighted BCE variants of docs/LOSSES.md §3 (Jadon 2020), on logits by
// default or on probabilities (from_logits = false: logs clamped at −100 as binary_cross_entropy).
//   weighted:  l = −(β·y·log p + (1 − y)·log(1 − p))         β > 1 cuts false negatives
//              (= binary_cross_entropy_with_logits with pos_weight = β)
//   balanced:  l = −(β·y·log p + (1 − β)·(1 − y)·log(1 − p))  β ∈ [0, 1]; unset: the fraction of
//              negatives in this target, 1 − mean(y) (a constant).
// Jadon's own code feeds tf's pos_weight = β/(1 − β), i.e. balanced / (1 − β); this is the paper's form.
struct WeightedBCEOptions {
  double beta = 1.0;
  bool from_logits = true;
  Reduction reduction = Reduction::mean;
};
Tensor weighted_binary_cross_entropy(const Tensor& input, const Tensor& target, WeightedBCEOptions options = {});

struct BalancedBCEOptions {
  std::optional<double> beta = std::nullopt;  // unset: 1 − mean(target)
  bool from_logits = true;
  Reduction reduction = Reduction::mean;
};
Tensor balanced_binary_cross_entropy(const Tensor& input, const Tensor& target, BalancedBCEOptions options = {});

struct MultiLabelSoftMarginOptions {
  Tensor weight = Tensor();  // [C] per-class rescale, ≥ 0, a constant
  Reduction reduction = Reduction::mean;
};
// F.multilabel_soft_margin_loss: input [N, C] (or [C]) logits, target 0/1 (or soft) of the same
// shape and dtype; per sample l_n = −(1/C)·Σ_c w_c·[y·log σ(x) + (1 − y)·log σ(−x)], then the
// reduction over N (mean ÷ N). The class sum is divided by C, not by Σ w.
Tensor multilabel_soft_margin_loss(const Tensor& input, const Tensor& target,
                                   MultiLabelSoftMarginOptions options = {});

}  // namespace fulcrum

namespace fulcrum::nn::functional {
using fulcrum::balanced_binary_cross_entropy;
using fulcrum::binary_cross_entropy;
using fulcrum::binary_cross_entropy_with_logits;
using fulcrum::multilabel_soft_margin_loss;
using fulcrum::weighted_binary_cross_entropy;
inline Tensor logsigmoid(const Tensor& x) { return fulcrum::log_sigmoid(x); }
}  // namespace fulcrum::nn::functional

namespace fulcrum::nn {

// nn.BCELoss / nn.BCEWithLogitsLoss / nn.MultiLabelSoftMarginLoss: forward(input, target) calls
// the function with the options; weight and pos_weight are registered buffers (PyTorch's names).
class BCELoss : public Module {
public:
  explicit BCELoss(BCELossOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
  Tensor forward(const Tensor& input) override;  // an Error: a loss needs targets
  BCELossOptions options;
};

class BCEWithLogitsLoss : public Module {
public:
  explicit BCEWithLogitsLoss(BCEWithLogitsOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
  Tensor forward(const Tensor& input) override;
  BCEWithLogitsOptions options;
};

class MultiLabelSoftMarginLoss : public Module {
public:
  explicit MultiLabelSoftMarginLoss(MultiLabelSoftMarginOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
  Tensor forward(const Tensor& input) override;
  MultiLabelSoftMarginOptions options;
};

}  // namespace fulcrum::nn
