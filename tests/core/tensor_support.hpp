// tests/core/tensor_support.hpp — helpers of the tensor suite (tests/core/tensor_*.cpp): a tensor's
// values as doubles, and short names for the expected-value vectors.
#pragma once
#include <cstdint>
#include <vector>

#include "core/ops.hpp"

namespace fulcrum::testing::tensor_tests {

inline std::vector<double> values(const Tensor& t) { return t.to_vector<double>(); }
using V = std::vector<double>;
using I = std::vector<int64_t>;

}  // namespace fulcrum::testing::tensor_tests
