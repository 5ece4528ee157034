// tests/core/cpu/reduce.cpp — the fast reduction kernels (core/cpu/reduce.cpp) against cpu::ref over
// every dim subset, on small shapes in every layout and large shapes (OpenMP paths); hand-computed
// values, NaN propagation, first index on ties.
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

// ---- reductions -----------------------------------------------------------------------------
namespace {
void reduce_sweep(const std::vector<Shape>& shapes, const std::vector<Layout>& layouts,
                  const std::vector<DType>& dtypes, Generator& gen) {
  const std::vector<OpKind> ops = {OpKind::sum, OpKind::max, OpKind::min, OpKind::argmax, OpKind::argmin};
  for (DType dtype : dtypes) {
    for (const Shape& shape : shapes) {
      for (const std::vector<int64_t>& dims : dim_subsets(static_cast<int64_t>(shape.size()))) {
        bool empty_reduction = false;
        for (int64_t d : dims) empty_reduction = empty_reduction || shape[d] == 0;
        for (Layout layout : layouts) {
          if (!layout_applies(layout, shape)) continue;
          for (OpKind op : ops) {
            if (op != OpKind::sum && empty_reduction) continue;  // rejected by the front-end
            if (op != OpKind::sum && dtype == DType::u8) continue;
            // Sums of normal data; ties (small ints) for max/min/arg*.
            const Data kind = op == OpKind::sum ? Data::normal : Data::small_int;
            Tensor x = dtype == DType::u8 ? with_layout(layout, shape, [&](const Shape& s) {
                                              return randint(0, 256, s, {.dtype = DType::u8}, &gen);
                                            })
                                          : input(layout, kind, shape, dtype, gen);
            auto [fast, ref] = run_reduce(op, x, dims);
            const std::string what = describe(op_name(op), shape, dtype, {layout}) + " " + dims_str(dims);
            if (op == OpKind::sum && is_floating(dtype)) {
              // Both accumulate in double, in different orders: allow n·2u·Σ|x| for the double
              // sums, plus the final rounding to T.
              int64_t count = 1;
              for (int64_t d : dims) count *= shape[d];
              std::vector<double> allowance = abs_sums(x, dims);
              for (double& a : allowance) a *= static_cast<double>(count) * 4.5e-16;
              const Tolerance tol = dtype == DType::f32 ? Tolerance{1e-6, 0} : Tolerance{1e-12, 0};
              expect_match(fast, ref, what, tol, allowance);
            } else {
              expect_match(fast, ref, what);  // max/min/arg*, integer sums: exact
            }
          }
        }
      }
    }
  }
}
}  // namespace

TEST_CASE("fastpath: reductions over every dim subset, small shapes, every layout") {
  Generator gen(51);
  reduce_sweep({{1}, {7}, {33}, {1000}, {0}, {7, 33}, {3, 5, 7}, {4, 1, 6}, {0, 5}, {5, 0}, {2, 3, 4, 5}},
               kLayouts, {DType::f32, DType::f64, DType::i64, DType::u8}, gen);
}

TEST_CASE("fastpath: reductions over every dim subset, large shapes (OpenMP paths)") {
  Generator gen(52);
  // [40000]: one long row (parallel full sum); [300, 150]: many rows / wide columns;
  // [40, 35, 30]: leading, middle, trailing and all dims.
  reduce_sweep({{40000}, {300, 150}, {40, 35, 30}},
               {Layout::contiguous, Layout::transposed, Layout::permuted, Layout::step2_last, Layout::bcast_row},
               {DType::f32, DType::i64}, gen);
  reduce_sweep({{40000}, {300, 150}, {40, 35, 30}}, {Layout::contiguous, Layout::permuted}, {DType::f64}, gen);
}

TEST_CASE("fastpath: reductions give the hand-computed values, NaN propagation, first index on ties") {
  // x = [[1, NaN, 3], [4, 6, 6]]: max over dim 1 = [NaN, 6]; argmax = [1, 1] (NaN wins; first
  // of the tied 6s); min over dim 0 = [1, NaN, 3]; argmin over dim 0 = [0, 0, 0].
  for (bool transposed : {false, true}) {
    Tensor x = from_vector({1.0, kNaN, 3.0, 4.0, 6.0, 6.0}, {2, 3});
    if (transposed) x = from_vector({1.0, 4.0, kNaN, 6.0, 3.0, 6.0}, {3, 2}).t();
    INFO("transposed: " << transposed);
    for (OpKind op : {OpKind::max, OpKind::min, OpKind::argmax, OpKind::argmin, OpKind::sum}) {
      for (std::vector<int64_t> dims : {std::vector<int64_t>{0}, std::vector<int64_t>{1}, std::vector<int64_t>{0, 1}}) {
        auto [fast, ref] = run_reduce(op, x, dims);
        expect_match(fast, ref, std::string(op_name(op)) + " " + dims_str(dims), Tolerance{0, 0, true});
      }
    }
    auto [mx, mx_ref] = run_reduce(OpKind::max, x, {1});
    const std::vector<double> m = read_as<double>(mx);
    CHECK(std::isnan(m[0]));
    CHECK(m[1] == 6.0);
    auto [amx, amx_ref] = run_reduce(OpKind::argmax, x, {1});
    CHECK(read_as<int64_t>(amx) == std::vector<int64_t>{1, 1});
    auto [mn, mn_ref] = run_reduce(OpKind::min, x, {0});
    const std::vector<double> n = read_as<double>(mn);
    CHECK(n[0] == 1.0);
    CHECK(std::isnan(n[1]));
    CHECK(n[2] == 3.0);
  }
  // Ties: argmax/argmin return the first index, in every layout.
  Tensor ties = from_vector({2, 5, 5, 1, 1, 5, 2, 1}, {2, 4});
  auto [a1, a1_ref] = run_reduce(OpKind::argmax, ties, {1});
  CHECK(read_as<int64_t>(a1) == std::vector<int64_t>{1, 1});
  auto [a2, a2_ref] = run_reduce(OpKind::argmin, ties, {1});
  CHECK(read_as<int64_t>(a2) == std::vector<int64_t>{3, 0});
  auto [a3, a3_ref] = run_reduce(OpKind::argmax, ties.t(), {0});
  CHECK(read_as<int64_t>(a3) == std::vector<int64_t>{1, 1});  // = argmax of ties over dim 1
  // Integer sums are exact and i64; u8 sums do not wrap at 256.
  Tensor bytes = from_data<uint8_t>({200, 100, 255, 1}, {4});
  auto [s, s_ref] = run_reduce(OpKind::sum, bytes, {0});
  CHECK(s.dtype() == DType::i64);
  CHECK(read_as<int64_t>(s) == std::vector<int64_t>{556});
}
