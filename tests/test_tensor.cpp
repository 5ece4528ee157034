// tests/test_tensor.cpp — the tensor core: factories, construction from values, dtypes, views
// sharing storage, contiguity, element access, dtype conversion, broadcasting, PyTorch-style
// printing, and the Philox random number generator. Every expected value here is derived by
// hand (or from Random123's published known-answer vectors), never computed by the library.
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

using namespace fulcrum;

namespace {

std::vector<double> values(const Tensor& t) { return t.to_vector<double>(); }
using V = std::vector<double>;
using I = std::vector<int64_t>;

}  // namespace

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

// ---- views share storage --------------------------------------------------------------------
TEST_CASE("view and reshape of a contiguous tensor share storage") {
  Tensor base = zeros({2, 3});
  Tensor v = base.reshape({3, 2});
  CHECK(v.shape() == Shape{3, 2});
  CHECK(v.storage() == base.storage());
  // Row 2 of the [3, 2] view is flat elements 4 and 5 = base[1, 1] and base[1, 2].
  v.select(0, 2).fill_(7);
  CHECK(values(base) == V{0, 0, 0, 0, 7, 7});

  Tensor w = base.view({6});
  CHECK(w.storage() == base.storage());
  w.slice(0, 0, 1).fill_(-1);
  CHECK(base.at({0, 0}) == -1);
  CHECK(base.view({-1, 2}).shape() == Shape{3, 2});
  CHECK(base.reshape({-1}).shape() == Shape{6});
  CHECK(base.flatten().storage() == base.storage());

  // reshape of a non-contiguous tensor copies (as PyTorch); view refuses.
  Tensor t = base.t();
  Tensor copied = t.reshape({6});
  CHECK(copied.storage() != base.storage());
  CHECK(values(copied) == V{-1, 0, 0, 7, 0, 7});
  CHECK_THROWS_AS(t.view({6}), Error);
  CHECK_THROWS_AS(base.reshape({4, 2}), Error);
}

TEST_CASE("permute is a view with permuted strides") {
  Tensor base = zeros({2, 3, 4});
  Tensor p = base.permute({2, 0, 1});
  CHECK(p.shape() == Shape{4, 2, 3});
  CHECK(p.strides() == Shape{1, 12, 4});
  CHECK(p.storage() == base.storage());
  p.select(0, 1).fill_(1);  // p[1, i, j] = base[i, j, 1]
  for (int64_t i = 0; i < 2; ++i) {
    for (int64_t j = 0; j < 3; ++j) {
      for (int64_t k = 0; k < 4; ++k) CHECK(base.at({i, j, k}) == (k == 1 ? 1.0 : 0.0));
    }
  }
  Tensor q = base.permute({-1, 0, 1});
  CHECK(q.shape() == Shape{4, 2, 3});
  CHECK_THROWS_AS(base.permute({0, 0, 1}), Error);
  CHECK_THROWS_AS(base.permute({0, 1}), Error);
}

TEST_CASE("transpose and t() are views") {
  Tensor base = tensor({{1, 2, 3}, {4, 5, 6}});
  Tensor t = base.t();
  CHECK(t.shape() == Shape{3, 2});
  CHECK(t.strides() == Shape{1, 3});
  CHECK(t.storage() == base.storage());
  CHECK(t.at({2, 0}) == 3);
  CHECK(values(t) == V{1, 4, 2, 5, 3, 6});
  t.select(0, 1).fill_(0);  // column 1 of base
  CHECK(values(base) == V{1, 0, 3, 4, 0, 6});
  Tensor u = zeros({2, 3, 4}).transpose(0, 2);
  CHECK(u.shape() == Shape{4, 3, 2});
  CHECK(u.strides() == Shape{1, 4, 12});
  CHECK(tensor({1, 2}).t().shape() == Shape{2});  // t() of a vector is itself
}

