// tests/test_ops.cpp — hand-computed value tests of every primitive op (op_list.def) and of the
// derived functions of ops.hpp. Expected values are written out by hand (with the arithmetic in a
// comment where it is not obvious), never computed by the library; they follow PyTorch.
// Each primitive has at least one OP_VALUE_TEST(kind); the last test case fails if one is missing.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "op_registry.hpp"

using namespace fulcrum;

namespace {

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
Tensor make(const std::vector<double>& values, const Shape& shape, TensorOptions options = {}) {
  return from_vector(values, shape, options);
}

bool is_nan(double v) { return std::isnan(v); }

// Infinities must match exactly (an infinity is close only to itself, as in torch.isclose).
// Checked on its own so that the tests do not depend on allclose getting infinities right.
bool same_infinities(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape()) return false;
  const std::vector<double> x = a.to_vector(), y = b.to_vector();
  for (size_t i = 0; i < x.size(); ++i) {
    if ((std::isinf(x[i]) || std::isinf(y[i])) && x[i] != y[i]) return false;
  }
  return true;
}

}  // namespace

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
    CHECK(same_infinities(check_actual_, check_expected_));                            \
  } while (false)
// Tolerances follow the expectation's dtype: f64 keeps 12 significant digits, f32 six (float's
// 2^-24 ≈ 6e-8 after a few rounding steps), integer and u8 results are exact. The absolute floor
// only lets an expected 0 absorb denormal round-off; it sits far below every value a test
// expects, so log1p(1e-12) returning 0 or 1e10 + 1 computed in f32 precision fail.
#define CHECK_TENSOR(actual_expr, expected_expr)                                                   \
  do {                                                                                             \
    const ::fulcrum::Tensor check_expected_dtype_ = (expected_expr);                               \
    const DType check_dtype_ = check_expected_dtype_.dtype();                                      \
    const double check_rtol_ = check_dtype_ == DType::f64 ? 1e-12 : check_dtype_ == DType::f32 ? 1e-6 : 0.0; \
    const double check_atol_ = check_dtype_ == DType::f64 ? 1e-300 : check_dtype_ == DType::f32 ? 1e-30 : 0.0; \
    CHECK_TENSOR_TOL(actual_expr, check_expected_dtype_, check_rtol_, check_atol_);                \
  } while (false)

// ============================================================================================
// Element-wise, one input
// ============================================================================================

OP_VALUE_TEST(neg) {
  const Tensor x = tensor({{1, -2, 0}, {3.5, -4, 5}});
  CHECK_TENSOR(neg(x), tensor({{-1, 2, 0}, {-3.5, 4, -5}}));
  CHECK_TENSOR(-x, tensor({{-1, 2, 0}, {-3.5, 4, -5}}));
  // non-contiguous input: x.t() = [[1, 3.5], [-2, -4], [0, 5]]
  CHECK_TENSOR(neg(x.t()), tensor({{-1, -3.5}, {2, 4}, {0, -5}}));
  CHECK_TENSOR(neg(tensor({3, -7, 0}, kI64)), tensor({-3, 7, 0}, kI64));
  CHECK_TENSOR(neg(tensor({0.25, -1e300}, kF64)), tensor({-0.25, 1e300}, kF64));
  CHECK_TENSOR(neg(scalar_tensor(2.5)), scalar_tensor(-2.5));
}

OP_VALUE_TEST(abs) {
  CHECK_TENSOR(abs(tensor({-1.5, 0, 2, -0.0})), tensor({1.5, 0, 2, 0}));
  CHECK_TENSOR(tensor({{-1, 2}, {3, -4}}).abs(), tensor({{1, 2}, {3, 4}}));
  CHECK_TENSOR(abs(tensor({-3, 4, 0}, kI64)), tensor({3, 4, 0}, kI64));
  CHECK_TENSOR(abs(tensor({-2.5, 1e-300}, kF64)), tensor({2.5, 1e-300}, kF64));
  CHECK(abs(tensor({-kInf})).item() == kInf);
}

OP_VALUE_TEST(exp) {
  // e^0 = 1, e^1 = 2.7182818, e^-1 = 0.36787944, e^2 = 7.3890561
  CHECK_TENSOR(exp(tensor({0, 1, -1, 2})), tensor({1, 2.7182818, 0.36787944, 7.3890561}));
  CHECK_TENSOR(exp(tensor({kLn2, kLn3}, kF64)), tensor({2, 3}, kF64));
  // non-contiguous: [[0, 1], [2, -1]].t() = [[0, 2], [1, -1]]
  CHECK_TENSOR(exp(tensor({{0, 1}, {2, -1}}).t()), tensor({{1, 7.3890561}, {2.7182818, 0.36787944}}));
  const std::vector<double> v = exp(tensor({-kInf, 100})).to_vector();
  CHECK(v[0] == 0.0);
  CHECK(v[1] == kInf);  // e^100 overflows f32, as in PyTorch
}

OP_VALUE_TEST(log) {
  // ln 1 = 0, ln e = 1, ln 0.5 = -0.69314718, ln 100 = 4.6051702
  CHECK_TENSOR(log(tensor({1, kE, 0.5, 100})), tensor({0, 1, -0.69314718, 4.6051702}));
  CHECK_TENSOR(tensor({4, 8}, kF64).log(), tensor({2 * kLn2, 3 * kLn2}, kF64));
  const std::vector<double> v = log(tensor({0, -1})).to_vector();
  CHECK(v[0] == -kInf);
  CHECK(is_nan(v[1]));
}

OP_VALUE_TEST(log1p) {
  // log1p(0) = 0, log1p(1) = ln 2, log1p(-0.5) = ln 0.5, log1p(e - 1) = 1
  CHECK_TENSOR(log1p(tensor({0, 1, -0.5, kE - 1})), tensor({0, 0.69314718, -0.69314718, 1}));
  // Accuracy for tiny x: log1p(1e-7) = 1e-7 − 5e-15; a naive log(1 + x) in f32 gives 1.19e-7.
  CHECK_TENSOR(log1p(tensor({1e-7})), tensor({1e-7}));
  CHECK_TENSOR(log1p(tensor({1e-12}, kF64)), tensor({1e-12}, kF64));
  CHECK(log1p(tensor({-1})).item() == -kInf);
}

OP_VALUE_TEST(sqrt) {
  CHECK_TENSOR(sqrt(tensor({0, 1, 4, 2.25})), tensor({0, 1, 2, 1.5}));
  CHECK_TENSOR(tensor({{9, 16}, {0.25, 100}}).sqrt(), tensor({{3, 4}, {0.5, 10}}));
  CHECK_TENSOR(sqrt(tensor({2}, kF64)), tensor({1.4142135623730951}, kF64));
  CHECK(is_nan(sqrt(tensor({-1})).item()));
}

OP_VALUE_TEST(relu) {
  CHECK_TENSOR(relu(tensor({{-1, 0, 2}, {3, -0.5, 0.25}})), tensor({{0, 0, 2}, {3, 0, 0.25}}));
  CHECK_TENSOR(tensor({-2, 5}, kI64).relu(), tensor({0, 5}, kI64));
  CHECK_TENSOR(relu(tensor({-1e-300, 7.5}, kF64)), tensor({0, 7.5}, kF64));
  // non-contiguous: [[-1, 2], [3, -4]].t() = [[-1, 3], [2, -4]]
  CHECK_TENSOR(relu(tensor({{-1, 2}, {3, -4}}).t()), tensor({{0, 3}, {2, 0}}));
}

OP_VALUE_TEST(sigmoid) {
  // σ(2) = 1 / (1 + e^-2) = 1 / 1.1353353 = 0.88079708; σ(-2) = 1 − σ(2) = 0.11920292
  CHECK_TENSOR(sigmoid(tensor({0, 2, -2})), tensor({0.5, 0.88079708, 0.11920292}));
  // Extremes do not overflow: σ(-100) = e^-100 / (1 + e^-100) = 3.720075976020836e-44.
  CHECK_TENSOR(sigmoid(tensor({-100, 100, 0}, kF64)), tensor({3.720075976020836e-44, 1, 0.5}, kF64));
  const std::vector<double> v = tensor({-1000, 1000}).sigmoid().to_vector();
  CHECK(v[0] == 0.0);
  CHECK(v[1] == 1.0);
}

OP_VALUE_TEST(tanh) {
  // tanh(1) = (e² − 1)/(e² + 1) = 6.3890561 / 8.3890561 = 0.76159416; tanh(0.5) = 0.46211716
  CHECK_TENSOR(tanh(tensor({0, 1, -1, 0.5, 20})), tensor({0, 0.76159416, -0.76159416, 0.46211716, 1}));
  CHECK_TENSOR(tensor({-30, 1}, kF64).tanh(), tensor({-1, 0.7615941559557649}, kF64));
}

OP_VALUE_TEST(softplus) {
  // beta = 1: log(1 + e^x). log 2 = 0.69314718, log(1 + e) = 1.3132617, log(1 + e^-1) = 0.31326169
  CHECK_TENSOR(softplus(tensor({0, 1, -1})), tensor({0.69314718, 1.3132617, 0.31326169}));
  // beta = 2: log(1 + e^{2x}) / 2. x = 0: ln 2 / 2 = 0.34657359; x = 1: log(1 + e²)/2 =
  // 2.1269280 / 2 = 1.0634640; x = -1: log(1 + e^-2)/2 = 0.12692801 / 2 = 0.063464005
  CHECK_TENSOR(softplus(tensor({0, 1, -1}), 2.0), tensor({0.34657359, 1.0634640, 0.063464005}));
  // Threshold branch: beta·x > threshold returns x itself. beta = 2, threshold = 3:
  // x = 2 → 4 > 3 → 2 (the formula would give log(1 + e^4)/2 = 2.0090749);
  // x = 1 → 2 ≤ 3 → 1.0634640 (formula).
  CHECK_TENSOR(softplus(tensor({2, 1}), 2.0, 3.0), tensor({2, 1.0634640}));
  // beta = 1, threshold = 1: x = 1.5 → linear; x = 1 → not above → log(1 + e) = 1.3132617
  CHECK_TENSOR(softplus(tensor({1.5, 1}), 1.0, 1.0), tensor({1.5, 1.3132617}));
  // default threshold 20: x = 30 is linear; no overflow for large |x| in f64:
  // softplus(-100) = log1p(e^-100) = 3.720075976020836e-44
  CHECK_TENSOR(softplus(tensor({30, -100, 0}, kF64)), tensor({30, 3.720075976020836e-44, kLn2}, kF64));
  CHECK_TENSOR(softplus(tensor({500})), tensor({500}));
}

