// tests/autograd/backward.cpp — what backward computes, PyTorch's semantics: vector-Jacobian
// products, diamonds (each node once), gradients through views and broadcasting, integer and
// mask inputs. Every expected value is derived by hand in the comment next to it, never computed
// by Fulcrum.
#include <doctest/doctest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "fulcrum.hpp"
#include "tests/autograd/autograd_support.hpp"

using namespace fulcrum;

using namespace fulcrum::testing::autograd_tests;

TEST_CASE("autograd: backward(gradient) is a vector-Jacobian product") {
  SUBCASE("element-wise") {
    Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
    Tensor y = x * x;  // J = diag(2x)
    y.backward(tensor({1, 0.5, -1}));
    // vᵀJ = v ⊙ 2x = [1·2, 0.5·4, −1·6]
    check_tensor(x.grad(), {3}, {2, 2, -6});
  }
  SUBCASE("through a matrix product") {
    Tensor A = tensor({{1, 2, 3}, {4, 5, 6}});
    Tensor x = tensor({1, 1, 1}, {.requires_grad = true});
    Tensor y = matmul(A, x);  // y = A x, J = A
    check_tensor(y, {2}, {6, 15});
    y.backward(tensor({1, -2}));
    // Aᵀ v = [1 − 8, 2 − 10, 3 − 12]
    check_tensor(x.grad(), {3}, {-7, -8, -9});
  }
  SUBCASE("both operands of a matrix product") {
    Tensor A = tensor({{1, 2}, {3, 4}}, {.requires_grad = true});
    Tensor B = tensor({{5, 6}, {7, 8}}, {.requires_grad = true});
    Tensor G = tensor({{1, 0}, {2, -1}});
    matmul(A, B).backward(G);
    // dA = G Bᵀ = [[1·5+0·6, 1·7+0·8], [2·5−6, 2·7−8]] = [[5, 7], [4, 6]]
    check_tensor(A.grad(), {2, 2}, {5, 7, 4, 6});
    // dB = Aᵀ G = [[1·1+3·2, 1·0+3·(−1)], [2·1+4·2, 2·0+4·(−1)]] = [[7, −3], [10, −4]]
    check_tensor(B.grad(), {2, 2}, {7, -3, 10, -4});
  }
  SUBCASE("a one-element output needs no gradient; a leaf root gets it directly") {
    Tensor x = tensor({2}, {.requires_grad = true});
    (x * x * x).backward();  // shape [1]: d x³ = 3x² = 12
    check_tensor(x.grad(), {1}, {12});
    Tensor w = tensor({1, 2}, {.requires_grad = true});
    w.backward(tensor({3, 4}));  // the root is the leaf: its grad is the given gradient
    check_tensor(w.grad(), {2}, {3, 4});
  }
}

TEST_CASE("autograd: a diamond runs each node once, after all its gradients are in") {
  SUBCASE("a → b, a → c, b + c → d") {
    Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
    Tensor a = x * x;  // MulBackward saves x: a second run without retain_graph would throw
    Tensor b = a * 2.0;
    Tensor c = a * a;
    Tensor d = b + c;
    a.retain_grad();
    CHECK_NOTHROW(d.sum().backward());
    // dL/da = 2 + 2a = [4, 10, 20] (the two branches summed before a's backward runs)
    check_tensor(a.grad(), {3}, {4, 10, 20});
    // dL/dx = dL/da · 2x = [4·2, 10·4, 20·6]
    check_tensor(x.grad(), {3}, {8, 40, 120});
  }
  SUBCASE("branches of different lengths") {
    Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
    Tensor a = x * x;
    Tensor c = (a * 2.0) * 3.0;  // long branch: 6a
    Tensor d = c + a;            // short branch: a;  d = 7a
    CHECK_NOTHROW(d.sum().backward());
    check_tensor(x.grad(), {3}, {14, 28, 42});  // 7 · 2x
  }
  SUBCASE("the same non-leaf as both operands") {
    Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
    Tensor a = x * 3.0;  // [3, 6, 9]
    Tensor y = a * a;    // 9x²
    CHECK_NOTHROW(y.sum().backward());
    check_tensor(x.grad(), {3}, {18, 36, 54});  // 18x
  }
}

