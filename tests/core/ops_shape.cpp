// tests/core/ops_shape.cpp — value tests of the shape ops, views and copies (core/ops_shape.cpp):
// reshape, permute, slice, expand, contiguous, to_dtype, to_device.
// Expected values are written out by hand (with the arithmetic in a comment where it is not
// obvious), never computed by the library; they follow PyTorch. Each primitive of op_list.def has
// at least one OP_VALUE_TEST(kind); core/op_list.cpp fails if one is missing.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "op_registry.hpp"
#include "op_values.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;

// ============================================================================================
// Shape: views and copies
// ============================================================================================

OP_VALUE_TEST(reshape) {
  const Tensor x = tensor({0, 1, 2, 3, 4, 5});
  const Tensor y = reshape(x, {2, 3});
  CHECK_TENSOR(y, tensor({{0, 1, 2}, {3, 4, 5}}));
  CHECK_TENSOR(x.reshape({3, -1}), tensor({{0, 1}, {2, 3}, {4, 5}}));
  CHECK_TENSOR(x.view({-1, 2}), tensor({{0, 1}, {2, 3}, {4, 5}}));
  // a contiguous reshape is a view: same storage, writes show through
  CHECK(y.storage().get() == x.storage().get());
  Tensor xs = tensor({0, 1, 2, 3, 4, 5});
  const Tensor ys = xs.reshape({3, 2});
  xs.add_(10.0);
  CHECK_TENSOR(ys, tensor({{10, 11}, {12, 13}, {14, 15}}));
  // a non-contiguous input is copied: [[0, 1, 2], [3, 4, 5]].t() = [[0, 3], [1, 4], [2, 5]]
  const Tensor flat = y.t().reshape({-1});
  CHECK_TENSOR(flat, tensor({0, 3, 1, 4, 2, 5}));
  CHECK(flat.storage().get() != y.storage().get());
  CHECK_TENSOR(tensor({7}).reshape({}), scalar_tensor(7.0));
  CHECK_TENSOR(scalar_tensor(7.0).reshape({1, 1}), make({7}, {1, 1}));
  CHECK_TENSOR(tensor({1, 2, 3, 4}, kI64).reshape({2, 2}), tensor({{1, 2}, {3, 4}}, kI64));
}

OP_VALUE_TEST(permute) {
  const Tensor x = tensor({{1, 2, 3}, {4, 5, 6}});
  CHECK_TENSOR(permute(x, {1, 0}), tensor({{1, 4}, {2, 5}, {3, 6}}));
  CHECK_TENSOR(permute(x, {-1, -2}), tensor({{1, 4}, {2, 5}, {3, 6}}));
  // [i, j, k] = 12i + 4j + k; p = permute(2, 0, 1) has p[k, i, j] = 12i + 4j + k
  const Tensor t = arange(24.0, {.dtype = DType::f32}).reshape({2, 3, 4});
  const Tensor p = t.permute({2, 0, 1});
  CHECK(p.shape() == Shape{4, 2, 3});
  CHECK(p.strides() == Shape{1, 12, 4});
  CHECK(p.at({3, 1, 2}) == 23.0);  // 12 + 8 + 3
  CHECK(p.at({1, 0, 2}) == 9.0);   // 0 + 8 + 1
  CHECK(p.at({2, 1, 0}) == 14.0);  // 12 + 0 + 2
  CHECK_TENSOR(p.select(0, 1), tensor({{1, 5, 9}, {13, 17, 21}}));  // k = 1: 12i + 4j + 1
  CHECK(p.storage().get() == t.storage().get());
  CHECK_FALSE(p.is_contiguous());
  // writes through the view
  Tensor base = tensor({{1, 2}, {3, 4}});
  permute(base, {1, 0}).slice(0, 0, 1).fill_(0.0);  // row 0 of base.t() = column 0 of base
  CHECK_TENSOR(base, tensor({{0, 2}, {0, 4}}));
}

