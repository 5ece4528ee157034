// tests/core/ops_elementwise.cpp — value tests of the element-wise primitives (core/ops_elementwise.cpp):
// one input, broadcasting binary ops, where, and the comparisons giving u8.
// Expected values are written out by hand (with the arithmetic in a comment where it is not
// obvious), never computed by the library; they follow PyTorch. Each primitive of op_list.def has
// at least one OP_VALUE_TEST(kind); core/op_list.cpp fails if one is missing.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "op_registry.hpp"
#include "op_values.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;

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

OP_VALUE_TEST(threshold_backward) {
  // grad where self > 0, else 0 (0 at the kink self = 0, as relu's gradient in PyTorch).
  CHECK_TENSOR(threshold_backward(tensor({1, 2, 3, 4}), tensor({-1, 0, 0.5, 2})), tensor({0, 0, 3, 4}));
  // [2, 1] grad against a [2, 2] self: [[5, 0], [0, 6]].
  CHECK_TENSOR(threshold_backward(tensor({{5}, {6}}), tensor({{1, -1}, {-2, 3}})), tensor({{5, 0}, {0, 6}}));
  // A NaN self is not ≤ 0, so the gradient passes (PyTorch's self <= threshold ? 0 : grad).
  CHECK_TENSOR(threshold_backward(tensor({7}), tensor({kNaN})), tensor({7}));
  // relu's backward uses it: d relu(x)/dx = (0, 0, 1) for x = (−1, 0, 2).
  Tensor x = tensor({-1, 0, 2}).set_requires_grad(true);
  relu(x).sum().backward();
  CHECK_TENSOR(x.grad(), tensor({0, 0, 1}));
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
