// tests/core/cpu/elementwise.cpp — the fast element-wise kernels (core/cpu/elementwise.cpp:
// cpu::unary, binary, where) against cpu::ref on every layout and shape, i64 exactly, broadcasts of
// different ranks, NaN through maximum/minimum and comparisons, hand-computed values; also the
// geometry of the test layouts and the coverage of op_list.def's element-wise ops.
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


// =============================================================================================
TEST_CASE("fastpath: the test layouts have the geometry they claim") {
  Generator gen(1);
  const Shape shape = {7, 33, 5};
  auto make = [&](const Shape& s) { return make_data(Data::normal, s, DType::f32, gen); };
  for (Layout layout : kLayouts) {
    INFO(layout_name(layout));
    Tensor t = with_layout(layout, shape, make);
    CHECK(t.shape() == shape);
    const bool contiguous = layout == Layout::contiguous || layout == Layout::offset;
    CHECK(t.is_contiguous() == contiguous);
  }
  CHECK(with_layout(Layout::offset, shape, make).offset() == 33 * 5);
  CHECK(with_layout(Layout::bcast_row, shape, make).strides() == Shape{0, 0, 1});
  CHECK(with_layout(Layout::bcast_col, shape, make).strides() == Shape{33, 1, 0});
  CHECK(with_layout(Layout::bcast_col, {7, 33}, make).strides() == Shape{1, 0});
  CHECK(with_layout(Layout::scalar, shape, make).strides() == Shape{0, 0, 0});
  CHECK(with_layout(Layout::transposed, shape, make).strides() == Shape{165, 1, 33});
  CHECK(with_layout(Layout::step2_last, shape, make).strides() == Shape{330, 10, 2});
  CHECK(with_layout(Layout::step2_first, shape, make).strides() == Shape{330, 5, 1});
  // permuted: base [5, 7, 33] viewed as [7, 33, 5]
  CHECK(with_layout(Layout::permuted, shape, make).strides() == Shape{33, 1, 231});
  CHECK(numel({40000}) > cpu::kParallelGrain);
  CHECK(numel({181, 183}) > cpu::kParallelGrain);
  CHECK(numel({40, 35, 30}) > cpu::kParallelGrain);
}

TEST_CASE("fastpath: the op lists here cover every element-wise op of op_list.def") {
  std::set<OpKind> unary_tested, binary_tested;
  for (const UnaryCase& c : float_unary_cases()) unary_tested.insert(c.op);
  for (const BinaryCase& c : float_binary_cases()) binary_tested.insert(c.op);
  CHECK(unary_tested == op_range(OpKind::neg, OpKind::clamp));
  CHECK(binary_tested == op_range(OpKind::add, OpKind::ge));
  std::set<OpKind> integer_unary, integer_binary;
  for (const UnaryCase& c : integer_unary_cases()) integer_unary.insert(c.op);
  for (const BinaryCase& c : integer_binary_cases()) integer_binary.insert(c.op);
  CHECK(integer_unary == std::set<OpKind>{OpKind::neg, OpKind::abs, OpKind::relu, OpKind::clamp});
  CHECK(integer_binary.size() == 12u);  // every binary op but div and pow_tensor
}

// ---- unary ----------------------------------------------------------------------------------
TEST_CASE("fastpath: unary ops, f32 and f64, every layout and shape") {
  Generator gen(11);
  const int64_t before = comparisons_made;
  for (DType dtype : {DType::f32, DType::f64}) {
    for (const UnaryCase& c : float_unary_cases()) {
      // log1p of small ints hits -1 (→ -inf) and < -1 (→ NaN): both kernels must agree.
      Tolerance tol = float_tolerance(dtype);
      tol.nan_equal = c.data == Data::small_int;
      for (const Shape& shape : kShapes) {
        for (Layout layout : is_large(shape) ? kLargeLayouts : kLayouts) {
          if (!layout_applies(layout, shape)) continue;
          Tensor x = input(layout, c.data, shape, dtype, gen);
          auto [fast, ref] = run_unary(c.op, x, c.attrs);
          expect_match(fast, ref, describe(c.label, shape, dtype, {layout}), tol);
        }
      }
    }
  }
  CHECK(comparisons_made - before ==
        2 * static_cast<int64_t>(float_unary_cases().size()) * sum_over_shapes(sweep_layouts));
}

TEST_CASE("fastpath: unary ops on i64 (neg, abs, relu, clamp) agree exactly") {
  Generator gen(12);
  const int64_t before = comparisons_made;
  for (const UnaryCase& c : integer_unary_cases()) {
    for (const Shape& shape : kShapes) {
      for (Layout layout : kLayouts) {
        if (!layout_applies(layout, shape)) continue;
        Tensor x = input(layout, c.data, shape, DType::i64, gen);
        auto [fast, ref] = run_unary(c.op, x, c.attrs);
        expect_match(fast, ref, describe(c.label, shape, DType::i64, {layout}));
      }
    }
  }
  CHECK(comparisons_made - before == static_cast<int64_t>(integer_unary_cases().size()) *
                                         sum_over_shapes([](const Shape& s) { return layouts_of_rank(s.size()); }));
}

