// tests/losses/losses_a_inputs.hpp — the fixed inputs of tests/reference/losses_a.py (the losses
// of binary, focal, class_balanced, margin, regression and contrastive tests) and their labels.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "fulcrum.hpp"

namespace fulcrum::testing::losses_a {

// ---- the fixed inputs of tests/reference/losses_a.py ----
inline Tensor X() { return tensor({{1.5, -0.3, 0.2}, {-1.0, 2.0, 0.5}, {0.1, 0.1, -2.0}, {3.0, -1.5, 0.7}}, {.dtype = f64}); }
inline Tensor T() { return tensor({2, 0, 1, 2}, {.dtype = i64}); }
inline Tensor W() { return tensor({0.2, 1.0, 3.0}, {.dtype = f64}); }
inline Tensor XB() { return tensor({{0.8, -1.2, 2.5, 0.0}, {-0.4, 0.3, -3.0, 1.7}, {4.0, -0.9, 0.6, -2.2}}, {.dtype = f64}); }
inline Tensor YB() { return tensor({{1.0, 0.0, 1.0, 0.0}, {0.0, 1.0, 0.0, 1.0}, {1.0, 1.0, 0.0, 0.3}}, {.dtype = f64}); }
inline Tensor WB() { return tensor({{0.5}, {2.0}, {1.0}}, {.dtype = f64}); }
inline Tensor PW() { return tensor({1.0, 3.0, 0.5, 2.0}, {.dtype = f64}); }
inline Tensor W4() { return tensor({0.5, 1.0, 2.0, 0.25}, {.dtype = f64}); }
inline Tensor PB() { return tensor({{0.0, 0.2, 1.0, 0.5}, {0.9, 0.35, 0.01, 0.7}, {1.0, 0.0, 0.6, 0.45}}, {.dtype = f64}); }

inline Tensor vec(std::initializer_list<double> values) { return from_vector(std::vector<double>(values), {static_cast<int64_t>(values.size())}, {.dtype = f64}); }
inline Tensor mat(std::initializer_list<double> values, int64_t rows) {
  return from_vector(std::vector<double>(values), {rows, static_cast<int64_t>(values.size()) / rows}, {.dtype = f64});
}

inline std::string label(const char* name, Reduction reduction) {
  std::string s = name;
  s.append(" ");
  s.append(reduction_name(reduction));
  return s;
}

const Reduction kReductions[] = {Reduction::none, Reduction::sum, Reduction::mean};

}  // namespace fulcrum::testing::losses_a
