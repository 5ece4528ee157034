// tests/core/ops_reduce.cpp — value tests of the reductions (core/ops_reduce.cpp): sum, max, min,
// argmax, argmin.
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
