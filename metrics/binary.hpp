// metrics/binary.hpp — metrics of a binary scorer (higher score = more positive): counts at a
// threshold, the ROC curve and ROC-AUC (binary, and one-vs-rest macro for multi-class
// probabilities), the precision–recall curve and average precision. Names and semantics follow
// sklearn.metrics 1.2. Threshold tuning is in threshold.hpp; multi-class counts in
// classification.hpp.
//
// Inputs: scores as std::vector<double> or a 1-D floating Tensor (probabilities, logits, any
// monotone score); targets as std::vector<int64_t> or a 1-D Tensor (i64, u8 or floating) holding
// exactly 0 or 1. Scores must be finite (NaN / ±inf → Error, as sklearn). Not differentiable:
// results are doubles / structs.
#pragma once
#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum::metrics {

// A sample is predicted positive when score ≥ threshold (sklearn's roc_curve convention).
struct BinaryCounts {
  int64_t true_positives = 0, false_positives = 0, true_negatives = 0, false_negatives = 0;
  double recall() const;     // TP / (TP + FN); NaN without positives
  double precision() const;  // TP / (TP + FP); NaN when nothing is predicted positive
  double specificity() const;  // TN / (TN + FP); NaN without negatives
  double f1() const;         // 2TP / (2TP + FP + FN); NaN when TP + FP + FN = 0
};
BinaryCounts binary_counts(const std::vector<double>& scores, const std::vector<int64_t>& targets, double threshold);
BinaryCounts binary_counts(const Tensor& scores, const Tensor& targets, double threshold);

// Area under the ROC curve = the Mann–Whitney statistic: the probability that a random positive
// scores above a random negative, a tie counting ½. Computed from average ranks:
//   AUC = (Σ_{positives} rank − P(P+1)/2) / (P·N), ranks 1..P+N, tied scores share their mean rank,
// which equals sklearn's trapezoidal area under the full ROC curve. Both classes must be present
// (sklearn: "Only one class present in y_true. ROC AUC score is not defined in that case.").
double roc_auc_score(const std::vector<double>& scores, const std::vector<int64_t>& targets);
double roc_auc_score(const Tensor& scores, const Tensor& targets);

// One-vs-rest macro ROC-AUC: the mean over classes c of roc_auc_score(probabilities[:, c],
// targets == c) — sklearn's roc_auc_score(y, P, multi_class='ovr', average='macro').
// probabilities [N, C] floating, rows summing to 1 (checked like sklearn, within 1e-5 relative +
// 1e-8: the per-column ranking of logits differs from that of their softmax); targets i64 [N] in
// [0, C); every class must occur in the targets (else its AUC is undefined: Error naming it).
double roc_auc_score_ovr(const Tensor& probabilities, const Tensor& targets);

// The ROC curve: points (fpr, tpr) for the thresholds = distinct scores in decreasing order,
// preceded by (0, 0) at threshold +inf (sklearn ≥ 1.3; 1.2 puts max score + 1 there).
// drop_intermediate removes the points on a straight segment between their neighbours, like sklearn.
struct RocCurve {
  std::vector<double> fpr, tpr, thresholds;
};
RocCurve roc_curve(const std::vector<double>& scores, const std::vector<int64_t>& targets,
                   bool drop_intermediate = true);
RocCurve roc_curve(const Tensor& scores, const Tensor& targets, bool drop_intermediate = true);

// The precision–recall curve in sklearn 1.2's layout: thresholds = the distinct scores in
// increasing order; precision[i], recall[i] for "score ≥ thresholds[i]"; one last point
// (precision 1, recall 0) without threshold, so precision/recall have one more entry. Needs a
// positive (sklearn 1.2 warns and sets recall to 1; here: Error).
struct PrecisionRecallCurve {
  std::vector<double> precision, recall, thresholds;
};
PrecisionRecallCurve precision_recall_curve(const std::vector<double>& scores, const std::vector<int64_t>& targets);
PrecisionRecallCurve precision_recall_curve(const Tensor& scores, const Tensor& targets);

// Average precision, sklearn's step-wise sum (no interpolation, not the trapezoid):
//   AP = Σ_k (R_k − R_{k−1}) · P_k over the thresholds from high to low, R_0 = 0.
// Needs at least one positive (sklearn 1.2 returns 0 with a warning; here: Error). Without
// negatives AP = 1.
double average_precision_score(const std::vector<double>& scores, const std::vector<int64_t>& targets);
double average_precision_score(const Tensor& scores, const Tensor& targets);

namespace detail {
// sklearn's _binary_clf_curve: for each distinct score t in decreasing order, the number of
// positives (tps) and negatives (fps) with score ≥ t. Inputs already checked.
struct ThresholdCounts {
  std::vector<double> thresholds;
  std::vector<int64_t> tps, fps;
};
ThresholdCounts threshold_counts(const std::vector<double>& scores, const std::vector<int64_t>& targets);
}  // namespace detail

}  // namespace fulcrum::metrics
