// metrics/classification.cpp — confusion matrix and per-class accuracy (see the header).
#include "metrics/classification.hpp"

#include <cmath>

#include "core/ops.hpp"

namespace fulcrum::metrics {

Tensor confusion_matrix(const Tensor& predictions, const Tensor& targets, int64_t num_classes) {
  FULCRUM_CHECK(predictions.defined() && targets.defined(), "confusion_matrix: an input tensor is undefined");
  FULCRUM_CHECK(predictions.dtype() == DType::i64 && targets.dtype() == DType::i64,
                "confusion_matrix: predictions and targets must be i64 class indices, got "
                    << predictions.dtype() << " and " << targets.dtype());
  FULCRUM_CHECK(predictions.shape() == targets.shape(),
                "confusion_matrix: predictions " << shape_str(predictions.shape()) << " and targets "
                                                 << shape_str(targets.shape()) << " must have the same shape");
  FULCRUM_CHECK(num_classes > 0, "confusion_matrix: num_classes must be ≥ 1, got " << num_classes);
  const std::vector<int64_t> predicted = predictions.to_vector<int64_t>(), truth = targets.to_vector<int64_t>();
  std::vector<int64_t> counts(num_classes * num_classes, 0);
  for (size_t i = 0; i < truth.size(); ++i) {
    FULCRUM_CHECK(truth[i] >= 0 && truth[i] < num_classes && predicted[i] >= 0 && predicted[i] < num_classes,
                  "confusion_matrix: sample " << i << " has target " << truth[i] << " and prediction "
                                              << predicted[i] << "; both must be in [0, " << num_classes << ")");
    ++counts[truth[i] * num_classes + predicted[i]];
  }
  return from_data(counts, {num_classes, num_classes});
}

std::vector<double> per_class_accuracy(const Tensor& confusion) {
  FULCRUM_CHECK(confusion.dim() == 2 && confusion.size(0) == confusion.size(1),
                "per_class_accuracy: expected a square confusion matrix, got " << shape_str(confusion.shape()));
  const int64_t classes = confusion.size(0);
  const std::vector<double> counts = confusion.to_vector<double>();
  std::vector<double> result(classes);
  for (int64_t c = 0; c < classes; ++c) {
    double support = 0;
    for (int64_t p = 0; p < classes; ++p) support += counts[c * classes + p];
    result[c] = support > 0 ? counts[c * classes + c] / support : NAN;
  }
  return result;
}

double accuracy(const Tensor& confusion) {
  FULCRUM_CHECK(confusion.dim() == 2 && confusion.size(0) == confusion.size(1),
                "accuracy: expected a square confusion matrix, got " << shape_str(confusion.shape()));
  const int64_t classes = confusion.size(0);
  const std::vector<double> counts = confusion.to_vector<double>();
  double correct = 0, total = 0;
  for (int64_t i = 0; i < classes * classes; ++i) total += counts[i];
  for (int64_t c = 0; c < classes; ++c) correct += counts[c * classes + c];
  return total > 0 ? correct / total : NAN;
}

}  // namespace fulcrum::metrics
