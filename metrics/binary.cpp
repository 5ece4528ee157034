// metrics/binary.cpp — counts at a threshold, ROC / PR curves, ROC-AUC and average precision
// (see the header; the loops follow sklearn's _binary_clf_curve and _ranking.py).
#include "metrics/binary.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "core/shape.hpp"
#include "metrics/input.hpp"

namespace fulcrum::metrics {

namespace {
double ratio(int64_t numerator, int64_t denominator) {
  return denominator > 0 ? static_cast<double>(numerator) / static_cast<double>(denominator) : NAN;
}
}  // namespace

double BinaryCounts::recall() const { return ratio(true_positives, true_positives + false_negatives); }
double BinaryCounts::precision() const { return ratio(true_positives, true_positives + false_positives); }
double BinaryCounts::specificity() const { return ratio(true_negatives, true_negatives + false_positives); }
double BinaryCounts::f1() const {
  return ratio(2 * true_positives, 2 * true_positives + false_positives + false_negatives);
}

BinaryCounts binary_counts(const std::vector<double>& scores, const std::vector<int64_t>& targets, double threshold) {
  detail::check_binary_inputs(scores, targets, "binary_counts");
  FULCRUM_CHECK(!std::isnan(threshold), "binary_counts: threshold is NaN");
  BinaryCounts counts;
  for (size_t i = 0; i < scores.size(); ++i) {
    const bool predicted_positive = scores[i] >= threshold;
    if (targets[i] == 1) (predicted_positive ? counts.true_positives : counts.false_negatives)++;
    else (predicted_positive ? counts.false_positives : counts.true_negatives)++;
  }
  return counts;
}

BinaryCounts binary_counts(const Tensor& scores, const Tensor& targets, double threshold) {
  return binary_counts(detail::scores_of(scores, "binary_counts"), detail::binary_targets_of(targets, "binary_counts"),
                       threshold);
}

double roc_auc_score(const std::vector<double>& scores, const std::vector<int64_t>& targets) {
  detail::check_both_classes(scores, targets, "roc_auc_score");
  const size_t n = scores.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  // Walk the ascending scores group by group of equal values; each member of a group of ranks
  // first+1 … last gets the mean rank (first + 1 + last) / 2.
  double positive_rank_sum = 0;
  int64_t positives = 0;
  for (size_t first = 0; first < n;) {
    size_t last = first;
    while (last + 1 < n && scores[order[last + 1]] == scores[order[first]]) ++last;
    const double mean_rank = (static_cast<double>(first) + 1 + static_cast<double>(last) + 1) / 2;
    for (size_t k = first; k <= last; ++k)
      if (targets[order[k]] == 1) positive_rank_sum += mean_rank, ++positives;
    first = last + 1;
  }
  const double p = static_cast<double>(positives), negatives = static_cast<double>(n) - p;
  return (positive_rank_sum - p * (p + 1) / 2) / (p * negatives);
}

double roc_auc_score(const Tensor& scores, const Tensor& targets) {
  return roc_auc_score(detail::scores_of(scores, "roc_auc_score"), detail::binary_targets_of(targets, "roc_auc_score"));
}

double roc_auc_score_ovr(const Tensor& probabilities, const Tensor& targets) {
  const char* function = "roc_auc_score_ovr";
  const std::vector<int64_t> labels = detail::check_probabilities_and_targets(probabilities, targets, function);
  const int64_t n = probabilities.size(0), classes = probabilities.size(1);
  FULCRUM_CHECK(classes >= 2, function << ": need at least 2 classes (columns), got " << classes);
  const std::vector<double> values = probabilities.to_vector<double>();
  for (int64_t i = 0; i < n; ++i) {
    double row_sum = 0;
    for (int64_t c = 0; c < classes; ++c) row_sum += values[i * classes + c];
    FULCRUM_CHECK(std::abs(row_sum - 1) <= 1e-8 + 1e-5 * std::abs(row_sum),
                  function << ": row " << i << " of probabilities sums to " << row_sum
                           << "; one-vs-rest ROC-AUC needs probabilities (apply softmax to logits)");
  }
  double sum = 0;
  std::vector<double> column(n);
  std::vector<int64_t> is_class(n);
  for (int64_t c = 0; c < classes; ++c) {
    int64_t count = 0;
    for (int64_t i = 0; i < n; ++i) {
      column[i] = values[i * classes + c];
      is_class[i] = labels[i] == c ? 1 : 0;
      count += is_class[i];
    }
    FULCRUM_CHECK(count > 0 && count < n, function << ": class " << c << " has " << count << " of " << n
                                                   << " samples in targets; its one-vs-rest AUC is not defined");
    sum += roc_auc_score(column, is_class);
  }
  return sum / static_cast<double>(classes);
}

detail::ThresholdCounts detail::threshold_counts(const std::vector<double>& scores,
                                                 const std::vector<int64_t>& targets) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  ThresholdCounts result;
  int64_t tps = 0, seen = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    tps += targets[order[k]];
    ++seen;
    // Emit a point at the end of each group of equal scores: all of them pass "score ≥ t" together.
    if (k + 1 == order.size() || scores[order[k + 1]] != scores[order[k]]) {
      result.thresholds.push_back(scores[order[k]]);
      result.tps.push_back(tps);
      result.fps.push_back(seen - tps);
    }
  }
  return result;
}

