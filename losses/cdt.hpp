// losses/cdt.hpp — the class-dependent-temperature (CDT) loss of Ye et al. 2020, in its two
// forms (docs/LOSSES.md §7), and the module nn::CDTLoss. The temperatures a [C] (a_c = (n_max/n_c)^γ,
// built by class_weights) are constants: no gradient reaches them.
//
// - Paper / BagofTricks form, on logits: L_n = −log softmax(z_n / a)_{y_n}, i.e.
//   cross_entropy(z / a, y) — each class's logit is divided by its temperature *before* the
//   softmax; dL/dz_j = (q_j − δ_{j y}) / a_j with q = softmax(z / a). Test time uses raw logits.
// - Book form (Class_Dependent_Temperature_(CDT)_Loss.ipynb), on log-probabilities:
//   L_n = −log p_{n,y_n} / a_{y_n}, i.e. nll_loss(log_probs / a, y): ordinary cross-entropy with
//   the unnormalised class weight 1/a_{y_n} (minority samples are slightly *down*-weighted), and
//   the mean still divides by N (not by Σ 1/a_y).
// The two are NOT equivalent: the first reshapes the softmax, the second only rescales each
// sample's loss. Reductions: none → [N]; sum → Σ_n; mean → Σ_n / N (NaN for an empty batch).
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 8 (its CDT notebook).
#pragma once
#include "core/tensor.hpp"
#include "losses/reduction.hpp"
#include "nn/module.hpp"

namespace fulcrum {

struct CdtLossOptions {
  Reduction reduction = Reduction::mean;
};

// logits [N, C], targets i64 [N] in [0, C), temperatures [C] > 0 (input's dtype).
Tensor cdt_loss(const Tensor& logits, const Tensor& targets, const Tensor& temperatures, CdtLossOptions options = {});

// The book's form: log_probs [N, C] (e.g. log_softmax outputs), otherwise as cdt_loss.
Tensor cdt_nll_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& temperatures,
                    CdtLossOptions options = {});

}  // namespace fulcrum

namespace fulcrum::nn {

// Which form nn::CDTLoss computes.
enum class CdtInput { logits, log_probs };

// The temperatures are registered as the buffer "temperatures"; forward(input, targets) calls
// cdt_loss (CdtInput::logits, the paper) or cdt_nll_loss (CdtInput::log_probs, the book).
class CDTLoss : public Module {
public:
  explicit CDTLoss(Tensor temperatures, CdtInput input = CdtInput::logits, CdtLossOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& targets);
  Tensor operator()(const Tensor& input, const Tensor& targets) { return forward(input, targets); }
  Tensor forward(const Tensor& input) override;  // an Error: a loss needs targets
  std::string extra_repr() const override;

  Tensor temperatures;
  CdtInput input;
  CdtLossOptions options;
};

}  // namespace fulcrum::nn
