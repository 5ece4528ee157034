// metrics/classification.hpp — what happens to each class of a multi-class classifier: the
// confusion matrix, per-class recall / precision / F1 / support, their macro / micro / weighted
// averages, accuracy, balanced accuracy and the G-mean. Inputs are i64 class indices (Tensors) or
// std::vectors; everything downstream of the confusion matrix takes the [C, C] matrix.
// Neighbours: binary.hpp (scores: ROC / PR), threshold.hpp, calibration.hpp, report.hpp,
// class_stats.hpp. Names and semantics follow sklearn.metrics (1.2).
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum::metrics {

// counts[t][p] = number of samples with target t predicted as p; [C, C] i64. Rows = true class,
// columns = predicted class, like sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(C)).
Tensor confusion_matrix(const Tensor& predictions, const Tensor& targets, int64_t num_classes);
Tensor confusion_matrix(const std::vector<int64_t>& predictions, const std::vector<int64_t>& targets,
                        int64_t num_classes);

// Recall of each class: correct_c / support_c. A class with no samples gets NaN (undefined,
// and visibly so), never 0 or 1.
std::vector<double> per_class_accuracy(const Tensor& confusion);

// Σ diagonal / Σ all; NaN for an empty matrix.
double accuracy(const Tensor& confusion);

// ---- precision / recall / F1 ----------------------------------------------------------------
// For class c: tp = M[c][c], support (true_sum) = Σ row c, predicted (pred_sum) = Σ column c.
//   precision_c = tp / predicted,  recall_c = tp / support,  F1_c = 2·P·R / (P + R) (0 if P + R = 0).
// Undefined ratios (0/0: a class never predicted → precision; a class absent from the targets →
// recall) take the value `zero_division`, exactly like sklearn's `zero_division` argument:
//   0 (default, = sklearn's default "warn" without the warning) or 1: the value is substituted
//   and then counted in every average (a class absent from targets AND predictions gets
//   P = R = F1 = zero_division; absent from targets only: P = 0 (it was predicted, all wrong),
//   R = zero_division, F1 = 0). This equals sklearn's
//   f1_score(y, p, labels=range(C), average='macro', zero_division=0): the absent class is
//   COUNTED AS 0 in macro-F1 — pass the full label set; it drags the macro average down.
//   F1 itself is 2tp / (2tp + fp + fn): defined (0) whenever the class has samples or predictions.
//   NaN: undefined values stay NaN (F1 only for a class absent from targets and predictions)
//   and the averages skip them —
//   the absent class is EXCLUDED from the macro average (sklearn ≥ 1.3's zero_division=np.nan;
//   for a class absent from targets and predictions this equals leaving it out of `labels=`).
struct PrecisionRecallFscoreSupport {
  std::vector<double> precision, recall, f1;
  std::vector<int64_t> support;  // number of true samples per class
};
PrecisionRecallFscoreSupport precision_recall_fscore_support(const Tensor& confusion, double zero_division = 0);

// sklearn's `average=`: macro = unweighted mean over classes; weighted = mean weighted by support;
// micro = from the summed counts (Σtp / Σpredicted …); for single-label multi-class data over all
// C classes micro precision = micro recall = micro F1 = accuracy.
enum class Average { macro, micro, weighted };
double precision_score(const Tensor& confusion, Average average = Average::macro, double zero_division = 0);
double recall_score(const Tensor& confusion, Average average = Average::macro, double zero_division = 0);
double f1_score(const Tensor& confusion, Average average = Average::macro, double zero_division = 0);

// Mean of the per-class recalls over the classes present in the targets (a class with no true
// samples is skipped, as sklearn.metrics.balanced_accuracy_score does with a warning).
double balanced_accuracy_score(const Tensor& confusion);

// G-mean = (Π_c recall_c)^(1/K) over the K classes present in the targets (imblearn's
// geometric_mean_score, average='multiclass'). One class with recall 0 makes the G-mean 0 — that
// is the point of the metric (a fully missed class is not averaged away); imblearn's `correction`
// replaces a zero recall by a small value instead (correction = 0 keeps the plain definition).
double geometric_mean_score(const Tensor& confusion, double correction = 0);

}  // namespace fulcrum::metrics
