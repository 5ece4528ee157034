// tests/core/tensor_factories.cpp — dtypes (sizes, names, kinds) and the tensor factories: zeros,
// ones, full, arange, linspace, eye, the random factories, randperm, tensor() from nested lists,
// from_vector and from_data.
// Every expected value here is derived by hand, never computed by the library.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "core/ops.hpp"
#include "tests/core/tensor_support.hpp"

using namespace fulcrum;

using namespace fulcrum::testing::tensor_tests;

// ---- dtypes ---------------------------------------------------------------------------------
TEST_CASE("dtype sizes, names and kinds") {
  CHECK(dtype_size(DType::f32) == 4);
  CHECK(dtype_size(DType::f64) == 8);
  CHECK(dtype_size(DType::i64) == 8);
  CHECK(dtype_size(DType::u8) == 1);
  CHECK(std::string(dtype_name(DType::f32)) == "f32");
  CHECK(std::string(dtype_name(DType::f64)) == "f64");
  CHECK(std::string(dtype_name(DType::i64)) == "i64");
  CHECK(std::string(dtype_name(DType::u8)) == "u8");
  CHECK(is_floating(DType::f32));
  CHECK(is_floating(DType::f64));
  CHECK_FALSE(is_floating(DType::i64));
  CHECK_FALSE(is_floating(DType::u8));
  // Storage is sized by the dtype.
  CHECK(zeros({3, 5}, {.dtype = DType::f64}).storage()->nbytes == 120);
  CHECK(zeros({3, 5}, {.dtype = DType::u8}).storage()->nbytes == 15);
}

// ---- factories ------------------------------------------------------------------------------
TEST_CASE("zeros, ones, full: shape, strides, dtype, values") {
  Tensor z = zeros({2, 3});
  CHECK(z.shape() == Shape{2, 3});
  CHECK(z.strides() == Shape{3, 1});
  CHECK(z.dim() == 2);
  CHECK(z.numel() == 6);
  CHECK(z.dtype() == DType::f32);
  CHECK(z.offset() == 0);
  CHECK(z.device() == Device::cpu());
  CHECK_FALSE(z.requires_grad());
  CHECK(values(z) == V{0, 0, 0, 0, 0, 0});

  Tensor o = ones({4}, {.dtype = DType::i64});
  CHECK(o.dtype() == DType::i64);
  CHECK(o.to_vector<int64_t>() == I{1, 1, 1, 1});

  Tensor f = full({2, 2}, 3.5, {.dtype = DType::f64});
  CHECK(f.dtype() == DType::f64);
  CHECK(values(f) == V{3.5, 3.5, 3.5, 3.5});

  Tensor g = full({3}, -2.0, {.requires_grad = true});
  CHECK(g.requires_grad());
  CHECK(g.is_leaf());

  Tensor s = scalar_tensor(7.25);
  CHECK(s.dim() == 0);
  CHECK(s.numel() == 1);
  CHECK(s.shape().empty());
  CHECK(s.item() == 7.25);

  Tensor empty_rows = zeros({0, 4});
  CHECK(empty_rows.numel() == 0);
  CHECK(empty_rows.shape() == Shape{0, 4});

  CHECK(values(zeros_like(f)) == V{0, 0, 0, 0});
  CHECK(zeros_like(f).dtype() == DType::f64);
  CHECK(values(ones_like(o)) == V{1, 1, 1, 1});
  CHECK(values(full_like(o, 9)) == V{9, 9, 9, 9});
  CHECK(full_like(o, 9).dtype() == DType::i64);
  CHECK_THROWS_AS(zeros({2, -1}), Error);
}

