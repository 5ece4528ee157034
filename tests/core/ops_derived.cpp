// tests/core/ops_derived.cpp — value tests of the derived functions of ops.hpp (core/ops_derived.cpp):
// mean, var / std, logsumexp, transpose, squeeze, flatten, narrow, stack, one_hot, sum_to, allclose.
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
