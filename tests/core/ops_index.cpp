// tests/core/ops_index.cpp — value tests of index_select, gather, scatter_add and cat
// (core/ops_index.cpp).
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
