// metrics/threshold.hpp — choosing the decision threshold of a binary scorer on a validation set
// (post-hoc rebalancing: the default 0.5 of a model trained on imbalanced data is rarely best).
// Neighbours: binary.hpp (the counts and curves), calibration.hpp (logit adjustment).
#pragma once
#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum::metrics {

// What to maximise over thresholds t (predict positive when score ≥ t):
//   f1        2TP / (2TP + FP + FN)
//   g_mean    sqrt(TPR · TNR) = sqrt(recall · specificity)
//   youden_j  TPR − FPR = recall + specificity − 1 (the ROC point farthest above the diagonal)
enum class ThresholdCriterion { f1, g_mean, youden_j };

struct ThresholdChoice {
  double threshold = 0;  // one of the scores: predict positive when score ≥ threshold
  double value = 0;      // the criterion at that threshold
};

// Tries every distinct score as the threshold. Ties (several thresholds reach the same best
// value) are resolved towards the HIGHEST such threshold — the most conservative one, which
// predicts the fewest positives. Both classes must be present in targets.
ThresholdChoice tune_threshold(const std::vector<double>& scores, const std::vector<int64_t>& targets,
                               ThresholdCriterion criterion);
ThresholdChoice tune_threshold(const Tensor& scores, const Tensor& targets, ThresholdCriterion criterion);

}  // namespace fulcrum::metrics
