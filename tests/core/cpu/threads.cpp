// tests/core/cpu/threads.cpp — the public ops give the same results with 1 and 2 OpenMP threads (the
// fast kernels' OpenMP grains must not change a result).
// Fast kernels against the reference kernels (cpu::ref::*) on the same inputs; the sweep machinery
// and the tolerances are in fastpath_support.hpp. (The op-level comparison of every op on every
// device lives in tests/test_parity.cpp.)
#include <doctest/doctest.h>
#include <omp.h>

#include <algorithm>
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
TEST_CASE("fastpath: public ops give the same results with 1 and 2 OpenMP threads") {
  const int saved = omp_get_max_threads();
  struct Result { std::string name; Tensor value; bool order_dependent; };
  auto run = [](int threads) {
    omp_set_num_threads(threads);
    REQUIRE(omp_get_max_threads() == threads);
    Generator gen(2024);
    std::vector<Result> r;
    Tensor x = randn({300, 200}, {}, &gen);  // 60000 elements, above the grain
    Tensor y = randn({200}, {}, &gen);
    Tensor z = randn({300, 200}, {.dtype = DType::f64}, &gen);
    r.push_back({"randn", x, false});
    r.push_back({"rand", rand({50001}, {}, &gen), false});
    r.push_back({"rand f64", rand({50001}, {.dtype = DType::f64}, &gen), false});
    r.push_back({"randint", randint(-7, 100, {50001}, {.dtype = DType::i64}, &gen), false});
    r.push_back({"add broadcast", add(x, y), false});
    r.push_back({"mul scalar", x * 0.5, false});
    r.push_back({"exp", exp(x), false});
    r.push_back({"tanh of transposed", tanh(x.t()), false});
    r.push_back({"relu f64", relu(z), false});
    r.push_back({"where", where(x > 0.0, x, zeros({}, {})), false});
    r.push_back({"clamp", clamp(x, -0.5, 0.5), false});
    r.push_back({"gt", gt(x, y), false});
    r.push_back({"contiguous of transposed", x.t().contiguous(), false});
    r.push_back({"to f64", x.to(DType::f64), false});
    r.push_back({"sum rows", sum(x, {1}), false});
    r.push_back({"sum columns", sum(x, {0}), false});
    r.push_back({"sum of transposed", sum(x.t(), {1}), false});
    r.push_back({"max rows", max(x, {1}), false});
    r.push_back({"min columns", min(z, {0}), false});
    r.push_back({"argmax rows", argmax(x, 1), false});
    r.push_back({"argmin columns", argmin(x, 0), false});
    r.push_back({"softmax last", softmax(x, 1), false});
    r.push_back({"log_softmax first", log_softmax(z, 0), false});
    r.push_back({"sum all", sum(x), true});        // OpenMP reduction: the order depends on threads
    r.push_back({"sum all f64", sum(z), true});
    r.push_back({"matmul", matmul(x, x.t()), true});  // OpenBLAS (OpenMP build) blocks by thread count
    return r;
  };
  const std::vector<Result> one = run(1);
  const std::vector<Result> two = run(2);
  omp_set_num_threads(saved);
  REQUIRE(one.size() == two.size());
  for (size_t i = 0; i < one.size(); ++i) {
    // Order-dependent results are f32 sums whose grouping changes with the thread count: allow
    // a few ulps per term (the inputs are O(1), K ≤ a few hundred).
    const Tolerance tol = one[i].order_dependent ? Tolerance{2e-5, 2e-5} : Tolerance{};
    expect_match(two[i].value, one[i].value, one[i].name + " (2 threads vs 1)", tol);
  }
}
