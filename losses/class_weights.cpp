// losses/class_weights.cpp — class_counts and the class-weighting schemes declared in
// class_weights.hpp. Each scheme checks its counts (non-empty, ≥ 0, > 0 where it divides),
// computes in double and converts once to the requested dtype.
#include "losses/class_weights.hpp"

#include "core/error.hpp"
#include "core/ops.hpp"

namespace fulcrum {
namespace {

void check_counts(const char* scheme, const std::vector<int64_t>& counts) {
  FULCRUM_CHECK(!counts.empty(), scheme << ": expected one count per class, got an empty list of counts");
  for (size_t c = 0; c < counts.size(); ++c) {
    FULCRUM_CHECK(counts[c] >= 0, scheme << ": class " << c << " has a negative count " << counts[c]);
  }
}

Tensor weights_tensor(const char* scheme, const std::vector<double>& weights, DType dtype) {
  FULCRUM_CHECK(is_floating(dtype), scheme << ": weights are real numbers; expected dtype f32 or f64, got " << dtype);
  return from_vector(weights, {static_cast<int64_t>(weights.size())}, {.dtype = dtype});
}

}  // namespace

std::vector<int64_t> class_counts(const Tensor& labels, int64_t num_classes) {
  FULCRUM_CHECK(labels.defined(), "class_counts: the labels tensor is undefined");
  FULCRUM_CHECK(labels.dtype() == DType::i64, "class_counts: labels must be i64 class indices, got "
                                                  << labels.dtype() << " " << shape_str(labels.shape()));
  FULCRUM_CHECK(num_classes >= 1, "class_counts: num_classes must be >= 1, got " << num_classes);
  std::vector<int64_t> counts(static_cast<size_t>(num_classes), 0);
  const Tensor dense = labels.detach().contiguous();
  const int64_t* values = dense.data_ptr<int64_t>();
  for (int64_t i = 0; i < dense.numel(); ++i) {
    FULCRUM_CHECK(values[i] >= 0 && values[i] < num_classes,
                  "class_counts: label " << values[i] << " (at flat position " << i
                                         << ") is out of range for num_classes = " << num_classes);
    ++counts[static_cast<size_t>(values[i])];
  }
  return counts;
}

Tensor balanced_class_weights(const std::vector<int64_t>& counts, ClassWeightOptions options) {
  constexpr const char* scheme = "balanced_class_weights";
  check_counts(scheme, counts);
  double total = 0.0;
  for (int64_t count : counts) total += static_cast<double>(count);
  const double classes = static_cast<double>(counts.size());
  std::vector<double> weights(counts.size());
  for (size_t c = 0; c < counts.size(); ++c) {
    FULCRUM_CHECK(counts[c] > 0, scheme << ": class " << c << " has no samples (count 0); the balanced weight "
                                        << "N / (C * n_c) is undefined for it (drop the class or choose a "
                                        << "scheme that smooths the counts)");
    weights[c] = total / (classes * static_cast<double>(counts[c]));  // N / (C · n_c)
  }
  return weights_tensor(scheme, weights, options.dtype);
}

}  // namespace fulcrum
