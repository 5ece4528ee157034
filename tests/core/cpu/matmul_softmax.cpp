// tests/core/cpu/matmul_softmax.cpp — the fast matmul (core/cpu/matmul.cpp) and softmax /
// log_softmax (core/cpu/softmax.cpp) kernels against cpu::ref: every pair of operand layouts, odd
// and degenerate sizes, x.t() views through the public op, softmax over first, middle and last dims,
// large and -inf entries, hand-computed values.
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

// ---- matmul ---------------------------------------------------------------------------------
namespace {
enum class MatLayout {
  contiguous,         // [B, R, C] row-major
  transposed,         // a [B, C, R] base viewed through transpose(1, 2): GEMM's Trans path
  batch_broadcast,    // one [1, R, C] matrix expanded over the batch: batch stride 0
  transposed_bcast,   // both of the above
  rows_step2,         // every other row: row stride 2C, still GEMM-readable (lda = 2C)
  cols_step2,         // every other column: not GEMM-readable, copied first
  batch_permuted,     // a [R, B, C] base permuted to [B, R, C]: batch stride C
};
const std::vector<MatLayout> kMatLayouts = {MatLayout::contiguous,     MatLayout::transposed,
                                            MatLayout::batch_broadcast, MatLayout::transposed_bcast,
                                            MatLayout::rows_step2,     MatLayout::cols_step2,
                                            MatLayout::batch_permuted};
const char* mat_layout_name(MatLayout l) {
  switch (l) {
    case MatLayout::contiguous: return "contiguous";
    case MatLayout::transposed: return "transposed";
    case MatLayout::batch_broadcast: return "batch_broadcast";
    case MatLayout::transposed_bcast: return "transposed_bcast";
    case MatLayout::rows_step2: return "rows_step2";
    case MatLayout::cols_step2: return "cols_step2";
    case MatLayout::batch_permuted: return "batch_permuted";
  }
  return "?";
}

Tensor matrix(MatLayout layout, int64_t batch, int64_t rows, int64_t cols, DType dtype, Generator& gen) {
  auto make = [&](const Shape& s) { return normal(s, 0.0, 1.0, {.dtype = dtype}, &gen); };
  switch (layout) {
    case MatLayout::contiguous: return make({batch, rows, cols});
    case MatLayout::transposed: return make({batch, cols, rows}).transpose(1, 2);
    case MatLayout::batch_broadcast: return make({1, rows, cols}).expand({batch, rows, cols});
    case MatLayout::transposed_bcast: return make({1, cols, rows}).transpose(1, 2).expand({batch, rows, cols});
    case MatLayout::rows_step2: return make({batch, 2 * rows, cols}).slice(1, 0, 2 * rows, 2);
    case MatLayout::cols_step2: return make({batch, rows, 2 * cols}).slice(2, 0, 2 * cols, 2);
    case MatLayout::batch_permuted: return make({rows, batch, cols}).permute({1, 0, 2});
  }
  return Tensor();
}

// out = a @ b both ways; allowance (K+2)·u·(|a| @ |b|) for the different accumulation (GEMM in T,
// blocked, maybe FMA; the reference in double), u the unit roundoff of T.
void check_matmul(const Tensor& a, const Tensor& b, const std::string& what) {
  const int64_t batch = a.size(0), m = a.size(1), k = a.size(2), n = b.size(2);
  Tensor fast = Tensor::empty({batch, m, n}, a.dtype()), ref = Tensor::empty({batch, m, n}, a.dtype());
  cpu::matmul(a, b, fast);
  cpu::ref::matmul(a, b, ref);
  Tensor abs_a = Tensor::empty(a.shape(), a.dtype()), abs_b = Tensor::empty(b.shape(), b.dtype());
  cpu::ref::unary(OpKind::abs, a, abs_a, {});
  cpu::ref::unary(OpKind::abs, b, abs_b, {});
  Tensor scale = Tensor::empty({batch, m, n}, a.dtype());
  cpu::ref::matmul(abs_a, abs_b, scale);
  const double u = a.dtype() == DType::f32 ? 0x1.0p-24 : 0x1.0p-53;
  std::vector<double> allowance = read_as<double>(scale);
  for (double& v : allowance) v *= static_cast<double>(k + 2) * u;
  expect_match(fast, ref, what, Tolerance{}, allowance);
}
}  // namespace

