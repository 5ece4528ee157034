// tests/test_autograd.cpp — autograd semantics, PyTorch's: what .grad holds after backward
// (accumulation, zeroing, fan-out), leaves vs non-leaves (grad_fn names, retain_grad), detach,
// NoGradGuard, requires_grad propagation, vector-Jacobian products, diamonds, views,
// broadcasting, integer inputs, long chains, dtype round trips, grad aliasing, and an SGD loop.
// Every expected value is derived by hand in the comment next to it, never computed by Fulcrum.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 6.
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

using namespace fulcrum;

namespace {

// t has `shape` and its row-major values match `expected` within tol.
void check_tensor(const Tensor& t, const Shape& shape, const std::vector<double>& expected,
                  double tol = 1e-6) {
  REQUIRE(t.defined());
  CHECK(t.shape() == shape);
  const std::vector<double> values = t.to_vector<double>();
  REQUIRE(values.size() == expected.size());
  for (size_t i = 0; i < values.size(); ++i) {
    INFO("element " << i << " of " << t);
    CHECK(values[i] == doctest::Approx(expected[i]).epsilon(tol).scale(1.0));
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
TEST_CASE("autograd: the book example") {
  Tensor x = tensor({{1, 2}, {3, 4}}, {.requires_grad = true});
  Tensor y = x + 2.0;
  Tensor z = y * y * 3.0;
  // z = 3 (x + 2)²: 3·9, 3·16, 3·25, 3·36.
  check_tensor(z, {2, 2}, {27, 48, 75, 108});
  z.backward(ones_like(x));
  // dz/dx = 6 (x + 2): 6·3, 6·4, 6·5, 6·6.
  check_tensor(x.grad(), {2, 2}, {18, 24, 30, 36});
  CHECK(x.grad().dtype() == f32);
  CHECK(x.is_leaf());
  CHECK_FALSE(y.is_leaf());
  REQUIRE(y.grad_fn());
  CHECK(y.grad_fn()->name() == "AddBackward");
  REQUIRE(z.grad_fn());
  CHECK(z.grad_fn()->name() == "MulBackward");
  CHECK_FALSE(y.grad().defined());  // non-leaf, no retain_grad
}

TEST_CASE("autograd: .grad accumulates") {
  SUBCASE("two backward calls through one graph, with retain_graph") {
    Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
    Tensor loss = (x * x).sum();
    loss.backward(Tensor(), /*retain_graph=*/true);
    check_tensor(x.grad(), {3}, {2, 4, 6});  // d Σx² = 2x
    const Tensor first = x.grad();           // a handle to the same grad tensor
    loss.backward();
    check_tensor(x.grad(), {3}, {4, 8, 12});  // 2x + 2x
    // Accumulation is in place: a handle taken after the first backward sees the sum.
    CHECK(first.is_same(x.grad()));
    check_tensor(first, {3}, {4, 8, 12});
  }
  SUBCASE("two separate graphs") {
    Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
    (x * x).sum().backward();  // 2x = [2, 4, 6]
    (x * 3.0).sum().backward();  // 3 each
    check_tensor(x.grad(), {3}, {5, 7, 9});
  }
  SUBCASE("fan-out: x used twice in one graph") {
    Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
    Tensor y = x * x + x;  // dy/dx = 2x + 1 = [3, 5, 7]
    y.sum().backward();
    check_tensor(x.grad(), {3}, {3, 5, 7});
    Tensor w = tensor({-1, 0.5}, {.requires_grad = true});
    (w + w + w).sum().backward();  // three uses: 3 each
    check_tensor(w.grad(), {2}, {3, 3});
  }
  SUBCASE("zeroing with set_grad(Tensor())") {
    Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
    (x * x).sum().backward();
    check_tensor(x.grad(), {3}, {2, 4, 6});
    x.set_grad(Tensor());
    CHECK_FALSE(x.grad().defined());
    (x * 4.0).sum().backward();  // 4 each, not 4 + 2x
    check_tensor(x.grad(), {3}, {4, 4, 4});
    // set_grad with a value replaces it; the next backward adds to that value.
    x.set_grad(tensor({100, 200, 300}));
    (x * 1.0).sum().backward();
    check_tensor(x.grad(), {3}, {101, 201, 301});
  }
}

TEST_CASE("autograd: leaves, non-leaves, grad_fn names and retain_grad") {
  Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
  Tensor c = tensor({1, 1, 1});  // does not require grad
  CHECK(x.is_leaf());
  CHECK(x.grad_fn() == nullptr);
  CHECK(c.is_leaf());
  CHECK(c.grad_fn() == nullptr);
  CHECK(add(c, c).is_leaf());  // no input requires grad: nothing recorded
  CHECK(add(c, c).grad_fn() == nullptr);

  // grad_fn names as PyTorch prints them (without the trailing version digit).
  Tensor m = tensor({{1, 2}, {3, 4}}, {.requires_grad = true});
  CHECK((x * 2.0).grad_fn()->name() == "MulBackward");
  CHECK((x + c).grad_fn()->name() == "AddBackward");
  CHECK((x - c).grad_fn()->name() == "SubBackward");
  CHECK(x.sum().grad_fn()->name() == "SumBackward");
  CHECK(x.exp().grad_fn()->name() == "ExpBackward");
  CHECK(log_softmax(x, 0).grad_fn()->name() == "LogSoftmaxBackward");
  CHECK(m.t().grad_fn()->name() == "PermuteBackward");
  CHECK(m.matmul(m).grad_fn()->name() == "MatmulBackward");
  CHECK(index_select(x, 0, from_data<int64_t>({0}, {1})).grad_fn()->name() == "IndexSelectBackward");
  CHECK(x.to(f64).grad_fn()->name() == "ToDtypeBackward");

  SUBCASE("a non-leaf's .grad is undefined after backward") {
    Tensor y = x * 2.0;
    CHECK_FALSE(y.is_leaf());
    (y * y).sum().backward();
    CHECK_FALSE(y.grad().defined());
    // d Σ(2x)² / dx = 8x
    check_tensor(x.grad(), {3}, {8, 16, 24});
  }
  SUBCASE("retain_grad keeps it, with the right value") {
    Tensor y = x * 2.0;  // [2, 4, 6]
    y.retain_grad();
    Tensor z = y * y;  // [4, 16, 36]
    z.retain_grad();
    z.sum().backward();
    // dL/dz = 1; dL/dy = 2y = [4, 8, 12]; dL/dx = 2 · dL/dy = [8, 16, 24].
    check_tensor(z.grad(), {3}, {1, 1, 1});
    check_tensor(y.grad(), {3}, {4, 8, 12});
    check_tensor(x.grad(), {3}, {8, 16, 24});
    CHECK_FALSE(y.is_leaf());  // retain_grad does not make it a leaf
  }
  SUBCASE("retain_grad on a leaf changes nothing") {
    x.retain_grad();
    (x * 5.0).sum().backward();
    check_tensor(x.grad(), {3}, {5, 5, 5});
  }
}

TEST_CASE("autograd: detach shares storage but has no history") {
  Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
  Tensor y = x * 2.0;  // [2, 4, 6]
  Tensor d = y.detach();
  CHECK_FALSE(d.requires_grad());
  CHECK(d.is_leaf());
  CHECK(d.grad_fn() == nullptr);
  CHECK(d.storage() == y.storage());  // same storage object
  CHECK(d.shape() == y.shape());
  CHECK(d.strides() == y.strides());
  CHECK(d.offset() == y.offset());
  check_tensor(d, {3}, {2, 4, 6});
  // A write through the detached alias shows in y (shared storage).
  d.fill_(10.0);
  check_tensor(y, {3}, {10, 10, 10});
  // Ops on the detached tensor record nothing.
  Tensor e = d * d;
  CHECK_FALSE(e.requires_grad());
  CHECK(e.grad_fn() == nullptr);
  // Detaching a leaf: same storage, does not require grad, x itself unchanged.
  Tensor dx = x.detach();
  CHECK(dx.storage() == x.storage());
  CHECK_FALSE(dx.requires_grad());
  CHECK(x.requires_grad());
  // Gradient does not flow through detach: L = Σ (x · detach(x)) has dL/dx = detach(x) = x,
  // not 2x.
  Tensor w = tensor({1, 2, 3}, {.requires_grad = true});
  (w * w.detach()).sum().backward();
  check_tensor(w.grad(), {3}, {1, 2, 3});
}

TEST_CASE("autograd: NoGradGuard records nothing and restores the previous mode") {
  Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
  CHECK(grad_mode_enabled());
  {
    NoGradGuard no_grad;
    CHECK_FALSE(grad_mode_enabled());
    Tensor y = x * 2.0 + 1.0;
    CHECK_FALSE(y.requires_grad());
    CHECK(y.grad_fn() == nullptr);
    CHECK(y.is_leaf());
    check_tensor(y, {3}, {3, 5, 7});  // values are still computed
    CHECK(x.requires_grad());         // the leaf's flag is untouched
    {
      NoGradGuard nested;
      CHECK_FALSE(grad_mode_enabled());
    }
    CHECK_FALSE(grad_mode_enabled());  // the inner guard restored "off", not "on"
    CHECK_FALSE(matmul(x, x).requires_grad());
    CHECK_FALSE(softmax(x, 0).requires_grad());
    CHECK_FALSE(x.slice(0, 0, 2).requires_grad());
  }
  CHECK(grad_mode_enabled());
  CHECK((x * 2.0).requires_grad());
  // Grad mode is per thread: a guard here does not switch it off in another thread.
  {
    NoGradGuard no_grad;
    bool other_thread_mode = false;
    std::thread([&] { other_thread_mode = grad_mode_enabled(); }).join();
    CHECK(other_thread_mode);
  }
  // backward() itself may be called under a guard (the graph was recorded before it).
  Tensor loss = (x * x).sum();
  {
    NoGradGuard no_grad;
    loss.backward();
  }
  check_tensor(x.grad(), {3}, {2, 4, 6});  // 2x
  // The gradient has no history of its own (no double backward).
  CHECK_FALSE(x.grad().requires_grad());
  CHECK(x.grad().grad_fn() == nullptr);
  // Restored on unwinding too.
  try {
    NoGradGuard no_grad;
    throw std::runtime_error("unwind");
  } catch (const std::runtime_error&) {
  }
  CHECK(grad_mode_enabled());
}

TEST_CASE("autograd: requires_grad propagates only from inputs that require it") {
  Tensor a = tensor({1, 2, 3}, {.requires_grad = true});
  Tensor b = tensor({4, 5, 6});
  Tensor c = tensor({-1, 0, 2});
  CHECK((a * b).requires_grad());
  CHECK((b * a).requires_grad());
  CHECK_FALSE((b * c).requires_grad());
  CHECK_FALSE((b + 1.0).requires_grad());
  CHECK_FALSE(b.exp().requires_grad());
  Tensor y = a * b + c;
  CHECK(y.requires_grad());
  y.sum().backward();
  // d Σ(a·b + c)/da = b; b and c get nothing.
  check_tensor(a.grad(), {3}, {4, 5, 6});
  CHECK_FALSE(b.grad().defined());
  CHECK_FALSE(c.grad().defined());
  CHECK_FALSE(b.requires_grad());
  // TensorOptions.requires_grad and set_requires_grad make leaves that require grad.
  Tensor w = zeros({2}, {.requires_grad = true});
  CHECK(w.requires_grad());
  CHECK(w.is_leaf());
  Tensor v = ones({2});
  v.set_requires_grad();
  CHECK(v.requires_grad());
  v.set_requires_grad(false);
  CHECK_FALSE((v * 2.0).requires_grad());
}

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

TEST_CASE("autograd: a long chain does not overflow the stack") {
  Tensor x = tensor({3}, {.requires_grad = true});
  Tensor y = x;
  for (int i = 0; i < 500; ++i) {  // 1000 MulBackward nodes: ×2 then ×0.5, exact in floats
    y = y * 2.0;
    y = y * 0.5;
  }
  check_tensor(y, {1}, {3});
  y.backward();
  check_tensor(x.grad(), {1}, {1});  // Π (2 · 0.5) = 1
  Tensor z = x;
  for (int i = 0; i < 1000; ++i) z = z + 1.0;
  check_tensor(z, {1}, {1003});
  z.backward();
  check_tensor(x.grad(), {1}, {2});  // 1 + 1
}

// A chain of 100000 ops run, differentiated and freed with a 1 MiB stack (a stand-in for an
// 800000-op chain on the usual 8 MiB stack): neither backward nor freeing the graph may
// recurse once per node. Runs in a forked child so that a stack overflow fails this check
// instead of killing the suite.
TEST_CASE("autograd: a very deep graph is differentiated and freed without deep recursion") {
  std::fflush(nullptr);
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    for (int sig : {SIGSEGV, SIGBUS, SIGABRT}) std::signal(sig, SIG_DFL);
    close(fds[0]);
    rlimit limit{};
    getrlimit(RLIMIT_STACK, &limit);
    limit.rlim_cur = 1 << 20;
    setrlimit(RLIMIT_STACK, &limit);
    // Progress goes to the parent as it happens, so it knows where a crash struck.
    auto send = [&](const std::string& text) {
      [[maybe_unused]] ssize_t written = write(fds[1], text.data(), text.size());
    };
    try {
      Tensor x = tensor({1}, {.requires_grad = true});
      {
        Tensor y = x;
        for (int i = 0; i < 100000; ++i) y = y + 1.0;
        send("built; ");
        y.backward();
        send("backward done, grad " + std::to_string(x.grad().item()) + "; ");
      }  // the graph is freed here
      send("freed");
    } catch (const std::exception& e) {
      send(std::string("exception: ") + e.what());
    }
    close(fds[1]);
    std::_Exit(0);
  }
  close(fds[1]);
  std::string report;
  char buffer[512];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) report.append(buffer, n);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  INFO("child report: " << report);
  const int signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  CHECK_MESSAGE(signal == 0, "the child died of signal " << signal << " (stack overflow?)");
  CHECK(report == "built; backward done, grad 1.000000; freed");
}

TEST_CASE("autograd: f64 → f32 → f64 round trip is differentiable") {
  Tensor x = tensor({1.5, -2}, {.dtype = f64, .requires_grad = true});
  Tensor x32 = x.to(f32);
  CHECK(x32.dtype() == f32);
  CHECK(x32.requires_grad());
  Tensor y = x32.to(f64);
  CHECK(y.dtype() == f64);
  REQUIRE(y.grad_fn());
  CHECK(y.grad_fn()->name() == "ToDtypeBackward");
  (y * y).sum().backward();
  // d Σy² / dx = 2x (1.5 and −2 are exact in f32)
  REQUIRE(x.grad().defined());
  CHECK(x.grad().dtype() == f64);
  check_tensor(x.grad(), {2}, {3, -4});
  // And the other way: an f32 leaf through f64 gets an f32 gradient.
  Tensor w = tensor({0.5, 4}, {.requires_grad = true});
  (w.to(f64) * 3.0).sum().backward();
  CHECK(w.grad().dtype() == f32);
  check_tensor(w.grad(), {2}, {3, 3});
}

TEST_CASE("autograd: gradients are never aliased") {
  SUBCASE("between two leaves of y = a + b") {
    Tensor a = tensor({1, 2}, {.requires_grad = true});
    Tensor b = tensor({3, 4}, {.requires_grad = true});
    (a + b).sum().backward();
    check_tensor(a.grad(), {2}, {1, 1});
    check_tensor(b.grad(), {2}, {1, 1});
    CHECK(a.grad().storage() != b.grad().storage());
    Tensor ga = a.grad();
    ga.add_(tensor({10, 10}));  // in place on a's grad only
    check_tensor(a.grad(), {2}, {11, 11});
    check_tensor(b.grad(), {2}, {1, 1});
  }
  SUBCASE("between a leaf's grad and the gradient passed to backward") {
    Tensor a = tensor({1, 2}, {.requires_grad = true});
    Tensor b = tensor({3, 4}, {.requires_grad = true});
    Tensor v = tensor({5, 6});
    (a + b).backward(v);
    v.mul_(0.0);  // the caller reuses its buffer
    check_tensor(a.grad(), {2}, {5, 6});
    check_tensor(b.grad(), {2}, {5, 6});
    Tensor w = tensor({1, 2}, {.requires_grad = true});
    Tensor u = tensor({7, 8});
    w.backward(u);  // leaf root
    u.fill_(0.0);
    check_tensor(w.grad(), {2}, {7, 8});
  }
  SUBCASE("between a retained non-leaf grad and the leaf grad") {
    Tensor a = tensor({1, 2}, {.requires_grad = true});
    Tensor y = a + 0.0;
    y.retain_grad();
    y.sum().backward();
    CHECK(y.grad().storage() != a.grad().storage());
    Tensor gy = y.grad();
    gy.fill_(-1.0);
    check_tensor(a.grad(), {2}, {1, 1});
  }
}

TEST_CASE("autograd: linear regression fitted by manual SGD") {
  // Data from known weights, no noise: y = X w* + b*, w* = [2, −3, 0.5], b* = 1.
  Generator gen(2024);
  const Tensor X = randn({64, 3}, {}, &gen);
  const Tensor w_true = from_vector({2, -3, 0.5}, {3, 1});
  const Tensor y = matmul(X, w_true) + 1.0;
  Tensor w = zeros({3, 1}, {.requires_grad = true});
  Tensor b = zeros({1}, {.requires_grad = true});
  const double lr = 0.1;
  std::vector<double> losses;
  for (int step = 0; step < 400; ++step) {
    Tensor residual = matmul(X, w) + b - y;
    Tensor loss = (residual * residual).mean();
    losses.push_back(loss.item());
    loss.backward();
    {
      NoGradGuard no_grad;
      w.sub_(w.grad() * lr);
      b.sub_(b.grad() * lr);
    }
    w.set_grad(Tensor());
    b.set_grad(Tensor());
  }
  // MSE is a convex quadratic; with lr·λmax < 2 (λ ≈ 2 for standard-normal features) every
  // step lowers the loss.
  CHECK(losses.front() > 1.0);  // the start is far from the fit (E[y²] = 4 + 9 + 0.25 + 1)
  for (size_t i = 1; i < losses.size(); ++i) {
    INFO("step " << i << ": " << losses[i - 1] << " → " << losses[i]);
    CHECK(losses[i] <= losses[i - 1] * (1 + 1e-6) + 1e-12);
  }
  CHECK(losses.back() < 1e-6);
  CHECK(w.is_leaf());
  CHECK(w.requires_grad());
  check_tensor(w, {3, 1}, {2, -3, 0.5}, 1e-3);
  check_tensor(b, {1}, {1}, 1e-3);
}
