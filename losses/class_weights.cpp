// losses/class_weights.cpp — the class-weighting schemes declared in class_weights.hpp (class_counts
// itself is in core/class_labels.cpp). Each scheme checks its counts (non-empty, ≥ 0, > 0 where it
// divides), computes in double and converts once to the requested dtype.
#include "losses/class_weights.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/error.hpp"
#include "core/ops.hpp"

namespace fulcrum {
namespace {

void check_counts(const char* scheme, const std::vector<int64_t>& counts) {
  FULCRUM_CHECK(!counts.empty(), scheme << ": expected one count per class, got an empty list of counts");
  for (size_t c = 0; c < counts.size(); ++c) {
    FULCRUM_CHECK(counts[c] >= 0, scheme << ": class " << c << " has a negative count " << counts[c]);
  }
}

Tensor weights_tensor(const char* scheme, const std::vector<double>& weights, DType dtype) {
  FULCRUM_CHECK(is_floating(dtype), scheme << ": weights are real numbers; expected dtype f32 or f64, got " << dtype);
  return from_vector(weights, {static_cast<int64_t>(weights.size())}, {.dtype = dtype});
}

// Every count > 0: the schemes below divide by n_c (or take log n_c).
void check_positive_counts(const char* scheme, const std::vector<int64_t>& counts, const char* why) {
  check_counts(scheme, counts);
  for (size_t c = 0; c < counts.size(); ++c) {
    FULCRUM_CHECK(counts[c] > 0, scheme << ": class " << c << " has no samples (count 0); " << why);
  }
}

double sum_of(const std::vector<double>& values) {
  double total = 0.0;
  for (double v : values) total += v;
  return total;
}

// Rescales raw weights as `normalization` says; Σ must be > 0 unless none.
std::vector<double> normalize(const char* scheme, std::vector<double> weights, WeightNormalization normalization) {
  if (normalization == WeightNormalization::none) return weights;
  const double total = sum_of(weights);
  FULCRUM_CHECK(total > 0.0 && std::isfinite(total),
                scheme << ": cannot normalise weights whose sum is " << total << " (every weight is 0?); use "
                       << "normalization = none or check the inputs");
  const double classes = static_cast<double>(weights.size());
  for (double& w : weights) {
    w = normalization == WeightNormalization::sum_to_classes ? w * classes / total : w / (total * classes);
  }
  return weights;
}

}  // namespace

Tensor balanced_class_weights(const std::vector<int64_t>& counts, ClassWeightOptions options) {
  constexpr const char* scheme = "balanced_class_weights";
  check_counts(scheme, counts);
  double total = 0.0;
  for (int64_t count : counts) total += static_cast<double>(count);
  const double classes = static_cast<double>(counts.size());
  std::vector<double> weights(counts.size());
  for (size_t c = 0; c < counts.size(); ++c) {
    FULCRUM_CHECK(counts[c] > 0, scheme << ": class " << c << " has no samples (count 0); the balanced weight "
                                        << "N / (C * n_c) is undefined for it (drop the class or choose a "
                                        << "scheme that smooths the counts)");
    weights[c] = total / (classes * static_cast<double>(counts[c]));  // N / (C · n_c)
  }
  return weights_tensor(scheme, weights, options.dtype);
}

Tensor inverse_frequency_class_weights(const std::vector<int64_t>& counts, InverseFrequencyOptions options) {
  constexpr const char* scheme = "inverse_frequency_class_weights";
  check_positive_counts(scheme, counts, "its inverse frequency 1 / n_c is undefined");
  const double p = options.power;
  FULCRUM_CHECK(std::isfinite(p) && p >= 0.0, scheme << ": power must be finite and >= 0, got " << p);
  double total = 0.0;
  for (int64_t count : counts) total += static_cast<double>(count);
  const double n_min = static_cast<double>(*std::min_element(counts.begin(), counts.end()));
  const double classes = static_cast<double>(counts.size());
  std::vector<double> weights(counts.size());
  for (size_t c = 0; c < counts.size(); ++c) {
    const double n = static_cast<double>(counts[c]);
    switch (options.normalization) {
      case InverseFrequencyNormalization::balanced: weights[c] = std::pow(total / (classes * n), p); break;
      case InverseFrequencyNormalization::relative_to_min: weights[c] = std::pow(n_min / n, p); break;
      case InverseFrequencyNormalization::sum_to_classes:  // rescaled below
      case InverseFrequencyNormalization::none: weights[c] = std::pow(n, -p); break;
    }
  }
  if (options.normalization == InverseFrequencyNormalization::sum_to_classes) {
    weights = normalize(scheme, std::move(weights), WeightNormalization::sum_to_classes);
  }
  return weights_tensor(scheme, weights, options.dtype);
}

Tensor inverse_sqrt_frequency_class_weights(const std::vector<int64_t>& counts, InverseFrequencyOptions options) {
  options.power = 0.5;
  return inverse_frequency_class_weights(counts, options);
}

Tensor effective_number_class_weights(const std::vector<int64_t>& counts, double beta, EffectiveNumberOptions options) {
  constexpr const char* scheme = "effective_number_class_weights";
  FULCRUM_CHECK(beta >= 0.0 && beta < 1.0, scheme << ": beta must be in [0, 1), got " << beta
                                                  << " (beta = 1 is the limit 'inverse frequency')");
  check_positive_counts(scheme, counts, "its effective number (1 - beta^0) / (1 - beta) is 0");
  std::vector<double> weights(counts.size());
  for (size_t c = 0; c < counts.size(); ++c) {
    // 1 − β^n = −expm1(n·log β); β = 0: log β = −inf, expm1(−inf) = −1, so α = 1.
    const double one_minus_beta_n = -std::expm1(static_cast<double>(counts[c]) * std::log(beta));
    weights[c] = (1.0 - beta) / one_minus_beta_n;  // α_c = 1 / E_{n_c}
  }
  return weights_tensor(scheme, normalize(scheme, std::move(weights), options.normalization), options.dtype);
}

Tensor cdt_temperatures(const std::vector<int64_t>& counts, double gamma, ClassWeightOptions options) {
  constexpr const char* scheme = "cdt_temperatures";
  FULCRUM_CHECK(std::isfinite(gamma) && gamma >= 0.0, scheme << ": gamma must be finite and >= 0, got " << gamma);
  check_positive_counts(scheme, counts, "its temperature (n_max / n_c)^gamma is undefined");
  const double n_max = static_cast<double>(*std::max_element(counts.begin(), counts.end()));
  std::vector<double> temperatures(counts.size());
  for (size_t c = 0; c < counts.size(); ++c) {
    temperatures[c] = std::pow(n_max / static_cast<double>(counts[c]), gamma);  // a_c = (n_max / n_c)^γ
  }
  return weights_tensor(scheme, temperatures, options.dtype);
}

Tensor ldam_margins(const std::vector<int64_t>& counts, double max_m, ClassWeightOptions options) {
  constexpr const char* scheme = "ldam_margins";
  FULCRUM_CHECK(std::isfinite(max_m) && max_m > 0.0, scheme << ": max_m must be finite and > 0, got " << max_m);
  check_positive_counts(scheme, counts, "its margin n_c^(-1/4) is undefined");
  std::vector<double> margins(counts.size());
  for (size_t c = 0; c < counts.size(); ++c) margins[c] = 1.0 / std::sqrt(std::sqrt(static_cast<double>(counts[c])));
  const double largest = *std::max_element(margins.begin(), margins.end());
  for (double& m : margins) m *= max_m / largest;  // the rarest class gets exactly max_m
  return weights_tensor(scheme, margins, options.dtype);
}

Tensor class_difficulty_weights(const std::vector<double>& accuracies, ClassDifficultyOptions options) {
  constexpr const char* scheme = "class_difficulty_weights";
  FULCRUM_CHECK(!accuracies.empty(), scheme << ": expected one accuracy per class, got an empty list");
  if (options.nan_accuracy) {
    const double substitute = *options.nan_accuracy;
    FULCRUM_CHECK(substitute >= 0.0 && substitute <= 1.0,
                  scheme << ": nan_accuracy must be in [0, 1], got " << substitute);
  }
  std::vector<double> difficulty(accuracies.size());
  for (size_t c = 0; c < accuracies.size(); ++c) {
    double accuracy = accuracies[c];
    if (std::isnan(accuracy)) {
      FULCRUM_CHECK(options.nan_accuracy.has_value(),
                    scheme << ": the accuracy of class " << c << " is NaN (a class absent from the validation "
                           << "set has no accuracy, 0/0); set ClassDifficultyOptions::nan_accuracy to choose a value");
      accuracy = *options.nan_accuracy;
    }
    FULCRUM_CHECK(accuracy >= 0.0 && accuracy <= 1.0,
                  scheme << ": accuracies must be in [0, 1], got accuracy[" << c << "] = " << accuracy);
    difficulty[c] = 1.0 - accuracy;  // d_c = 1 − A_c
  }
  double tau = options.tau;
  if (options.dynamic_tau) {
    // Official cdb_loss.py: τ = sigmoid((1 − min d) / (1 − max d + 0.01)).
    const double d_min = *std::min_element(difficulty.begin(), difficulty.end());
    const double d_max = *std::max_element(difficulty.begin(), difficulty.end());
    tau = 1.0 / (1.0 + std::exp(-(1.0 - d_min) / (1.0 - d_max + 0.01)));
  }
  FULCRUM_CHECK(std::isfinite(tau) && tau >= 0.0, scheme << ": tau must be finite and >= 0, got " << tau);
  std::vector<double> weights(difficulty.size());
  for (size_t c = 0; c < difficulty.size(); ++c) weights[c] = std::pow(difficulty[c], tau);  // d_c^τ
  return weights_tensor(scheme, normalize(scheme, std::move(weights), options.normalization), options.dtype);
}

}  // namespace fulcrum