TEST_CASE("autograd: gradients through views reach the base leaf") {
  // x = [[1, 2, 3], [4, 5, 6]] in every subcase.
  Tensor x = tensor({{1, 2, 3}, {4, 5, 6}}, {.requires_grad = true});
  SUBCASE("slice with a step") {
    Tensor s = x.slice(1, 0, 3, 2);  // columns 0 and 2: [[1, 3], [4, 6]]
    CHECK(s.storage() == x.storage());
    (s * s).sum().backward();
    // 2x in columns 0 and 2, nothing in column 1.
    check_tensor(x.grad(), {2, 3}, {2, 0, 6, 8, 0, 12});
  }
  SUBCASE("transpose") {
    Tensor t = x.transpose(0, 1);  // [3, 2]
    CHECK(t.storage() == x.storage());
    Tensor w = tensor({{1, 2}, {3, 4}, {5, 6}});
    (t * w).sum().backward();
    // dL/dx[i][j] = w[j][i]
    check_tensor(x.grad(), {2, 3}, {1, 3, 5, 2, 4, 6});
  }
  SUBCASE("reshape and view") {
    Tensor r = x.reshape({3, 2});
    CHECK(r.storage() == x.storage());
    Tensor w = tensor({{1, 2}, {3, 4}, {5, 6}});
    (r * w).sum().backward();
    // Row-major order is kept: dL/dx = w read in x's shape.
    check_tensor(x.grad(), {2, 3}, {1, 2, 3, 4, 5, 6});
    (x.view({6}) * 10.0).sum().backward();
    check_tensor(x.grad(), {2, 3}, {11, 12, 13, 14, 15, 16});
  }
  SUBCASE("select") {
    Tensor row = x.select(0, 1);  // [4, 5, 6]
    (row * tensor({10, 20, 30})).sum().backward();
    check_tensor(x.grad(), {2, 3}, {0, 0, 0, 10, 20, 30});
  }
  SUBCASE("a chain of views with a copy: x.t().reshape({6})") {
    Tensor flat = x.t().reshape({6});  // [1, 4, 2, 5, 3, 6]
    check_tensor(flat, {6}, {1, 4, 2, 5, 3, 6});
    (flat * tensor({1, 2, 3, 4, 5, 6})).sum().backward();
    // x[0][0]→pos 0 (1), x[1][0]→pos 1 (2), x[0][1]→pos 2 (3), x[1][1]→4, x[0][2]→5, x[1][2]→6
    check_tensor(x.grad(), {2, 3}, {1, 3, 5, 2, 4, 6});
  }
  SUBCASE("expand") {
    Tensor b = tensor({1, 2, 3}, {.requires_grad = true});
    Tensor e = b.expand({4, 3});
    CHECK(e.storage() == b.storage());
    Tensor m = arange(0.0, 12.0, 1.0, {.dtype = f32}).reshape({4, 3});
    (e * m).sum().backward();
    // db_j = Σ_i m[i][j]: [0+3+6+9, 1+4+7+10, 2+5+8+11]
    check_tensor(b.grad(), {3}, {18, 22, 26});
    Tensor col = from_vector({1, 2}, {2, 1}, {.requires_grad = true});  // [2, 1] → [2, 3]
    (col.expand({2, 3}) * x.detach()).sum().backward();
    check_tensor(col.grad(), {2, 1}, {6, 15});  // row sums of x: 1+2+3, 4+5+6
  }
}

