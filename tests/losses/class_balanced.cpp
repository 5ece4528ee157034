// tests/losses/class_balanced.cpp — class_balanced_loss (losses/class_balanced.hpp): softmax,
// sigmoid and focal types against richardaecn's formulas.
// Where the numbers come from: the literals marked "PyTorch" were printed by PyTorch 1.13 /
// torchvision 0.14 (float64) running tests/reference/losses_a.py on the same fixed inputs; those
// marked "formula" by the same script evaluating the reference code's formula in numpy/torch
// (richardaecn's class-balanced loss, tfa's focal code, Hadsell / tfa contrastive, the multi-class
// focal definition); "tfa docstring" is the vector printed in tfa's SigmoidFocalCrossEntropy
// docstring. Hand-derived cases work their arithmetic out in comments. Gradients: f64 gradchecks.
// The fixed inputs (X, T, W, XB, YB, …) are in losses_a_inputs.hpp.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 8.
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

// ================================= class-balanced ============================================
TEST_CASE("class_balanced_loss: softmax, sigmoid, focal against richardaecn's formulas") {
  // counts [50, 20, 5], β = 0.99 → α (Σ = 3) (formula):
  const Tensor alpha = vec({0.2671736732543576, 0.5795497014742093, 2.1532766252714333});
  check_close(effective_number_class_weights({50, 20, 5}, 0.99, {.dtype = f64}), alpha, 1e-14);
  const ClassBalancedOptions base{.samples_per_class = {50, 20, 5}, .beta = 0.99};
  struct Case {
    ClassBalancedType type;
    std::vector<double> none;
    double mean_n, mean_alpha;
  };
  const Case cases[] = {
      {ClassBalancedType::softmax, {3.581190810522806, 0.8659930452887374, 0.4361541010716606, 5.179904044237041},
       2.515810500280061, 1.952785137085513},
      {ClassBalancedType::sigmoid, {6.145252077523082, 1.1793758443523217, 0.8784358450093219, 7.866321482442044},
       4.017346312331693, 3.1182850092935515},
      {ClassBalancedType::focal, {4.083051483037839, 0.9190203965408875, 0.4126537420984228, 6.620314483446338},
       3.008760026280872, 2.33541511164066},
  };
  for (const Case& c : cases) {
    ClassBalancedOptions options = base;
    options.type = c.type;
    INFO("type " << static_cast<int>(c.type));
    options.reduction = Reduction::none;
    check_close(class_balanced_loss(X(), T(), options), from_vector(c.none, {4}, {.dtype = f64}), 1e-12);
    options.reduction = Reduction::sum;
    check_scalar(class_balanced_loss(X(), T(), options), c.mean_n * 4);
    options.reduction = Reduction::mean;
    check_scalar(class_balanced_loss(X(), T(), options), c.mean_n);
    options.mean = ClassBalancedMean::target_weight;
    check_scalar(class_balanced_loss(X(), T(), options), c.mean_alpha);
    // Ready weights give the same as counts + β.
    ClassBalancedOptions ready{.weight = alpha, .type = c.type};
    check_scalar(class_balanced_loss(X(), T(), ready), c.mean_n);
  }
  check_scalar(class_balanced_loss(X(), T(), {.samples_per_class = {50, 20, 5}, .beta = 0.99,
                                              .type = ClassBalancedType::focal, .gamma = 2.0}),
               2.481513012694226);
  // Softmax with the book's NLL(weight) mean on log-probs = nll_loss(weight = α).
  check_scalar(class_balanced_loss(log_softmax(X(), 1), T(), {.weight = alpha, .from_log_probs = true,
                                                              .mean = ClassBalancedMean::target_weight}),
               nll_loss(log_softmax(X(), 1), T(), {.weight = alpha}).item());
  // β = 0: all α = 1 — plain cross-entropy.
  check_scalar(class_balanced_loss(X(), T(), {.samples_per_class = {50, 20, 5}, .beta = 0.0}),
               cross_entropy(X(), T()).item());
}
