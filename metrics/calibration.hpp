// metrics/calibration.hpp — post-hoc logit adjustment (Menon et al., "Long-tail learning via
// logit adjustment", ICLR 2021) and the expected calibration error with its reliability bins
// (Guo et al., "On calibration of modern neural networks", ICML 2017).
// Neighbours: threshold.hpp (the binary analogue of post-hoc rebalancing), classification.hpp.
#pragma once
#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum::metrics {

// Post-hoc logit adjustment: z'_c = z_c − τ · log π_c with the prior π_c = n_c / Σ n from the
// TRAINING counts; argmax z' is the balanced-error-optimal prediction for τ = 1 (Menon et al.
// §4, eq. 9). logits [N, C] (or [C]) floating; counts has C entries, every n_c > 0 (log 0 is
// −∞: an absent class would win every argmax — Error). Built from tensor ops, so it is
// differentiable in the logits (the loss form of the paper is in losses/, not here).
Tensor logit_adjust(const Tensor& logits, const std::vector<int64_t>& class_counts, double tau = 1.0);

struct CalibrationOptions {
  int64_t n_bins = 15;  // equal-width bins on [0, 1], as in Guo et al.'s code
};

// Reliability diagram data. Bin b covers (edge_b, edge_{b+1}] with edges = numpy.linspace(0, 1,
// B + 1) — right-closed like Guo et al.'s `confidence > lower & confidence <= upper`, so a
// confidence of exactly 1 is in the last bin; a confidence of exactly 0 goes to bin 0.
// confidence = max_c p_c, prediction = the first argmax (torch.max), correct = (prediction == target).
// Edges and comparisons are in double, also for f32 probabilities: an f32 confidence lying exactly
// on an edge (e.g. 0.3f with 10 bins, which is 0.30000001…) can land one bin away from Guo et
// al.'s PyTorch code, which compares f32 values with f32 torch.linspace edges.
struct CalibrationBins {
  std::vector<int64_t> count;        // samples per bin
  std::vector<double> accuracy;      // mean correctness in the bin (NaN for an empty bin)
  std::vector<double> confidence;    // mean confidence in the bin (NaN for an empty bin)
};
CalibrationBins calibration_bins(const Tensor& probabilities, const Tensor& targets, CalibrationOptions options = {});

// ECE = Σ_b (n_b / N) · |accuracy_b − confidence_b| over non-empty bins.
// probabilities [N, C] floating in [0, 1] (rows need not sum exactly to 1); targets i64 [N].
double expected_calibration_error(const Tensor& probabilities, const Tensor& targets, CalibrationOptions options = {});

}  // namespace fulcrum::metrics