OP_VALUE_TEST(pow) {
  CHECK_TENSOR(pow(tensor({1, 2, 3, -2}), 2.0), tensor({1, 4, 9, 4}));
  CHECK_TENSOR(pow(tensor({4, 9, 2.25}), 0.5), tensor({2, 3, 1.5}));
  CHECK_TENSOR(pow(tensor({2, 4, -0.5}), -1.0), tensor({0.5, 0.25, -2}));
  CHECK_TENSOR(tensor({-2, 3}).pow(3.0), tensor({-8, 27}));
  CHECK_TENSOR(pow(tensor({0, 5, -3}), 0.0), tensor({1, 1, 1}));
  CHECK_TENSOR(pow(tensor({0.5, -7}), 1.0), tensor({0.5, -7}));
  CHECK_TENSOR(pow(tensor({4, 1}, kF64), 2.5), tensor({32, 1}, kF64));  // 4^2.5 = 2^5
  // rsqrt (derived) = x^-0.5
  CHECK_TENSOR(rsqrt(tensor({4, 0.25})), tensor({0.5, 2}));
  CHECK(is_nan(pow(tensor({-8}), 1.0 / 3.0).item()));  // negative base, fractional exponent
}

OP_VALUE_TEST(clamp) {
  const Tensor x = tensor({-2, -0.5, 0, 0.5, 2});
  CHECK_TENSOR(clamp(x, -1.0, 1.0), tensor({-1, -0.5, 0, 0.5, 1}));
  // one bound missing
  CHECK_TENSOR(clamp(x, std::nullopt, 0.0), tensor({-2, -0.5, 0, 0, 0}));
  CHECK_TENSOR(clamp(x, 0.0, std::nullopt), tensor({0, 0, 0, 0.5, 2}));
  CHECK_TENSOR(clamp_min(x, 0.25), tensor({0.25, 0.25, 0.25, 0.5, 2}));
  CHECK_TENSOR(clamp_max(x, -0.5), tensor({-2, -0.5, -0.5, -0.5, -0.5}));
  CHECK_TENSOR(clamp(tensor({-5, 3, 10}, kI64), 0.0, 5.0), tensor({0, 3, 5}, kI64));
  CHECK_TENSOR(clamp(tensor({-5, 3, 10}, kI64), std::nullopt, 4.0), tensor({-5, 3, 4}, kI64));
  CHECK_TENSOR(clamp(tensor({0.1, 0.9}, kF64), 0.2, 0.8), tensor({0.2, 0.8}, kF64));
  CHECK(is_nan(clamp(tensor({kNaN}), -1.0, 1.0).item()));  // NaN propagates
}

OP_VALUE_TEST(clamp) {
  // A missing bound is no bound at all: infinities outside the given bound pass through
  // (PyTorch: torch.clamp(tensor([-inf, inf]), max=0) = [-inf, 0]).
  CHECK_TENSOR(clamp(tensor({-kInf, kInf, 1}), std::nullopt, 0.0), tensor({-kInf, 0, 0}));
  CHECK_TENSOR(clamp(tensor({kInf, -kInf, -1}), 0.0, std::nullopt), tensor({kInf, 0, 0}));
  CHECK_TENSOR(clamp_min(tensor({kInf, 2}, kF64), 1.0), tensor({kInf, 2}, kF64));
  CHECK_TENSOR(clamp_max(tensor({-kInf, 2}, kF64), 1.0), tensor({-kInf, 1}, kF64));
}

// ============================================================================================
// Element-wise, broadcasting
// ============================================================================================

OP_VALUE_TEST(add) {
  const Tensor a = tensor({{1, 2, 3}, {4, 5, 6}});
  // [2, 3] + [3]
  CHECK_TENSOR(add(a, tensor({10, 20, 30})), tensor({{11, 22, 33}, {14, 25, 36}}));
  // [2, 1] + [1, 3] → [2, 3]
  CHECK_TENSOR(make({1, 2}, {2, 1}) + tensor({{10, 20, 30}}), tensor({{11, 21, 31}, {12, 22, 32}}));
  // scalars on either side
  CHECK_TENSOR(a + 0.5, tensor({{1.5, 2.5, 3.5}, {4.5, 5.5, 6.5}}));
  CHECK_TENSOR(-1.0 + a, tensor({{0, 1, 2}, {3, 4, 5}}));
  // alpha: a + alpha·b = [1, 2] + 2·[3, 4]
  CHECK_TENSOR(add(tensor({1, 2}), tensor({3, 4}), 2.0), tensor({7, 10}));
  CHECK_TENSOR(tensor({1, 2}, kI64) + tensor({3, -4}, kI64), tensor({4, -2}, kI64));
  CHECK_TENSOR(tensor({1, 2}, kI64) + 3.0, tensor({4, 5}, kI64));
  CHECK_TENSOR(tensor({0.1, 1e10}, kF64) + tensor({0.2, 1}, kF64), tensor({0.30000000000000004, 1e10 + 1}, kF64));
  // non-contiguous: a.t() = [[1, 4], [2, 5], [3, 6]] + [[1, 1], [2, 2], [3, 3]]
  CHECK_TENSOR(a.t() + tensor({{1, 1}, {2, 2}, {3, 3}}), tensor({{2, 5}, {4, 7}, {6, 9}}));
  // both transposed
  CHECK_TENSOR(a.t() + a.t(), tensor({{2, 8}, {4, 10}, {6, 12}}));
  // 0-d + 0-d
  CHECK_TENSOR(scalar_tensor(1.5) + scalar_tensor(2.0), scalar_tensor(3.5));
  // 0-d tensor broadcast with [2, 3]
  CHECK_TENSOR(scalar_tensor(1.0) + a, tensor({{2, 3, 4}, {5, 6, 7}}));
  // an expanded (stride-0) operand on the left: [[1], [2]] expanded to [2, 3]
  CHECK_TENSOR(make({1, 2}, {2, 1}).expand({2, 3}) + a, tensor({{2, 3, 4}, {6, 7, 8}}));
}

OP_VALUE_TEST(sub) {
  CHECK_TENSOR(sub(tensor({{5, 7}, {9, 11}}), tensor({1, 2})), tensor({{4, 5}, {8, 9}}));
  const Tensor x = tensor({1, 3, -1});
  CHECK_TENSOR(2.0 - x, tensor({1, -1, 3}));
  CHECK_TENSOR(x - 2.0, tensor({-1, 1, -3}));
  // [2, 1] - [1, 3]
  CHECK_TENSOR(make({1, 2}, {2, 1}) - tensor({{10, 20, 30}}), tensor({{-9, -19, -29}, {-8, -18, -28}}));
  CHECK_TENSOR(tensor({5, 1}, kI64) - tensor({7, 1}, kI64), tensor({-2, 0}, kI64));
  CHECK_TENSOR(10.0 - tensor({3}, kI64), tensor({7}, kI64));
  CHECK_TENSOR(tensor({1.5}, kF64) - tensor({0.25}, kF64), tensor({1.25}, kF64));
  // non-contiguous minus contiguous: [[1, 2], [3, 4]].t() = [[1, 3], [2, 4]]
  CHECK_TENSOR(tensor({{1, 2}, {3, 4}}).t() - tensor({{1, 1}, {1, 1}}), tensor({{0, 2}, {1, 3}}));
}

OP_VALUE_TEST(mul) {
  // [2, 1] * [1, 3]
  CHECK_TENSOR(mul(make({1, 2}, {2, 1}), tensor({{3, 4, 5}})), tensor({{3, 4, 5}, {6, 8, 10}}));
  const Tensor x = tensor({1, -2, 0.5});
  CHECK_TENSOR(x * 2.0, tensor({2, -4, 1}));
  CHECK_TENSOR(-3.0 * x, tensor({-3, 6, -1.5}));
  CHECK_TENSOR(tensor({2, -3}, kI64) * tensor({4, 5}, kI64), tensor({8, -15}, kI64));
  CHECK_TENSOR(tensor({2, -3}, kI64) * 3.0, tensor({6, -9}, kI64));
  CHECK_TENSOR(tensor({1.5, 1e200}, kF64) * tensor({2, 1e100}, kF64), tensor({3, 1e300}, kF64));
  // a.t() * a: [[1, 3], [2, 4]] ⊙ [[1, 2], [3, 4]] = [[1, 6], [6, 16]]
  const Tensor a = tensor({{1, 2}, {3, 4}});
  CHECK_TENSOR(a.t() * a, tensor({{1, 6}, {6, 16}}));
  // [2, 3] * [3]
  CHECK_TENSOR(tensor({{1, 2, 3}, {4, 5, 6}}) * tensor({0, 1, -1}), tensor({{0, 2, -3}, {0, 5, -6}}));
}

OP_VALUE_TEST(div) {
  CHECK_TENSOR(div(tensor({{1, 2}, {3, 4}}), tensor({2, 4})), tensor({{0.5, 0.5}, {1.5, 1}}));
  const Tensor x = tensor({2, 4, -0.5});
  CHECK_TENSOR(1.0 / x, tensor({0.5, 0.25, -2}));
  CHECK_TENSOR(x / 2.0, tensor({1, 2, -0.25}));
  CHECK_TENSOR(tensor({1, 2}, kF64) / tensor({3, 3}, kF64), tensor({0.3333333333333333, 0.6666666666666666}, kF64));
  // [2, 1] / [1, 2]: [[1], [2]] / [[1, 4]] = [[1, 0.25], [2, 0.5]]
  CHECK_TENSOR(make({1, 2}, {2, 1}) / tensor({{1, 4}}), tensor({{1, 0.25}, {2, 0.5}}));
  const std::vector<double> v = div(tensor({1, -1, 0}), tensor({0, 0, 0})).to_vector();
  CHECK(v[0] == kInf);
  CHECK(v[1] == -kInf);
  CHECK(is_nan(v[2]));
}

OP_VALUE_TEST(pow_tensor) {
  CHECK_TENSOR(pow(tensor({2, 3, 4, 0}), tensor({3, 2, 0.5, 0})), tensor({8, 9, 2, 1}));
  // broadcasting [2, 1] ^ [2]: [[2], [3]] ^ [1, 2] = [[2, 4], [3, 9]]
  CHECK_TENSOR(pow(make({2, 3}, {2, 1}), tensor({1, 2})), tensor({{2, 4}, {3, 9}}));
  CHECK_TENSOR(pow(tensor({2, 9}, kF64), tensor({-1, 0.5}, kF64)), tensor({0.5, 3}, kF64));
  // 0-d exponent tensor
  CHECK_TENSOR(pow(tensor({1, 2, 3}), scalar_tensor(2.0)), tensor({1, 4, 9}));
  // 0-d base tensor: 2^[0, 1, 3]
  CHECK_TENSOR(pow(scalar_tensor(2.0), tensor({0, 1, 3})), tensor({1, 2, 8}));
}

OP_VALUE_TEST(maximum) {
  CHECK_TENSOR(maximum(tensor({1, 5, 3}), tensor({4, 2, 3})), tensor({4, 5, 3}));
  // [2, 1] vs [3]: max([[0], [2]], [1, -1, 3]) = [[1, 0, 3], [2, 2, 3]]
  CHECK_TENSOR(maximum(make({0, 2}, {2, 1}), tensor({1, -1, 3})), tensor({{1, 0, 3}, {2, 2, 3}}));
  CHECK_TENSOR(maximum(tensor({-5, 7}, kI64), tensor({-6, 8}, kI64)), tensor({-5, 8}, kI64));
  CHECK_TENSOR(maximum(tensor({0.5}, kF64), tensor({-kInf}, kF64)), tensor({0.5}, kF64));
  const std::vector<double> v = maximum(tensor({kNaN, 1}), tensor({0, kNaN})).to_vector();
  CHECK(is_nan(v[0]));  // NaN propagates from either side
  CHECK(is_nan(v[1]));
}

