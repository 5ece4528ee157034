// tests/op_values.hpp — what the op value tests (tests/core/ops_*.cpp) share: option and number
// constants, make(), and CHECK_TENSOR / CHECK_TENSOR_TOL, which check dtype, shape and values.
#pragma once
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "fulcrum.hpp"
#include "op_registry.hpp"

namespace fulcrum::testing {

const TensorOptions kF64{.dtype = DType::f64};
const TensorOptions kI64{.dtype = DType::i64};
const TensorOptions kU8{.dtype = DType::u8};
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Constants used in the expectations (to 16 digits).
constexpr double kE = 2.718281828459045;        // e
constexpr double kLn2 = 0.6931471805599453;     // ln 2
constexpr double kLn3 = 1.0986122886681098;     // ln 3
constexpr double kLn4 = 1.3862943611198906;     // ln 4

// A tensor of the given shape from row-major values (for shapes like [2, 1] that a nested
// braced list cannot spell unambiguously).
inline Tensor make(const std::vector<double>& values, const Shape& shape, TensorOptions options = {}) {
  return from_vector(values, shape, options);
}

inline bool is_nan(double v) { return std::isnan(v); }

// Infinities must match exactly (an infinity is close only to itself, as in torch.isclose).
// Checked on its own so that the tests do not depend on allclose getting infinities right.
inline bool same_infinities(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape()) return false;
  const std::vector<double> x = a.to_vector(), y = b.to_vector();
  for (size_t i = 0; i < x.size(); ++i) {
    if ((std::isinf(x[i]) || std::isinf(y[i])) && x[i] != y[i]) return false;
  }
  return true;
}

}  // namespace fulcrum::testing

// Checks dtype, shape and values (allclose, NaN never matches) and prints both on failure.
#define CHECK_TENSOR_TOL(actual_expr, expected_expr, rtol, atol)                         \
  do {                                                                                 \
    const ::fulcrum::Tensor check_actual_ = (actual_expr);                             \
    const ::fulcrum::Tensor check_expected_ = (expected_expr);                         \
    INFO("actual:   " << check_actual_.str());                                         \
    INFO("expected: " << check_expected_.str());                                       \
    CHECK(check_actual_.dtype() == check_expected_.dtype());                           \
    CHECK(check_actual_.shape() == check_expected_.shape());                           \
    CHECK(::fulcrum::allclose(check_actual_, check_expected_, (rtol), (atol)));        \
    CHECK(::fulcrum::testing::same_infinities(check_actual_, check_expected_));                            \
  } while (false)
// Tolerances follow the expectation's dtype: f64 keeps 12 significant digits, f32 six (float's
// 2^-24 ≈ 6e-8 after a few rounding steps), integer and u8 results are exact. The absolute floor
// only lets an expected 0 absorb denormal round-off; it sits far below every value a test
// expects, so log1p(1e-12) returning 0 or 1e10 + 1 computed in f32 precision fail.
#define CHECK_TENSOR(actual_expr, expected_expr)                                                   \
  do {                                                                                             \
    const ::fulcrum::Tensor check_expected_dtype_ = (expected_expr);                               \
    const ::fulcrum::DType check_dtype_ = check_expected_dtype_.dtype();                                      \
    const double check_rtol_ = check_dtype_ == ::fulcrum::DType::f64 ? 1e-12 : check_dtype_ == ::fulcrum::DType::f32 ? 1e-6 : 0.0; \
    const double check_atol_ = check_dtype_ == ::fulcrum::DType::f64 ? 1e-300 : check_dtype_ == ::fulcrum::DType::f32 ? 1e-30 : 0.0; \
    CHECK_TENSOR_TOL(actual_expr, check_expected_dtype_, check_rtol_, check_atol_);                \
  } while (false)