TEST_CASE("fastpath: unary kernels give the hand-computed values (incl. open clamp bounds)") {
  // Both versions share scalar_ops.hpp, so agreement alone cannot catch a wrong formula:
  // check a few values by hand, on a contiguous and on a strided input.
  Tensor x = tensor({-5, -1, 0, 2, 9}, {.dtype = DType::i64});
  Tensor strided = from_data<int64_t>({-5, 100, -1, 100, 0, 100, 2, 100, 9, 100}, {10}).slice(0, 0, 10, 2);
  for (const Tensor& input_tensor : {x, strided}) {
    auto [lo_fast, lo_ref] = run_unary(OpKind::clamp, input_tensor, {.scalar = 0.0, .scalar2 = kInf});
    CHECK(read_as<int64_t>(lo_fast) == std::vector<int64_t>{0, 0, 0, 2, 9});
    CHECK(read_as<int64_t>(lo_ref) == std::vector<int64_t>{0, 0, 0, 2, 9});
    auto [hi_fast, hi_ref] = run_unary(OpKind::clamp, input_tensor, {.scalar = -kInf, .scalar2 = 1.0});
    CHECK(read_as<int64_t>(hi_fast) == std::vector<int64_t>{-5, -1, 0, 1, 1});
    CHECK(read_as<int64_t>(hi_ref) == std::vector<int64_t>{-5, -1, 0, 1, 1});
    auto [abs_fast, abs_ref] = run_unary(OpKind::abs, input_tensor, {});
    CHECK(read_as<int64_t>(abs_fast) == std::vector<int64_t>{5, 1, 0, 2, 9});
    auto [relu_fast, relu_ref] = run_unary(OpKind::relu, input_tensor, {});
    CHECK(read_as<int64_t>(relu_fast) == std::vector<int64_t>{0, 0, 0, 2, 9});
  }
  Tensor f = tensor({-2.0, 0.0, 1.0, 4.0});
  auto [sq_fast, sq_ref] = run_unary(OpKind::pow, f, {.scalar = 2.0});
  CHECK(read_as<double>(sq_fast) == std::vector<double>{4.0, 0.0, 1.0, 16.0});
  auto [sp_fast, sp_ref] = run_unary(OpKind::softplus, f, {.scalar = 1.0, .scalar2 = 0.5});
  const std::vector<double> sp = read_as<double>(sp_fast);
  CHECK(sp[0] == doctest::Approx(std::log1p(std::exp(-2.0))).epsilon(1e-6));
  CHECK(sp[1] == doctest::Approx(std::log(2.0)).epsilon(1e-6));
  CHECK(sp[2] == 1.0);  // above the threshold: x itself
  CHECK(sp[3] == 4.0);
}

// ---- binary ---------------------------------------------------------------------------------
namespace {
void binary_sweep(const std::vector<BinaryCase>& cases, DType dtype, Generator& gen) {
  const Tolerance tol = tolerance_for(dtype);
  const int64_t before = comparisons_made;
  for (const BinaryCase& c : cases) {
    for (const Shape& shape : kShapes) {
      std::vector<std::pair<Layout, Layout>> pairs;
      if (is_large(shape)) {
        pairs = kLargePairs;
      } else {
        for (Layout a : kLayouts) {
          for (Layout b : kLayouts) pairs.emplace_back(a, b);
        }
      }
      for (auto [la, lb] : pairs) {
        if (!layout_applies(la, shape) || !layout_applies(lb, shape)) continue;
        Tensor a = input(la, c.left, shape, dtype, gen);
        Tensor b = input(lb, c.right, shape, dtype, gen);
        auto [fast, ref] = run_binary(c.op, a, b);
        expect_match(fast, ref, describe(op_name(c.op), shape, dtype, {la, lb}), tol);
      }
    }
  }
  CHECK(comparisons_made - before == static_cast<int64_t>(cases.size()) * sum_over_shapes(sweep_pairs));
}
}  // namespace

TEST_CASE("fastpath: binary ops f32, every pair of layouts") {
  Generator gen(21);
  binary_sweep(float_binary_cases(), DType::f32, gen);
}

TEST_CASE("fastpath: binary ops f64, every pair of layouts") {
  Generator gen(22);
  binary_sweep(float_binary_cases(), DType::f64, gen);
}

TEST_CASE("fastpath: binary ops i64 (add, sub, mul, maximum, minimum, comparisons) agree exactly") {
  Generator gen(23);
  binary_sweep(integer_binary_cases(), DType::i64, gen);
}

