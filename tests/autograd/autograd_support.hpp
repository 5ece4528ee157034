// tests/autograd/autograd_support.hpp — helpers of the autograd suite (tests/autograd/*.cpp): a
// check of a tensor's shape and row-major values.
#pragma once
#include <doctest/doctest.h>

#include <vector>

#include "fulcrum.hpp"

namespace fulcrum::testing::autograd_tests {

// t has `shape` and its row-major values match `expected` within tol.
inline void check_tensor(const Tensor& t, const Shape& shape, const std::vector<double>& expected,
                         double tol = 1e-6) {
  REQUIRE(t.defined());
  CHECK(t.shape() == shape);
  const std::vector<double> values = t.to_vector<double>();
  REQUIRE(values.size() == expected.size());
  for (size_t i = 0; i < values.size(); ++i) {
    INFO("element " << i << " of " << t);
    CHECK(values[i] == doctest::Approx(expected[i]).epsilon(tol).scale(1.0));
  }
}

}  // namespace fulcrum::testing::autograd_tests