TEST_CASE("slice with a step, negative bounds, clamping") {
  Tensor base = zeros({10});
  Tensor s = base.slice(0, 1, 10, 3);
  CHECK(s.shape() == Shape{3});
  CHECK(s.strides() == Shape{3});
  CHECK(s.offset() == 1);
  CHECK(s.storage() == base.storage());
  s.fill_(1);
  CHECK(values(base) == V{0, 1, 0, 0, 1, 0, 0, 1, 0, 0});

  Tensor grid = zeros({2, 5});
  grid.slice(1, 0, 5, 2).copy_(tensor({{1, 2, 3}, {4, 5, 6}}));
  CHECK(values(grid) == V{1, 0, 2, 0, 3, 4, 0, 5, 0, 6});

  Tensor r = arange(10);
  CHECK(r.slice(0, -3, 10).to_vector<int64_t>() == I{7, 8, 9});
  CHECK(r.slice(0, 8, 100).to_vector<int64_t>() == I{8, 9});
  CHECK(r.slice(0, 5, 2).numel() == 0);
  CHECK(r.slice(0, 0, 10, 4).to_vector<int64_t>() == I{0, 4, 8});
  CHECK_THROWS_AS(r.slice(0, 0, 10, 0), Error);
}

TEST_CASE("narrow and select are views") {
  Tensor base = zeros({4, 5});
  Tensor n = base.narrow(1, 1, 2);
  CHECK(n.shape() == Shape{4, 2});
  CHECK(n.offset() == 1);
  CHECK(n.storage() == base.storage());
  n.copy_(ones({4, 2}));
  for (int64_t i = 0; i < 4; ++i) {
    for (int64_t j = 0; j < 5; ++j) CHECK(base.at({i, j}) == ((j == 1 || j == 2) ? 1.0 : 0.0));
  }
  CHECK_THROWS_AS(base.narrow(1, 4, 2), Error);

  Tensor col = base.select(1, 3);
  CHECK(col.shape() == Shape{4});
  CHECK(col.strides() == Shape{5});
  CHECK(col.offset() == 3);
  col.fill_(9);
  Tensor last_row = base.select(0, -1);
  CHECK(last_row.offset() == 15);
  CHECK(values(last_row) == V{0, 1, 1, 9, 0});
  CHECK(base.at({0, 3}) == 9);
  CHECK(base.at({2, 3}) == 9);
  CHECK_THROWS_AS(base.select(0, 4), Error);
  Tensor scalar = base.select(0, 1).select(0, 3);
  CHECK(scalar.dim() == 0);
  CHECK(scalar.item() == 9);
}

TEST_CASE("expand gives stride 0 and shares storage") {
  Tensor column = from_vector({1, 2}, {2, 1});  // [[1], [2]]; tensor({{1}, {2}}) is ambiguous
  Tensor e = column.expand({2, 4});
  CHECK(e.shape() == Shape{2, 4});
  CHECK(e.strides() == Shape{1, 0});
  CHECK(e.storage() == column.storage());
  CHECK(values(e) == V{1, 1, 1, 1, 2, 2, 2, 2});
  column.fill_(5);
  CHECK(values(e) == V{5, 5, 5, 5, 5, 5, 5, 5});

  Tensor row = tensor({1, 2, 3}).expand({2, 3});  // a new leading dim
  CHECK(row.strides() == Shape{0, 1});
  CHECK(values(row) == V{1, 2, 3, 1, 2, 3});
  CHECK(column.expand({-1, 3}).shape() == Shape{2, 3});
  CHECK(scalar_tensor(4).expand({2, 2}).strides() == Shape{0, 0});
  CHECK_THROWS_AS(tensor({1, 2, 3}).expand({2, 4}), Error);
}

TEST_CASE("squeeze and unsqueeze are views") {
  Tensor base = zeros({3, 1, 2});
  Tensor sq = base.squeeze();
  CHECK(sq.shape() == Shape{3, 2});
  CHECK(sq.storage() == base.storage());
  sq.select(0, 1).fill_(4);
  CHECK(values(base) == V{0, 0, 4, 4, 0, 0});
  CHECK(base.squeeze(1).shape() == Shape{3, 2});
  CHECK(base.squeeze(-2).shape() == Shape{3, 2});
  CHECK(base.squeeze(0).shape() == Shape{3, 1, 2});  // size 3: a no-op, as in PyTorch
  Tensor un = base.unsqueeze(0);
  CHECK(un.shape() == Shape{1, 3, 1, 2});
  CHECK(un.storage() == base.storage());
  CHECK(base.unsqueeze(-1).shape() == Shape{3, 1, 2, 1});
  CHECK(base.unsqueeze(3).shape() == Shape{3, 1, 2, 1});
  un.select(1, 2).fill_(-1);  // base[2, :, :]
  CHECK(values(base) == V{0, 0, 4, 4, -1, -1});
  CHECK(zeros({1, 1}).squeeze().dim() == 0);
  CHECK_THROWS_AS(base.unsqueeze(5), Error);
}