TEST_CASE("arange: end only, start/end/step, negative step, dtype option") {
  Tensor a = arange(5);
  CHECK(a.dtype() == DType::i64);
  CHECK(a.shape() == Shape{5});
  CHECK(a.to_vector<int64_t>() == I{0, 1, 2, 3, 4});

  Tensor b = arange(1, 10, 3);
  CHECK(b.to_vector<int64_t>() == I{1, 4, 7});
  Tensor c = arange(2, 9, 2);
  CHECK(c.to_vector<int64_t>() == I{2, 4, 6, 8});
  Tensor d = arange(10, 0, -3);
  CHECK(d.to_vector<int64_t>() == I{10, 7, 4, 1});
  CHECK(arange(0).numel() == 0);
  CHECK(arange(3, 3).numel() == 0);

  Tensor e = arange(4, {.dtype = DType::f32});
  CHECK(e.dtype() == DType::f32);
  CHECK(values(e) == V{0, 1, 2, 3});
  Tensor f = arange(0, 1, 0.25, {.dtype = DType::f32});
  CHECK(f.dtype() == DType::f32);
  CHECK(values(f) == V{0, 0.25, 0.5, 0.75});
  Tensor g = arange(-1, 1, 0.5, {.dtype = DType::f64});
  CHECK(values(g) == V{-1, -0.5, 0, 0.5});
  CHECK_THROWS_AS(arange(0, 5, 0), Error);
  CHECK_THROWS_AS(arange(0, 5, -1), Error);
}

TEST_CASE("arange with a non-integral argument and no dtype is floating, like PyTorch") {
  // torch.arange(0, 1, 0.25) → tensor([0.0000, 0.2500, 0.5000, 0.7500]) (default float dtype);
  // ops.hpp: "i64 unless options say otherwise when every argument is integral".
  Tensor f = arange(0, 1, 0.25);
  CHECK(f.dtype() == DType::f32);
  CHECK(values(f) == V{0, 0.25, 0.5, 0.75});
  Tensor g = arange(2.5);
  CHECK(g.dtype() == DType::f32);
  CHECK(values(g) == V{0, 1, 2});
}

TEST_CASE("linspace: values, exact end value, degenerate step counts") {
  Tensor a = linspace(0, 1, 5);
  CHECK(a.dtype() == DType::f32);
  CHECK(values(a) == V{0, 0.25, 0.5, 0.75, 1});
  Tensor b = linspace(-2, 2, 3, {.dtype = DType::f64});
  CHECK(values(b) == V{-2, 0, 2});
  Tensor down = linspace(1, 0, 3, {.dtype = DType::f64});
  CHECK(values(down) == V{1, 0.5, 0});

  // The end value is hit exactly (not start + 6·step with rounding error), f64 and f32.
  Tensor c = linspace(0.1, 0.7, 7, {.dtype = DType::f64});
  CHECK(c.at({0}) == 0.1);
  CHECK(c.at({6}) == 0.7);
  CHECK(c.at({3}) == doctest::Approx(0.4).epsilon(1e-14));
  Tensor d = linspace(-1.3, 2.9, 11);
  CHECK(d.at({10}) == static_cast<double>(2.9f));
  CHECK(d.at({0}) == static_cast<double>(-1.3f));
  CHECK(d.at({5}) == doctest::Approx(0.8).epsilon(1e-6));

  CHECK(linspace(0, 1, 0).numel() == 0);
  CHECK(linspace(0, 1, 0).shape() == Shape{0});
  Tensor two = linspace(3, 10, 2);
  CHECK(values(two) == V{3, 10});
  CHECK_THROWS_AS(linspace(0, 1, -1), Error);
}

TEST_CASE("linspace with one step gives the start, like PyTorch") {
  // torch.linspace(3, 10, steps=1) → tensor([3.])
  Tensor one = linspace(3, 10, 1);
  CHECK(one.shape() == Shape{1});
  CHECK(values(one) == V{3});
}

