// tests/core/tensor_views.cpp — views sharing storage (view, reshape, permute, transpose, slice,
// narrow, select, expand, squeeze, unsqueeze), contiguous / clone, copy_, is_contiguous, empty
// tensors.
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