OP_VALUE_TEST(minimum) {
  CHECK_TENSOR(minimum(tensor({1, 5, 3}), tensor({4, 2, 3})), tensor({1, 2, 3}));
  CHECK_TENSOR(minimum(make({0, 2}, {2, 1}), tensor({1, -1, 3})), tensor({{0, -1, 0}, {1, -1, 2}}));
  CHECK_TENSOR(minimum(tensor({-5, 7}, kI64), tensor({-6, 8}, kI64)), tensor({-6, 7}, kI64));
  CHECK_TENSOR(minimum(tensor({{1, 2}, {3, 4}}).t(), tensor({{2, 2}, {2, 2}})), tensor({{1, 2}, {2, 2}}));
  const std::vector<double> v = minimum(tensor({kNaN, 1}), tensor({0, kNaN})).to_vector();
  CHECK(is_nan(v[0]));
  CHECK(is_nan(v[1]));
}

OP_VALUE_TEST(where) {
  // condition [2, 1], a [3], b 0-d → [2, 3]
  const Tensor cond = make({1, 0}, {2, 1}, kU8);
  CHECK_TENSOR(where(cond, tensor({1, 2, 3}), scalar_tensor(-1.0)), tensor({{1, 2, 3}, {-1, -1, -1}}));
  // element-wise condition from a comparison: relu by hand
  const Tensor x = tensor({-1, 2, -3, 4});
  CHECK_TENSOR(where(x > 0.0, x, zeros({4})), tensor({0, 2, 0, 4}));
  // a and b broadcast against each other: a [2, 1], b [1, 2], condition [2]
  CHECK_TENSOR(where(tensor({1, 0}, kU8), make({1, 2}, {2, 1}), tensor({{10, 20}})),
               tensor({{1, 20}, {2, 20}}));
  CHECK_TENSOR(where(tensor({0, 1}, kU8), tensor({1, 2}, kI64), tensor({3, 4}, kI64)), tensor({3, 2}, kI64));
  CHECK_TENSOR(where(tensor({0, 1}, kU8), tensor({1, 2}, kF64), tensor({3, 4}, kF64)), tensor({3, 2}, kF64));
  // non-contiguous operands: x.t() of [[1, 2], [3, 4]] = [[1, 3], [2, 4]]
  const Tensor m = tensor({{1, 2}, {3, 4}});
  CHECK_TENSOR(where(tensor({{1, 0}, {0, 1}}, kU8), m.t(), -m), tensor({{1, -2}, {-3, 4}}));
}

// ============================================================================================
// Comparisons → u8
// ============================================================================================

OP_VALUE_TEST(eq) {
  const Tensor a = tensor({1, 2, 3}), b = tensor({3, 2, 1});
  CHECK_TENSOR(eq(a, b), tensor({0, 1, 0}, kU8));
  CHECK_TENSOR(a == 2.0, tensor({0, 1, 0}, kU8));
  // [2, 1] == [3]: [[1], [2]] == [1, 2, 3]
  CHECK_TENSOR(make({1, 2}, {2, 1}) == a, tensor({{1, 0, 0}, {0, 1, 0}}, kU8));
  CHECK_TENSOR(tensor({5, -1}, kI64) == tensor({5, 1}, kI64), tensor({1, 0}, kU8));
  CHECK_TENSOR(eq(tensor({0.1, kNaN}, kF64), tensor({0.1, kNaN}, kF64)), tensor({1, 0}, kU8));  // NaN ≠ NaN
  CHECK_TENSOR(eq(tensor({{1, 2}, {3, 4}}).t(), tensor({{1, 2}, {3, 4}})), tensor({{1, 0}, {0, 1}}, kU8));
}

OP_VALUE_TEST(ne) {
  const Tensor a = tensor({1, 2, 3}), b = tensor({3, 2, 1});
  CHECK_TENSOR(ne(a, b), tensor({1, 0, 1}, kU8));
  CHECK_TENSOR(a != 3.0, tensor({1, 1, 0}, kU8));
  CHECK_TENSOR(tensor({5, -1}, kI64) != tensor({5, 1}, kI64), tensor({0, 1}, kU8));
  CHECK_TENSOR(ne(tensor({kNaN}), tensor({kNaN})), tensor({1}, kU8));
}

OP_VALUE_TEST(lt) {
  const Tensor a = tensor({1, 2, 3}), b = tensor({3, 2, 1});
  CHECK_TENSOR(lt(a, b), tensor({1, 0, 0}, kU8));
  CHECK_TENSOR(a < 2.5, tensor({1, 1, 0}, kU8));
  CHECK_TENSOR(tensor({-3, 0}, kI64) < tensor({-2, 0}, kI64), tensor({1, 0}, kU8));
  // [2, 1] < [1, 2]: [[1], [3]] < [[2, 3]] → [[1, 1], [0, 0]]
  CHECK_TENSOR(make({1, 3}, {2, 1}, kF64) < tensor({{2, 3}}, kF64), tensor({{1, 1}, {0, 0}}, kU8));
}

OP_VALUE_TEST(le) {
  const Tensor a = tensor({1, 2, 3}), b = tensor({3, 2, 1});
  CHECK_TENSOR(le(a, b), tensor({1, 1, 0}, kU8));
  CHECK_TENSOR(a <= 1.0, tensor({1, 0, 0}, kU8));
  CHECK_TENSOR(tensor({-3, 0, 1}, kI64) <= tensor({-2, 0, 0}, kI64), tensor({1, 1, 0}, kU8));
  CHECK_TENSOR(le(tensor({kNaN}), tensor({kNaN})), tensor({0}, kU8));
}

OP_VALUE_TEST(gt) {
  const Tensor a = tensor({1, 2, 3}), b = tensor({3, 2, 1});
  CHECK_TENSOR(gt(a, b), tensor({0, 0, 1}, kU8));
  CHECK_TENSOR(a > 1.0, tensor({0, 1, 1}, kU8));
  CHECK_TENSOR(tensor({-3, 1}, kI64) > tensor({-4, 1}, kI64), tensor({1, 0}, kU8));
  CHECK_TENSOR(gt(tensor({0.5, 2}, kF64), scalar_tensor(1.0, kF64)), tensor({0, 1}, kU8));
}

OP_VALUE_TEST(ge) {
  const Tensor a = tensor({1, 2, 3}), b = tensor({3, 2, 1});
  CHECK_TENSOR(ge(a, b), tensor({0, 1, 1}, kU8));
  CHECK_TENSOR(a >= 2.0, tensor({0, 1, 1}, kU8));
  CHECK_TENSOR(tensor({-3, 1, 2}, kI64) >= tensor({-4, 1, 3}, kI64), tensor({1, 1, 0}, kU8));
  // non-contiguous: [[1, 2], [3, 4]].t() = [[1, 3], [2, 4]] ≥ 2
  CHECK_TENSOR(tensor({{1, 2}, {3, 4}}).t() >= 2.0, tensor({{0, 1}, {1, 1}}, kU8));
}

// ============================================================================================
// Reductions
// ============================================================================================

OP_VALUE_TEST(sum) {
  const Tensor x = tensor({{1, 2, 3}, {4, 5, 6}});
  CHECK_TENSOR(sum(x), scalar_tensor(21.0));
  CHECK_TENSOR(x.sum(), scalar_tensor(21.0));
  CHECK_TENSOR(sum(x, {0}), tensor({5, 7, 9}));
  CHECK_TENSOR(sum(x, {1}), tensor({6, 15}));
  CHECK_TENSOR(sum(x, {-1}), tensor({6, 15}));
  CHECK_TENSOR(sum(x, {1}, true), make({6, 15}, {2, 1}));
  CHECK_TENSOR(x.sum(0, true), tensor({{5, 7, 9}}));
  CHECK_TENSOR(sum(x, {0, 1}), scalar_tensor(21.0));
  CHECK_TENSOR(sum(x, {0, 1}, true), make({21}, {1, 1}));
  // non-contiguous: x.t() = [[1, 4], [2, 5], [3, 6]]
  CHECK_TENSOR(sum(x.t(), {0}), tensor({6, 15}));
  CHECK_TENSOR(sum(x.t(), {1}), tensor({5, 7, 9}));

  // 3-D, element [i, j, k] = 12i + 4j + k.
  const Tensor t = arange(24.0, {.dtype = DType::f32}).reshape({2, 3, 4});
  // over dims {0, 2}: Σ_i Σ_k (12i + 4j + k) = 48 + 32j + 12 = 60 + 32j
  CHECK_TENSOR(sum(t, {0, 2}), tensor({60, 92, 124}));
  CHECK_TENSOR(sum(t, {2, 0}, true), make({60, 92, 124}, {1, 3, 1}));
  // over the last dim: Σ_k = 48i + 16j + 6
  CHECK_TENSOR(sum(t, {-1}), tensor({{6, 22, 38}, {54, 70, 86}}));
  // over dim 1: Σ_j = 36i + 12 + 3k
  CHECK_TENSOR(sum(t, {1}), tensor({{12, 15, 18, 21}, {48, 51, 54, 57}}));
  // over the middle and last dims: 0+…+11 = 66, 12+…+23 = 210
  CHECK_TENSOR(sum(t, {1, 2}), tensor({66, 210}));

  // integer sums give i64; a u8 mask sums to a count.
  CHECK_TENSOR(sum(tensor({1, 2, 3}, kI64)), scalar_tensor(6.0, kI64));
  CHECK_TENSOR(sum(tensor({{1, -2}, {3, 4}}, kI64), {0}), tensor({4, 2}, kI64));
  CHECK_TENSOR(sum(tensor({-1, 2, 3, 0.5}) > 0.0), scalar_tensor(3.0, kI64));
  CHECK_TENSOR(sum(tensor({0.1, 0.2, 0.3}, kF64)), scalar_tensor(0.6, kF64));
  // an empty reduction is 0
  CHECK_TENSOR(sum(zeros({0, 3}), {0}), tensor({0, 0, 0}));
  // 0-d input: sum over all dims is the value itself
  CHECK_TENSOR(sum(scalar_tensor(2.5)), scalar_tensor(2.5));
}