TEST_CASE("eye: square, rectangular, dtype") {
  Tensor a = eye(3);
  CHECK(a.shape() == Shape{3, 3});
  CHECK(a.dtype() == DType::f32);
  CHECK(values(a) == V{1, 0, 0, 0, 1, 0, 0, 0, 1});
  Tensor wide = eye(2, 4);
  CHECK(wide.shape() == Shape{2, 4});
  CHECK(values(wide) == V{1, 0, 0, 0, 0, 1, 0, 0});
  Tensor tall = eye(4, 2, {.dtype = DType::i64});
  CHECK(tall.shape() == Shape{4, 2});
  CHECK(tall.dtype() == DType::i64);
  CHECK(tall.to_vector<int64_t>() == I{1, 0, 0, 1, 0, 0, 0, 0});
  CHECK(eye(0).shape() == Shape{0, 0});
  CHECK_THROWS_AS(eye(-1), Error);
}

TEST_CASE("rand, randn, randint, uniform, normal: shapes, dtypes, ranges") {
  Generator gen(17);
  Tensor r = rand({3, 4, 5}, {}, &gen);
  CHECK(r.shape() == Shape{3, 4, 5});
  CHECK(r.dtype() == DType::f32);
  for (double v : values(r)) CHECK((v >= 0.0 && v < 1.0));

  Tensor r64 = rand({7}, {.dtype = DType::f64}, &gen);
  CHECK(r64.dtype() == DType::f64);
  for (double v : values(r64)) CHECK((v >= 0.0 && v < 1.0));

  Tensor u = uniform({1000}, -2.0, 3.0, {}, &gen);
  const V uv = values(u);
  CHECK(*std::min_element(uv.begin(), uv.end()) >= -2.0);
  CHECK(*std::max_element(uv.begin(), uv.end()) < 3.0);
  CHECK(*std::min_element(uv.begin(), uv.end()) < -1.9);  // 1000 draws reach both ends
  CHECK(*std::max_element(uv.begin(), uv.end()) > 2.9);

  Tensor n = randn({2, 3}, {.dtype = DType::f64}, &gen);
  CHECK(n.shape() == Shape{2, 3});
  CHECK(n.dtype() == DType::f64);
  Tensor shifted = normal({5000}, 10.0, 0.5, {}, &gen);
  const V sv = values(shifted);
  const double shifted_mean = std::accumulate(sv.begin(), sv.end(), 0.0) / 5000.0;
  CHECK(std::abs(shifted_mean - 10.0) < 0.05);

  Tensor i = randint(5, 8, {4, 50}, {.dtype = DType::i64}, &gen);
  CHECK(i.shape() == Shape{4, 50});
  CHECK(i.dtype() == DType::i64);
  for (int64_t v : i.to_vector<int64_t>()) CHECK((v >= 5 && v < 8));
  CHECK(randint(0, 3, {2}).dtype() == DType::i64);  // the default options are i64
  Tensor as_float = randint(0, 3, {4}, {.dtype = DType::f32}, &gen);
  CHECK(as_float.dtype() == DType::f32);
  for (double v : values(as_float)) CHECK((v == 0.0 || v == 1.0 || v == 2.0));

  Tensor with_grad = rand({2}, {.requires_grad = true}, &gen);
  CHECK(with_grad.requires_grad());
  CHECK(rand({0, 3}, {}, &gen).numel() == 0);
  CHECK(rand({}, {}, &gen).dim() == 0);
  CHECK_THROWS_AS(randint(3, 3, {2}, {.dtype = DType::i64}, &gen), Error);
  CHECK_THROWS_AS(rand({2}, {.dtype = DType::i64}, &gen), Error);
}

TEST_CASE("randperm is a permutation") {
  Generator gen(5);
  for (int64_t n : {0, 1, 2, 10, 1000}) {
    Tensor p = randperm(n, &gen);
    CHECK(p.dtype() == DType::i64);
    CHECK(p.shape() == Shape{n});
    std::vector<int64_t> sorted = p.to_vector<int64_t>();
    std::sort(sorted.begin(), sorted.end());
    std::vector<int64_t> expected(static_cast<size_t>(n));
    std::iota(expected.begin(), expected.end(), 0);
    CHECK(sorted == expected);
  }
  // Shuffled, not the identity; and consecutive calls give different orders.
  Tensor a = randperm(20, &gen), b = randperm(20, &gen);
  std::vector<int64_t> identity(20);
  std::iota(identity.begin(), identity.end(), 0);
  CHECK(a.to_vector<int64_t>() != identity);
  CHECK(a.to_vector<int64_t>() != b.to_vector<int64_t>());
}

