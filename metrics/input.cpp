// metrics/input.cpp — conversion and checking of metric inputs (see metrics/input.hpp).
#include "metrics/input.hpp"

#include <cmath>

#include "core/class_labels.hpp"
#include "core/error.hpp"
#include "core/shape.hpp"

namespace fulcrum::metrics::detail {

std::vector<int64_t> class_indices(const Tensor& tensor, const char* function, const char* what) {
  FULCRUM_CHECK(tensor.defined(), function << ": " << what << " is an undefined tensor");
  FULCRUM_CHECK(tensor.dtype() == DType::i64,
                function << ": " << what << " must be i64 class indices, got " << tensor.dtype());
  FULCRUM_CHECK(tensor.dim() == 1,
                function << ": " << what << " must be 1-D [N], got " << shape_str(tensor.shape()));
  return tensor.to_vector<int64_t>();
}

std::vector<double> scores_of(const Tensor& tensor, const char* function) {
  FULCRUM_CHECK(tensor.defined(), function << ": scores is an undefined tensor");
  FULCRUM_CHECK(is_floating(tensor.dtype()),
                function << ": scores must be a floating tensor (f32 or f64), got " << tensor.dtype());
  FULCRUM_CHECK(tensor.dim() == 1, function << ": scores must be 1-D [N], got " << shape_str(tensor.shape()));
  return tensor.to_vector<double>();
}

std::vector<int64_t> binary_targets_of(const Tensor& tensor, const char* function) {
  FULCRUM_CHECK(tensor.defined(), function << ": targets is an undefined tensor");
  FULCRUM_CHECK(tensor.dim() == 1, function << ": targets must be 1-D [N], got " << shape_str(tensor.shape()));
  const std::vector<double> values = tensor.to_vector<double>();
  std::vector<int64_t> targets(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    FULCRUM_CHECK(values[i] == 0 || values[i] == 1,
                  function << ": targets must be 0 or 1, got " << values[i] << " at index " << i);
    targets[i] = static_cast<int64_t>(values[i]);
  }
  return targets;
}

int64_t check_binary_inputs(const std::vector<double>& scores, const std::vector<int64_t>& targets,
                            const char* function) {
  FULCRUM_CHECK(scores.size() == targets.size(), function << ": scores has " << scores.size()
                                                          << " elements but targets has " << targets.size()
                                                          << "; they must have the same length");
  FULCRUM_CHECK(!scores.empty(), function << ": empty input (no samples)");
  int64_t positives = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    FULCRUM_CHECK(std::isfinite(scores[i]),
                  function << ": scores must be finite, got " << scores[i] << " at index " << i);
    FULCRUM_CHECK(targets[i] == 0 || targets[i] == 1,
                  function << ": targets must be 0 or 1, got " << targets[i] << " at index " << i);
    positives += targets[i];
  }
  return positives;
}

void check_both_classes(const std::vector<double>& scores, const std::vector<int64_t>& targets,
                        const char* function) {
  const int64_t positives = check_binary_inputs(scores, targets, function);
  const int64_t negatives = static_cast<int64_t>(targets.size()) - positives;
  FULCRUM_CHECK(positives > 0 && negatives > 0,
                function << ": only one class present in targets (" << positives << " positives, " << negatives
                         << " negatives); the metric is not defined in that case");
}

std::vector<int64_t> check_probabilities_and_targets(const Tensor& probabilities, const Tensor& targets,
                                                     const char* function) {
  FULCRUM_CHECK(probabilities.defined() && is_floating(probabilities.dtype()) && probabilities.dim() == 2,
                function << ": probabilities must be a floating [N, C] tensor, got "
                         << (probabilities.defined() ? shape_str(probabilities.shape()) : std::string("undefined")));
  std::vector<int64_t> labels = class_indices(targets, function, "targets");
  const int64_t n = probabilities.size(0), classes = probabilities.size(1);
  FULCRUM_CHECK(static_cast<int64_t>(labels.size()) == n,
                function << ": probabilities " << shape_str(probabilities.shape()) << " and targets "
                         << shape_str(targets.shape()) << " must have the same number of samples");
  FULCRUM_CHECK(n > 0 && classes > 0, function << ": empty input (no samples)");
  check_class_labels(labels, classes, function);
  return labels;
}

}  // namespace fulcrum::metrics::detail
