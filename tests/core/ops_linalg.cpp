// tests/core/ops_linalg.cpp — value tests of matmul, softmax and log_softmax (core/ops_linalg.cpp).
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
