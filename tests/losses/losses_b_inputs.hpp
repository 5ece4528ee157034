// tests/losses/losses_b_inputs.hpp — the fixed inputs of tests/reference/losses_b.py (the CDT, CDB,
// LDAM, DRW, GHM-C, Dice / Tversky and MFE tests), the tolerances those tests check them with,
// and their small helpers.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "fulcrum.hpp"

namespace fulcrum::testing::losses_b {

// Part B's tolerances for check_close and check_scalar (test_support.hpp): rtol 1e-10, atol 1e-13.
constexpr double kRtol = 1e-10;
constexpr double kAtol = 1e-13;

// ---- the fixed inputs of tests/reference/losses_b.py ----
inline Tensor Z() {
  return tensor({{1.2, -0.4, 0.3, 0.8}, {-0.7, 0.5, 2.1, -1.3}, {0.05, 0.9, -0.6, 0.4}, {2.2, -1.1, 0.0, 0.6},
                 {-0.3, -0.8, 0.7, 1.5}},
                {.dtype = f64});
}
inline Tensor Y() { return tensor({0, 2, 1, 0, 3}, {.dtype = i64}); }
// counts [100, 40, 10, 5] → CDT temperatures (n_max / n_c)^0.2, LDAM margins, DRW weights (β 0.9999).
inline Tensor TEMPERATURES() { return tensor({1.0, 1.201124433981431, 1.5848931924611134, 1.8205642030260802}, {.dtype = f64}); }
inline Tensor MARGINS() { return tensor({0.23643540225079396, 0.29730177875068026, 0.42044820762685725, 0.5}, {.dtype = f64}); }
inline Tensor DRW_WEIGHTS() { return tensor({0.11992937552206918, 0.2989263178481588, 1.193913714702574, 2.387230591927198}, {.dtype = f64}); }
inline Tensor V(NestedList1 values) { return tensor(values, {.dtype = f64}); }
inline Tensor V2(NestedList2 values) { return tensor(values, {.dtype = f64}); }

inline std::string join(const char* name, Reduction reduction) {
  std::string label = name;
  label.append(" ").append(reduction_name(reduction));
  return label;
}

const Reduction kReductions[] = {Reduction::none, Reduction::sum, Reduction::mean};
const double kNaN = std::numeric_limits<double>::quiet_NaN();

inline Tensor leaf(const Tensor& x) { return x.detach().clone().set_requires_grad(true); }

// Inputs of the GHM cases: pred [4, 3], labels [0, 2, −1, 5] (−1 and 5 are background rows),
// label_weight [1, 1, 1, 0] (row 3 is not valid).
inline Tensor GP() { return tensor({{2.0, -1.0, 0.5}, {-3.0, 0.2, 1.5}, {0.0, -0.4, -2.5}, {1.0, 3.0, -0.1}}, {.dtype = f64}); }
inline Tensor GT() { return tensor({0, 2, -1, 5}, {.dtype = i64}); }
inline Tensor GW() { return V({1.0, 1.0, 1.0, 0.0}); }
// Inputs of the Dice / Tversky cases.
inline Tensor BL() { return V({0.3, -1.2, 2.0, 0.1, -0.5, 1.1}); }
inline Tensor BY() { return tensor({1, 0, 1, 0, 0, 1}, {.dtype = i64}); }

}  // namespace fulcrum::testing::losses_b