OP_VALUE_TEST(max) {
  const Tensor x = tensor({{1, 5, 3}, {4, 2, 6}});
  CHECK_TENSOR(max(x), scalar_tensor(6.0));
  CHECK_TENSOR(max(x, {0}), tensor({4, 5, 6}));
  CHECK_TENSOR(max(x, {1}), tensor({5, 6}));
  CHECK_TENSOR(x.max(1, true), make({5, 6}, {2, 1}));
  CHECK_TENSOR(max(x, {-2}, true), tensor({{4, 5, 6}}));
  // all-negative values (a max that starts at 0 would be wrong)
  CHECK_TENSOR(max(tensor({{-3, -1}, {-2, -5}}), {1}), tensor({-1, -2}));
  CHECK_TENSOR(max(tensor({{-3, -1}, {-2, -5}}), {0}), tensor({-2, -1}));
  // non-contiguous: x.t() = [[1, 4], [5, 2], [3, 6]]
  CHECK_TENSOR(max(x.t(), {1}), tensor({4, 5, 6}));
  // 3-D, [i, j, k] = 12i + 4j + k
  const Tensor t = arange(24.0, {.dtype = DType::f32}).reshape({2, 3, 4});
  CHECK_TENSOR(max(t, {0, 2}), tensor({15, 19, 23}));  // 12 + 4j + 3
  CHECK_TENSOR(max(t, {1, 2}), tensor({11, 23}));
  CHECK_TENSOR(max(t, {1}), tensor({{8, 9, 10, 11}, {20, 21, 22, 23}}));
  CHECK_TENSOR(max(tensor({{7, -9}, {3, 8}}, kI64), {1}), tensor({7, 8}, kI64));
  CHECK_TENSOR(max(tensor({-1e300, -kInf}, kF64)), scalar_tensor(-1e300, kF64));
  CHECK(is_nan(max(tensor({1, kNaN, 3})).item()));  // NaN propagates
}

OP_VALUE_TEST(min) {
  const Tensor x = tensor({{1, 5, 3}, {4, 2, 6}});
  CHECK_TENSOR(min(x), scalar_tensor(1.0));
  CHECK_TENSOR(x.min(), scalar_tensor(1.0));
  CHECK_TENSOR(min(x, {0}), tensor({1, 2, 3}));
  CHECK_TENSOR(min(x, {1}), tensor({1, 2}));
  CHECK_TENSOR(min(x, {-1}, true), make({1, 2}, {2, 1}));
  CHECK_TENSOR(min(tensor({{3, 1}, {2, 5}}), {1}), tensor({1, 2}));
  CHECK_TENSOR(min(x.t(), {1}), tensor({1, 2, 3}));  // x.t() = [[1, 4], [5, 2], [3, 6]]
  const Tensor t = arange(24.0, {.dtype = DType::f32}).reshape({2, 3, 4});
  CHECK_TENSOR(min(t, {0, 2}), tensor({0, 4, 8}));  // 4j
  CHECK_TENSOR(min(t, {0}), tensor({{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}}));
  CHECK_TENSOR(min(tensor({{7, -9}, {3, 8}}, kI64), {0}), tensor({3, -9}, kI64));
  CHECK_TENSOR(min(tensor({1e300, 5}, kF64)), scalar_tensor(5.0, kF64));
  CHECK(is_nan(min(tensor({1, kNaN, -3})).item()));
}

OP_VALUE_TEST(argmax) {
  const Tensor x = tensor({{1, 5, 3}, {4, 2, 6}});
  // flat: the largest value 6 is at flat index 5
  CHECK_TENSOR(argmax(x), scalar_tensor(5.0, kI64));
  CHECK_TENSOR(x.argmax(), scalar_tensor(5.0, kI64));
  CHECK_TENSOR(argmax(x, std::nullopt, true), make({5}, {1, 1}, kI64));
  CHECK_TENSOR(argmax(x, 0), tensor({1, 0, 1}, kI64));
  CHECK_TENSOR(argmax(x, 1), tensor({1, 2}, kI64));
  CHECK_TENSOR(argmax(x, -1), tensor({1, 2}, kI64));
  CHECK_TENSOR(x.argmax(1, true), make({1, 2}, {2, 1}, kI64));
  // ties → the first index
  CHECK_TENSOR(argmax(tensor({{2, 7, 7}, {3, 3, 1}}), 1), tensor({1, 0}, kI64));
  CHECK_TENSOR(argmax(tensor({{5, 1}, {5, 2}}), 0), tensor({0, 1}, kI64));
  CHECK_TENSOR(argmax(tensor({1, 3, 3, 0})), scalar_tensor(1.0, kI64));
  CHECK_TENSOR(argmax(tensor({4, 4, 4, 4})), scalar_tensor(0.0, kI64));
  // non-contiguous: x.t() = [[1, 4], [5, 2], [3, 6]]
  CHECK_TENSOR(argmax(x.t(), 1), tensor({1, 0, 1}, kI64));
  CHECK_TENSOR(argmax(x.t()), scalar_tensor(5.0, kI64));  // flat [1, 4, 5, 2, 3, 6]
  CHECK_TENSOR(argmax(tensor({-5, -2, -9}, kI64)), scalar_tensor(1.0, kI64));
  // 3-D over the middle dim: [i, j, k] = 12i + 4j + k is largest at j = 2
  const Tensor t = arange(24.0, {.dtype = DType::f64}).reshape({2, 3, 4});
  CHECK_TENSOR(argmax(t, 1), tensor({{2, 2, 2, 2}, {2, 2, 2, 2}}, kI64));
}

OP_VALUE_TEST(argmin) {
  const Tensor x = tensor({{1, 5, 3}, {4, 2, 6}});
  CHECK_TENSOR(argmin(x), scalar_tensor(0.0, kI64));
  CHECK_TENSOR(argmin(x, 0), tensor({0, 1, 0}, kI64));
  CHECK_TENSOR(argmin(x, 1), tensor({0, 1}, kI64));
  CHECK_TENSOR(argmin(x, -1, true), make({0, 1}, {2, 1}, kI64));
  // ties → the first index
  CHECK_TENSOR(argmin(tensor({{2, 1, 1}, {0, 3, 0}}), 1), tensor({1, 0}, kI64));
  CHECK_TENSOR(argmin(tensor({3, -1, 2, -1})), scalar_tensor(1.0, kI64));
  CHECK_TENSOR(argmin(x.t(), 1), tensor({0, 1, 0}, kI64));  // x.t() = [[1, 4], [5, 2], [3, 6]]
  CHECK_TENSOR(argmin(tensor({7, -3, 5}, kI64)), scalar_tensor(1.0, kI64));
}

// ============================================================================================
// Linear algebra and softmax
// ============================================================================================