TEST_CASE("autograd: broadcasting sums the gradient back to the input shape") {
  // g = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]: column sums [22, 26, 30], total 78.
  const Tensor g = tensor({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}});
  SUBCASE("bias [3] added to [4, 3]") {
    Tensor X = ones({4, 3}, {.requires_grad = true});
    Tensor bias = tensor({0.1, 0.2, 0.3}, {.requires_grad = true});
    (X + bias).backward(g);
    check_tensor(bias.grad(), {3}, {22, 26, 30});
    check_tensor(X.grad(), {4, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  }
  SUBCASE("bias [1, 3], a 0-d scalar, and a column [4, 1]") {
    Tensor X = ones({4, 3});
    Tensor row = zeros({1, 3}, {.requires_grad = true});
    Tensor s = scalar_tensor(0.0, {.requires_grad = true});
    Tensor col = zeros({4, 1}, {.requires_grad = true});
    (X + row + s + col).backward(g);
    check_tensor(row.grad(), {1, 3}, {22, 26, 30});
    check_tensor(s.grad(), {}, {78});
    check_tensor(col.grad(), {4, 1}, {6, 15, 24, 33});  // row sums
  }
  SUBCASE("sub and mul broadcast too") {
    Tensor W = tensor({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}});
    Tensor scale = ones({3}, {.requires_grad = true});
    (W * scale).sum().backward();  // d Σ W·scale / dscale_j = Σ_i W[i][j]
    check_tensor(scale.grad(), {3}, {22, 26, 30});
    Tensor shift = zeros({3}, {.requires_grad = true});
    (W - shift).sum().backward();  // −(number of rows) = −4 each
    check_tensor(shift.grad(), {3}, {-4, -4, -4});
  }
}

TEST_CASE("autograd: integer and mask inputs never get gradients") {
  Tensor x = tensor({{1, 2}, {3, 4}, {5, 6}}, {.requires_grad = true});
  SUBCASE("index_select: rows picked twice get twice the gradient") {
    Tensor idx = from_data<int64_t>({2, 0, 2}, {3});
    index_select(x, 0, idx).sum().backward();
    check_tensor(x.grad(), {3, 2}, {1, 1, 0, 0, 2, 2});
    CHECK_FALSE(idx.requires_grad());
    CHECK_FALSE(idx.grad().defined());
  }
  SUBCASE("gather") {
    Tensor idx = from_data<int64_t>({1, 0, 1}, {3, 1});  // picks x[0][1], x[1][0], x[2][1]
    Tensor picked = gather(x, 1, idx);
    check_tensor(picked, {3, 1}, {2, 3, 6});
    picked.sum().backward();
    check_tensor(x.grad(), {3, 2}, {0, 1, 1, 0, 0, 1});
    CHECK_FALSE(idx.grad().defined());
  }
  SUBCASE("where's u8 condition") {
    Tensor cond = x.detach() > 3.0;  // [[0, 0], [0, 1], [1, 1]]
    Tensor other = zeros({3, 2}, {.requires_grad = true});
    where(cond, x, other).sum().backward();
    check_tensor(x.grad(), {3, 2}, {0, 0, 0, 1, 1, 1});
    check_tensor(other.grad(), {3, 2}, {1, 1, 1, 0, 0, 0});
    CHECK_FALSE(cond.requires_grad());
    CHECK_FALSE(cond.grad().defined());
  }
  SUBCASE("outputs of integer ops, comparisons and argmax do not require grad") {
    CHECK_FALSE(x.to(i64).requires_grad());
    CHECK(x.to(i64).grad_fn() == nullptr);
    CHECK_FALSE((x > 2.0).requires_grad());
    CHECK_FALSE(argmax(x, 1).requires_grad());
    CHECK_FALSE(one_hot(from_data<int64_t>({1, 0}, {2}), 2).requires_grad());
    // A graph that goes through an integer conversion ends there: x gets no gradient from it.
    Tensor through_int = x.to(i64).to(f32) * 2.0;
    CHECK_FALSE(through_int.requires_grad());
  }
}
