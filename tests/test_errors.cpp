// tests/test_errors.cpp — every user-reachable misuse throws fulcrum::Error (never a crash, a
// silent wrong answer or another exception type), and the message says what went wrong: the op
// name, the shapes / dtypes / values involved, what was expected, and a " [file:line]" suffix.
// Each misuse is paired, where it makes sense, with the nearest valid call, which must not throw
// (so a check that throws on everything would not pass).
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <regex>
#include <string>
#include <vector>

#include "fulcrum.hpp"

using namespace fulcrum;

namespace {

// Evaluates `fn` once; the message of the fulcrum::Error it throws, or a marker saying it did not.
template <typename F> std::string error_message(F&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("<not a fulcrum::Error: ") + e.what() + ">";
  }
  return "<no exception>";
}

// Checks that `message` contains every part and ends with " [dir/file.cpp:line]".
void check_message(const char* expression, const std::string& message,
                   std::initializer_list<const char*> parts, int line = 0) {
  std::string where = expression;
  if (line) where += " (test_errors.cpp:" + std::to_string(line) + ")";
  INFO("expression: " << where);
  INFO("message:    " << message);
  for (const char* part : parts) {
    const std::string wanted = part;
    CHECK_MESSAGE(message.find(wanted) != std::string::npos, "the message lacks \"" << wanted << "\"");
  }
  static const std::regex location(R"( \[[A-Za-z0-9_./-]+\.(cpp|hpp):[0-9]+\]$)");
  CHECK_MESSAGE(std::regex_search(message, location), "the message lacks the \" [file:line]\" suffix");
}

}  // namespace

// CHECK_ERROR(expr, "part:", …): expr throws fulcrum::Error (CHECK_THROWS_AS) and the message
// contains every part. expr is evaluated twice, so it must not change state; the stateful cases
// (backward, in-place) catch the message themselves.
#define CHECK_ERROR(expr, ...)                                                           \
  do {                                                                                   \
    CHECK_THROWS_AS((void)(expr), ::fulcrum::Error);                                     \
    check_message(#expr, error_message([&] { (void)(expr); }), {__VA_ARGS__}, __LINE__); \
  } while (false)

// For misuses that currently crash the process (read out of bounds): run them in a forked
// child so that a crash fails this check instead of killing the whole suite. The child sends
// back the Error message; the parent checks it like CHECK_ERROR.
namespace {
struct ChildOutcome {
  bool crashed = false;
  int signal = 0;
  std::string message;  // the Error message, or a "<…>" marker
};

ChildOutcome run_in_child(const std::function<void()>& fn) {
  std::fflush(nullptr);
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // The child reports a crash by dying of the signal, not through doctest's handlers.
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(sig, SIG_DFL);
    close(fds[0]);
    const std::string message = error_message(fn);
    [[maybe_unused]] ssize_t written = write(fds[1], message.data(), message.size());
    close(fds[1]);
    std::_Exit(0);
  }
  close(fds[1]);
  ChildOutcome outcome;
  char buffer[4096];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) outcome.message.append(buffer, n);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) {
    outcome.crashed = true;
    outcome.signal = WTERMSIG(status);
  }
  return outcome;
}
}  // namespace

