// losses/cdb.hpp — the class-wise difficulty-balanced (CDB) loss of Sinha et al., ACCV 2020
// (docs/LOSSES.md §8): cross-entropy with per-class weights w_c = d_c^τ from the class difficulties
// d_c = 1 − A_c (A_c the per-class validation accuracy of the previous epoch), and
// ClassDifficultyUpdater, the state that turns epoch t's accuracies into epoch t+1's weights.
// The weights are constants (no gradient), as in the official code (numpy arrays).
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 8 (its CDB notebook).
#pragma once
#include <cstdint>
#include <vector>

#include "core/tensor.hpp"
#include "losses/reduction.hpp"
#include "nn/module.hpp"

namespace fulcrum {

// What the mean divides Σ_n w_{y_n}·CE_n by.
enum class CdbNormalization {
  batch_size,    // N: the official CIFAR-LT/losses/cdb_loss.py (CrossEntropyLoss(weight, 'none')
                 // then torch.mean) — the weights' scale matters, hence their Σ = C normalisation.
  total_weight,  // Σ_n w_{y_n}: the book's NLLLoss(weight) (PyTorch's weighted mean); the
                 // weights' scale cancels.
};

struct CdbLossOptions {
  Reduction reduction = Reduction::mean;
  CdbNormalization normalization = CdbNormalization::batch_size;
};

// logits [N, C], targets i64 [N] in [0, C), weight [C] ≥ 0 (input's dtype; e.g.
// ClassDifficultyUpdater::weights()). l_n = w_{y_n}·CE_n; none → [N]; sum → Σ l_n;
// mean → Σ l_n / N (batch_size) or Σ l_n / Σ w_{y_n} (total_weight).
// Guards: an empty batch gives NaN for the mean (0/0, as PyTorch's mean of nothing). A batch
// whose targets all have weight 0 (every class in it was classified perfectly on validation)
// gives 0 with a zero gradient under both normalisations — not PyTorch's 0/0 = NaN: such a
// batch carries no training signal under CDB, and one NaN would poison the whole run.
Tensor cdb_loss(const Tensor& logits, const Tensor& targets, const Tensor& weight, CdbLossOptions options = {});

struct ClassDifficultyUpdaterOptions {
  double tau = 1.5;          // the exponent τ ≥ 0 (README example --tau 1.5; the book's 1.5)
  bool dynamic_tau = false;  // official tau='dynamic': τ = sigmoid((1 − min d) / (1 − max d + 0.01))
  DType dtype = DType::f32;  // of the weights tensor
};

// The official update, once per epoch:
//   d_c = 1 − A_c,  w_c = d_c^τ,  w ← w / Σ w · C   (so Σ_c w_c = C).
// Epoch 0 (before any update): d = ones → w = ones (uniform).
// - A class absent from the validation set has no accuracy (the book divides 0/0 = NaN): pass
//   NaN for it and its difficulty from the previous epoch is kept (1 at epoch 0), so it neither
//   vanishes nor dominates. update_from_predictions does this for classes with no sample.
// - A_c = 1 gives d_c = 0 and w_c = 0 for τ > 0 (a perfectly classified class stops training
//   until it slips); 0^0 = 1 for τ = 0 (uniform weights). If every class has d_c = 0, Σ w = 0 and
//   the normalisation is undefined: the weights become uniform ones instead (documented guard).
class ClassDifficultyUpdater {
public:
  ClassDifficultyUpdater(int64_t num_classes, ClassDifficultyUpdaterOptions options = {});

  // Per-class accuracies A_c in [0, 1] or NaN (absent), one per class. Returns the new weights.
  Tensor update(const std::vector<double>& accuracy);
  // A_c from validation predictions and labels (i64 [M], values in [0, C)): correct_c / count_c,
  // NaN where count_c = 0. Then update().
  Tensor update_from_predictions(const Tensor& predictions, const Tensor& labels);

  Tensor weights() const;  // the current w [C] (options.dtype)
  const std::vector<double>& difficulties() const { return difficulty_; }
  double last_tau() const { return last_tau_; }  // τ used by the last update (options.tau before)
  int64_t updates() const { return updates_; }
  int64_t num_classes() const { return static_cast<int64_t>(difficulty_.size()); }

private:
  ClassDifficultyUpdaterOptions options_;
  std::vector<double> difficulty_;
  std::vector<double> weights_;
  double last_tau_;
  int64_t updates_ = 0;
};

}  // namespace fulcrum

namespace fulcrum::nn {

// forward(logits, targets) = cdb_loss(logits, targets, weight, options); the weight is the buffer
// "weight" — refresh it each epoch with set_weight(updater.weights()).
class CDBLoss : public Module {
public:
  explicit CDBLoss(Tensor weight, CdbLossOptions options = {});
  Tensor forward(const Tensor& logits, const Tensor& targets);
  Tensor operator()(const Tensor& logits, const Tensor& targets) { return forward(logits, targets); }
  Tensor forward(const Tensor& input) override;  // an Error: a loss needs targets
  void set_weight(const Tensor& weight);          // copies into the buffer (same shape)
  std::string extra_repr() const override;

  Tensor weight;
  CdbLossOptions options;
};

}  // namespace fulcrum::nn