RocCurve roc_curve(const std::vector<double>& scores, const std::vector<int64_t>& targets, bool drop_intermediate) {
  detail::check_both_classes(scores, targets, "roc_curve");
  detail::ThresholdCounts counts = detail::threshold_counts(scores, targets);
  std::vector<size_t> kept;
  const size_t points = counts.thresholds.size();
  for (size_t k = 0; k < points; ++k) {
    // sklearn: keep the ends and every point where the curve's second difference is non-zero.
    const bool interior = k > 0 && k + 1 < points;
    if (drop_intermediate && interior && counts.fps[k + 1] - 2 * counts.fps[k] + counts.fps[k - 1] == 0 &&
        counts.tps[k + 1] - 2 * counts.tps[k] + counts.tps[k - 1] == 0)
      continue;
    kept.push_back(k);
  }
  const double positives = static_cast<double>(counts.tps.back()), negatives = static_cast<double>(counts.fps.back());
  RocCurve curve{{0.0}, {0.0}, {INFINITY}};
  for (size_t k : kept) {
    curve.fpr.push_back(static_cast<double>(counts.fps[k]) / negatives);
    curve.tpr.push_back(static_cast<double>(counts.tps[k]) / positives);
    curve.thresholds.push_back(counts.thresholds[k]);
  }
  return curve;
}

RocCurve roc_curve(const Tensor& scores, const Tensor& targets, bool drop_intermediate) {
  return roc_curve(detail::scores_of(scores, "roc_curve"), detail::binary_targets_of(targets, "roc_curve"),
                   drop_intermediate);
}

PrecisionRecallCurve precision_recall_curve(const std::vector<double>& scores, const std::vector<int64_t>& targets) {
  const int64_t positives = detail::check_binary_inputs(scores, targets, "precision_recall_curve");
  FULCRUM_CHECK(positives > 0, "precision_recall_curve: no positive sample in targets; recall is not defined");
  const detail::ThresholdCounts counts = detail::threshold_counts(scores, targets);
  PrecisionRecallCurve curve;
  // threshold_counts runs from high to low thresholds; sklearn reports them low to high.
  for (size_t k = counts.thresholds.size(); k-- > 0;) {
    curve.precision.push_back(static_cast<double>(counts.tps[k]) / static_cast<double>(counts.tps[k] + counts.fps[k]));
    curve.recall.push_back(static_cast<double>(counts.tps[k]) / static_cast<double>(positives));
    curve.thresholds.push_back(counts.thresholds[k]);
  }
  curve.precision.push_back(1.0);
  curve.recall.push_back(0.0);
  return curve;
}

PrecisionRecallCurve precision_recall_curve(const Tensor& scores, const Tensor& targets) {
  return precision_recall_curve(detail::scores_of(scores, "precision_recall_curve"),
                                detail::binary_targets_of(targets, "precision_recall_curve"));
}

double average_precision_score(const std::vector<double>& scores, const std::vector<int64_t>& targets) {
  const int64_t positives = detail::check_binary_inputs(scores, targets, "average_precision_score");
  FULCRUM_CHECK(positives > 0, "average_precision_score: no positive sample in targets; average precision is "
                               "not defined (sklearn 1.2 returns 0 with a warning)");
  const detail::ThresholdCounts counts = detail::threshold_counts(scores, targets);
  double average_precision = 0, previous_recall = 0;
  for (size_t k = 0; k < counts.thresholds.size(); ++k) {
    const double recall = static_cast<double>(counts.tps[k]) / static_cast<double>(positives);
    const double precision = static_cast<double>(counts.tps[k]) / static_cast<double>(counts.tps[k] + counts.fps[k]);
    average_precision += (recall - previous_recall) * precision;
    previous_recall = recall;
  }
  return average_precision;
}

double average_precision_score(const Tensor& scores, const Tensor& targets) {
  return average_precision_score(detail::scores_of(scores, "average_precision_score"),
                                 detail::binary_targets_of(targets, "average_precision_score"));
}

}  // namespace fulcrum::metrics