#define CHECK_ERROR_IN_CHILD(expr, ...)                                                  \
  do {                                                                                   \
    const ChildOutcome outcome_ = run_in_child([&] { (void)(expr); });                   \
    CHECK_MESSAGE(!outcome_.crashed, #expr " crashed the process (signal " << outcome_.signal \
                                          << ") instead of throwing fulcrum::Error");    \
    if (!outcome_.crashed) check_message(#expr, outcome_.message, {__VA_ARGS__}, __LINE__); \
  } while (false)

// ---------------------------------------------------------------------------------------------
TEST_CASE("errors: the message format is op: details [file:line]") {
  // The example documented in core/shape.hpp, character for character.
  const std::string message = error_message([] { (void)add(ones({4, 3}), ones({2, 3})); });
  INFO(message);
  CHECK(message.rfind("add: shapes [4, 3] and [2, 3] cannot broadcast (dim 0: 4 vs 2", 0) == 0);
  CHECK(std::regex_search(message, std::regex(R"( \[core/[a-z_]+\.cpp:[0-9]+\]$)")));
  // fulcrum::Error is a std::runtime_error, so generic handlers catch it too.
  CHECK_THROWS_AS((void)add(ones({4, 3}), ones({2, 3})), std::runtime_error);
}

TEST_CASE("errors: broadcast mismatch in add, mul, where and the operators") {
  CHECK_ERROR(add(ones({4, 3}), ones({2, 3})), "add: shapes [4, 3] and [2, 3] cannot broadcast",
              "dim 0: 4 vs 2");
  CHECK_ERROR(ones({4, 3}) + ones({2, 3}), "add:", "[4, 3]", "[2, 3]");
  CHECK_ERROR(mul(ones({2, 3}), ones({4})), "mul: shapes [2, 3] and [4] cannot broadcast", "dim 1: 3 vs 4");
  CHECK_ERROR(ones({2, 3}) * ones({2}), "mul:", "[2, 3]", "[2]");
  CHECK_ERROR(sub(ones({5}), ones({6})), "sub:", "[5]", "[6]");
  CHECK_ERROR(div(ones({2, 2}), ones({3, 1})), "div:", "[2, 2]", "[3, 1]");
  CHECK_ERROR(maximum(ones({2}), ones({3})), "maximum:", "[2]", "[3]");
  CHECK_ERROR(lt(ones({2}), ones({3})), "lt:", "[2]", "[3]");
  // a and b disagree; then the condition disagrees with a and b.
  const Tensor cond3 = ones({3}) > 0.0;
  CHECK_ERROR(where(cond3, ones({2}), ones({3})), "where:", "[2]", "[3]", "cannot broadcast");
  CHECK_ERROR(where(ones({4}) > 0.0, ones({3}), ones({3})), "where:", "[4]", "[3]", "cannot broadcast");
  // The valid neighbours broadcast fine.
  CHECK(add(ones({4, 3}), ones({3})).shape() == Shape{4, 3});
  CHECK(mul(ones({2, 1}), ones({1, 4})).shape() == Shape{2, 4});
  CHECK(where(cond3, ones({2, 1}), ones({3})).shape() == Shape{2, 3});
}

TEST_CASE("errors: matmul shape mismatch and 0-d operands") {
  CHECK_ERROR(matmul(ones({2, 3}), ones({4, 5})), "matmul:", "[2, 3]", "[4, 5]", "3", "4");
  CHECK_ERROR(matmul(ones({3}), ones({4})), "matmul:", "3", "4");
  CHECK_ERROR(matmul(scalar_tensor(1.0), ones({4})), "matmul:", "[]", "[4]", "at least 1 dim");
  CHECK_ERROR(matmul(ones({4}), scalar_tensor(1.0)), "matmul:", "[4]", "[]", "at least 1 dim");
  CHECK_ERROR(ones({2, 3}).matmul(ones({2, 3})), "matmul:", "[2, 3]");
  // The message must show the shapes the user passed, not the internally unsqueezed ones
  // ([4] not [4, 1]; [3] not [1, 3]) and, for batched operands, the full shapes.
  CHECK_ERROR(matmul(ones({2, 3}), ones({4})), "matmul:", "[2, 3]", "[4]");
  CHECK_ERROR(matmul(ones({3}), ones({4, 5})), "matmul:", "[3]", "[4, 5]");
  CHECK_ERROR(matmul(ones({2, 3, 4}), ones({3, 4, 5})), "matmul:", "[2, 3, 4]", "[3, 4, 5]");
  // Valid: [2, 3] @ [3, 4], [2, 3] @ [3], batch broadcast [2, 3, 4] @ [4, 5].
  CHECK(matmul(ones({2, 3}), ones({3, 4})).shape() == Shape{2, 4});
  CHECK(matmul(ones({2, 3}), ones({3})).shape() == Shape{2});
  CHECK(matmul(ones({2, 3, 4}), ones({4, 5})).shape() == Shape{2, 3, 5});
}

TEST_CASE("errors: dtypes are never mixed or silently converted") {
  const Tensor a32 = ones({2}), a64 = ones({2}, {.dtype = f64});
  CHECK_ERROR(a32 + a64, "add: dtypes f32 and f64 differ");
  CHECK_ERROR(mul(a64, a32), "mul:", "f64", "f32");
  CHECK_ERROR(matmul(ones({2, 2}), ones({2, 2}, {.dtype = f64})), "matmul:", "f32", "f64");
  CHECK_ERROR(cat({a32, a64}), "cat:", "f32", "f64");
  CHECK_ERROR(where(a32 > 0.0, a32, a64), "where:", "f32", "f64");
  // Floating-only ops on integers.
  const Tensor ints = arange(3.0);  // i64 [0, 1, 2]
  CHECK(ints.dtype() == i64);
  CHECK_ERROR(exp(ints), "exp:", "floating", "i64", "[3]");
  CHECK_ERROR(log(ints), "log:", "i64");
  CHECK_ERROR(softmax(ints, 0), "softmax:", "i64");
  CHECK_ERROR(matmul(ints, ints), "matmul:", "i64");
  CHECK_ERROR(mean(ints), "mean:", "i64");
  CHECK_ERROR(ints / ints, "div:", "i64");
  // Index tensors must be i64.
  const Tensor x = ones({3, 2});
  CHECK_ERROR(index_select(x, 0, tensor({0, 1})), "index_select:", "index", "i64", "f32");
  CHECK_ERROR(gather(x, 0, zeros({1, 2})), "gather:", "index", "i64", "f32");
  CHECK_ERROR(scatter_add(x, 0, zeros({1, 2}), ones({1, 2})), "scatter_add:", "index", "i64", "f32");
  CHECK_ERROR(one_hot(tensor({0, 1})), "one_hot:", "i64", "f32");
  // where's condition must be u8.
  CHECK_ERROR(where(ones({3}), ones({3}), zeros({3})), "where:", "condition", "u8", "f32");
  CHECK_ERROR(where(arange(3.0), ones({3}), zeros({3})), "where:", "condition", "u8", "i64");
  // Only floating tensors can require grad.
  Tensor counts = zeros({3}, {.dtype = i64});
  CHECK_ERROR(counts.set_requires_grad(true), "requires_grad_:", "floating", "i64");
  CHECK_FALSE(counts.requires_grad());
  CHECK_ERROR(zeros({3}, {.dtype = i64, .requires_grad = true}), "requires_grad_:", "i64");
  CHECK_ERROR(ones({3}, {.dtype = u8, .requires_grad = true}), "requires_grad_:", "u8");
  CHECK_NOTHROW(counts.set_requires_grad(false));  // turning it off is always fine
  // data_ptr with the wrong C++ type.
  CHECK_ERROR(a32.data_ptr<double>(), "data_ptr:", "f32", "f64");
}

TEST_CASE("errors: integer tensors with non-integral scalars") {
  const Tensor ints = arange(3.0);  // i64
  CHECK_ERROR(ints * 0.5, "mul:", "0.5", "i64", "truncated");
  CHECK_ERROR(0.5 * ints, "mul:", "0.5", "i64");
  CHECK_ERROR(ints + 1.5, "add:", "1.5", "i64");
  CHECK_ERROR(ints - 0.25, "sub:", "0.25", "i64");
  CHECK_ERROR(ints == 0.5, "eq:", "0.5", "i64");
  // An integral scalar is fine: [0, 1, 2] * 2 = [0, 2, 4], still i64.
  const Tensor doubled = ints * 2.0;
  CHECK(doubled.dtype() == i64);
  CHECK(doubled.to_vector<int64_t>() == std::vector<int64_t>{0, 2, 4});
}

TEST_CASE("errors: backward misuse") {
  SUBCASE("a non-scalar output needs an explicit gradient") {
    Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
    Tensor y = x * x;
    CHECK_THROWS_AS(y.backward(), Error);
    check_message("y.backward()", error_message([&] { y.backward(); }),
                  {"backward:", "one-element", "[3]"});
    CHECK_FALSE(x.grad().defined());  // nothing was accumulated by the failed calls
  }
  SUBCASE("the gradient must match the output's shape and dtype") {
    Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
    Tensor y = x * x;
    CHECK_THROWS_AS(y.backward(ones({2})), Error);
    check_message("y.backward(ones({2}))", error_message([&] { y.backward(ones({2})); }),
                  {"backward", "[2]", "[3]"});
    check_message("y.backward(ones({3, 1}))", error_message([&] { y.backward(ones({3, 1})); }),
                  {"backward", "[3, 1]", "[3]"});
    check_message("y.backward(f64 gradient)",
                  error_message([&] { y.backward(ones({3}, {.dtype = f64})); }),
                  {"backward", "f64", "f32"});
    CHECK_FALSE(x.grad().defined());
    y.backward(ones({3}));  // the right one works: dy/dx = 2x
    CHECK(x.grad().to_vector<double>() == std::vector<double>{2, 4, 6});
  }
  SUBCASE("a second backward through freed saved tensors, unless retain_graph") {
    Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
    Tensor loss = (x * x).sum();  // MulBackward saves x twice
    loss.backward();
    CHECK(x.grad().to_vector<double>() == std::vector<double>{2, 4, 6});
    const std::string message = error_message([&] { loss.backward(); });
    check_message("loss.backward() twice", message,
                  {"backward", "second time", "MulBackward", "retain_graph"});
    CHECK_THROWS_AS(loss.backward(), Error);
  }
  SUBCASE("retain_graph = true allows the second backward, which accumulates") {
    Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
    Tensor loss = (x * x).sum();
    loss.backward(Tensor(), /*retain_graph=*/true);
    CHECK_NOTHROW(loss.backward());
    // d/dx Σx² = 2x, twice: 4x.
    CHECK(x.grad().to_vector<double>() == std::vector<double>{4, 8, 12});
    CHECK_THROWS_AS(loss.backward(), Error);  // the second one did not retain
  }
  SUBCASE("a tensor that does not require grad") {
    Tensor x = tensor({1, 2, 3});
    Tensor loss = (x * x).sum();
    CHECK_ERROR(loss.backward(), "backward:", "does not require grad");
    Tensor leaf = ones({1});
    CHECK_ERROR(leaf.backward(), "backward:", "does not require grad");
    {
      Tensor w = ones({2}, {.requires_grad = true});
      NoGradGuard no_grad;
      Tensor out = (w * 2.0).sum();  // recorded nothing
      CHECK_ERROR(out.backward(), "backward:", "does not require grad");
    }
  }
  SUBCASE("retain_grad on a tensor that does not require grad") {
    CHECK_ERROR(ones({3}).retain_grad(), "retain_grad:", "does not require grad");
  }
  SUBCASE("set_grad with the wrong shape or dtype") {
    Tensor x = ones({3}, {.requires_grad = true});
    CHECK_ERROR(x.set_grad(ones({4})), "set_grad:", "[4]", "[3]");
    CHECK_ERROR(x.set_grad(ones({3}, {.dtype = f64})), "set_grad:", "f64", "f32");
    CHECK_FALSE(x.grad().defined());
  }
}

TEST_CASE("errors: out-of-range indices") {
  const Tensor x = ones({3, 2});
  const Tensor bad_row = from_data<int64_t>({1, 3}, {2});
  CHECK_ERROR(index_select(x, 0, bad_row), "index_select:", "index 3", "dim 0", "size 3");
  CHECK_ERROR(index_select(x, 1, from_data<int64_t>({-1}, {1})), "index_select:", "index -1", "size 2");
  CHECK_ERROR(gather(ones({3}), 0, from_data<int64_t>({0, 5}, {2})), "gather:", "index 5", "size 3");
  CHECK_ERROR(gather(x, 1, from_data<int64_t>({0, 2, 1}, {3, 1})), "gather:", "index 2", "dim 1", "size 2");
  CHECK_ERROR(scatter_add(zeros({3}), 0, from_data<int64_t>({3}, {1}), ones({1})), "scatter_add:",
              "index 3", "size 3");
  CHECK_ERROR(scatter_add(zeros({3}), 0, from_data<int64_t>({-2}, {1}), ones({1})), "scatter_add:",
              "index -2");
  CHECK_ERROR(select(x, 0, 3), "select:", "index 3", "size 3");
  CHECK_ERROR(x.select(1, -3), "select:", "index -3", "size 2");
  CHECK_ERROR(x.at({3, 0}), "at:", "index 3", "size 3");
  CHECK_ERROR(x.at({0, -3}), "at:", "index -3", "size 2");
  CHECK_ERROR(x.at({0}), "at:", "1 indices", "2 dims");
  CHECK_ERROR(one_hot(from_data<int64_t>({0, 3}, {2}), 3), "one_hot:", "label 3", "num_classes = 3");
  CHECK_ERROR(one_hot(from_data<int64_t>({0, -1}, {2}), 3), "one_hot:", "-1");
  CHECK_ERROR(x.size(2), "size:", "dim 2", "2 dims");
  CHECK_ERROR(x.stride(-3), "stride:", "dim -3", "2 dims");
  // The valid neighbours: the last index and negative indices from the end.
  CHECK(index_select(x, 0, from_data<int64_t>({2, 0}, {2})).shape() == Shape{2, 2});
  CHECK(x.select(1, -2).shape() == Shape{3});
  CHECK(x.at({2, -1}) == 1.0);
  CHECK(one_hot(from_data<int64_t>({0, 2}, {2}), 3).to_vector<int64_t>() ==
        std::vector<int64_t>{1, 0, 0, 0, 0, 1});
}

TEST_CASE("errors: 0-d tensors have no dim 0 to index (must throw, not read out of bounds)") {
  // normalize_dim accepts dim 0 / -1 for a 0-d tensor (right for reductions and softmax), but
  // size(0), select, narrow and gather then read shape()[0] of an empty shape.
  const Tensor s = scalar_tensor(5.0);
  CHECK_ERROR_IN_CHILD(s.size(0), "size:", "dim 0", "0 dims");
  CHECK_ERROR_IN_CHILD(s.stride(0), "stride:", "dim 0");
  CHECK_ERROR_IN_CHILD(select(s, 0, 0), "select:", "dim");
  CHECK_ERROR_IN_CHILD(narrow(s, 0, 0, 1), "narrow:", "dim");
  const Tensor index = full({}, 1.0, {.dtype = i64});  // made here: the child only indexes
  CHECK_ERROR_IN_CHILD(gather(s, 0, index), "gather:");
}

TEST_CASE("errors: dim out of range") {
  const Tensor x = ones({2, 3});
  CHECK_ERROR(sum(x, {2}), "sum: dim 2 out of range for a tensor with 2 dims");
  CHECK_ERROR(x.sum(-3), "sum:", "dim -3", "2 dims");
  CHECK_ERROR(sum(x, {0, 0}), "sum:", "dim 0", "more than once");
  CHECK_ERROR(mean(x, {5}), "mean:", "dim 5");
  CHECK_ERROR(max(x, {2}), "max:", "dim 2");
  CHECK_ERROR(argmax(x, 2), "argmax:", "dim 2");
  CHECK_ERROR(softmax(x, 2), "softmax:", "dim 2", "2 dims");
  CHECK_ERROR(log_softmax(x, -3), "log_softmax:", "dim -3");
  CHECK_ERROR(transpose(x, 0, 2), "transpose:", "dim 2", "2 dims");
  CHECK_ERROR(x.transpose(-3, 0), "transpose:", "dim -3");
  CHECK_ERROR(cat({x, x}, 2), "cat:", "dim 2", "2 dims");
  CHECK_ERROR(stack({x, x}, 3), "stack:", "dim 3", "3 dims");
  CHECK_ERROR(squeeze(x, 2), "squeeze:", "dim 2");
  CHECK_ERROR(unsqueeze(x, 3), "unsqueeze:", "dim 3");
  CHECK_ERROR(flatten(x, 1, 0), "flatten:", "start_dim 1", "end_dim 0");
  CHECK_ERROR(index_select(x, 2, from_data<int64_t>({0}, {1})), "index_select:", "dim 2");
  CHECK_ERROR(slice(x, 2, 0, 1), "slice:", "dim 2");
  CHECK_ERROR(slice(x, 0, 0, 1, 0), "slice:", "step", "0");
  // The valid neighbours: the last dim and negative dims.
  CHECK(sum(x, {-1}).shape() == Shape{2});
  CHECK(softmax(x, -2).shape() == Shape{2, 3});
  CHECK(cat({x, x}, -1).shape() == Shape{2, 6});
  CHECK(stack({x, x}, 2).shape() == Shape{2, 3, 2});
}

TEST_CASE("errors: reshape, view and expand to incompatible shapes") {
  const Tensor x = ones({2, 3});
  CHECK_ERROR(x.reshape({4, 2}), "reshape: shape [4, 2] is invalid for input of size 6", "[2, 3]");
  CHECK_ERROR(x.view({7}), "view:", "[7]", "size 6");
  CHECK_ERROR(x.reshape({-1, 4}), "reshape:", "[-1, 4]", "size 6");
  CHECK_ERROR(x.view({-1, -1}), "view:", "only one dimension can be -1", "[-1, -1]");
  CHECK_ERROR(x.reshape({-1, 2, -1}), "reshape:", "-1");
  CHECK_ERROR(x.reshape({-2, -3}), "reshape:", "invalid size -2");
  CHECK_ERROR(x.view({0, -1}), "view:", "[0, -1]");
  // view needs a contiguous tensor; reshape copies instead.
  const Tensor xt = x.transpose(0, 1);  // [3, 2], strides [1, 3]
  CHECK_ERROR(xt.view({6}), "view:", "not contiguous", "[3, 2]", "reshape");
  CHECK(xt.reshape({6}).shape() == Shape{6});
  CHECK(x.view({3, -1}).shape() == Shape{3, 2});
  // expand: only size-1 dims can grow.
  CHECK_ERROR(x.expand({4, 3}), "expand:", "[2, 3]", "[4, 3]", "dim 0: 2 vs 4");
  CHECK_ERROR(ones({3}).expand({2}), "expand:", "[3]", "[2]");
  CHECK_ERROR(x.expand({3}), "expand:", "[3]", "[2, 3]", "fewer dims");
  CHECK_ERROR(ones({3}).expand({-1, 3}), "expand:", "-1");
  CHECK(ones({1, 3}).expand({4, -1}).shape() == Shape{4, 3});
  // permute: a permutation of all dims, each once.
  CHECK_ERROR(x.permute({0, 0}), "permute:", "repeated", "[0, 0]");
  CHECK_ERROR(x.permute({0}), "permute:", "1 dims", "2 dims", "[2, 3]");
  CHECK_ERROR(x.permute({0, 2}), "permute:", "dim 2");
  CHECK(x.permute({1, 0}).shape() == Shape{3, 2});
  // narrow beyond the end.
  CHECK_ERROR(narrow(x, 1, 2, 2), "narrow:", "start 2", "length 2", "size 3");
  CHECK_ERROR(x.narrow(0, 0, 3), "narrow:", "length 3", "size 2");
  CHECK_ERROR(x.narrow(1, 0, -1), "narrow:", "length -1");
  CHECK(x.narrow(1, 1, 2).shape() == Shape{2, 2});
  // t() of a 3-D tensor.
  CHECK_ERROR(ones({2, 2, 2}).t(), "t:", "[2, 2, 2]", "transpose");
}

TEST_CASE("errors: cat and stack") {
  CHECK_ERROR(cat({ones({2, 3}), ones({2, 4})}, 0), "cat:", "[2, 4]", "[2, 3]", "except in dim 0");
  CHECK_ERROR(cat({ones({2, 3}), ones({2, 3, 1})}, 0), "cat:", "[2, 3, 1]", "[2, 3]");
  CHECK_ERROR(cat({}, 0), "cat:", "non-empty");
  CHECK_ERROR(cat({scalar_tensor(1.0), scalar_tensor(2.0)}), "cat:", "zero-dimensional");
  CHECK(cat({ones({2, 3}), ones({2, 4})}, 1).shape() == Shape{2, 7});
  CHECK_ERROR(stack({ones({2, 3}), ones({3, 2})}), "stack:", "[3, 2]", "[2, 3]");
  CHECK_ERROR(stack({ones({2}), ones({2}), ones({3})}), "stack:", "tensor 2", "[3]", "[2]");
  CHECK_ERROR(stack({}), "stack:", "non-empty");
  CHECK(stack({ones({2, 3}), ones({2, 3})}).shape() == Shape{2, 2, 3});
}

TEST_CASE("errors: bad scalar arguments and empty reductions") {
  const Tensor x = tensor({{1, 2, 3}, {4, 5, 6}});
  CHECK_ERROR(clamp(x, 2.0, 1.0), "clamp:", "min 2", "max 1");
  CHECK_ERROR(clamp(x, std::nullopt, std::nullopt), "clamp:", "min", "max");
  CHECK(clamp(x, 2.0, 2.0).to_vector<double>() == std::vector<double>{2, 2, 2, 2, 2, 2});
  CHECK_ERROR(x.item(), "item:", "6 elements", "[2, 3]");
  CHECK_ERROR(zeros({0}).item(), "item:", "0 elements");
  CHECK(ones({1, 1}).item() == 1.0);
  CHECK_ERROR(max(zeros({0})), "max:", "size 0", "[0]");
  CHECK_ERROR(max(zeros({2, 0}), {1}), "max:", "dim 1", "size 0", "[2, 0]");
  CHECK_ERROR(min(zeros({0, 3}), {0}), "min:", "dim 0", "size 0");
  CHECK_ERROR(argmax(zeros({0})), "argmax:", "size 0");
  CHECK_ERROR(zeros({0, 3}).max(0), "max:", "size 0");
  CHECK(max(zeros({0, 3}), {1}).shape() == Shape{0});  // reducing a non-empty dim of an empty tensor is fine
  CHECK(sum(zeros({0})).item() == 0.0);                // and sum of nothing is 0
  CHECK_ERROR(softplus(x, 0.0), "softplus:", "beta");
}

TEST_CASE("errors: factories") {
  CHECK_ERROR(zeros({-1, 3}), "zeros:", "negative", "[-1, 3]");
  CHECK_ERROR(ones({2, -4}), "ones:", "negative", "[2, -4]");
  CHECK_ERROR(full({-2}, 1.0), "full:", "negative", "[-2]");
  CHECK_ERROR(arange(0.0, 5.0, 0.0), "arange:", "step", "non-zero");
  CHECK_ERROR(arange(0.0, 5.0, -1.0), "arange:", "step -1");
  CHECK(arange(5.0, 0.0, -2.0).to_vector<int64_t>() == std::vector<int64_t>{5, 3, 1});
  CHECK_ERROR(linspace(0.0, 1.0, -1), "linspace:", "-1");
  CHECK_ERROR(eye(-1), "eye:", "-1");
  CHECK_ERROR(randint(5, 5, {2}), "randint:", "low 5", "high 5");
  CHECK_ERROR(randperm(-1), "randperm:", "-1");
  CHECK_ERROR(uniform({2}, 1.0, 0.0), "uniform:", "low 1", "high 0");
  CHECK_ERROR(normal({2}, 0.0, -1.0), "normal:", "std", "-1");
  CHECK_ERROR(rand({2}, {.dtype = i64}), "dtype", "f32 or f64", "i64");
  CHECK_ERROR(from_data<float>({1, 2}, {3}), "from_data:", "2 values", "[3]");
  CHECK_ERROR(tensor({{1, 2}, {3}}), "tensor:", "ragged");
}

TEST_CASE("errors: requires_grad can only change on leaves") {
  Tensor x = ones({3}, {.requires_grad = true});
  Tensor y = x * 2.0;
  CHECK_ERROR(y.set_requires_grad(false), "requires_grad_:", "leaf", "mul", "detach");
  CHECK_ERROR(y.requires_grad_(true), "requires_grad_:", "leaf");
  CHECK(y.requires_grad());  // unchanged
  Tensor d = y.detach();     // the suggested way out works
  CHECK_NOTHROW(d.set_requires_grad(true));
  CHECK(d.requires_grad());
  CHECK(d.is_leaf());
}

TEST_CASE("errors: in-place changes of a leaf that requires grad") {
  Tensor w = tensor({1, 2, 3}, {.requires_grad = true});
  const std::string add_message = error_message([&] { w.add_(ones({3})); });
  check_message("w.add_(ones({3}))", add_message, {"add_", "requires grad", "[3]", "NoGradGuard"});
  CHECK_THROWS_AS(w.add_(ones({3})), Error);
  CHECK_THROWS_AS(w.copy_(zeros({3})), Error);
  check_message("w.copy_(zeros({3}))", error_message([&] { w.copy_(zeros({3})); }), {"copy_", "[3]"});
  CHECK_THROWS_AS(w.fill_(7.0), Error);
  check_message("w.fill_(7)", error_message([&] { w.fill_(7.0); }), {"fill_", "[3]"});
  CHECK_THROWS_AS(w.zero_(), Error);
  CHECK_THROWS_AS(w.mul_(2.0), Error);
  check_message("w.mul_(2)", error_message([&] { w.mul_(2.0); }), {"mul_", "[3]"});
  CHECK_THROWS_AS(w.sub_(ones({3})), Error);
  // None of the refused calls changed the values or the version.
  CHECK(w.to_vector<double>() == std::vector<double>{1, 2, 3});
  const uint64_t version = w.storage()->version;
  {
    NoGradGuard no_grad;  // allowed here, as optimisers do
    CHECK_NOTHROW(w.add_(ones({3})));                        // [2, 3, 4]
    CHECK_NOTHROW(w.mul_(2.0));                              // [4, 6, 8]
    CHECK_NOTHROW(w.sub_(tensor({1, 1, 1})));                // [3, 5, 7]
    CHECK(w.to_vector<double>() == std::vector<double>{3, 5, 7});
    CHECK_NOTHROW(w.copy_(tensor({9, 8, 7})));
    CHECK(w.to_vector<double>() == std::vector<double>{9, 8, 7});
    CHECK_NOTHROW(w.fill_(0.5));
    CHECK(w.to_vector<double>() == std::vector<double>{0.5, 0.5, 0.5});
  }
  CHECK(w.storage()->version > version);
  CHECK(w.requires_grad());
  CHECK(w.is_leaf());
  // Back in grad mode it is refused again.
  CHECK_THROWS_AS(w.fill_(1.0), Error);
  // A non-leaf that requires grad is refused too: in-place ops record no history, so
  // y.mul_(3) would leave dy/dx = 2 where it should be 6.
  Tensor y = tensor({1, 2, 3}, {.requires_grad = true}) * 2.0;
  check_message("y.mul_(3)", error_message([&] { y.mul_(3.0); }), {"mul_:", "requires grad", "[3]"});
  CHECK(y.to_vector<double>() == std::vector<double>{2, 4, 6});
  // copy_ with a source that cannot broadcast to the destination.
  Tensor plain = zeros({3});
  CHECK_ERROR(plain.copy_(ones({4})), "copy_:", "[4]", "[3]");
  CHECK_ERROR(plain.copy_(ones({2, 3})), "copy_:", "[2, 3]", "[3]");
}

TEST_CASE("errors: a saved tensor modified in place before backward (version counter)") {
  SUBCASE("an input that does not require grad, changed in place") {
    Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
    Tensor a = tensor({4, 5, 6});
    Tensor loss = (x * a).sum();  // MulBackward saved a (and x)
    a.add_(ones({3}));            // allowed: a does not require grad
    const std::string message = error_message([&] { loss.backward(); });
    check_message("loss.backward()", message, {"backward", "MulBackward", "[3]", "modified in place",
                                               "version 0", "1"});
    CHECK_FALSE(x.grad().defined());
  }
  SUBCASE("a leaf changed through detach(), which shares its storage") {
    Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
    Tensor loss = (x * x).sum();
    x.detach().mul_(2.0);
    check_message("loss.backward()", error_message([&] { loss.backward(); }),
                  {"backward", "MulBackward", "modified in place"});
  }
  SUBCASE("a leaf changed under NoGradGuard") {
    Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
    Tensor loss = x.log().sum();  // LogBackward saved x
    {
      NoGradGuard no_grad;
      x.add_(ones({3}));
    }
    check_message("loss.backward()", error_message([&] { loss.backward(); }),
                  {"backward", "LogBackward", "modified in place"});
  }
  SUBCASE("without the change, the same graph differentiates") {
    Tensor x = tensor({1, 2, 3}, {.requires_grad = true});
    Tensor a = tensor({4, 5, 6});
    Tensor loss = (x * a).sum();
    CHECK_NOTHROW(loss.backward());
    CHECK(x.grad().to_vector<double>() == std::vector<double>{4, 5, 6});  // d(x·a)/dx = a
  }
}

TEST_CASE("errors: operations on an undefined Tensor()") {
  const Tensor u;
  const Tensor x = ones({2, 3});
  CHECK_FALSE(u.defined());
  // Primitive ops name themselves.
  CHECK_ERROR(u + x, "add:", "undefined");
  CHECK_ERROR(x * u, "mul:", "undefined");
  CHECK_ERROR(exp(u), "exp:", "undefined");
  CHECK_ERROR(sum(u), "sum:", "undefined");
  CHECK_ERROR(max(u), "max:", "undefined");
  CHECK_ERROR(matmul(u, x), "matmul:", "undefined");
  CHECK_ERROR(softmax(u, 0), "softmax:", "undefined");
  CHECK_ERROR(where(u, x, x), "where:", "undefined");
  CHECK_ERROR(index_select(u, 0, from_data<int64_t>({0}, {1})), "index_select:", "undefined");
  CHECK_ERROR(index_select(x, 0, u), "index_select:", "undefined");
  CHECK_ERROR(gather(x, 0, u), "gather:", "undefined");
  CHECK_ERROR(view(u, {1}), "view:", "undefined");
  CHECK_ERROR(reshape(u, {1}), "reshape:", "undefined");
  CHECK_ERROR(permute(u, {0}), "permute:", "undefined");
  CHECK_ERROR(expand(u, {1}), "expand:", "undefined");
  CHECK_ERROR(slice(u, 0, 0, 1), "slice:", "undefined");
  CHECK_ERROR(u.clone(), "clone:", "undefined");
  CHECK_ERROR(u.contiguous(), "contiguous:", "undefined");
  CHECK_ERROR(u.to(f64), "to:", "undefined");
  CHECK_ERROR(cat({x, u}), "cat:", "undefined");
  CHECK_ERROR(u.backward(), "backward:", "undefined");
  CHECK_ERROR(u.detach(), "detach:", "undefined");
  CHECK_ERROR(u.shape(), "shape:", "undefined");
  CHECK_ERROR(u.dtype(), "dtype:", "undefined");
  CHECK_ERROR(u.grad(), "grad:", "undefined");
  CHECK_ERROR(u.requires_grad(), "requires_grad:", "undefined");
  // Derived ops and Tensor methods must name the op the user called too, not an accessor
  // ("shape: the tensor is undefined" when the user wrote transpose(t, 0, 1)).
  CHECK_ERROR(mean(u), "mean:", "undefined");
  CHECK_ERROR(var(u), "var:", "undefined");
  CHECK_ERROR(logsumexp(u, {0}), "logsumexp:", "undefined");
  CHECK_ERROR(transpose(u, 0, 1), "transpose:", "undefined");
  CHECK_ERROR(narrow(u, 0, 0, 1), "narrow:", "undefined");
  CHECK_ERROR(select(u, 0, 0), "select:", "undefined");
  CHECK_ERROR(squeeze(u), "squeeze:", "undefined");
  CHECK_ERROR(unsqueeze(u, 0), "unsqueeze:", "undefined");
  CHECK_ERROR(flatten(u), "flatten:", "undefined");
  CHECK_ERROR(masked_fill(u, x > 0.0, 1.0), "masked_fill:", "undefined");
  CHECK_ERROR(one_hot(u), "one_hot:", "undefined");
  CHECK_ERROR(cat({u}), "cat:", "undefined");
  CHECK_ERROR(stack({u}), "stack:", "undefined");
  CHECK_ERROR(u.item(), "item:", "undefined");
  CHECK_ERROR(u.at({0}), "at:", "undefined");
  Tensor target;
  CHECK_ERROR(target.fill_(1.0), "fill_:", "undefined");
  Tensor dst = zeros({2, 3});
  CHECK_ERROR(dst.copy_(u), "copy_:", "undefined");
}

// Edge cases found in review: each must be a clear Error, never garbage or undefined behaviour.
TEST_CASE("errors: review edge cases (zero-size conv kernel, scatter_add src grad, arange inf, randint u8, clamp i64)") {
  CHECK_THROWS_WITH_AS(F::conv2d(zeros({1, 3, 8, 8}), zeros({4, 3, 0, 3})), doctest::Contains("has a zero size"), Error);
  Tensor self = zeros({2, 4}), index = from_data<int64_t>({0, 1, 2, 3}, {2, 2});
  Tensor big_src = ones({2, 3}, {.requires_grad = true});
  CHECK_THROWS_WITH_AS(scatter_add(self, 1, index, big_src), doctest::Contains("needs it to have the index's shape"), Error);
  {
    NoGradGuard no_grad;  // without grad the larger src is fine (PyTorch allows it too)
    CHECK(scatter_add(self, 1, index, big_src).sum().item() == doctest::Approx(4.0).epsilon(1e-6));
  }
  CHECK_THROWS_WITH_AS(arange(0.0, INFINITY), doctest::Contains("must be finite"), Error);
  CHECK_THROWS_WITH_AS(randint(0, 1000, {3}, {.dtype = DType::u8}), doctest::Contains("does not fit in u8"), Error);
  CHECK(randint(0, 256, {3}, {.dtype = DType::u8}).dtype() == DType::u8);
  Tensor ints = from_data<int64_t>({-2, 0, 3}, {3});
  CHECK_THROWS_WITH_AS(clamp(ints, 0.5, std::nullopt), doctest::Contains("would be truncated"), Error);
  CHECK(clamp(ints, 0.0, 2.0).to_vector<int64_t>() == std::vector<int64_t>{0, 0, 2});
}
