// losses/loss_checks.cpp — the shared loss input checks of loss_checks.hpp.
#include "losses/loss_checks.hpp"

#include <cmath>

#include "core/class_labels.hpp"
#include "core/error.hpp"

namespace fulcrum::loss_checks {

void floating(const char* loss, const char* what, const Tensor& x) {
  FULCRUM_CHECK(x.defined(), loss << ": the " << what << " tensor is undefined");
  FULCRUM_CHECK(is_floating(x.dtype()), loss << ": " << what << " must be floating (f32 or f64), got " << x.dtype()
                                             << " " << shape_str(x.shape()));
}

void check_scores(const char* loss, const char* what, const Tensor& input) {
  floating(loss, what, input);
  FULCRUM_CHECK(input.dim() == 2 && input.size(1) >= 1,
                loss << ": " << what << " must be [N, C] with C >= 1, got " << shape_str(input.shape()));
}

int64_t check_scores_or_sample(const char* loss, const Tensor& input) {
  floating(loss, "input", input);
  FULCRUM_CHECK(input.dim() == 1 || input.dim() == 2,
                loss << ": input must be [N, C] or [C] (one sample), got " << shape_str(input.shape()));
  const int64_t classes = input.size(input.dim() - 1);
  FULCRUM_CHECK(classes >= 1, loss << ": input " << shape_str(input.shape()) << " has no classes (C = 0)");
  return classes;
}

void same_shape(const char* loss, const char* what, const Tensor& target, const Tensor& input) {
  FULCRUM_CHECK(target.defined(), loss << ": the " << what << " tensor is undefined");
  FULCRUM_CHECK(target.shape() == input.shape(), loss << ": " << what << " must have the input's shape "
                                                      << shape_str(input.shape()) << ", got " << what << " "
                                                      << shape_str(target.shape()));
  FULCRUM_CHECK(target.dtype() == input.dtype(), loss << ": " << what << " is " << target.dtype()
                                                      << " but the input is " << input.dtype()
                                                      << " (the same dtype is expected; convert with .to(...))");
}

void broadcast_weight(const char* loss, const char* what, const Tensor& weight, const Tensor& input) {
  if (!weight.defined()) return;
  FULCRUM_CHECK(weight.dtype() == input.dtype(), loss << ": " << what << " is " << weight.dtype()
                                                      << " but the input is " << input.dtype()
                                                      << " (the same dtype is expected; convert with .to(...))");
  bool broadcastable = weight.dim() <= input.dim();
  for (int64_t i = 1; broadcastable && i <= weight.dim(); ++i) {
    const int64_t w = weight.size(weight.dim() - i), x = input.size(input.dim() - i);
    broadcastable = w == x || w == 1;
  }
  FULCRUM_CHECK(broadcastable, loss << ": " << what << " " << shape_str(weight.shape())
                                    << " does not broadcast to the input " << shape_str(input.shape()));
  const std::vector<double> values = weight.to_vector<double>();
  for (size_t i = 0; i < values.size(); ++i) {
    FULCRUM_CHECK(values[i] >= 0.0, loss << ": " << what << " must be >= 0, got " << values[i]
                                         << " at flat position " << i);
  }
}

std::vector<int64_t> check_class_targets(const char* loss, const Tensor& input, const Tensor& targets,
                                         bool allow_outside) {
  FULCRUM_CHECK(targets.defined(), loss << ": the targets tensor is undefined");
  FULCRUM_CHECK(targets.dtype() == DType::i64, loss << ": targets must be i64 class indices, got "
                                                    << targets.dtype() << " targets " << shape_str(targets.shape()));
  const bool one_sample = input.dim() == 1;
  const Shape expected = one_sample ? Shape{} : Shape{input.size(0)};
  FULCRUM_CHECK(targets.shape() == expected, loss << ": input " << shape_str(input.shape()) << " needs targets "
                                                  << shape_str(expected) << ", got targets "
                                                  << shape_str(targets.shape()));
  std::vector<int64_t> values = targets.to_vector<int64_t>();
  if (!allow_outside) check_class_labels(values, input.size(one_sample ? 0 : 1), loss);
  return values;
}

std::vector<double> check_class_vector(const char* loss, const char* name, const Tensor& vector, const Tensor& input,
                                       int64_t classes, Sign sign) {
  FULCRUM_CHECK(vector.defined(), loss << ": " << name << " is undefined; expected [C] = [" << classes << "]");
  FULCRUM_CHECK(vector.dim() == 1 && vector.size(0) == classes,
                loss << ": " << name << " must be [C] = [" << classes << "], one entry per class; got " << name << " "
                     << shape_str(vector.shape()) << " for the input " << shape_str(input.shape()));
  FULCRUM_CHECK(vector.dtype() == input.dtype(),
                loss << ": " << name << " is " << vector.dtype() << " but the input is " << input.dtype()
                     << " (the same dtype is expected; convert with .to(...))");
  std::vector<double> values = vector.to_vector<double>();
  for (size_t c = 0; c < values.size(); ++c) {
    const double v = values[c];
    FULCRUM_CHECK(std::isfinite(v), loss << ": " << name << "[" << c << "] = " << v << " is not finite");
    FULCRUM_CHECK(sign != Sign::non_negative || v >= 0.0,
                  loss << ": " << name << " must be >= 0, got " << name << "[" << c << "] = " << v);
    FULCRUM_CHECK(sign != Sign::positive || v > 0.0,
                  loss << ": " << name << " must be > 0, got " << name << "[" << c << "] = " << v);
  }
  return values;
}

std::vector<double> check_optional_class_weight(const char* loss, const Tensor& weight, const Tensor& input,
                                                int64_t classes) {
  if (!weight.defined()) return {};
  return check_class_vector(loss, "weight", weight, input, classes, Sign::non_negative);
}

}  // namespace fulcrum::loss_checks