OP_VALUE_TEST(slice) {
  const Tensor x = arange(10.0, {.dtype = DType::f32});
  CHECK_TENSOR(slice(x, 0, 2, 8, 3), tensor({2, 5}));
  CHECK_TENSOR(slice(x, 0, 1, 10, 4), tensor({1, 5, 9}));
  CHECK_TENSOR(slice(x, 0, -3, 10), tensor({7, 8, 9}));
  CHECK_TENSOR(slice(x, 0, 5, 100), tensor({5, 6, 7, 8, 9}));  // clamps like Python
  CHECK_TENSOR(slice(x, 0, -100, 2), tensor({0, 1}));
  CHECK_TENSOR(slice(x, 0, 0, -8), tensor({0, 1}));
  CHECK(slice(x, 0, 8, 3).shape() == Shape{0});
  const Tensor m = tensor({{1, 2, 3}, {4, 5, 6}});
  const Tensor s = m.slice(1, 1, 3);
  CHECK_TENSOR(s, tensor({{2, 3}, {5, 6}}));
  CHECK(s.storage().get() == m.storage().get());
  CHECK(s.offset() == 1);
  CHECK_TENSOR(m.slice(0, 1, 2), tensor({{4, 5, 6}}));
  CHECK_TENSOR(m.slice(-1, 0, 3, 2), tensor({{1, 3}, {4, 6}}));
  // a slice of a slice, and of a transposed tensor: m.t() = [[1, 4], [2, 5], [3, 6]]
  CHECK_TENSOR(s.slice(0, 1, 2), tensor({{5, 6}}));
  CHECK_TENSOR(m.t().slice(0, 1, 3), tensor({{2, 5}, {3, 6}}));
  // writes through the view
  Tensor base = tensor({{1, 2, 3}, {4, 5, 6}});
  base.slice(1, 1, 3).fill_(0.0);
  CHECK_TENSOR(base, tensor({{1, 0, 0}, {4, 0, 0}}));
}

OP_VALUE_TEST(expand) {
  const Tensor col = make({1, 2}, {2, 1});
  const Tensor e = expand(col, {2, 3});
  CHECK_TENSOR(e, tensor({{1, 1, 1}, {2, 2, 2}}));
  CHECK(e.stride(1) == 0);
  CHECK(e.storage().get() == col.storage().get());
  CHECK_TENSOR(tensor({1, 2, 3}).expand({2, 3}), tensor({{1, 2, 3}, {1, 2, 3}}));
  CHECK_TENSOR(col.expand({-1, 2}), tensor({{1, 1}, {2, 2}}));
  // new leading dims
  CHECK_TENSOR(tensor({5, 6}).expand({2, 2, 2}), tensor({{{5, 6}, {5, 6}}, {{5, 6}, {5, 6}}}));
  CHECK_TENSOR(scalar_tensor(3.0, kI64).expand({3}), tensor({3, 3, 3}, kI64));
  // expanded then copied into real memory
  const Tensor dense = e.contiguous();
  CHECK_TENSOR(dense, tensor({{1, 1, 1}, {2, 2, 2}}));
  CHECK(dense.is_contiguous());
  // an expanded view reduces like the real thing: Σ = 3·1 + 3·2
  CHECK_TENSOR(sum(e), scalar_tensor(9.0));
}

