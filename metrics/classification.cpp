// metrics/classification.cpp — confusion matrix, per-class precision / recall / F1, their
// averages, balanced accuracy and G-mean (see the header for the definitions and sklearn names).
#include "metrics/classification.hpp"

#include <cmath>

#include "core/class_labels.hpp"
#include "core/ops.hpp"
#include "metrics/input.hpp"

namespace fulcrum::metrics {

Tensor confusion_matrix(const std::vector<int64_t>& predictions, const std::vector<int64_t>& targets,
                        int64_t num_classes) {
  FULCRUM_CHECK(predictions.size() == targets.size(),
                "confusion_matrix: predictions has " << predictions.size() << " elements but targets has "
                                                     << targets.size() << "; they must have the same length");
  FULCRUM_CHECK(num_classes > 0, "confusion_matrix: num_classes must be ≥ 1, got " << num_classes);
  std::vector<int64_t> counts(num_classes * num_classes, 0);
  check_class_labels(targets, num_classes, "confusion_matrix");
  check_class_labels(predictions, num_classes, "confusion_matrix", "prediction");
  for (size_t i = 0; i < targets.size(); ++i) {
    ++counts[targets[i] * num_classes + predictions[i]];
  }
  return from_data(counts, {num_classes, num_classes});
}

Tensor confusion_matrix(const Tensor& predictions, const Tensor& targets, int64_t num_classes) {
  FULCRUM_CHECK(predictions.defined() && targets.defined(), "confusion_matrix: an input tensor is undefined");
  FULCRUM_CHECK(predictions.dtype() == DType::i64 && targets.dtype() == DType::i64,
                "confusion_matrix: predictions and targets must be i64 class indices, got "
                    << predictions.dtype() << " and " << targets.dtype());
  FULCRUM_CHECK(predictions.shape() == targets.shape(),
                "confusion_matrix: predictions " << shape_str(predictions.shape()) << " and targets "
                                                 << shape_str(targets.shape()) << " must have the same shape");
  return confusion_matrix(predictions.to_vector<int64_t>(), targets.to_vector<int64_t>(), num_classes);
}

namespace {

// The counts every per-class metric is made of, read from a checked square matrix.
struct ClassCounts {
  std::vector<double> true_positives, support, predicted;  // diagonal, row sums, column sums
  double total = 0;
};

ClassCounts class_counts_of(const Tensor& confusion, const char* function) {
  FULCRUM_CHECK(confusion.defined() && confusion.dim() == 2 && confusion.size(0) == confusion.size(1),
                function << ": expected a square [C, C] confusion matrix, got "
                         << (confusion.defined() ? shape_str(confusion.shape()) : std::string("undefined")));
  const int64_t classes = confusion.size(0);
  const std::vector<double> counts = confusion.to_vector<double>();
  ClassCounts result{std::vector<double>(classes, 0), std::vector<double>(classes, 0),
                     std::vector<double>(classes, 0)};
  for (int64_t t = 0; t < classes; ++t) {
    for (int64_t p = 0; p < classes; ++p) {
      const double count = counts[t * classes + p];
      FULCRUM_CHECK(count >= 0 && std::isfinite(count), function << ": confusion matrix entry [" << t << ", " << p
                                                                 << "] is " << count << "; counts must be ≥ 0");
      result.support[t] += count;
      result.predicted[p] += count;
      result.total += count;
    }
    result.true_positives[t] = counts[t * classes + t];
  }
  return result;
}

// Mean of the non-NaN values, weighted (weights empty = unweighted); NaN if none is left.
double nan_skipping_mean(const std::vector<double>& values, const std::vector<double>& weights) {
  double sum = 0, weight_sum = 0;
  for (size_t c = 0; c < values.size(); ++c) {
    if (std::isnan(values[c])) continue;
    const double weight = weights.empty() ? 1.0 : weights[c];
    sum += weight * values[c];
    weight_sum += weight;
  }
  return weight_sum > 0 ? sum / weight_sum : NAN;
}

double harmonic_mean(double precision, double recall) {
  if (std::isnan(precision) || std::isnan(recall)) return NAN;
  return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
}

PrecisionRecallFscoreSupport per_class_scores(const Tensor& confusion, double zero_division, const char* function);

enum class Which { precision, recall, f1 };

double averaged_score(const Tensor& confusion, Average average, double zero_division, Which which,
                      const char* function) {
  if (average == Average::micro) {
    const ClassCounts counts = class_counts_of(confusion, function);
    FULCRUM_CHECK(counts.total > 0, function << ": the confusion matrix holds no samples");
    // Σtp / Σpredicted and Σtp / Σsupport: both are correct / N for single-label data.
    double true_positives = 0;
    for (double tp : counts.true_positives) true_positives += tp;
    const double precision = true_positives / counts.total, recall = true_positives / counts.total;
    return which == Which::f1 ? harmonic_mean(precision, recall) : which == Which::precision ? precision : recall;
  }
  const PrecisionRecallFscoreSupport scores = per_class_scores(confusion, zero_division, function);
  const std::vector<double>& values =
      which == Which::precision ? scores.precision : which == Which::recall ? scores.recall : scores.f1;
  std::vector<double> weights;
  if (average == Average::weighted) weights.assign(scores.support.begin(), scores.support.end());
  return nan_skipping_mean(values, weights);
}

}  // namespace

std::vector<double> per_class_accuracy(const Tensor& confusion) {
  const ClassCounts counts = class_counts_of(confusion, "per_class_accuracy");
  std::vector<double> result(counts.support.size());
  for (size_t c = 0; c < result.size(); ++c)
    result[c] = counts.support[c] > 0 ? counts.true_positives[c] / counts.support[c] : NAN;
  return result;
}

double accuracy(const Tensor& confusion) {
  const ClassCounts counts = class_counts_of(confusion, "accuracy");
  double correct = 0;
  for (double tp : counts.true_positives) correct += tp;
  return counts.total > 0 ? correct / counts.total : NAN;
}

namespace {
// precision_recall_fscore_support, with the name of the public function that asked in errors.
PrecisionRecallFscoreSupport per_class_scores(const Tensor& confusion, double zero_division, const char* function) {
  FULCRUM_CHECK(std::isnan(zero_division) || zero_division == 0 || zero_division == 1,
                function << ": zero_division must be 0, 1 or NaN (as in sklearn), got " << zero_division);
  const ClassCounts counts = class_counts_of(confusion, function);
  FULCRUM_CHECK(counts.total > 0, function << ": the confusion matrix holds no samples");
  const size_t classes = counts.support.size();
  PrecisionRecallFscoreSupport result{std::vector<double>(classes), std::vector<double>(classes),
                                      std::vector<double>(classes), std::vector<int64_t>(classes)};
  for (size_t c = 0; c < classes; ++c) {
    const double tp = counts.true_positives[c];
    result.precision[c] = counts.predicted[c] > 0 ? tp / counts.predicted[c] : zero_division;
    result.recall[c] = counts.support[c] > 0 ? tp / counts.support[c] : zero_division;
    // F1 = 2tp / (2tp + fp + fn): the harmonic mean of P and R where both exist (computed as
    // 2PR / (P + R), sklearn 1.2's rounding), and 0 — still defined — for a class that has
    // samples but is never predicted or is predicted but has no samples (then tp = 0). Only a
    // class absent from targets and predictions takes zero_division (sklearn ≥ 1.3's rule; for
    // zero_division 0 or 1 it equals sklearn 1.2).
    if (counts.predicted[c] > 0 && counts.support[c] > 0) {
      result.f1[c] = harmonic_mean(result.precision[c], result.recall[c]);
    } else {
      result.f1[c] = counts.predicted[c] + counts.support[c] > 0 ? 0.0 : zero_division;
    }
    result.support[c] = static_cast<int64_t>(counts.support[c]);
  }
  return result;
}
}  // namespace

PrecisionRecallFscoreSupport precision_recall_fscore_support(const Tensor& confusion, double zero_division) {
  return per_class_scores(confusion, zero_division, "precision_recall_fscore_support");
}

double precision_score(const Tensor& confusion, Average average, double zero_division) {
  return averaged_score(confusion, average, zero_division, Which::precision, "precision_score");
}

double recall_score(const Tensor& confusion, Average average, double zero_division) {
  return averaged_score(confusion, average, zero_division, Which::recall, "recall_score");
}

double f1_score(const Tensor& confusion, Average average, double zero_division) {
  return averaged_score(confusion, average, zero_division, Which::f1, "f1_score");
}

double balanced_accuracy_score(const Tensor& confusion) {
  const std::vector<double> recalls = per_class_accuracy(confusion);  // NaN for absent classes
  const double result = nan_skipping_mean(recalls, {});
  FULCRUM_CHECK(!std::isnan(result), "balanced_accuracy_score: the confusion matrix holds no samples");
  return result;
}

double geometric_mean_score(const Tensor& confusion, double correction) {
  FULCRUM_CHECK(correction >= 0 && correction <= 1,
                "geometric_mean_score: correction must be in [0, 1], got " << correction);
  const std::vector<double> recalls = per_class_accuracy(confusion);
  // exp(mean log recall) = the K-th root of the product, without the product underflowing for
  // many small recalls; a zero recall (after correction) short-cuts to 0.
  double log_sum = 0;
  int64_t present = 0;
  for (double recall : recalls) {
    if (std::isnan(recall)) continue;
    ++present;
    const double value = recall > 0 ? recall : correction;
    if (value == 0) return 0.0;
    log_sum += std::log(value);
  }
  FULCRUM_CHECK(present > 0, "geometric_mean_score: the confusion matrix holds no samples");
  return std::exp(log_sum / static_cast<double>(present));
}

}  // namespace fulcrum::metrics