TEST_CASE("contiguous() copies only when needed; clone always copies") {
  Tensor base = tensor({{1, 2, 3}, {4, 5, 6}});
  CHECK(base.contiguous().is_same(base));
  Tensor t = base.t();
  Tensor c = t.contiguous();
  CHECK_FALSE(c.is_same(t));
  CHECK(c.storage() != base.storage());
  CHECK(c.is_contiguous());
  CHECK(c.strides() == Shape{2, 1});
  CHECK(values(c) == V{1, 4, 2, 5, 3, 6});
  Tensor k = base.clone();
  CHECK(k.storage() != base.storage());
  k.fill_(0);
  CHECK(values(base) == V{1, 2, 3, 4, 5, 6});
}

TEST_CASE("copy_ broadcasts the source and converts its dtype") {
  Tensor target = zeros({2, 3});
  target.copy_(tensor({1, 2, 3}));
  CHECK(values(target) == V{1, 2, 3, 1, 2, 3});
  target.copy_(from_vector({7, 8}, {2, 1}, {.dtype = DType::i64}));
  CHECK(values(target) == V{7, 7, 7, 8, 8, 8});
  Tensor ints = zeros({2}, {.dtype = DType::i64});
  ints.copy_(tensor({2.9, -2.9}));
  CHECK(ints.to_vector<int64_t>() == I{2, -2});  // truncation toward zero
  CHECK_THROWS_AS(target.copy_(tensor({1, 2})), Error);
  const uint64_t version = target.storage()->version;
  target.fill_(1);
  CHECK(target.storage()->version == version + 1);
}

TEST_CASE("is_contiguous for various layouts") {
  Tensor a = zeros({4, 5});
  CHECK(a.is_contiguous());
  CHECK_FALSE(a.t().is_contiguous());
  CHECK(zeros({1, 5}).t().is_contiguous());  // only a size-1 dim moved
  CHECK(a.narrow(0, 1, 2).is_contiguous());  // rows: contiguous with an offset
  CHECK_FALSE(a.narrow(1, 1, 2).is_contiguous());
  CHECK_FALSE(a.slice(0, 0, 4, 2).is_contiguous());
  CHECK_FALSE(a.slice(1, 0, 5, 2).is_contiguous());
  CHECK(a.select(0, 2).is_contiguous());
  CHECK_FALSE(a.select(1, 2).is_contiguous());
  CHECK_FALSE(tensor({1, 2}).expand({3, 2}).is_contiguous());
  CHECK(from_vector({1, 2}, {2, 1}).expand({2, 1}).is_contiguous());
  CHECK(scalar_tensor(1).is_contiguous());
  CHECK(a.permute({0, 1}).is_contiguous());
  CHECK_FALSE(zeros({2, 3, 4}).permute({0, 2, 1}).is_contiguous());
  CHECK(a.unsqueeze(1).is_contiguous());
  CHECK(zeros({0, 5}).is_contiguous());
  CHECK(zeros({0}).is_contiguous());
}

TEST_CASE("empty tensors are contiguous and can be reshaped, like PyTorch") {
  // torch.empty(3, 0).is_contiguous() → True; torch.zeros(3, 0).reshape(0, 3) works.
  Tensor e = zeros({3, 0});
  CHECK(e.is_contiguous());
  CHECK(e.contiguous().is_same(e));
  Tensor r;
  CHECK_NOTHROW(r = e.reshape({0, 3}));
  CHECK(r.shape() == Shape{0, 3});
  CHECK_NOTHROW(r = zeros({2, 0, 4}).view({0, 8}));
  CHECK(r.shape() == Shape{0, 8});
}

