// tests/core/cpu/threads.cpp — the public ops give bit-identical results with 1, 2 and 3 OpenMP
// threads: every kernel partitions its work by the problem size alone, never by the thread count.
// Fast kernels against the reference kernels (cpu::ref::*) on the same inputs; the sweep machinery
// and the tolerances are in fastpath_support.hpp. (The op-level comparison of every op on every
// device lives in tests/test_parity.cpp.)
#include <doctest/doctest.h>
#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/cpu/kernels.hpp"
#include "core/cpu/strided.hpp"
#include "core/ops.hpp"
#include "tests/core/cpu/fastpath_support.hpp"

using namespace fulcrum;

using namespace fulcrum::testing::fastpath;

// ---- thread count ---------------------------------------------------------------------------
namespace {

// Runs `compute` at each thread count (restoring the caller's afterwards) and requires every
// result to equal the 1-thread one bit for bit.
void expect_same_on_thread_counts(const std::function<std::vector<std::pair<std::string, Tensor>>()>& compute) {
  const int saved = omp_get_max_threads();
  std::vector<std::vector<std::pair<std::string, Tensor>>> runs;
  for (int threads : {1, 2, 3}) {
    omp_set_num_threads(threads);
    REQUIRE(omp_get_max_threads() == threads);
    runs.push_back(compute());
  }
  omp_set_num_threads(saved);
  for (size_t run = 1; run < runs.size(); ++run) {
    REQUIRE(runs[run].size() == runs[0].size());
    for (size_t i = 0; i < runs[0].size(); ++i) {
      expect_match(runs[run][i].second, runs[0][i].second,
                   runs[0][i].first + " (" + std::to_string(run + 1) + " threads vs 1)", Tolerance{});
    }
  }
}

}  // namespace

TEST_CASE("fastpath: public ops give the same results with 1, 2 and 3 OpenMP threads") {
  expect_same_on_thread_counts([] {
    Generator gen(2024);
    std::vector<std::pair<std::string, Tensor>> r;
    Tensor x = randn({300, 200}, {}, &gen);  // 60000 elements, above the grain
    Tensor y = randn({200}, {}, &gen);
    Tensor z = randn({300, 200}, {.dtype = DType::f64}, &gen);
    r.push_back({"randn", x});
    r.push_back({"rand", rand({50001}, {}, &gen)});
    r.push_back({"rand f64", rand({50001}, {.dtype = DType::f64}, &gen)});
    r.push_back({"randint", randint(-7, 100, {50001}, {.dtype = DType::i64}, &gen)});
    r.push_back({"add broadcast", add(x, y)});
    r.push_back({"mul scalar", x * 0.5});
    r.push_back({"exp", exp(x)});
    r.push_back({"tanh of transposed", tanh(x.t())});
    r.push_back({"relu f64", relu(z)});
    r.push_back({"where", where(x > 0.0, x, zeros({}, {}))});
    r.push_back({"clamp", clamp(x, -0.5, 0.5)});
    r.push_back({"gt", gt(x, y)});
    r.push_back({"contiguous of transposed", x.t().contiguous()});
    r.push_back({"to f64", x.to(DType::f64)});
    r.push_back({"sum rows", sum(x, {1})});
    r.push_back({"sum columns", sum(x, {0})});
    r.push_back({"sum of transposed", sum(x.t(), {1})});
    r.push_back({"max rows", max(x, {1})});
    r.push_back({"min columns", min(z, {0})});
    r.push_back({"argmax rows", argmax(x, 1)});
    r.push_back({"argmin columns", argmin(x, 0)});
    r.push_back({"softmax last", softmax(x, 1)});
    r.push_back({"log_softmax first", log_softmax(z, 0)});
    r.push_back({"sum all", sum(x)});
    r.push_back({"sum all f64", sum(z)});
    r.push_back({"matmul", matmul(x, x.t())});
    r.push_back({"matmul f64", matmul(z.t(), z)});
    return r;
  });
}

// A full sum used to be an OpenMP reduction(+): each thread summed its own share, so the grouping
// of the terms — and the rounding — changed with the thread count. Sizes around the block size
// (8192) and far above it, offsets that misalign the data, and values of mixed magnitude (so a
// regrouping shows in the last bits).
TEST_CASE("fastpath: a sum over many elements is bit-identical on 1, 2 and 3 threads") {
  expect_same_on_thread_counts([] {
    Generator gen(99);
    Tensor big = randn({3'000'001}, {}, &gen) * exp(randn({3'000'001}, {}, &gen) * 3.0);
    Tensor big64 = randn({1'000'003}, {.dtype = DType::f64}, &gen) * 1e3;
    std::vector<std::pair<std::string, Tensor>> r;
    r.push_back({"sum f32 3e6", sum(big)});
    r.push_back({"sum f64 1e6", sum(big64)});
    for (int64_t length : {8191, 8192, 8193, 40000, 1'000'000}) {
      r.push_back({"sum f32 of " + std::to_string(length) + " at offset 3", sum(big.slice(0, 3, 3 + length))});
    }
    r.push_back({"sum i64", sum(randint(-1000, 1000, {200'001}, {.dtype = DType::i64}, &gen))});
    r.push_back({"sum over dims 0, 1 of [300, 400, 5]", sum(big.slice(0, 0, 600'000).reshape({300, 400, 5}), {0, 1})});
    r.push_back({"mean all", mean(big)});
    return r;
  });
}

// GEMM: OpenBLAS's own threading splits C by the thread count, and with its Haswell and Prescott
// kernels (OPENBLAS_CORETYPE=Haswell) that changed the bits of [64, 320] × [320, 50]; matmul now
// cuts C into fixed tiles. Shapes of the book's Net (fc1 forward and both backward products) and
// ones spanning several tiles, with transposed operands.
TEST_CASE("fastpath: matmul is bit-identical on 1, 2 and 3 threads") {
  expect_same_on_thread_counts([] {
    Generator gen(5);
    std::vector<std::pair<std::string, Tensor>> r;
    const std::vector<std::array<int64_t, 3>> shapes = {
        {64, 320, 50}, {50, 64, 320}, {64, 50, 320}, {256, 320, 50}, {300, 777, 129}, {1000, 100, 600}, {5, 20000, 7}};
    for (const auto& [m, k, n] : shapes) {
      Tensor a = randn({m, k}, {}, &gen), b = randn({k, n}, {}, &gen);
      std::ostringstream shape_text;  // (not string +: GCC 12 warns falsely on that chain, -Wrestrict)
      shape_text << "[" << m << ", " << k << "] x [" << k << ", " << n << "]";
      const std::string name = shape_text.str();
      r.push_back({"matmul " + name, matmul(a, b)});
      r.push_back({"matmul, both stored transposed " + name, matmul(a.t().contiguous().t(), b.t().contiguous().t())});
      r.push_back({"batched matmul " + name, matmul(stack({a, a * 0.5}, 0), b)});
    }
    return r;
  });
}