OP_VALUE_TEST(contiguous) {
  const Tensor x = tensor({{1, 2, 3}, {4, 5, 6}});
  const Tensor t = x.t();
  CHECK_FALSE(t.is_contiguous());
  const Tensor c = contiguous(t);
  CHECK_TENSOR(c, tensor({{1, 4}, {2, 5}, {3, 6}}));
  CHECK(c.is_contiguous());
  CHECK(c.strides() == Shape{2, 1});
  CHECK(c.storage().get() != x.storage().get());
  CHECK(c.to_vector() == std::vector<double>{1, 4, 2, 5, 3, 6});
  // contiguous of a contiguous tensor is the tensor itself
  CHECK(x.contiguous().is_same(x));
  // a stepped slice: [0, 3, 6, 9]
  CHECK_TENSOR(arange(10.0, {.dtype = DType::f64}).slice(0, 0, 10, 3).contiguous(), tensor({0, 3, 6, 9}, kF64));
  // 3-D: [a, b, c] = 4a + 2b + c, permuted (2, 1, 0)
  const Tensor p = arange(8.0, {.dtype = DType::i64}).reshape({2, 2, 2}).permute({2, 1, 0});
  // p[a, b, c] = 4c + 2b + a
  CHECK_TENSOR(p.contiguous(), tensor({{{0, 4}, {2, 6}}, {{1, 5}, {3, 7}}}, kI64));
  // clone copies even a contiguous tensor
  const Tensor cl = clone(x);
  CHECK_TENSOR(cl, x);
  CHECK(cl.storage().get() != x.storage().get());
}

OP_VALUE_TEST(to_dtype) {
  const Tensor x = tensor({-1.75, -0.5, 0.5, 2.75});  // exact in f32
  const Tensor d = x.to(DType::f64);
  CHECK_TENSOR(d, tensor({-1.75, -0.5, 0.5, 2.75}, kF64));
  // f → i64 truncates toward zero, as PyTorch's cast
  CHECK_TENSOR(d.to(DType::i64), tensor({-1, 0, 0, 2}, kI64));
  CHECK_TENSOR(to_dtype(x, DType::i64), tensor({-1, 0, 0, 2}, kI64));
  CHECK_TENSOR(to_dtype(tensor({-2.9, 2.9, 1e10}, kF64), DType::i64), tensor({-2, 2, 1e10}, kI64));
  CHECK_TENSOR(tensor({3, -4}, kI64).to(DType::f32), tensor({3, -4}));
  CHECK_TENSOR(tensor({0.1}, kF64).to(DType::f32), tensor({0.1}));  // rounds to the nearest f32
  CHECK(tensor({0.1}, kF64).to(DType::f32).to(DType::f64).item() == doctest::Approx(0.1).epsilon(1e-7));
  CHECK_TENSOR((tensor({-1, 0, 2}) > 0.0).to(DType::f32), tensor({0, 0, 1}));
  CHECK_TENSOR(tensor({0, 1, 2.75}).to(DType::u8), tensor({0, 1, 2}, kU8));
  CHECK_TENSOR(tensor({{1.5, 2.5}, {3.5, 4.5}}).t().to(DType::f64), tensor({{1.5, 3.5}, {2.5, 4.5}}, kF64));
  // same dtype: no copy
  CHECK(x.to(DType::f32).is_same(x));
}

OP_VALUE_TEST(to_device) {
  // to another device: the same values in a new contiguous tensor there; back again, the same.
  const Tensor x = tensor({{1.5, -2.0, 3.25}, {0.0, 7.0, -0.5}}, kF64).t();  // a transposed view
  const Tensor r = to_device(x, Device::ref());
  CHECK(r.device() == Device::ref());
  CHECK(r.is_contiguous());
  CHECK(r.storage().get() != x.storage().get());
  CHECK_TENSOR(r.to("cpu"), tensor({{1.5, 0.0}, {-2.0, 7.0}, {3.25, -0.5}}, kF64));
  CHECK_TENSOR(tensor({3, -4, 1LL << 40}, kI64).to("ref").to("cpu"), tensor({3, -4, 1LL << 40}, kI64));
  CHECK(zeros({0, 3}).to("ref").shape() == Shape{0, 3});
  // already there: the tensor itself (PyTorch's x.to(x.device) is x)
  CHECK(x.to(Device::cpu()).is_same(x));
  CHECK(r.to("ref").is_same(r));
}