TEST_CASE("fastpath: matmul, every pair of operand layouts, odd and degenerate sizes") {
  Generator gen(61);
  struct Size { int64_t b, m, k, n; };
  const std::vector<Size> sizes = {
      {1, 1, 1, 1},  {1, 3, 7, 5},   {2, 33, 17, 9}, {3, 1, 8, 6},  // M = 1
      {2, 5, 8, 1},  {2, 5, 1, 6},   {1, 1, 9, 1},                   // N = 1, K = 1, vector·vector
      {2, 4, 0, 3},  {0, 4, 5, 3},   {2, 0, 3, 4},  {2, 4, 3, 0},    // K = 0, B = 0, M = 0, N = 0
      {2, 24, 40, 30}};
  for (DType dtype : {DType::f32, DType::f64}) {
    for (const Size& s : sizes) {
      for (MatLayout la : kMatLayouts) {
        for (MatLayout lb : kMatLayouts) {
          Tensor a = matrix(la, s.b, s.m, s.k, dtype, gen);
          Tensor b = matrix(lb, s.b, s.k, s.n, dtype, gen);
          std::ostringstream what;
          what << "matmul B=" << s.b << " M=" << s.m << " K=" << s.k << " N=" << s.n << " "
               << dtype_name(dtype) << " a " << mat_layout_name(la) << " b " << mat_layout_name(lb);
          check_matmul(a, b, what.str());
        }
      }
    }
  }
}

TEST_CASE("fastpath: matmul of 2-D x.t() views through the public op uses the same values") {
  Generator gen(62);
  for (DType dtype : {DType::f32, DType::f64}) {
    // (M, K, N) = (7, 33, 5): a = x.t() with x [33, 7]; b = y.t() with y [5, 33].
    Tensor x = randn({33, 7}, {.dtype = dtype}, &gen), y = randn({5, 33}, {.dtype = dtype}, &gen);
    Tensor a = x.t(), b = y.t();
    REQUIRE_FALSE(a.is_contiguous());
    REQUIRE_FALSE(b.is_contiguous());
    // The kernel on [1, M, K] views of the transposed operands (strides kept, no copy).
    auto as_batch = [](const Tensor& t) {
      auto impl = std::make_shared<TensorImpl>(*t.impl());
      impl->shape = {1, t.size(0), t.size(1)};
      impl->strides = {0, t.stride(0), t.stride(1)};
      return Tensor(impl);
    };
    check_matmul(as_batch(a), as_batch(b), std::string("matmul x.t() @ y.t() ") + dtype_name(dtype));
    // The public op agrees with the reference kernel on the same views.
    Tensor out = matmul(a, b);
    Tensor ref = Tensor::empty({1, 7, 5}, dtype);
    cpu::ref::matmul(as_batch(a), as_batch(b), ref);
    expect_match(out, ref.reshape({7, 5}), "public matmul",
                 dtype == DType::f32 ? Tolerance{1e-5, 1e-5} : Tolerance{1e-12, 1e-12});
  }
}

TEST_CASE("fastpath: matmul hand-computed values") {
  // [[1, 2], [3, 4]] @ [[5, 6], [7, 8]] = [[19, 22], [43, 50]], with b given transposed.
  Tensor a = from_vector({1, 2, 3, 4}, {1, 2, 2});
  Tensor b = from_vector({5, 7, 6, 8}, {1, 2, 2}).transpose(1, 2);
  Tensor out = Tensor::empty({1, 2, 2}, DType::f32);
  cpu::matmul(a, b, out);
  CHECK(read_as<double>(out) == std::vector<double>{19, 22, 43, 50});
  // K = 0: the empty sum is 0.
  Tensor empty_out = Tensor::empty({2, 3, 4}, DType::f32);
  cpu::matmul(zeros({2, 3, 0}), zeros({2, 0, 4}), empty_out);
  const std::vector<double> zero = read_as<double>(empty_out);
  CHECK(std::all_of(zero.begin(), zero.end(), [](double v) { return v == 0.0; }));
}

