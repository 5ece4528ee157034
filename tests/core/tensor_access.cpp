// tests/core/tensor_access.cpp — element access (item, at, to_vector), dtype conversion with
// to(dtype) as PyTorch converts, and broadcast_shapes' NumPy rules.
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
