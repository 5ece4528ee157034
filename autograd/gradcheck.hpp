// autograd/gradcheck.hpp — numerical gradient checking in f64 (PyTorch's gradcheck idea).
// The function's output y is projected on a fixed random vector v (so L = Σ v·y is a scalar
// and errors that cancel in Σ y, as in softmax or batch-norm, still show); dL/dx from autograd
// is compared with central differences (L(x + εe_i) − L(x − εe_i)) / 2ε for every element i.
// The per-element mode instead checks every output element separately (slow, for debugging).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum {

struct GradcheckOptions {
  double eps = 1e-6;    // finite-difference step
  double atol = 1e-5;   // pass if |numeric − analytic| ≤ atol + rtol·|numeric|
  double rtol = 1e-3;
  bool per_element = false;  // check each output element on its own
  uint64_t seed = 1234;      // for the projection vector
  std::string name = "";     // op name for the failure message
};

struct GradcheckResult {
  bool ok = true;
  std::string message;  // on failure: op, input, element, numeric vs analytic, errors
  double max_abs_error = 0.0;
};

// `inputs` must be f64 leaves; those with requires_grad are checked, and each of them must be
// reached by the function (an input it ignores is a failure, not a gradient of 0).
GradcheckResult gradcheck(const std::function<Tensor(const std::vector<Tensor>&)>& fn,
                          const std::vector<Tensor>& inputs, GradcheckOptions options = {});

}  // namespace fulcrum
