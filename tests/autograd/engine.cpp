// tests/autograd/engine.cpp — the engine (autograd/engine.cpp) under load and end to end: long
// chains and very deep graphs without deep recursion, f64 → f32 → f64 round trips, gradients never
// aliased, a linear regression fitted by manual SGD.
// Every expected value is derived by hand in the comment next to it, never computed by Fulcrum.
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