// ---- element access -------------------------------------------------------------------------
TEST_CASE("item(), at() and to_vector()") {
  CHECK(scalar_tensor(2.5).item() == 2.5);
  CHECK(tensor({7}).item<int64_t>() == 7);
  CHECK(from_vector({-3}, {1, 1}).item<float>() == -3.0f);
  CHECK(tensor({1, 2}, {.dtype = DType::i64}).select(0, 1).item<int64_t>() == 2);
  CHECK_THROWS_AS(tensor({1, 2}).item(), Error);

  Tensor m = tensor({{1, 2, 3}, {4, 5, 6}});
  CHECK(m.at({0, 0}) == 1);
  CHECK(m.at({1, 2}) == 6);
  CHECK(m.at({-1, -1}) == 6);
  CHECK(m.at({-2, 1}) == 2);
  CHECK(m.at(std::vector<int64_t>{1, 0}) == 4);
  CHECK_THROWS_AS(m.at({2, 0}), Error);
  CHECK_THROWS_AS(m.at({0}), Error);

  // to_vector walks a view in its own row-major order and converts.
  CHECK(m.t().to_vector<double>() == V{1, 4, 2, 5, 3, 6});
  CHECK(m.slice(1, 0, 3, 2).to_vector<int64_t>() == I{1, 3, 4, 6});
  CHECK(m.to_vector<float>() == std::vector<float>{1, 2, 3, 4, 5, 6});
  CHECK(tensor({1.5}).to_vector<uint8_t>() == std::vector<uint8_t>{1});
  CHECK(zeros({0, 3}).to_vector<double>().empty());
  CHECK(scalar_tensor(3).to_vector<double>() == V{3});
}

TEST_CASE("to(dtype) converts like PyTorch") {
  Tensor f = tensor({1.5, -2.7, 3.99, 0});
  Tensor i = f.to(DType::i64);
  CHECK(i.dtype() == DType::i64);
  CHECK(i.to_vector<int64_t>() == I{1, -2, 3, 0});  // truncation toward zero
  Tensor d = tensor({0.1}).to(DType::f64);
  CHECK(d.dtype() == DType::f64);
  CHECK(d.item() == static_cast<double>(0.1f));  // widening keeps the f32 value exactly
  Tensor back = tensor({0.1}, {.dtype = DType::f64}).to(DType::f32);
  CHECK(back.item<float>() == 0.1f);
  Tensor big = tensor({16777217}, {.dtype = DType::i64}).to(DType::f32);  // 2^24 + 1
  CHECK(big.item() == 16777216.0);  // rounds to the nearest f32
  Tensor bytes = tensor({0, 1, 255}).to(DType::u8);
  CHECK(bytes.dtype() == DType::u8);
  CHECK(bytes.to_vector<int64_t>() == I{0, 1, 255});
  CHECK(f.to(DType::f32).is_same(f));  // same dtype: no copy
  Tensor strided = tensor({{1, 2}, {3, 4}}).t().to(DType::i64);
  CHECK(strided.to_vector<int64_t>() == I{1, 3, 2, 4});
}

TEST_CASE("broadcast_shapes follows NumPy rules") {
  CHECK(broadcast_shapes("t", {4, 3}, {3}) == Shape{4, 3});
  CHECK(broadcast_shapes("t", {3}, {4, 3}) == Shape{4, 3});
  CHECK(broadcast_shapes("t", {2, 1, 5}, {3, 1}) == Shape{2, 3, 5});
  CHECK(broadcast_shapes("t", {5, 1, 4}, {1, 3, 1}) == Shape{5, 3, 4});
  CHECK(broadcast_shapes("t", {}, {2, 2}) == Shape{2, 2});
  CHECK(broadcast_shapes("t", {}, {}) == Shape{});
  CHECK(broadcast_shapes("t", {1}, {0}) == Shape{0});
  CHECK(broadcast_shapes("t", {3, 0}, {1}) == Shape{3, 0});
  CHECK_THROWS_AS(broadcast_shapes("t", {4, 3}, {2, 3}), Error);
  CHECK_THROWS_AS(broadcast_shapes("t", {2}, {0}), Error);
  bool threw = false;
  try {
    broadcast_shapes("add", {4, 3}, {2, 3});
  } catch (const Error& e) {
    threw = true;
    CHECK(std::string(e.what()).find("add: shapes [4, 3] and [2, 3] cannot broadcast") != std::string::npos);
  }
  CHECK(threw);
}

