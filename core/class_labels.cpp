// core/class_labels.cpp — check_class_labels and class_counts of class_labels.hpp. Labels are read
// through Tensor::to_vector (a host copy), never through a raw data pointer.
#include "core/class_labels.hpp"

#include "core/error.hpp"

namespace fulcrum {

void check_class_labels(const std::vector<int64_t>& labels, int64_t num_classes, const char* op, const char* what) {
  for (size_t i = 0; i < labels.size(); ++i) {
    FULCRUM_CHECK(labels[i] >= 0 && labels[i] < num_classes,
                  op << ": " << what << " " << labels[i] << " (at position " << i << ") is out of range for C = "
                     << num_classes << " classes; expected 0 <= " << what << " < " << num_classes);
  }
}

std::vector<int64_t> check_class_labels(const Tensor& labels, int64_t num_classes, const char* op, const char* what) {
  FULCRUM_CHECK(labels.defined(), op << ": the " << what << "s tensor is undefined");
  FULCRUM_CHECK(labels.dtype() == DType::i64, op << ": " << what << "s must be i64 class indices, got "
                                                 << labels.dtype() << " " << shape_str(labels.shape()));
  std::vector<int64_t> values = labels.to_vector<int64_t>();
  check_class_labels(values, num_classes, op, what);
  return values;
}

std::vector<int64_t> class_counts(const std::vector<int64_t>& labels, int64_t num_classes) {
  FULCRUM_CHECK(num_classes >= 1, "class_counts: num_classes must be >= 1, got " << num_classes);
  check_class_labels(labels, num_classes, "class_counts");
  std::vector<int64_t> counts(static_cast<size_t>(num_classes), 0);
  for (int64_t label : labels) ++counts[static_cast<size_t>(label)];
  return counts;
}

std::vector<int64_t> class_counts(const Tensor& labels, int64_t num_classes) {
  FULCRUM_CHECK(num_classes >= 1, "class_counts: num_classes must be >= 1, got " << num_classes);
  return class_counts(check_class_labels(labels, num_classes, "class_counts", "label"), num_classes);
}

}  // namespace fulcrum