// ---- softmax --------------------------------------------------------------------------------
namespace {
// The fast kernel works in T (it sums the L exponentials in T), the reference in double: the
// brief's 1e-5 / 1e-12, plus a random-walk allowance 10·√L·u for the length-L sum in T (measured
// ≈ 3·√L·u on these data). The same value serves as the absolute allowance for log_softmax,
// whose error is the relative error of the sum.
Tolerance softmax_tolerance(DType dtype, int64_t length) {
  const double u = dtype == DType::f32 ? 0x1.0p-24 : 0x1.0p-53;
  const double rel = (dtype == DType::f32 ? 1e-5 : 1e-12) + 10.0 * std::sqrt(static_cast<double>(length)) * u;
  return Tolerance{rel, rel};
}
}  // namespace

TEST_CASE("fastpath: softmax and log_softmax over first, middle and last dims") {
  Generator gen(71);
  struct Case { Shape shape; std::vector<int64_t> dims; };
  const std::vector<Case> cases = {
      {{1}, {0}},           {{7}, {0}},           {{1000}, {0}},          {{40000}, {0}},
      {{3, 5, 7}, {0, 1, 2}}, {{5, 1, 4}, {0, 1, 2}}, {{40, 1001}, {0, 1}}, {{200, 3, 70}, {0, 1, 2}},
      {{0, 5}, {0, 1}},     {{3, 0}, {0, 1}},     {{2, 3, 4, 5}, {0, 1, 2, 3}}};
  for (DType dtype : {DType::f32, DType::f64}) {
    for (const Case& c : cases) {
      for (int64_t dim : c.dims) {
        for (bool log : {false, true}) {
          Tensor x = normal(c.shape, 0.0, 3.0, {.dtype = dtype}, &gen);
          Tensor fast = Tensor::empty(c.shape, dtype), ref = Tensor::empty(c.shape, dtype);
          cpu::softmax(x, dim, log, fast);
          cpu::ref::softmax(x, dim, log, ref);
          expect_match(fast, ref,
                       std::string(log ? "log_softmax " : "softmax ") + shape_str(c.shape) + " dim " +
                           std::to_string(dim) + " " + dtype_name(dtype),
                       softmax_tolerance(dtype, c.shape[dim]));
        }
      }
    }
  }
}

TEST_CASE("fastpath: softmax with large and -inf entries, hand-computed values") {
  // Row [-inf, s, -inf, s + 1] → softmax [0, 1/(1+e), 0, e/(1+e)] for any shift s; s = 1000
  // checks the stable form (e^1000 overflows) and that the shift costs no precision.
  const double e = std::exp(1.0);
  for (double shift : {0.0, 1000.0}) {
    for (DType dtype : {DType::f32, DType::f64}) {
      INFO("shift " << shift << " " << std::string(dtype_name(dtype)));
      Tensor x = from_vector({-kInf, shift, -kInf, shift + 1.0}, {1, 4}, {.dtype = dtype});
      Tensor fast = Tensor::empty({1, 4}, dtype), ref = Tensor::empty({1, 4}, dtype);
      cpu::softmax(x, 1, false, fast);
      cpu::ref::softmax(x, 1, false, ref);
      expect_match(fast, ref, "softmax with -inf", softmax_tolerance(dtype, 4));
      const std::vector<double> p = read_as<double>(fast);
      CHECK(p[0] == 0.0);
      CHECK(p[1] == doctest::Approx(1.0 / (1.0 + e)).epsilon(1e-6));
      CHECK(p[2] == 0.0);
      CHECK(p[3] == doctest::Approx(e / (1.0 + e)).epsilon(1e-6));
      Tensor lfast = Tensor::empty({1, 4}, dtype), lref = Tensor::empty({1, 4}, dtype);
      cpu::softmax(x, 1, true, lfast);
      cpu::ref::softmax(x, 1, true, lref);
      expect_match(lfast, lref, "log_softmax with -inf", softmax_tolerance(dtype, 4));
      const std::vector<double> l = read_as<double>(lfast);
      CHECK(l[0] == -kInf);
      CHECK(l[1] == doctest::Approx(-std::log1p(e)).epsilon(1e-6));
      CHECK(l[2] == -kInf);
      CHECK(l[3] == doctest::Approx(1.0 - std::log1p(e)).epsilon(1e-6));
    }
  }
}