// ---- printing -------------------------------------------------------------------------------
TEST_CASE("printing: whole-number floats, 2-D") {
  CHECK(tensor({{18, 24}, {30, 36}}).str() == "tensor([[18., 24.],\n        [30., 36.]])");
  CHECK(tensor({-1, 2}).str() == "tensor([-1.,  2.])");
  CHECK(zeros({2}).str() == "tensor([0., 0.])");
}

TEST_CASE("printing: floats with decimals use 4 decimals and one common width") {
  CHECK(tensor({1.5, -0.25, 3.14159}).str() == "tensor([ 1.5000, -0.2500,  3.1416])");
  CHECK(tensor({{0.5, 12.25}, {-3.125, 0}}).str() ==
        "tensor([[ 0.5000, 12.2500],\n        [-3.1250,  0.0000]])");
  // Small magnitudes switch to scientific notation.
  CHECK(tensor({1e-5, 1}).str() == "tensor([1.0000e-05, 1.0000e+00])");
}

TEST_CASE("printing: integers, dtype and requires_grad suffixes, 0-d, 3-D") {
  CHECK(tensor({1, 2, 3}, {.dtype = DType::i64}).str() == "tensor([1, 2, 3])");
  CHECK(tensor({-10, 5}, {.dtype = DType::i64}).str() == "tensor([-10,   5])");
  CHECK(tensor({1.5, 2}, {.dtype = DType::f64}).str() == "tensor([1.5000, 2.0000], dtype=f64)");
  CHECK(tensor({1, 2}, {.requires_grad = true}).str() == "tensor([1., 2.], requires_grad=True)");
  CHECK(scalar_tensor(3.5).str() == "tensor(3.5000)");
  CHECK(scalar_tensor(-2).str() == "tensor(-2.)");
  CHECK(scalar_tensor(7, {.dtype = DType::i64}).str() == "tensor(7)");
  CHECK(tensor({{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}, {.dtype = DType::i64}).str() ==
        "tensor([[[1, 2],\n         [3, 4]],\n\n        [[5, 6],\n         [7, 8]]])");
  // A view prints its own elements.
  CHECK(tensor({{1, 2}, {3, 4}}, {.dtype = DType::i64}).t().str() == "tensor([[1, 3],\n        [2, 4]])");
  CHECK(Tensor().str() == "tensor(undefined)");
}

TEST_CASE("printing: large tensors are summarised like PyTorch") {
  // torch.arange(2000) → tensor([   0,    1,    2,  ..., 1997, 1998, 1999])
  CHECK(arange(2000).str() == "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])");
  // torch.zeros(100, 100)
  CHECK(zeros({100, 100}).str() ==
        "tensor([[0., 0., 0.,  ..., 0., 0., 0.],\n"
        "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
        "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
        "        ...,\n"
        "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
        "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
        "        [0., 0., 0.,  ..., 0., 0., 0.]])");
  // 1000 elements is not summarised (PyTorch's threshold is "more than 1000").
  const std::string full = arange(1000).str();
  CHECK(full.find("...") == std::string::npos);
  CHECK(full.find(" 500,") != std::string::npos);
}

TEST_CASE("printing: long rows wrap at 80 columns like PyTorch") {
  // torch.arange(30)
  CHECK(arange(30).str() ==
        "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,\n"
        "        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29])");
}

TEST_CASE("printing: whole numbers spanning more than 1000x use scientific notation like PyTorch") {
  // torch.tensor([1., 2000.]) → tensor([1.0000e+00, 2.0000e+03])
  CHECK(tensor({1, 2000}).str() == "tensor([1.0000e+00, 2.0000e+03])");
}

TEST_CASE("printing: empty tensors like PyTorch") {
  CHECK(zeros({0}).str() == "tensor([])");
  // torch.zeros(2, 0) → tensor([], size=(2, 0))
  CHECK(zeros({2, 0}).str() == "tensor([], size=(2, 0))");
}

// ---- random number generation ---------------------------------------------------------------
TEST_CASE("philox4x32-10 matches Random123's known-answer vectors") {
  // Random123 tests/kat_vectors, "philox4x32 10" lines: counter words, key words → output.
  // philox4x32(counter_low, counter_high, key) takes the words little-end first.
  using W = std::array<uint32_t, 4>;
  CHECK(philox4x32(0, 0, 0) == W{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
  CHECK(philox4x32(~uint64_t{0}, ~uint64_t{0}, ~uint64_t{0}) ==
        W{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
  // counter {243f6a88, 85a308d3, 13198a2e, 03707344}, key {a4093822, 299f31d0}
  CHECK(philox4x32(0x85a308d3243f6a88ULL, 0x0370734413198a2eULL, 0x299f31d0a4093822ULL) ==
        W{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
  // A generator's block b is philox(counter b, key seed).
  Generator g(0);
  CHECK(g.block(0) == W{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
}

TEST_CASE("random fills map Philox words to values as documented (known answers)") {
  // Seed 0, block 0 = {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8} (the KAT above).
  const uint32_t w[4] = {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8};
  {  // f32 uniform: element i = (word i >> 8) · 2^-24
    Generator g(0);
    const std::vector<float> r = rand({4}, {}, &g).to_vector<float>();
    for (int i = 0; i < 4; ++i) CHECK(r[i] == static_cast<float>(w[i] >> 8) * 0x1.0p-24f);
    CHECK(r[0] == doctest::Approx(0.399045).epsilon(1e-5));  // 0x6627e8 / 2^24
  }
  {  // f64 uniform: element 0 = ((w0 << 21) | (w1 >> 11)) · 2^-53
    Generator g(0);
    const double r = rand({1}, {.dtype = DType::f64}, &g).item();
    const uint64_t bits = (static_cast<uint64_t>(w[0]) << 21) | (w[1] >> 11);
    CHECK(r == static_cast<double>(bits) * 0x1.0p-53);
  }
  {  // randint(0, 10): floor(64-bit word pair · 10 / 2^64): 0x6627e8d5… → 3, 0xbc57ac4c… → 7
    Generator g(0);
    CHECK(randint(0, 10, {2}, {.dtype = DType::i64}, &g).to_vector<int64_t>() == I{3, 7});
  }
  {  // randn: Box–Muller on block 0, u1 = 1 − U(w0, w1), u2 = U(w2, w3)
    Generator g(0);
    const V z = values(randn({2}, {.dtype = DType::f64}, &g));
    auto u53 = [](uint32_t hi, uint32_t lo) {
      return static_cast<double>((static_cast<uint64_t>(hi) << 21) | (lo >> 11)) * 0x1.0p-53;
    };
    const double u1 = 1.0 - u53(w[0], w[1]), u2 = u53(w[2], w[3]);
    const double radius = std::sqrt(-2.0 * std::log(u1));
    CHECK(z[0] == doctest::Approx(radius * std::cos(2.0 * M_PI * u2)).epsilon(1e-12));
    CHECK(z[1] == doctest::Approx(radius * std::sin(2.0 * M_PI * u2)).epsilon(1e-12));
  }
}

TEST_CASE("same seed gives identical tensors; different seeds differ") {
  Generator a(42), b(42), c(43);
  const V ra = values(rand({100}, {}, &a)), rb = values(rand({100}, {}, &b)), rc = values(rand({100}, {}, &c));
  CHECK(ra == rb);
  CHECK(ra != rc);
  CHECK(values(randn({3, 7}, {}, &a)) == values(randn({3, 7}, {}, &b)));
  CHECK(randint(0, 1000, {50}, {.dtype = DType::i64}, &a).to_vector<int64_t>() ==
        randint(0, 1000, {50}, {.dtype = DType::i64}, &b).to_vector<int64_t>());
  CHECK(randperm(30, &a).to_vector<int64_t>() == randperm(30, &b).to_vector<int64_t>());
  CHECK(values(randn({100}, {}, &a)) != values(randn({100}, {}, &c)));

  // The default generator, seeded like torch.manual_seed.
  manual_seed(7);
  const V d1 = values(rand({8}));
  manual_seed(7);
  const V d2 = values(rand({8}));
  CHECK(d1 == d2);
  Generator seven(7);
  CHECK(values(rand({8}, {}, &seven)) == d1);
  CHECK(default_generator().seed() == 7);
}

TEST_CASE("a generator's offset advances, so consecutive calls differ") {
  Generator g(5);
  CHECK(g.seed() == 5);
  CHECK(g.offset() == 0);
  const V first = values(rand({10}, {}, &g));
  CHECK(g.offset() == 3);  // f32 uniform: 4 values per block, ceil(10 / 4)
  const V second = values(rand({10}, {}, &g));
  CHECK(g.offset() == 6);
  CHECK(first != second);
  randn({5}, {}, &g);
  CHECK(g.offset() == 9);  // normal: 2 values per block, ceil(5 / 2)
  randint(0, 10, {4}, {.dtype = DType::i64}, &g);
  CHECK(g.offset() == 11);  // randint: 2 values per block
  rand({5}, {.dtype = DType::f64}, &g);
  CHECK(g.offset() == 14);  // f64 uniform: 2 values per block
  rand({0}, {}, &g);
  CHECK(g.offset() == 14);
  // The second call continues the stream: element 0 of the second call is element 12 of a
  // single call of 16 (the first call used blocks 0..2 = 12 values).
  Generator h(5);
  const V joint = values(rand({16}, {}, &h));
  CHECK(second[0] == joint[12]);
  CHECK(first[0] == joint[0]);
  // manual_seed rewinds.
  g.manual_seed(5);
  CHECK(g.offset() == 0);
  CHECK(values(rand({10}, {}, &g)) == first);
  // Scalar draws consume one block each.
  Generator s(9);
  const double u = s.uniform();
  CHECK((u >= 0.0 && u < 1.0));
  CHECK(s.offset() == 1);
  CHECK(s.random_below(10) < 10u);
  CHECK(s.offset() == 2);
}

TEST_CASE("statistical sanity of randn, rand and randint") {
  Generator gen(2024);
  const int64_t n = 100000;
  for (DType dtype : {DType::f32, DType::f64}) {
    const V z = values(randn({n}, {.dtype = dtype}, &gen));
    double mean = 0;
    for (double v : z) mean += v;
    mean /= static_cast<double>(n);
    double var = 0;
    for (double v : z) var += (v - mean) * (v - mean);
    const double stddev = std::sqrt(var / static_cast<double>(n - 1));
    CHECK(std::abs(mean) < 0.02);
    CHECK(std::abs(stddev - 1.0) < 0.02);
    // About 68.3 % within one standard deviation.
    const auto within = std::count_if(z.begin(), z.end(), [](double v) { return std::abs(v) < 1.0; });
    CHECK(std::abs(static_cast<double>(within) / static_cast<double>(n) - 0.6827) < 0.01);

    const V u = values(rand({n}, {.dtype = dtype}, &gen));
    double umean = 0;
    for (double v : u) {
      CHECK_MESSAGE((v >= 0.0 && v < 1.0), "rand value " << v << " outside [0, 1)");
      umean += v;
    }
    umean /= static_cast<double>(n);
    CHECK(std::abs(umean - 0.5) < 0.01);
    const auto below_quarter = std::count_if(u.begin(), u.end(), [](double v) { return v < 0.25; });
    CHECK(std::abs(static_cast<double>(below_quarter) / static_cast<double>(n) - 0.25) < 0.01);
  }
  const std::vector<int64_t> k = randint(-5, 5, {10000}, {.dtype = DType::i64}, &gen).to_vector<int64_t>();
  std::set<int64_t> seen(k.begin(), k.end());
  CHECK(seen == std::set<int64_t>{-5, -4, -3, -2, -1, 0, 1, 2, 3, 4});
  for (int64_t value = -5; value < 5; ++value) {
    const auto count = std::count(k.begin(), k.end(), value);
    CHECK_MESSAGE((count > 850 && count < 1150), "value " << value << " drawn " << count << " times");
  }
}