OP_VALUE_TEST(matmul) {
  const Tensor a = tensor({{1, 2}, {3, 4}}), b = tensor({{5, 6}, {7, 8}});
  // [[1·5 + 2·7, 1·6 + 2·8], [3·5 + 4·7, 3·6 + 4·8]]
  CHECK_TENSOR(matmul(a, b), tensor({{19, 22}, {43, 50}}));
  // [2, 3] @ [3, 2]: row 0: 7 + 18 + 33 = 58, 8 + 20 + 36 = 64; row 1: 28 + 45 + 66 = 139, 32 + 50 + 72 = 154
  CHECK_TENSOR(tensor({{1, 2, 3}, {4, 5, 6}}).matmul(tensor({{7, 8}, {9, 10}, {11, 12}})),
               tensor({{58, 64}, {139, 154}}));
  // transposed operands (no copy in the fast path): a.t() = [[1, 3], [2, 4]], b.t() = [[5, 7], [6, 8]]
  CHECK_TENSOR(matmul(a.t(), b), tensor({{26, 30}, {38, 44}}));
  CHECK_TENSOR(matmul(a, b.t()), tensor({{17, 23}, {39, 53}}));
  CHECK_TENSOR(matmul(a.t(), b.t()), tensor({{23, 31}, {34, 46}}));  // [[5+18, 7+24], [10+24, 14+32]]
  // a strided column slice: [[1,2,3],[4,5,6],[7,8,9]][:, ::2] = [[1,3],[4,6],[7,9]], times [1, 1]ᵀ
  const Tensor c = tensor({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
  CHECK_TENSOR(matmul(c.slice(1, 0, 3, 2), make({1, 1}, {2, 1})), make({4, 10, 16}, {3, 1}));
  // batched [2, 2, 2] @ [2, 2] (b broadcast over the batch): batch 1 is 2·I
  const Tensor batch = tensor({{{1, 2}, {3, 4}}, {{2, 0}, {0, 2}}});
  CHECK_TENSOR(matmul(batch, b), tensor({{{19, 22}, {43, 50}}, {{10, 12}, {14, 16}}}));
  // [2, 2, 2] @ [2, 2, 2]: batch 0 = a @ b, batch 1 = 2I @ I
  const Tensor rhs = tensor({{{5, 6}, {7, 8}}, {{1, 0}, {0, 1}}});
  CHECK_TENSOR(matmul(batch, rhs), tensor({{{19, 22}, {43, 50}}, {{2, 0}, {0, 2}}}));
  // [2, 2] @ [2, 2, 2]: a broadcast over rhs's batch: a @ b, a @ I = a
  CHECK_TENSOR(matmul(a, rhs), tensor({{{19, 22}, {43, 50}}, {{1, 2}, {3, 4}}}));
  // batch dims that broadcast each other: [2, 1, 1, 2] @ [1, 2, 2, 1] → [2, 2, 1, 1]
  // lhs rows [1, 2] and [3, 4]; rhs columns [1, 0]ᵀ and [0, 1]ᵀ → [[1, 2], [3, 4]]
  CHECK_TENSOR(matmul(make({1, 2, 3, 4}, {2, 1, 1, 2}), make({1, 0, 0, 1}, {1, 2, 2, 1})),
               make({1, 2, 3, 4}, {2, 2, 1, 1}));
  CHECK_TENSOR(matmul(tensor({{0.5, 0.25}}, kF64), make({2, 4}, {2, 1}, kF64)), make({2}, {1, 1}, kF64));
  // k = 0: an empty sum is 0
  CHECK_TENSOR(matmul(zeros({2, 0}), zeros({0, 3})), zeros({2, 3}));
}

OP_VALUE_TEST(softmax) {
  // e + e² + e³ = 30.192875; e/Σ = 0.090030573, e²/Σ = 0.24472847, e³/Σ = 0.66524096
  CHECK_TENSOR(softmax(tensor({1, 2, 3}), 0), tensor({0.090030573, 0.24472847, 0.66524096}));
  CHECK_TENSOR(softmax(tensor({{1, 2, 3}, {1, 1, 1}}), 1),
               tensor({{0.090030573, 0.24472847, 0.66524096}, {1.0 / 3, 1.0 / 3, 1.0 / 3}}));
  CHECK_TENSOR(softmax(tensor({{1, 2, 3}, {1, 1, 1}}), -1),
               tensor({{0.090030573, 0.24472847, 0.66524096}, {1.0 / 3, 1.0 / 3, 1.0 / 3}}));
  // along dim 0: column [1, 3] → [1/(1 + e²), e²/(1 + e²)] = [0.11920292, 0.88079708]
  CHECK_TENSOR(softmax(tensor({{1, 2}, {3, 4}}), 0), tensor({{0.11920292, 0.11920292}, {0.88079708, 0.88079708}}));
  // the middle dim of [1, 2, 2] (inner size 2): [0, ln 3] → [1/4, 3/4]; [0, 0] → [1/2, 1/2]
  CHECK_TENSOR(softmax(tensor({{{0, 0}, {kLn3, 0}}}), 1), tensor({{{0.25, 0.5}, {0.75, 0.5}}}));
  // non-contiguous input: [[1, 1], [2, 1], [3, 1]].t() = [[1, 2, 3], [1, 1, 1]]
  CHECK_TENSOR(softmax(tensor({{1, 1}, {2, 1}, {3, 1}}).t(), 1),
               tensor({{0.090030573, 0.24472847, 0.66524096}, {1.0 / 3, 1.0 / 3, 1.0 / 3}}));
  // large logits: shift invariance, no overflow
  CHECK_TENSOR(softmax(tensor({1000, 1001, 1002}), 0), tensor({0.090030573, 0.24472847, 0.66524096}));
  CHECK_TENSOR(softmax(tensor({-1000, 0}, kF64), 0), tensor({0, 1}, kF64));
  CHECK_TENSOR(softmax(tensor({0.5, 0.5, 0.5, 0.5}, kF64), 0), tensor({0.25, 0.25, 0.25, 0.25}, kF64));
  CHECK_TENSOR(softmax(tensor({-kInf, 0}), 0), tensor({0, 1}));
  CHECK_TENSOR(softmax(scalar_tensor(7.0), 0), scalar_tensor(1.0));
}

OP_VALUE_TEST(log_softmax) {
  // logsumexp([1, 2, 3]) = 3 + log(1 + e^-1 + e^-2) = 3 + log(1.5032147) = 3.4076060
  CHECK_TENSOR(log_softmax(tensor({1, 2, 3}), 0), tensor({-2.4076060, -1.4076060, -0.40760596}));
  // along dim 0: column [1, 3]: log(1/(1 + e²)) = -2.1269280, log(e²/(1 + e²)) = -0.12692801
  CHECK_TENSOR(log_softmax(tensor({{1, 2}, {3, 4}}), 0),
               tensor({{-2.1269280, -2.1269280}, {-0.12692801, -0.12692801}}));
  CHECK_TENSOR(log_softmax(tensor({{0, 0}, {1, 1}}), -1), tensor({{-kLn2, -kLn2}, {-kLn2, -kLn2}}));
  // large logits: [1000, 1000] → [-ln 2, -ln 2]; [0, -1000] → [0, -1000] (log of a softmax
  // that underflowed would give -inf). In f32 the shift 1000 + ln 2 is only good to ~3e-5
  // (the f32 spacing near 1000 is 6.1e-5), hence the looser tolerance.
  CHECK_TENSOR_TOL(log_softmax(tensor({1000, 1000}), 0), tensor({-kLn2, -kLn2}), 1e-4, 1e-4);
  CHECK_TENSOR(log_softmax(tensor({0, -1000}), 0), tensor({0, -1000}));
  CHECK_TENSOR(log_softmax(tensor({1000, 1001, 1002}, kF64), 0),
               tensor({-2.4076059644443806, -1.4076059644443804, -0.4076059644443804}, kF64));
  CHECK_TENSOR(log_softmax(tensor({{{0, 0}, {kLn3, 0}}}), 1), tensor({{{-kLn4, -kLn2}, {kLn3 - kLn4, -kLn2}}}));
  CHECK_TENSOR(log_softmax(scalar_tensor(7.0), 0), scalar_tensor(0.0));
}

// ============================================================================================
// Indexing and joining
// ============================================================================================

OP_VALUE_TEST(index_select) {
  const Tensor x = tensor({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
  // repeated indices
  CHECK_TENSOR(index_select(x, 0, tensor({2, 0, 2}, kI64)), tensor({{7, 8, 9}, {1, 2, 3}, {7, 8, 9}}));
  CHECK_TENSOR(index_select(x, 1, tensor({1, 1, 0}, kI64)), tensor({{2, 2, 1}, {5, 5, 4}, {8, 8, 7}}));
  CHECK_TENSOR(index_select(x, -1, tensor({2}, kI64)), make({3, 6, 9}, {3, 1}));
  // non-contiguous input: x.t() row 0 = column 0 of x
  CHECK_TENSOR(index_select(x.t(), 0, tensor({0}, kI64)), tensor({{1, 4, 7}}));
  CHECK_TENSOR(index_select(tensor({10, 20, 30}, kI64), 0, tensor({2, 2, 1}, kI64)), tensor({30, 30, 20}, kI64));
  // 3-D over the middle dim: [i, j, k] = 12i + 4j + k; pick j = 2, 0
  const Tensor t = arange(24.0, {.dtype = DType::f64}).reshape({2, 3, 4});
  CHECK_TENSOR(index_select(t, 1, tensor({2, 0}, kI64)),
               tensor({{{8, 9, 10, 11}, {0, 1, 2, 3}}, {{20, 21, 22, 23}, {12, 13, 14, 15}}}, kF64));
  // 0-d index
  CHECK_TENSOR(index_select(x, 0, scalar_tensor(1.0, kI64)), tensor({{4, 5, 6}}));
  CHECK(index_select(x, 0, zeros({0}, kI64)).shape() == Shape{0, 3});
}

OP_VALUE_TEST(gather) {
  const Tensor x = tensor({{1, 2}, {3, 4}});
  // out[i][j] = x[i][index[i][j]]
  CHECK_TENSOR(gather(x, 1, tensor({{0, 0}, {1, 0}}, kI64)), tensor({{1, 1}, {4, 3}}));
  // out[i][j] = x[index[i][j]][j]
  CHECK_TENSOR(gather(x, 0, tensor({{1, 0}, {1, 1}}, kI64)), tensor({{3, 2}, {3, 4}}));
  // index smaller than the input; picks one label per row as in NLL
  const Tensor y = tensor({{1, 2, 3}, {4, 5, 6}});
  CHECK_TENSOR(gather(y, 1, make({2, 0}, {2, 1}, kI64)), make({3, 4}, {2, 1}));
  CHECK_TENSOR(gather(y, -1, tensor({{2, 2, 2}}, kI64)), tensor({{3, 3, 3}}));
  // non-contiguous: y.t() = [[1, 4], [2, 5], [3, 6]]
  CHECK_TENSOR(gather(y.t(), 1, make({1, 0, 1}, {3, 1}, kI64)), make({4, 2, 6}, {3, 1}));
  CHECK_TENSOR(gather(tensor({{7, 8}}, kI64), 1, tensor({{1, 1, 0}}, kI64)), tensor({{8, 8, 7}}, kI64));
  CHECK_TENSOR(gather(tensor({0.5, 1.5, 2.5}, kF64), 0, tensor({2, 0}, kI64)), tensor({2.5, 0.5}, kF64));
  // a non-contiguous index: [[0, 0], [1, 1]].t() = [[0, 1], [0, 1]] → rows of x unchanged
  CHECK_TENSOR(gather(x, 1, tensor({{0, 0}, {1, 1}}, kI64).t()), tensor({{1, 2}, {3, 4}}));
}

OP_VALUE_TEST(scatter_add) {
  // repeated indices accumulate: slot 0 gets 1 + 3 + 5
  const Tensor self = zeros({3});
  CHECK_TENSOR(scatter_add(self, 0, tensor({0, 1, 0, 2, 0}, kI64), tensor({1, 2, 3, 4, 5})), tensor({9, 2, 4}));
  CHECK_TENSOR(self, tensor({0, 0, 0}));  // out of place
  // dim 1 on ones([2, 3]): row 0 gets 1 + 2 at col 0 and 3 at col 2; row 1 gets 4 + 5 + 6 at col 1
  CHECK_TENSOR(scatter_add(ones({2, 3}), 1, tensor({{0, 0, 2}, {1, 1, 1}}, kI64), tensor({{1, 2, 3}, {4, 5, 6}})),
               tensor({{4, 1, 4}, {1, 16, 1}}));
  // dim 0, index [3, 2] into [2, 2]: out[index[i][j]][j] += src[i][j]
  // col 0: rows 1, 1, 0 get 1, 3, 5 → [5, 4]; col 1: rows 0, 1, 1 get 2, 4, 6 → [2, 10]
  CHECK_TENSOR(scatter_add(zeros({2, 2}), 0, tensor({{1, 0}, {1, 1}, {0, 1}}, kI64),
                           tensor({{1, 2}, {3, 4}, {5, 6}})),
               tensor({{5, 2}, {4, 10}}));
  // src larger than the index: only src[i][0] is used
  CHECK_TENSOR(scatter_add(zeros({2, 2}), 1, make({1, 0}, {2, 1}, kI64), tensor({{10, 20, 30}, {40, 50, 60}})),
               tensor({{0, 10}, {40, 0}}));
  CHECK_TENSOR(scatter_add(tensor({1, 1}, kI64), 0, tensor({1, 1, 1}, kI64), tensor({2, 3, 4}, kI64)),
               tensor({1, 10}, kI64));
  CHECK_TENSOR(scatter_add(tensor({0.5, 0}, kF64), -1, tensor({0, 0}, kI64), tensor({0.25, 0.125}, kF64)),
               tensor({0.875, 0}, kF64));
  // a non-contiguous self: [[1, 2], [3, 4]].t() = [[1, 3], [2, 4]]; add 10 at col 1 of row 0
  CHECK_TENSOR(scatter_add(tensor({{1, 2}, {3, 4}}).t(), 1, make({1, 0}, {2, 1}, kI64),
                           make({10, 20}, {2, 1})),
               tensor({{1, 13}, {22, 4}}));
}

OP_VALUE_TEST(cat) {
  const Tensor a = tensor({{1, 2}, {3, 4}});
  CHECK_TENSOR(cat({a, tensor({{5, 6}})}, 0), tensor({{1, 2}, {3, 4}, {5, 6}}));
  CHECK_TENSOR(cat({a, make({7, 8}, {2, 1})}, 1), tensor({{1, 2, 7}, {3, 4, 8}}));
  CHECK_TENSOR(cat({a, make({7, 8}, {2, 1})}, -1), tensor({{1, 2, 7}, {3, 4, 8}}));
  CHECK_TENSOR(cat({tensor({1}), tensor({2, 3}), zeros({0}), tensor({4})}), tensor({1, 2, 3, 4}));
  // non-contiguous inputs: a.t() = [[1, 3], [2, 4]]
  CHECK_TENSOR(cat({a.t(), a}, 1), tensor({{1, 3, 1, 2}, {2, 4, 3, 4}}));
  CHECK_TENSOR(cat({a.t(), a}, 0), tensor({{1, 3}, {2, 4}, {1, 2}, {3, 4}}));
  CHECK_TENSOR(cat({tensor({1, 2}, kI64), tensor({-3}, kI64)}), tensor({1, 2, -3}, kI64));
  CHECK_TENSOR(cat({tensor({0.5}, kF64)}), tensor({0.5}, kF64));
  // 3-D along the middle dim
  CHECK_TENSOR(cat({tensor({{{1, 2}}, {{3, 4}}}), tensor({{{5, 6}}, {{7, 8}}})}, 1),
               tensor({{{1, 2}, {5, 6}}, {{3, 4}, {7, 8}}}));
}

// ============================================================================================
// Shape: views and copies
// ============================================================================================

OP_VALUE_TEST(reshape) {
  const Tensor x = tensor({0, 1, 2, 3, 4, 5});
  const Tensor y = reshape(x, {2, 3});
  CHECK_TENSOR(y, tensor({{0, 1, 2}, {3, 4, 5}}));
  CHECK_TENSOR(x.reshape({3, -1}), tensor({{0, 1}, {2, 3}, {4, 5}}));
  CHECK_TENSOR(x.view({-1, 2}), tensor({{0, 1}, {2, 3}, {4, 5}}));
  // a contiguous reshape is a view: same storage, writes show through
  CHECK(y.storage().get() == x.storage().get());
  Tensor xs = tensor({0, 1, 2, 3, 4, 5});
  const Tensor ys = xs.reshape({3, 2});
  xs.add_(10.0);
  CHECK_TENSOR(ys, tensor({{10, 11}, {12, 13}, {14, 15}}));
  // a non-contiguous input is copied: [[0, 1, 2], [3, 4, 5]].t() = [[0, 3], [1, 4], [2, 5]]
  const Tensor flat = y.t().reshape({-1});
  CHECK_TENSOR(flat, tensor({0, 3, 1, 4, 2, 5}));
  CHECK(flat.storage().get() != y.storage().get());
  CHECK_TENSOR(tensor({7}).reshape({}), scalar_tensor(7.0));
  CHECK_TENSOR(scalar_tensor(7.0).reshape({1, 1}), make({7}, {1, 1}));
  CHECK_TENSOR(tensor({1, 2, 3, 4}, kI64).reshape({2, 2}), tensor({{1, 2}, {3, 4}}, kI64));
}

OP_VALUE_TEST(permute) {
  const Tensor x = tensor({{1, 2, 3}, {4, 5, 6}});
  CHECK_TENSOR(permute(x, {1, 0}), tensor({{1, 4}, {2, 5}, {3, 6}}));
  CHECK_TENSOR(permute(x, {-1, -2}), tensor({{1, 4}, {2, 5}, {3, 6}}));
  // [i, j, k] = 12i + 4j + k; p = permute(2, 0, 1) has p[k, i, j] = 12i + 4j + k
  const Tensor t = arange(24.0, {.dtype = DType::f32}).reshape({2, 3, 4});
  const Tensor p = t.permute({2, 0, 1});
  CHECK(p.shape() == Shape{4, 2, 3});
  CHECK(p.strides() == Shape{1, 12, 4});
  CHECK(p.at({3, 1, 2}) == 23.0);  // 12 + 8 + 3
  CHECK(p.at({1, 0, 2}) == 9.0);   // 0 + 8 + 1
  CHECK(p.at({2, 1, 0}) == 14.0);  // 12 + 0 + 2
  CHECK_TENSOR(p.select(0, 1), tensor({{1, 5, 9}, {13, 17, 21}}));  // k = 1: 12i + 4j + 1
  CHECK(p.storage().get() == t.storage().get());
  CHECK_FALSE(p.is_contiguous());
  // writes through the view
  Tensor base = tensor({{1, 2}, {3, 4}});
  permute(base, {1, 0}).slice(0, 0, 1).fill_(0.0);  // row 0 of base.t() = column 0 of base
  CHECK_TENSOR(base, tensor({{0, 2}, {0, 4}}));
}

OP_VALUE_TEST(slice) {
  const Tensor x = arange(10.0, {.dtype = DType::f32});
  CHECK_TENSOR(slice(x, 0, 2, 8, 3), tensor({2, 5}));
  CHECK_TENSOR(slice(x, 0, 1, 10, 4), tensor({1, 5, 9}));
  CHECK_TENSOR(slice(x, 0, -3, 10), tensor({7, 8, 9}));
  CHECK_TENSOR(slice(x, 0, 5, 100), tensor({5, 6, 7, 8, 9}));  // clamps like Python
  CHECK_TENSOR(slice(x, 0, -100, 2), tensor({0, 1}));
  CHECK_TENSOR(slice(x, 0, 0, -8), tensor({0, 1}));
  CHECK(slice(x, 0, 8, 3).shape() == Shape{0});
  const Tensor m = tensor({{1, 2, 3}, {4, 5, 6}});
  const Tensor s = m.slice(1, 1, 3);
  CHECK_TENSOR(s, tensor({{2, 3}, {5, 6}}));
  CHECK(s.storage().get() == m.storage().get());
  CHECK(s.offset() == 1);
  CHECK_TENSOR(m.slice(0, 1, 2), tensor({{4, 5, 6}}));
  CHECK_TENSOR(m.slice(-1, 0, 3, 2), tensor({{1, 3}, {4, 6}}));
  // a slice of a slice, and of a transposed tensor: m.t() = [[1, 4], [2, 5], [3, 6]]
  CHECK_TENSOR(s.slice(0, 1, 2), tensor({{5, 6}}));
  CHECK_TENSOR(m.t().slice(0, 1, 3), tensor({{2, 5}, {3, 6}}));
  // writes through the view
  Tensor base = tensor({{1, 2, 3}, {4, 5, 6}});
  base.slice(1, 1, 3).fill_(0.0);
  CHECK_TENSOR(base, tensor({{1, 0, 0}, {4, 0, 0}}));
}

OP_VALUE_TEST(expand) {
  const Tensor col = make({1, 2}, {2, 1});
  const Tensor e = expand(col, {2, 3});
  CHECK_TENSOR(e, tensor({{1, 1, 1}, {2, 2, 2}}));
  CHECK(e.stride(1) == 0);
  CHECK(e.storage().get() == col.storage().get());
  CHECK_TENSOR(tensor({1, 2, 3}).expand({2, 3}), tensor({{1, 2, 3}, {1, 2, 3}}));
  CHECK_TENSOR(col.expand({-1, 2}), tensor({{1, 1}, {2, 2}}));
  // new leading dims
  CHECK_TENSOR(tensor({5, 6}).expand({2, 2, 2}), tensor({{{5, 6}, {5, 6}}, {{5, 6}, {5, 6}}}));
  CHECK_TENSOR(scalar_tensor(3.0, kI64).expand({3}), tensor({3, 3, 3}, kI64));
  // expanded then copied into real memory
  const Tensor dense = e.contiguous();
  CHECK_TENSOR(dense, tensor({{1, 1, 1}, {2, 2, 2}}));
  CHECK(dense.is_contiguous());
  // an expanded view reduces like the real thing: Σ = 3·1 + 3·2
  CHECK_TENSOR(sum(e), scalar_tensor(9.0));
}

OP_VALUE_TEST(contiguous) {
  const Tensor x = tensor({{1, 2, 3}, {4, 5, 6}});
  const Tensor t = x.t();
  CHECK_FALSE(t.is_contiguous());
  const Tensor c = contiguous(t);
  CHECK_TENSOR(c, tensor({{1, 4}, {2, 5}, {3, 6}}));
  CHECK(c.is_contiguous());
  CHECK(c.strides() == Shape{2, 1});
  CHECK(c.storage().get() != x.storage().get());
  CHECK(c.to_vector() == std::vector<double>{1, 4, 2, 5, 3, 6});
  // contiguous of a contiguous tensor is the tensor itself
  CHECK(x.contiguous().is_same(x));
  // a stepped slice: [0, 3, 6, 9]
  CHECK_TENSOR(arange(10.0, {.dtype = DType::f64}).slice(0, 0, 10, 3).contiguous(), tensor({0, 3, 6, 9}, kF64));
  // 3-D: [a, b, c] = 4a + 2b + c, permuted (2, 1, 0)
  const Tensor p = arange(8.0, {.dtype = DType::i64}).reshape({2, 2, 2}).permute({2, 1, 0});
  // p[a, b, c] = 4c + 2b + a
  CHECK_TENSOR(p.contiguous(), tensor({{{0, 4}, {2, 6}}, {{1, 5}, {3, 7}}}, kI64));
  // clone copies even a contiguous tensor
  const Tensor cl = clone(x);
  CHECK_TENSOR(cl, x);
  CHECK(cl.storage().get() != x.storage().get());
}

OP_VALUE_TEST(to_dtype) {
  const Tensor x = tensor({-1.75, -0.5, 0.5, 2.75});  // exact in f32
  const Tensor d = x.to(DType::f64);
  CHECK_TENSOR(d, tensor({-1.75, -0.5, 0.5, 2.75}, kF64));
  // f → i64 truncates toward zero, as PyTorch's cast
  CHECK_TENSOR(d.to(DType::i64), tensor({-1, 0, 0, 2}, kI64));
  CHECK_TENSOR(to_dtype(x, DType::i64), tensor({-1, 0, 0, 2}, kI64));
  CHECK_TENSOR(to_dtype(tensor({-2.9, 2.9, 1e10}, kF64), DType::i64), tensor({-2, 2, 1e10}, kI64));
  CHECK_TENSOR(tensor({3, -4}, kI64).to(DType::f32), tensor({3, -4}));
  CHECK_TENSOR(tensor({0.1}, kF64).to(DType::f32), tensor({0.1}));  // rounds to the nearest f32
  CHECK(tensor({0.1}, kF64).to(DType::f32).to(DType::f64).item() == doctest::Approx(0.1).epsilon(1e-7));
  CHECK_TENSOR((tensor({-1, 0, 2}) > 0.0).to(DType::f32), tensor({0, 0, 1}));
  CHECK_TENSOR(tensor({0, 1, 2.75}).to(DType::u8), tensor({0, 1, 2}, kU8));
  CHECK_TENSOR(tensor({{1.5, 2.5}, {3.5, 4.5}}).t().to(DType::f64), tensor({{1.5, 3.5}, {2.5, 4.5}}, kF64));
  // same dtype: no copy
  CHECK(x.to(DType::f32).is_same(x));
}

// ============================================================================================
// Derived functions (ops.hpp)
// ============================================================================================

TEST_CASE("mean") {
  const Tensor x = tensor({{1, 2, 3}, {4, 5, 6}});
  CHECK_TENSOR(mean(x), scalar_tensor(3.5));
  CHECK_TENSOR(x.mean(), scalar_tensor(3.5));
  CHECK_TENSOR(mean(x, {0}), tensor({2.5, 3.5, 4.5}));
  CHECK_TENSOR(mean(x, {1}, true), make({2, 5}, {2, 1}));
  CHECK_TENSOR(x.mean(-1), tensor({2, 5}));
  CHECK_TENSOR(mean(x, {0, 1}, true), make({3.5}, {1, 1}));
  CHECK_TENSOR(mean(x.t(), {1}), tensor({2.5, 3.5, 4.5}));
  CHECK_TENSOR(mean(tensor({0.1, 0.2}, kF64)), scalar_tensor(0.15000000000000002, kF64));
  // 3-D, [i, j, k] = 12i + 4j + k: mean over {0, 2} = (60 + 32j) / 8
  CHECK_TENSOR(mean(arange(24.0, {.dtype = DType::f32}).reshape({2, 3, 4}), {0, 2}), tensor({7.5, 11.5, 15.5}));
}

TEST_CASE("var and std, correction 0 and 1") {
  // [1, 2, 3, 4]: mean 2.5, Σ(x − mean)² = 2.25 + 0.25 + 0.25 + 2.25 = 5
  const Tensor x = tensor({1, 2, 3, 4});
  CHECK_TENSOR(var(x), scalar_tensor(5.0 / 3));
  CHECK_TENSOR(var(x, {}, 0), scalar_tensor(1.25));
  CHECK_TENSOR(fulcrum::std(x), scalar_tensor(1.2909944));  // √(5/3)
  CHECK_TENSOR(fulcrum::std(x, {0}, 0), scalar_tensor(1.1180340));  // √1.25
  // rows [1, 2, 3] (mean 2, Σ = 2) and [4, 6, 8] (mean 6, Σ = 8), correction 1 → /2
  const Tensor m = tensor({{1, 2, 3}, {4, 6, 8}});
  CHECK_TENSOR(var(m, {1}), tensor({1, 4}));
  CHECK_TENSOR(var(m, {-1}, 1, true), make({1, 4}, {2, 1}));
  CHECK_TENSOR(fulcrum::std(m, {1}), tensor({1, 2}));
  // columns (1, 4): mean 2.5, Σ = 4.5; (2, 6): mean 4, Σ = 8; (3, 8): mean 5.5, Σ = 12.5; /2
  CHECK_TENSOR(var(m, {0}, 0), tensor({2.25, 4, 6.25}));
  CHECK_TENSOR(fulcrum::std(m, {0}, 0, true), tensor({{1.5, 2, 2.5}}));
  CHECK_TENSOR(var(m, {0}, 1), tensor({4.5, 8, 12.5}));
  // all of m: mean 24/6 = 4; Σ = 9 + 4 + 1 + 0 + 4 + 16 = 34 → 34/5 = 6.8 and 34/6
  CHECK_TENSOR(var(m), scalar_tensor(6.8));
  CHECK_TENSOR(var(m, {0, 1}, 0), scalar_tensor(34.0 / 6));
  CHECK_TENSOR(var(tensor({1, 3}, kF64), {0}, 1), scalar_tensor(2.0, kF64));
  // non-contiguous: m.t() rows are the columns of m
  CHECK_TENSOR(var(m.t(), {1}, 0), tensor({2.25, 4, 6.25}));
}

TEST_CASE("logsumexp") {
  // log(e + e² + e³) = 3.4076060
  CHECK_TENSOR(logsumexp(tensor({1, 2, 3}), {0}), scalar_tensor(3.4076060));
  // large values: 1000 + ln 2 (a naive exp would overflow)
  CHECK_TENSOR(logsumexp(tensor({1000, 1000}), {0}), scalar_tensor(1000.0 + kLn2));
  CHECK_TENSOR(logsumexp(tensor({-1000, -1000}, kF64), {0}), scalar_tensor(-1000.0 + kLn2, kF64));
  const Tensor x = tensor({{0, 0}, {1000, 1000}});
  CHECK_TENSOR(logsumexp(x, {1}), tensor({kLn2, 1000 + kLn2}));
  CHECK_TENSOR(logsumexp(x, {-1}, true), make({kLn2, 1000 + kLn2}, {2, 1}));
  CHECK_TENSOR(logsumexp(zeros({2, 2}), {0, 1}), scalar_tensor(kLn4));
  // along dim 0: columns [0, ln 3] → log(1 + 3) = ln 4
  CHECK_TENSOR(logsumexp(tensor({{0, 0}, {kLn3, kLn3}}), {0}), tensor({kLn4, kLn4}));
  // −inf entries contribute nothing; all −inf gives −inf (PyTorch)
  CHECK_TENSOR(logsumexp(tensor({-kInf, 0}), {0}), scalar_tensor(0.0));
  CHECK(logsumexp(tensor({-kInf, -kInf}), {0}).item() == -kInf);
  CHECK(logsumexp(tensor({kInf, 0}), {0}).item() == kInf);
}

TEST_CASE("transpose and t") {
  const Tensor x = tensor({{1, 2, 3}, {4, 5, 6}});
  CHECK_TENSOR(x.t(), tensor({{1, 4}, {2, 5}, {3, 6}}));
  CHECK_TENSOR(transpose(x, 0, 1), tensor({{1, 4}, {2, 5}, {3, 6}}));
  CHECK_TENSOR(transpose(x, -1, 0), tensor({{1, 4}, {2, 5}, {3, 6}}));
  CHECK(x.t().storage().get() == x.storage().get());
  // [i, j, k] = 12i + 4j + k
  const Tensor t = arange(24.0, {.dtype = DType::f32}).reshape({2, 3, 4});
  const Tensor u = transpose(t, 0, 2);  // u[k, j, i]
  CHECK(u.shape() == Shape{4, 3, 2});
  CHECK(u.at({3, 2, 1}) == 23.0);  // 12 + 8 + 3
  CHECK(u.at({1, 2, 0}) == 9.0);   // 0 + 8 + 1
  const Tensor v = t.transpose(-1, -2);  // v[i, k, j]
  CHECK(v.shape() == Shape{2, 4, 3});
  CHECK_TENSOR(v.select(0, 0), tensor({{0, 4, 8}, {1, 5, 9}, {2, 6, 10}, {3, 7, 11}}));
  CHECK_TENSOR(transpose(t, 1, 1), t);
  // 1-D t() is the identity
  CHECK_TENSOR(tensor({1, 2}).t(), tensor({1, 2}));
}

TEST_CASE("squeeze and unsqueeze") {
  const Tensor x = make({1, 2, 3}, {1, 3, 1});
  CHECK_TENSOR(squeeze(x), tensor({1, 2, 3}));
  CHECK_TENSOR(x.squeeze(0), make({1, 2, 3}, {3, 1}));
  CHECK_TENSOR(squeeze(x, -1), tensor({{1, 2, 3}}));
  CHECK_TENSOR(squeeze(x, 1), x);  // a dim of size 3: no-op
  CHECK(squeeze(x).storage().get() == x.storage().get());
  CHECK_TENSOR(squeeze(make({5}, {1, 1})), scalar_tensor(5.0));
  const Tensor v = tensor({1, 2, 3});
  CHECK_TENSOR(unsqueeze(v, 0), tensor({{1, 2, 3}}));
  CHECK_TENSOR(v.unsqueeze(1), make({1, 2, 3}, {3, 1}));
  CHECK_TENSOR(unsqueeze(v, -1), make({1, 2, 3}, {3, 1}));
  CHECK_TENSOR(unsqueeze(v, -2), tensor({{1, 2, 3}}));
  CHECK_TENSOR(unsqueeze(scalar_tensor(4.0), 0), tensor({4}));
  CHECK(unsqueeze(v, 0).storage().get() == v.storage().get());
  // squeeze/unsqueeze are views even of a non-contiguous tensor (PyTorch: "shares the same
  // underlying data"); inserting or removing a size-1 dim never needs a copy.
  const Tensor m = tensor({{1, 2}, {3, 4}});
  CHECK(m.t().unsqueeze(0).storage().get() == m.storage().get());
  CHECK(m.t().slice(0, 1, 2).squeeze(0).storage().get() == m.storage().get());
  // non-contiguous: [[1, 2], [3, 4]].t() = [[1, 3], [2, 4]] → [2, 1, 2]
  CHECK_TENSOR(tensor({{1, 2}, {3, 4}}).t().unsqueeze(1), tensor({{{1, 3}}, {{2, 4}}}));
}

TEST_CASE("flatten") {
  const Tensor t = arange(24.0, {.dtype = DType::f32}).reshape({2, 3, 4});  // 12i + 4j + k
  CHECK(flatten(t).shape() == Shape{24});
  CHECK(flatten(t).at({17}) == 17.0);
  const Tensor f1 = t.flatten(1);
  CHECK(f1.shape() == Shape{2, 12});
  CHECK(f1.at({1, 5}) == 17.0);  // 12 + 5
  const Tensor f01 = flatten(t, 0, 1);
  CHECK(f01.shape() == Shape{6, 4});
  CHECK(f01.at({4, 2}) == 18.0);  // row 4 = (i 1, j 1): 12 + 4 + 2
  CHECK(flatten(t, -2, -1).shape() == Shape{2, 12});
  CHECK_TENSOR(flatten(scalar_tensor(3.0)), tensor({3}));
  // non-contiguous: [[1, 2, 3], [4, 5, 6]].t() flattens in its own row-major order
  CHECK_TENSOR(tensor({{1, 2, 3}, {4, 5, 6}}).t().flatten(), tensor({1, 4, 2, 5, 3, 6}));
  CHECK_TENSOR(flatten(tensor({{1, 2}, {3, 4}}, kI64)), tensor({1, 2, 3, 4}, kI64));
}

TEST_CASE("narrow and select") {
  const Tensor x = tensor({{1, 2, 3, 4}, {5, 6, 7, 8}});
  CHECK_TENSOR(narrow(x, 1, 1, 2), tensor({{2, 3}, {6, 7}}));
  CHECK_TENSOR(x.narrow(0, -1, 1), tensor({{5, 6, 7, 8}}));
  CHECK_TENSOR(narrow(x, -1, 3, 1), make({4, 8}, {2, 1}));
  CHECK(narrow(x, 1, 1, 2).storage().get() == x.storage().get());
  CHECK_TENSOR(select(x, 0, 1), tensor({5, 6, 7, 8}));
  CHECK_TENSOR(x.select(1, -1), tensor({4, 8}));
  CHECK_TENSOR(select(x, -1, 0), tensor({1, 5}));
  CHECK_TENSOR(select(tensor({3, 4}), 0, 1), scalar_tensor(4.0));
  CHECK(select(x, 0, 1).storage().get() == x.storage().get());
  CHECK(select(x, 1, 1).storage().get() == x.storage().get());  // a column: still a view
  CHECK(x.t().select(0, 1).storage().get() == x.storage().get());
  // x.t() = [[1, 5], [2, 6], [3, 7], [4, 8]]
  CHECK_TENSOR(x.t().select(0, 2), tensor({3, 7}));
  CHECK_TENSOR(x.t().narrow(0, 1, 2), tensor({{2, 6}, {3, 7}}));
  // 3-D: [i, j, k] = 12i + 4j + k, select j = 2 → 12i + 8 + k
  const Tensor t = arange(24.0, {.dtype = DType::f32}).reshape({2, 3, 4});
  CHECK_TENSOR(t.select(1, 2), tensor({{8, 9, 10, 11}, {20, 21, 22, 23}}));
  // writes through
  Tensor base = tensor({{1, 2}, {3, 4}});
  base.select(1, 1).fill_(-1.0);
  CHECK_TENSOR(base, tensor({{1, -1}, {3, -1}}));
}

TEST_CASE("stack") {
  const Tensor a = tensor({1, 2}), b = tensor({3, 4});
  CHECK_TENSOR(stack({a, b}), tensor({{1, 2}, {3, 4}}));
  CHECK_TENSOR(stack({a, b}, 1), tensor({{1, 3}, {2, 4}}));
  CHECK_TENSOR(stack({a, b}, -1), tensor({{1, 3}, {2, 4}}));
  CHECK_TENSOR(stack({a, b, a}, 0), tensor({{1, 2}, {3, 4}, {1, 2}}));
  const Tensor m = tensor({{1, 2}, {3, 4}}), n = tensor({{5, 6}, {7, 8}});
  // dim 2: out[i, j, s] = (s == 0 ? m : n)[i, j]
  CHECK_TENSOR(stack({m, n}, 2), tensor({{{1, 5}, {2, 6}}, {{3, 7}, {4, 8}}}));
  CHECK_TENSOR(stack({m, n}, 1), tensor({{{1, 2}, {5, 6}}, {{3, 4}, {7, 8}}}));
  CHECK_TENSOR(stack({scalar_tensor(1.0, kI64), scalar_tensor(2.0, kI64)}), tensor({1, 2}, kI64));
  CHECK_TENSOR(stack({m.t(), n}), tensor({{{1, 3}, {2, 4}}, {{5, 6}, {7, 8}}}));
}

TEST_CASE("masked_fill") {
  const Tensor x = tensor({{1, 2}, {3, 4}});
  CHECK_TENSOR(masked_fill(x, tensor({{1, 0}, {0, 1}}, kU8), -1.0), tensor({{-1, 2}, {3, -1}}));
  // broadcast mask [2] over rows
  CHECK_TENSOR(masked_fill(x, tensor({1, 0}, kU8), 9.0), tensor({{9, 2}, {9, 4}}));
  CHECK_TENSOR(masked_fill(x, x > 2.0, 0.0), tensor({{1, 2}, {0, 0}}));
  CHECK_TENSOR(masked_fill(tensor({0, 5}), tensor({1, 0}, kU8), -kInf), tensor({-kInf, 5}));
  CHECK_TENSOR(masked_fill(tensor({1, 2}, kI64), tensor({0, 1}, kU8), 7.0), tensor({1, 7}, kI64));
  CHECK_TENSOR(x, tensor({{1, 2}, {3, 4}}));  // out of place
}

TEST_CASE("one_hot") {
  CHECK_TENSOR(one_hot(tensor({0, 2, 1}, kI64)), tensor({{1, 0, 0}, {0, 0, 1}, {0, 1, 0}}, kI64));
  CHECK_TENSOR(one_hot(tensor({0, 2, 1}, kI64), 4), tensor({{1, 0, 0, 0}, {0, 0, 1, 0}, {0, 1, 0, 0}}, kI64));
  CHECK_TENSOR(one_hot(make({0, 1}, {2, 1}, kI64), 2), tensor({{{1, 0}}, {{0, 1}}}, kI64));
  CHECK_TENSOR(one_hot(scalar_tensor(1.0, kI64), 3), tensor({0, 1, 0}, kI64));
}

TEST_CASE("clamp_min, clamp_max and square") {
  const Tensor x = tensor({-1, 0.5, 2});
  CHECK_TENSOR(clamp_min(x, 0.0), tensor({0, 0.5, 2}));
  CHECK_TENSOR(clamp_max(x, 1.0), tensor({-1, 0.5, 1}));
  CHECK_TENSOR(clamp_min(tensor({-3, 3}, kI64), 0.0), tensor({0, 3}, kI64));
  CHECK_TENSOR(clamp_max(tensor({-3, 3}, kF64), -4.0), tensor({-4, -4}, kF64));
  CHECK_TENSOR(square(tensor({-3, 0.5, 2})), tensor({9, 0.25, 4}));
  CHECK_TENSOR(square(tensor({-3, 4}, kI64)), tensor({9, 16}, kI64));
  CHECK_TENSOR(square(tensor({{1, 2}, {3, 4}}).t()), tensor({{1, 9}, {4, 16}}));
}

TEST_CASE("sum_to") {
  const Tensor x = tensor({{1, 2, 3}, {4, 5, 6}});
  CHECK_TENSOR(sum_to(x, {3}), tensor({5, 7, 9}));
  CHECK_TENSOR(sum_to(x, {1, 3}), tensor({{5, 7, 9}}));
  CHECK_TENSOR(sum_to(x, {2, 1}), make({6, 15}, {2, 1}));
  CHECK_TENSOR(sum_to(x, {1, 1}), make({21}, {1, 1}));
  CHECK_TENSOR(sum_to(x, {1}), tensor({21}));
  CHECK_TENSOR(sum_to(x, {}), scalar_tensor(21.0));
  CHECK(sum_to(x, {2, 3}).is_same(x));
  // [2, 3, 4], [i, j, k] = 12i + 4j + k → [3, 1]: Σ over i and k = 60 + 32j
  CHECK_TENSOR(sum_to(arange(24.0, {.dtype = DType::f32}).reshape({2, 3, 4}), {3, 1}), make({60, 92, 124}, {3, 1}));
  CHECK_TENSOR(sum_to(x.t(), {1, 2}), tensor({{6, 15}}));  // x.t() = [[1, 4], [2, 5], [3, 6]]
}

TEST_CASE("matmul with 1-D operands") {
  // vector · vector → 0-d: 1·4 + 2·5 + 3·6 = 32
  CHECK_TENSOR(matmul(tensor({1, 2, 3}), tensor({4, 5, 6})), scalar_tensor(32.0));
  // matrix · vector: [[1, 2, 3], [4, 5, 6]] · [1, 0, -1] = [1 − 3, 4 − 6]
  CHECK_TENSOR(matmul(tensor({{1, 2, 3}, {4, 5, 6}}), tensor({1, 0, -1})), tensor({-2, -2}));
  // vector · matrix: [1, 2] · [[1, 2, 3], [4, 5, 6]] = [1 + 8, 2 + 10, 3 + 12]
  CHECK_TENSOR(matmul(tensor({1, 2}), tensor({{1, 2, 3}, {4, 5, 6}})), tensor({9, 12, 15}));
  // batched matrix · vector: [2, 2, 2] · [2] → [2, 2]
  CHECK_TENSOR(matmul(tensor({{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}), tensor({1, -1})), tensor({{-1, -1}, {-1, -1}}));
  // vector · batched matrix: [2] · [2, 2, 2] → [2, 2]: [1, 1]·[[1, 2], [3, 4]] = [4, 6]; ·[[5, 6], [7, 8]] = [12, 14]
  CHECK_TENSOR(matmul(tensor({1, 1}), tensor({{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}})), tensor({{4, 6}, {12, 14}}));
  CHECK_TENSOR(matmul(tensor({0.5, 0.25}, kF64), tensor({2, 4}, kF64)), scalar_tensor(2.0, kF64));
  // non-contiguous vector: column 1 of [[1, 2], [3, 4]] is [2, 4]; [1, 1] · [2, 4] = 6
  CHECK_TENSOR(matmul(tensor({1, 1}), tensor({{1, 2}, {3, 4}}).select(1, 1)), scalar_tensor(6.0));
}

TEST_CASE("softmax and log_softmax are stable for large logits") {
  // softmax([x + c]) = softmax([x]); e^1000 overflows f32 and f64
  CHECK_TENSOR(softmax(tensor({1000, 1000}), 0), tensor({0.5, 0.5}));
  CHECK_TENSOR(softmax(tensor({{1000, 999}, {-1000, -1000}}), 1),
               tensor({{0.73105858, 0.26894142}, {0.5, 0.5}}));  // e/(e + 1), 1/(e + 1)
  CHECK_TENSOR(softmax(tensor({1e30, 0}, kF64), 0), tensor({1, 0}, kF64));
  // (f32 near ±1000 is only good to ~3e-5 absolute: looser tolerance there; exact in f64)
  CHECK_TENSOR_TOL(log_softmax(tensor({1000, 1000}), 0), tensor({-kLn2, -kLn2}), 1e-4, 1e-4);
  CHECK_TENSOR(log_softmax(tensor({1000, 1000}, kF64), 0), tensor({-kLn2, -kLn2}, kF64));
  // log_softmax([1000, 999]) = [−log(1 + e^-1), −1 − log(1 + e^-1)] = [−0.31326169, −1.3132617]
  CHECK_TENSOR_TOL(log_softmax(tensor({1000, 999}), 0), tensor({-0.31326169, -1.3132617}), 1e-4, 1e-4);
  CHECK_TENSOR(log_softmax(tensor({1000, 999}, kF64), 0), tensor({-0.31326168751822286, -1.3132616875182228}, kF64));
  CHECK_TENSOR(log_softmax(tensor({-1000, 0}, kF64), 0), tensor({-1000, 0}, kF64));
  CHECK_TENSOR_TOL(log_softmax(tensor({{-1000, -1000}}), 1), tensor({{-kLn2, -kLn2}}), 1e-4, 1e-4);
}

TEST_CASE("allclose and equal") {
  CHECK(allclose(tensor({1, 2}), tensor({1, 2.000001})));
  CHECK_FALSE(allclose(tensor({1, 2}), tensor({1, 2.1})));
  CHECK_FALSE(allclose(tensor({1, 2}), tensor({{1, 2}})));
  CHECK_FALSE(allclose(tensor({kNaN}), tensor({kNaN})));
  // infinities are close only to themselves (torch.allclose): the largest finite f32 is not inf
  CHECK(allclose(tensor({kInf, -kInf}), tensor({kInf, -kInf})));
  CHECK_FALSE(allclose(tensor({3e38}), tensor({kInf})));
  CHECK_FALSE(allclose(tensor({kInf}), tensor({-kInf})));
  CHECK(equal(tensor({1, 2}, kI64), tensor({1, 2}, kI64)));
  CHECK_FALSE(equal(tensor({1, 2}, kI64), tensor({1, 2})));
}

// ============================================================================================
// Every primitive has a value test
// ============================================================================================

TEST_CASE("every op in op_list.def has a value test") {
  const auto& tested = fulcrum::testing::value_tested_ops();
  CHECK(tested.size() == kOpInfos.size());
  for (const OpInfo& info : kOpInfos) {
    CHECK_MESSAGE(tested.count(info.kind) == 1, "op '" << std::string(info.name) << "' has no OP_VALUE_TEST in tests/test_ops.cpp");
  }
}

OP_VALUE_TEST(to_device) {
  // to another device: the same values in a new contiguous tensor there; back again, the same.
  const Tensor x = tensor({{1.5, -2.0, 3.25}, {0.0, 7.0, -0.5}}, kF64).t();  // a transposed view
  const Tensor r = to_device(x, Device::ref());
  CHECK(r.device() == Device::ref());
  CHECK(r.is_contiguous());
  CHECK(r.storage().get() != x.storage().get());
  CHECK_TENSOR(r.to("cpu"), tensor({{1.5, 0.0}, {-2.0, 7.0}, {3.25, -0.5}}, kF64));
  CHECK_TENSOR(tensor({3, -4, 1LL << 40}, kI64).to("ref").to("cpu"), tensor({3, -4, 1LL << 40}, kI64));
  CHECK(zeros({0, 3}).to("ref").shape() == Shape{0, 3});
  // already there: the tensor itself (PyTorch's x.to(x.device) is x)
  CHECK(x.to(Device::cpu()).is_same(x));
  CHECK(r.to("ref").is_same(r));
}
