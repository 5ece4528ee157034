// tests/autograd/tensor_grad.cpp — autograd semantics, PyTorch's, seen from a tensor: the book's
// example, what .grad holds after backward (accumulation, zeroing, fan-out), leaves vs non-leaves
// (grad_fn names, retain_grad), detach, NoGradGuard, requires_grad propagation.
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
#include "tests/autograd/autograd_support.hpp"

using namespace fulcrum;

using namespace fulcrum::testing::autograd_tests;

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
