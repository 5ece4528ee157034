// tests/core/cpu/copy_fill.cpp — the fast copy and fill kernels against cpu::ref: copy between every
// pair of dtypes and every source layout (bytes compared exactly), copy into and fill of strided
// destinations writing exactly the view's elements and nothing else.
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

// ---- copy and fill --------------------------------------------------------------------------
namespace {
// Source data suited to a conversion src → dst (no out-of-range float → integer casts).
Tensor copy_source(DType src, DType dst, const Shape& shape, Generator& gen) {
  if (src == DType::u8) return randint(0, 256, shape, {.dtype = DType::u8}, &gen);
  if (dst == DType::u8) {
    return is_floating(src) ? uniform(shape, 0.0, 255.0, {.dtype = src}, &gen)
                            : randint(0, 256, shape, {.dtype = src}, &gen);
  }
  return is_floating(src) ? normal(shape, 0.0, 100.0, {.dtype = src}, &gen)
                          : randint(-100000, 100000, shape, {.dtype = src}, &gen);
}

bool same_bytes(const Tensor& a, const Tensor& b) {
  return a.storage()->nbytes == b.storage()->nbytes &&
         (a.storage()->nbytes == 0 ||
          std::memcmp(a.storage()->data, b.storage()->data, static_cast<size_t>(a.storage()->nbytes)) == 0);
}
}  // namespace

TEST_CASE("fastpath: copy between every pair of dtypes, every source layout") {
  Generator gen(41);
  const std::vector<DType> dtypes = {DType::f32, DType::f64, DType::i64, DType::u8};
  for (DType src : dtypes) {
    for (DType dst : dtypes) {
      for (const Shape& shape : kShapes) {
        for (Layout layout : kLayouts) {
          if (!layout_applies(layout, shape)) continue;
          if (is_large(shape) && layout != Layout::contiguous && layout != Layout::transposed &&
              layout != Layout::bcast_row) {
            continue;
          }
          Tensor x = with_layout(layout, shape, [&](const Shape& s) { return copy_source(src, dst, s, gen); });
          Tensor fast = Tensor::empty(shape, dst), ref = Tensor::empty(shape, dst);
          cpu::copy(x, fast);
          cpu::ref::copy(x, ref);
          expect_match(fast, ref, describe(std::string("copy to ") + dtype_name(dst), shape, src, {layout}));
        }
      }
    }
  }
}

TEST_CASE("fastpath: copy into strided destinations writes exactly the view's elements") {
  // Both destinations start NaN-filled (0xFF bytes); after the copy the whole storages must be
  // byte-identical: same elements written, and nothing outside the view touched.
  Generator gen(42);
  const std::vector<Shape> shapes = {{1}, {7}, {3, 7}, {7, 33}, {0, 5}, {2, 3, 4, 5}, {181, 183}};
  const std::vector<Layout> dst_layouts = {Layout::offset, Layout::transposed, Layout::permuted,
                                           Layout::step2_last, Layout::step2_first};
  for (DType dtype : {DType::f32, DType::f64, DType::i64}) {
    for (const Shape& shape : shapes) {
      for (Layout ld : dst_layouts) {
        for (Layout ls : {Layout::contiguous, Layout::transposed, Layout::bcast_col, Layout::scalar}) {
          if (!layout_applies(ld, shape) || !layout_applies(ls, shape)) continue;
          Tensor x = input(ls, Data::normal, shape, dtype, gen);
          auto empty = [&](const Shape& s) { return Tensor::empty(s, dtype); };
          Tensor fast = with_layout(ld, shape, empty), ref = with_layout(ld, shape, empty);
          cpu::copy(x, fast);
          cpu::ref::copy(x, ref);
          INFO(describe("copy into", shape, dtype, {ld, ls}));
          expect_match(fast, ref, "copied values");
          CHECK(same_bytes(fast, ref));
          CHECK(read_as<double>(fast) == read_as<double>(x));
        }
      }
    }
  }
}

TEST_CASE("fastpath: fill writes every element of a strided view and nothing else") {
  for (DType dtype : {DType::f32, DType::f64, DType::i64}) {
    for (const Shape& shape : {Shape{}, Shape{7}, Shape{3, 7}, Shape{181, 183}, Shape{40, 35, 30}}) {
      for (Layout layout : {Layout::contiguous, Layout::offset, Layout::transposed, Layout::step2_last,
                            Layout::step2_first, Layout::permuted}) {
        if (!layout_applies(layout, shape)) continue;
        INFO(describe("fill", shape, dtype, {layout}));
        Tensor view = with_layout(layout, shape, [&](const Shape& s) { return Tensor::empty(s, dtype); });
        cpu::fill(view, 3.0);
        const std::vector<double> inside = read_as<double>(view);
        CHECK(std::all_of(inside.begin(), inside.end(), [](double v) { return v == 3.0; }));
        // Count the written elements in the whole storage: exactly numel of them are 3.
        Tensor whole = Tensor(std::make_shared<TensorImpl>(*view.impl()));
        whole.impl()->shape = {whole.storage()->nbytes / dtype_size(dtype)};
        whole.impl()->strides = {1};
        whole.impl()->offset = 0;
        const std::vector<double> all = read_as<double>(whole);
        CHECK(std::count(all.begin(), all.end(), 3.0) == view.numel());
      }
    }
  }
}
