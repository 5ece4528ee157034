// metrics/threshold.cpp — threshold tuning by F1, G-mean or Youden's J (see the header).
#include "metrics/threshold.hpp"

#include <cmath>

#include "metrics/binary.hpp"
#include "metrics/input.hpp"

namespace fulcrum::metrics {

ThresholdChoice tune_threshold(const std::vector<double>& scores, const std::vector<int64_t>& targets,
                               ThresholdCriterion criterion) {
  detail::check_both_classes(scores, targets, "tune_threshold");
  // One pass over the distinct scores from high to low: tps / fps are the counts at "score ≥ t".
  const detail::ThresholdCounts counts = detail::threshold_counts(scores, targets);
  const double positives = static_cast<double>(counts.tps.back()), negatives = static_cast<double>(counts.fps.back());
  ThresholdChoice best{counts.thresholds.front(), -INFINITY};
  for (size_t k = 0; k < counts.thresholds.size(); ++k) {
    const double tp = static_cast<double>(counts.tps[k]), fp = static_cast<double>(counts.fps[k]);
    const double tpr = tp / positives, fpr = fp / negatives;
    double value = 0;
    switch (criterion) {
      case ThresholdCriterion::f1: value = 2 * tp / (2 * tp + fp + (positives - tp)); break;
      case ThresholdCriterion::g_mean: value = std::sqrt(tpr * (1 - fpr)); break;
      case ThresholdCriterion::youden_j: value = tpr - fpr; break;
    }
    if (value > best.value) best = {counts.thresholds[k], value};  // strict: the first (highest) wins ties
  }
  return best;
}

ThresholdChoice tune_threshold(const Tensor& scores, const Tensor& targets, ThresholdCriterion criterion) {
  return tune_threshold(detail::scores_of(scores, "tune_threshold"), detail::binary_targets_of(targets, "tune_threshold"),
                        criterion);
}

}  // namespace fulcrum::metrics