TEST_CASE("fastpath: binary broadcasts of different ranks (expanded as the op front-end does)") {
  Generator gen(24);
  struct Broadcast { Shape a, b; };
  const std::vector<Broadcast> cases = {
      {{7, 33}, {33}}, {{7, 33}, {7, 1}}, {{7, 1}, {1, 33}}, {{3, 1, 5}, {4, 1}},
      {{}, {5, 3}},    {{2, 3, 4}, {}},   {{200, 201}, {201}}, {{200, 1}, {1, 201}},
      {{0, 5}, {5}},   {{3, 0}, {3, 1}},  {{1}, {40000}}};
  for (DType dtype : {DType::f32, DType::f64, DType::i64}) {
    for (const BinaryCase& c : is_floating(dtype) ? float_binary_cases() : integer_binary_cases()) {
      for (const Broadcast& bc : cases) {
        const Shape shape = broadcast_shapes("test", bc.a, bc.b);
        Tensor a = make_data(c.left, bc.a, dtype, gen).expand(shape);
        Tensor b = make_data(c.right, bc.b, dtype, gen).expand(shape);
        auto [fast, ref] = run_binary(c.op, a, b);
        expect_match(fast, ref, std::string(op_name(c.op)) + " " + shape_str(bc.a) + " with " +
                                    shape_str(bc.b) + " " + dtype_name(dtype),
                     tolerance_for(dtype));
      }
    }
  }
}

TEST_CASE("fastpath: NaN propagates the same way through maximum/minimum and comparisons") {
  Tensor a = from_vector({1.0, kNaN, 3.0, kNaN, -2.0, 0.0, 5.0}, {7});
  Tensor b = from_vector({kNaN, 2.0, 1.0, kNaN, -2.0, -0.5, 6.0}, {7});
  for (OpKind op : {OpKind::maximum, OpKind::minimum, OpKind::add, OpKind::eq, OpKind::ne,
                    OpKind::lt, OpKind::ge}) {
    auto [fast, ref] = run_binary(op, a, b);
    expect_match(fast, ref, op_name(op), Tolerance{0, 0, true});
  }
  auto [mx, mx_ref] = run_binary(OpKind::maximum, a, b);
  const std::vector<double> v = read_as<double>(mx);
  CHECK(std::isnan(v[0]));
  CHECK(std::isnan(v[1]));
  CHECK(v[2] == 3.0);
  CHECK(std::isnan(v[3]));
  CHECK(v[4] == -2.0);
  CHECK(v[5] == 0.0);
  CHECK(v[6] == 6.0);
  auto [ne, ne_ref] = run_binary(OpKind::ne, a, b);
  CHECK(read_as<int64_t>(ne) == std::vector<int64_t>{1, 1, 1, 1, 0, 1, 1});
}

// ---- where ----------------------------------------------------------------------------------
namespace {
// One fast-vs-reference comparison of where(cond, a, b) with the three operands in these layouts.
void compare_where(Layout lc, Layout la, Layout lb, const Shape& shape, DType dtype, Generator& gen) {
  Tensor cond = input(lc, Data::mask, shape, DType::u8, gen);
  Tensor a = input(la, Data::normal, shape, dtype, gen);
  Tensor b = input(lb, Data::normal, shape, dtype, gen);
  Tensor fast = Tensor::empty(shape, dtype), ref = Tensor::empty(shape, dtype);
  cpu::where(cond, a, b, fast);
  cpu::ref::where(cond, a, b, ref);
  expect_match(fast, ref, describe("where", shape, dtype, {lc, la, lb}));
}
}  // namespace

TEST_CASE("fastpath: where, every triple of layouts on small shapes") {
  Generator gen(31);
  const std::vector<Shape> shapes = {{}, {1}, {7}, {0}, {3, 7}, {5, 0}, {2, 1, 9}, {3, 5, 7}};
  const int64_t before = comparisons_made;
  for (DType dtype : {DType::f32, DType::f64, DType::i64}) {
    for (const Shape& shape : shapes) {
      for (Layout lc : kLayouts) {
        for (Layout la : kLayouts) {
          for (Layout lb : kLayouts) {
            if (!layout_applies(lc, shape) || !layout_applies(la, shape) || !layout_applies(lb, shape)) continue;
            compare_where(lc, la, lb, shape, dtype, gen);
          }
        }
      }
    }
  }
  int64_t triples = 0;
  for (const Shape& shape : shapes) {
    const int64_t n = layouts_of_rank(shape.size());
    triples += n * n * n;
  }
  CHECK(comparisons_made - before == 3 * triples);  // three dtypes
}

TEST_CASE("fastpath: where on large shapes (OpenMP path)") {
  Generator gen(32);
  const std::vector<std::tuple<Layout, Layout, Layout>> triples = {
      {Layout::contiguous, Layout::contiguous, Layout::contiguous},
      {Layout::bcast_row, Layout::contiguous, Layout::scalar},
      {Layout::contiguous, Layout::transposed, Layout::step2_last},
      {Layout::step2_first, Layout::bcast_col, Layout::offset},
      {Layout::transposed, Layout::scalar, Layout::transposed}};
  for (DType dtype : {DType::f32, DType::f64, DType::i64}) {
    for (const Shape& shape : {Shape{181, 183}, Shape{40, 35, 30}}) {
      for (auto [lc, la, lb] : triples) {
        compare_where(lc, la, lb, shape, dtype, gen);
      }
    }
  }
}