// ---- construction from values ---------------------------------------------------------------
TEST_CASE("tensor() from nested initializer lists") {
  Tensor a = tensor({1.5, -2, 3});
  CHECK(a.shape() == Shape{3});
  CHECK(a.dtype() == DType::f32);
  CHECK(values(a) == V{1.5, -2, 3});

  Tensor b = tensor({{1, 2, 3}, {4, 5, 6}});
  CHECK(b.shape() == Shape{2, 3});
  CHECK(b.strides() == Shape{3, 1});
  CHECK(b.at({1, 2}) == 6);
  CHECK(b.at({0, 1}) == 2);

  Tensor c = tensor({{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}, {.dtype = DType::f64});
  CHECK(c.shape() == Shape{2, 2, 2});
  CHECK(c.dtype() == DType::f64);
  CHECK(c.at({1, 0, 1}) == 6);
  CHECK(values(c) == V{1, 2, 3, 4, 5, 6, 7, 8});

  // Single-element rows make a column (torch.tensor([[1], [2]]) has shape (2, 1)).
  Tensor column = tensor({{1}, {2}});
  CHECK(column.shape() == Shape{2, 1});
  CHECK(values(column) == V{1, 2});
  CHECK(tensor({{-3}}).shape() == Shape{1, 1});

  Tensor d = tensor({7, 8, 9}, {.dtype = DType::i64});
  CHECK(d.dtype() == DType::i64);
  CHECK(d.to_vector<int64_t>() == I{7, 8, 9});
  Tensor e = tensor({0.1}, {.dtype = DType::f64});
  CHECK(e.item() == 0.1);  // f64 keeps the exact double
  CHECK(tensor({0.1}).item() == static_cast<double>(0.1f));
  CHECK(tensor({1, 2}, {.requires_grad = true}).requires_grad());

  CHECK_THROWS_AS(tensor({{1, 2}, {3}}), Error);
  CHECK_THROWS_AS(tensor({{{1, 2}}, {{3, 4}, {5, 6}}}), Error);
}

TEST_CASE("from_vector and from_data") {
  Tensor a = from_vector({1, 2, 3, 4, 5, 6}, {2, 3});
  CHECK(a.shape() == Shape{2, 3});
  CHECK(a.dtype() == DType::f32);
  CHECK(a.at({1, 0}) == 4);
  Tensor b = from_vector({1, 2, 3, 4, 5, 6}, {3, 2}, {.dtype = DType::i64});
  CHECK(b.dtype() == DType::i64);
  CHECK(b.at({2, 1}) == 6);
  CHECK(from_vector({2.5}, {}).dim() == 0);
  CHECK(from_vector({2.5}, {}).item() == 2.5);

  Tensor f = from_data<float>({0.5f, 1.5f}, {2});
  CHECK(f.dtype() == DType::f32);
  CHECK(values(f) == V{0.5, 1.5});
  Tensor g = from_data<double>({0.1, 0.2, 0.3, 0.4}, {2, 2});
  CHECK(g.dtype() == DType::f64);
  CHECK(g.at({1, 1}) == 0.4);
  Tensor h = from_data<int64_t>({int64_t{1} << 40, -3}, {2});
  CHECK(h.dtype() == DType::i64);
  CHECK(h.to_vector<int64_t>() == I{int64_t{1} << 40, -3});
  Tensor m = from_data<uint8_t>({0, 1, 255}, {3});
  CHECK(m.dtype() == DType::u8);
  CHECK(values(m) == V{0, 1, 255});

  CHECK_THROWS_AS(from_vector({1, 2, 3}, {2, 2}), Error);
  CHECK_THROWS_AS(from_data<float>({1.0f}, {2}), Error);
}
