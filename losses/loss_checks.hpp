// losses/loss_checks.hpp — input checks shared by the losses of part B (CDT, CDB, LDAM, GHM-C,
// Dice/Tversky, MFE): logits [N, C], class-index targets [N], per-class vectors [C]. Each check
// throws a fulcrum::Error naming the calling loss, the shapes and what was expected. Header-only;
// the lead may fold it into a common header with cross_entropy.cpp's own checks.
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "core/tensor.hpp"

namespace fulcrum::loss_checks {

// A floating [N, C] tensor with C ≥ 1 (N may be 0: an empty batch).
inline void check_scores(const char* loss, const char* what, const Tensor& input) {
  FULCRUM_CHECK(input.defined(), loss << ": the " << what << " tensor is undefined");
  FULCRUM_CHECK(is_floating(input.dtype()), loss << ": " << what << " must be floating (f32 or f64), got "
                                                 << input.dtype() << " " << shape_str(input.shape()));
  FULCRUM_CHECK(input.dim() == 2 && input.size(1) >= 1,
                loss << ": " << what << " must be [N, C] with C >= 1, got " << shape_str(input.shape()));
}

// i64 class indices [N] for an input [N, C]; every value in [0, C) unless `allow_outside` (then
// any value is accepted and the caller decides what it means). Returns the values.
inline std::vector<int64_t> check_class_targets(const char* loss, const Tensor& input, const Tensor& targets,
                                                bool allow_outside = false) {
  FULCRUM_CHECK(targets.defined(), loss << ": the targets tensor is undefined");
  FULCRUM_CHECK(targets.dtype() == DType::i64, loss << ": targets must be i64 class indices, got "
                                                    << targets.dtype() << " " << shape_str(targets.shape()));
  FULCRUM_CHECK(targets.dim() == 1 && targets.size(0) == input.size(0),
                loss << ": input " << shape_str(input.shape()) << " needs targets [" << input.size(0)
                     << "], got targets " << shape_str(targets.shape()));
  std::vector<int64_t> values = targets.to_vector<int64_t>();
  const int64_t classes = input.size(1);
  if (allow_outside) return values;
  for (size_t i = 0; i < values.size(); ++i) {
    FULCRUM_CHECK(values[i] >= 0 && values[i] < classes,
                  loss << ": target " << values[i] << " (at position " << i << ") is out of range for C = "
                       << classes << " classes; expected 0 <= target < " << classes);
  }
  return values;
}

enum class Sign { any_finite, non_negative, positive };

// A per-class constant vector [C] of the input's dtype, finite and of the given sign; returns
// its values. `name` is the option's name ("temperatures", "margins", "weight").
inline std::vector<double> check_class_vector(const char* loss, const char* name, const Tensor& vector,
                                              const Tensor& input, Sign sign) {
  const int64_t classes = input.size(1);
  FULCRUM_CHECK(vector.defined(), loss << ": " << name << " is undefined; expected [C] = [" << classes << "]");
  FULCRUM_CHECK(vector.dim() == 1 && vector.size(0) == classes,
                loss << ": " << name << " must be [C] = [" << classes << "], one entry per class of the input "
                     << shape_str(input.shape()) << "; got " << name << " " << shape_str(vector.shape()));
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

}  // namespace fulcrum::loss_checks
