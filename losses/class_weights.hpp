// losses/class_weights.hpp — per-class weights for the weighted losses, computed by named schemes
// from the *training* class counts (never from the test set); the counts come from class_counts()
// (core/class_labels.hpp, included here). Weights are plain constant tensors [C] (pass them as `weight` to
// nll_loss / cross_entropy): sklearn's 'balanced', inverse (square-root) frequency in its named
// normalisations, the effective number of samples (Cui et al.), and the per-class constants of
// other losses — CDT temperatures, LDAM margins, CDB difficulty weights (docs/LOSSES.md §1, §5-§8).
// Every scheme computes in double and converts once to the requested floating dtype.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 8.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "core/class_labels.hpp"  // class_counts: the counts every scheme takes
#include "core/tensor.hpp"

namespace fulcrum {

struct ClassWeightOptions {
  DType dtype = DType::f32;  // computed in double, returned in this floating dtype
};

// sklearn's compute_class_weight('balanced'): w_c = N / (C · n_c) with N = Σ_c n_c, so a class
// of the average size gets 1 and rarer classes proportionally more. Every n_c must be > 0 (the
// weight of an absent class is undefined; sklearn raises too).
Tensor balanced_class_weights(const std::vector<int64_t>& counts, ClassWeightOptions options = {});

// ---- inverse frequency, in the normalisations met in practice (docs/LOSSES.md §1) ----
// None is a library standard, so the variant is an explicit option. With p = `power`:
//   balanced:        w_c = (N / (C · n_c))^p   p = 1: sklearn 'balanced'; p = ½: sqrt(balanced)
//   sum_to_classes:  w_c ∝ n_c^{−p}, rescaled so Σ_c w_c = C (mean 1)
//   relative_to_min: w_c = (n_min / n_c)^p    BagofTricks "Square CS_CE" with p = ½; n_min is the
//                                              smallest count: the rarest class gets 1, others less
//   none:            w_c = n_c^{−p}           the raw inverse frequency
// N = Σ n_c. Every n_c must be > 0.
enum class InverseFrequencyNormalization { balanced, sum_to_classes, relative_to_min, none };

struct InverseFrequencyOptions {
  double power = 1.0;  // p ≥ 0; ½ gives the inverse-square-root schemes
  InverseFrequencyNormalization normalization = InverseFrequencyNormalization::balanced;
  DType dtype = DType::f32;
};
Tensor inverse_frequency_class_weights(const std::vector<int64_t>& counts, InverseFrequencyOptions options = {});
// The same with power ½ (the other options as given; their power is ignored).
Tensor inverse_sqrt_frequency_class_weights(const std::vector<int64_t>& counts, InverseFrequencyOptions options = {});

// How a vector of raw weights is rescaled.
enum class WeightNormalization {
  none,
  sum_to_classes,  // w · C / Σw (Σ = C, mean 1): Cui et al.'s code, the official CDB loss
  book,            // w / (Σw · C) (Σ = 1/C): the book's CDB notebook; harmless under NLL(weight),
                   // whose mean divides by Σ w_y anyway
};

struct EffectiveNumberOptions {
  WeightNormalization normalization = WeightNormalization::sum_to_classes;
  DType dtype = DType::f32;
};
// Class-balanced weights (Cui et al. 2019, docs/LOSSES.md §5): α_c = (1 − β) / (1 − β^{n_c}), the
// inverse of the effective number E_n = (1 − β^n)/(1 − β); by default rescaled to Σ α = C as in
// richardaecn/class-balanced-loss (and LDAM-DRW, the book). β in [0, 1): β = 0 gives all ones,
// β → 1 tends to inverse frequency. β^n is exp(n·log β) in double, 1 − β^n = −expm1(n·log β), so
// β = 0.9999 keeps its digits. Every n_c must be > 0 (1 − β⁰ = 0).
Tensor effective_number_class_weights(const std::vector<int64_t>& counts, double beta,
                                      EffectiveNumberOptions options = {});

// CDT temperatures (Ye et al. 2020, docs/LOSSES.md §7): a_c = (n_max / n_c)^γ, γ ≥ 0 (1 for the
// largest class, growing for rarer ones). The book uses γ = 0.014 on MNIST-LT, BagofTricks γ = 0.2
// on CIFAR-10-LT. Every n_c must be > 0. The CDT loss itself lives elsewhere; this is its constant.
Tensor cdt_temperatures(const std::vector<int64_t>& counts, double gamma, ClassWeightOptions options = {});

// LDAM margins (Cao et al. 2019, docs/LOSSES.md §6): m_c ∝ n_c^{−1/4}, scaled so max_c m_c = max_m
// (kaidic/LDAM-DRW: m = 1/sqrt(sqrt(n)); m *= max_m / max(m)). max_m > 0; every n_c > 0.
Tensor ldam_margins(const std::vector<int64_t>& counts, double max_m = 0.5, ClassWeightOptions options = {});

// Class-wise difficulty weights (Sinha et al., ACCV 2020; docs/LOSSES.md §8) from per-class accuracies
// A_c in [0, 1] on a validation set: d_c = 1 − A_c, w_c = d_c^τ, then normalised.
//   τ fixed (`tau`, the book's 1.5), or dynamic_tau (the official code's tau = 'dynamic'):
//   τ = sigmoid((1 − min_c d_c) / (1 − max_c d_c + 0.01)).
// A class with accuracy 1 gets weight 0 (0^τ; 1 when τ = 0, as numpy). All weights 0 cannot be
// normalised: an Error unless normalization = none.
// NaN accuracy — the book's per-class accuracy of a class absent from its validation split is
// 0/0 — is an Error by default (a NaN weight would make every batch holding that class NaN);
// set `nan_accuracy` to substitute a value (e.g. 0: treat the unseen class as hardest).
struct ClassDifficultyOptions {
  double tau = 1.5;
  bool dynamic_tau = false;  // true: the official code's tau='dynamic' above; `tau` is ignored
  WeightNormalization normalization = WeightNormalization::sum_to_classes;
  std::optional<double> nan_accuracy = std::nullopt;
  DType dtype = DType::f32;
};
Tensor class_difficulty_weights(const std::vector<double>& accuracies, ClassDifficultyOptions options = {});

}  // namespace fulcrum
