// tests/losses/regression.cpp — mse, l1, smooth_l1, huber losses and the l1 / l2 penalties
// (losses/regression.hpp): PyTorch values, every reduction.
// Where the numbers come from: the literals marked "PyTorch" were printed by PyTorch 1.13 /
// torchvision 0.14 (float64) running tests/reference/losses_a.py on the same fixed inputs; those
// marked "formula" by the same script evaluating the reference code's formula in numpy/torch
// (richardaecn's class-balanced loss, tfa's focal code, Hadsell / tfa contrastive, the multi-class
// focal definition); "tfa docstring" is the vector printed in tfa's SigmoidFocalCrossEntropy
// docstring. Hand-derived cases work their arithmetic out in comments. Gradients: f64 gradchecks.
// The fixed inputs (X, T, W, XB, YB, …) are in losses_a_inputs.hpp.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "losses/binary.hpp"
#include "losses/class_balanced.hpp"
#include "losses/contrastive.hpp"
#include "losses/focal.hpp"
#include "losses/margin.hpp"
#include "losses/regression.hpp"
#include "tests/test_support.hpp"
#include "losses_a_inputs.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;
using namespace fulcrum::testing::losses_a;

// =================================== regression ==============================================
TEST_CASE("mse, l1, smooth_l1, huber: PyTorch values, every reduction") {
  const Tensor x = mat({0.5, -1.0, 2.0, 0.1, 3.0, -0.4}, 2);
  const Tensor y = mat({0.0, -0.2, 0.5, 0.1, 1.0, 0.3}, 2);
  check_close(mse_loss(x, y, {.reduction = Reduction::none}), mat({0.25, 0.6400000000000001, 2.25, 0.0, 4.0, 0.48999999999999994}, 2));
  check_scalar(mse_loss(x, y, {.reduction = Reduction::sum}), 7.630000000000001);
  check_scalar(mse_loss(x, y), 1.2716666666666667);
  check_close(l1_loss(x, y, {.reduction = Reduction::none}), mat({0.5, 0.8, 1.5, 0.0, 2.0, 0.7}, 2));
  check_scalar(l1_loss(x, y, {.reduction = Reduction::sum}), 5.5);
  check_scalar(l1_loss(x, y), 0.9166666666666666);
  check_close(smooth_l1_loss(x, y, {.reduction = Reduction::none}),
              mat({0.125, 0.32000000000000006, 1.0, 0.0, 1.5, 0.24499999999999997}, 2));
  check_scalar(smooth_l1_loss(x, y, {.reduction = Reduction::sum}), 3.19);
  check_scalar(smooth_l1_loss(x, y), 0.5316666666666666);
  check_close(smooth_l1_loss(x, y, {.reduction = Reduction::none, .beta = 0.75}),
              mat({0.16666666666666666, 0.42500000000000004, 1.125, 0.0, 1.625, 0.3266666666666666}, 2));
  check_scalar(smooth_l1_loss(x, y, {.reduction = Reduction::sum, .beta = 0.75}), 3.668333333333333);
  check_scalar(smooth_l1_loss(x, y, {.beta = 0.75}), 0.6113888888888889);
  check_close(smooth_l1_loss(x, y, {.reduction = Reduction::none, .beta = 0.0}), l1_loss(x, y, {.reduction = Reduction::none}));
  check_close(huber_loss(x, y, {.reduction = Reduction::none, .delta = 0.75}),
              mat({0.125, 0.31875000000000003, 0.84375, 0.0, 1.21875, 0.24499999999999997}, 2));
  check_scalar(huber_loss(x, y, {.reduction = Reduction::sum, .delta = 0.75}), 2.7512499999999998);
  check_scalar(huber_loss(x, y, {.delta = 0.75}), 0.4585416666666666);
  // l1's gradient at x = y is 0 (PyTorch's sign(0)).
  Tensor a = mat({0.5, -1.0, 2.0, 0.1, 3.0, -0.4}, 2).set_requires_grad(true);
  l1_loss(a, y, {.reduction = Reduction::sum}).backward();
  check_close(a.grad(), mat({1, -1, 1, 0, 1, -1}, 2));
}

TEST_CASE("l1_penalty and l2_penalty over a module's parameters") {
  nn::Linear layer({.in_features = 3, .out_features = 2});
  const std::vector<Tensor> params = layer.parameters();
  double l1 = 0.0, l2 = 0.0;
  for (const Tensor& p : params) {
    for (double v : p.to_vector<double>()) {
      l1 += std::abs(v);
      l2 += v * v;
    }
  }
  check_scalar(l1_penalty(params), l1, 1e-6);
  check_scalar(l2_penalty(params), l2, 1e-6);
  // Gradient of Σθ² is 2θ; of Σ|θ| is sign θ.
  Tensor w = tensor({{1.0, -2.0}, {0.5, 0.0}}, {.dtype = f64, .requires_grad = true});
  Tensor b = tensor({3.0}, {.dtype = f64, .requires_grad = true});
  (l2_penalty({w, b}) + l1_penalty({w, b})).backward();
  check_close(w.grad(), tensor({{3.0, -5.0}, {2.0, 0.0}}, {.dtype = f64}));
  check_close(b.grad(), vec({7.0}));
  CHECK_ERROR_CONTAINS(l2_penalty({}), "l2_penalty: expected at least one tensor");
  CHECK_ERROR_CONTAINS(l1_penalty({w, b.to(f32)}), "l1_penalty: tensor 1 is f32 but tensor 0 is f64");
  CHECK_ERROR_CONTAINS(l1_penalty({w, Tensor()}), "l1_penalty: tensor 1 of the list is undefined");
}
