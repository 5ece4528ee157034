// tests/metrics_reference.hpp — the inputs of tests/reference/metrics.py rebuilt in C++ (its LCG and
// the [100, 4] probability case), so the metrics suites compare with sklearn / numpy on the same
// numbers without pasting inputs; and a vector comparison that treats NaN as a value.
#pragma once
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/ops.hpp"
#include "core/tensor.hpp"

namespace fulcrum::testing {

// The LCG of tests/reference/metrics.py: x ← (1664525·x + 1013904223) mod 2^32, value = (x >> 16) mod m.
inline std::vector<int64_t> lcg_values(uint32_t seed, int count, int64_t modulus) {
  std::vector<int64_t> values;
  uint32_t x = seed;
  for (int i = 0; i < count; ++i) {
    x = 1664525u * x + 1013904223u;
    values.push_back(static_cast<int64_t>(x >> 16) % modulus);
  }
  return values;
}

// The script's multi-class probability case: p_c = w_c / Σw with integer weights w = 1 + lcg(5, 400, 5)
// (ties; the same doubles here and in numpy), targets = argmax where max p > 0.45, else lcg(6, 100, 4).
struct ProbabilityCase {
  Tensor probabilities;  // f64 [100, 4]
  Tensor targets;        // i64 [100]
};
inline ProbabilityCase reference_probabilities() {
  const std::vector<int64_t> weights = lcg_values(5, 400, 5), raw_targets = lcg_values(6, 100, 4);
  std::vector<double> probabilities(400);
  std::vector<int64_t> targets(100);
  for (int i = 0; i < 100; ++i) {
    double sum = 0;
    for (int c = 0; c < 4; ++c) sum += static_cast<double>(weights[i * 4 + c] + 1);
    int64_t argmax = 0;
    for (int c = 0; c < 4; ++c) {
      probabilities[i * 4 + c] = static_cast<double>(weights[i * 4 + c] + 1) / sum;
      if (probabilities[i * 4 + c] > probabilities[i * 4 + argmax]) argmax = c;
    }
    targets[i] = probabilities[i * 4 + argmax] > 0.45 ? argmax : raw_targets[i];
  }
  return {from_data(probabilities, {100, 4}), from_data(targets, {100})};
}

// Element-wise within 1e-12 relative; an expected NaN must be NaN.
inline void check_all_close(const std::vector<double>& actual, const std::vector<double>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    CAPTURE(i);
    if (std::isnan(expected[i])) CHECK(std::isnan(actual[i]));
    else CHECK(actual[i] == doctest::Approx(expected[i]).epsilon(1e-12));
  }
}

}  // namespace fulcrum::testing
