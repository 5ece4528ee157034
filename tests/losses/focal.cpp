// tests/losses/focal.cpp — focal_loss and sigmoid_focal_loss (losses/focal.hpp): torchvision and
// tensorflow-addons values, the multi-class formula, gamma = 0 is cross-entropy, gamma < 1 gradients.
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

// ==================================== focal ==================================================
TEST_CASE("sigmoid_focal_loss: torchvision values, every reduction, alpha off, gamma < 1") {
  const Tensor expected = mat({0.008917161420745012, 0.01058015915158023, 0.00011349202365712531, 0.12996509635498973,
                               0.06196644316517594, 0.02509831887214926, 8.196249337274787e-05, 0.001000823451993979,
                               1.4678924304673125e-06, 0.1568350568013473, 0.3243748088472303, 0.053035029304530655}, 3);
  check_close(sigmoid_focal_loss(XB(), YB()), expected, 1e-10);  // default reduction: none
  check_scalar(sigmoid_focal_loss(XB(), YB(), {.reduction = Reduction::sum}), 0.7719698197792026, 1e-10);
  check_scalar(sigmoid_focal_loss(XB(), YB(), {.reduction = Reduction::mean}), 0.06433081831493355, 1e-10);
  check_close(sigmoid_focal_loss(XB(), YB(), {.alpha = -1.0, .gamma = 0.5}),
              mat({0.2066286104880372, 0.12667012197854918, 0.02172809756988111, 0.4901290717342736,
                   0.3249911497116863, 0.3616323523506685, 0.010581101849395938, 0.06594338153600135,
                   0.0024341354089101644, 1.046513908912506, 0.8336500106694629, 0.4460509215082611}, 3),
              1e-10);
  check_scalar(sigmoid_focal_loss(XB(), YB(), {.alpha = 0.6, .gamma = 0.0, .reduction = Reduction::mean}),
               0.2360839745069694, 1e-10);
  Tensor x = XB().set_requires_grad(true);
  sigmoid_focal_loss(x, YB(), {.reduction = Reduction::mean}).backward();
  check_close(x.grad(), mat({-0.0016462347560798228, 0.0021303496092549006, -2.6574686013810225e-05, 0.018642924696249147,
                             0.01022259031625998, -0.004008509152401711, 1.9679490405517538e-05, -0.00021781905683744893,
                             -3.6146940044870333e-07, -0.015041976320470716, 0.03597894954028101, -0.00022265265713506776}, 3),
              1e-8);
  // γ = 0, α < 0: plain BCE with logits.
  check_close(sigmoid_focal_loss(XB(), YB(), {.alpha = -1.0, .gamma = 0.0}),
              binary_cross_entropy_with_logits(XB(), YB(), {.reduction = Reduction::none}));
  // Probability input (torchvision semantics on p): the same as logits at p = σ(x).
  check_close(sigmoid_focal_loss(sigmoid(XB()), YB(), {.from_logits = false}), expected, 1e-9);
}

TEST_CASE("sigmoid_focal_loss: tensorflow-addons convention (docstring vector, alpha = 0)") {
  // tfa docstring: y = [[1], [1], [0]], p = [[.97], [.91], [.03]] (float32 in TF).
  const Tensor y = tensor({{1.0}, {1.0}, {0.0}}, {.dtype = f32});
  const Tensor p = tensor({{0.97}, {0.91}, {0.03}}, {.dtype = f32});
  const SigmoidFocalOptions tfa{.convention = SigmoidFocalConvention::tensorflow_addons, .from_logits = false};
  Tensor result = sigmoid_focal_loss(p, y, tfa);
  CHECK(result.shape() == Shape{3});  // summed over the last axis
  check_close(result, vec({6.8532745e-06, 1.9097870e-04, 2.0559824e-05}), 5e-6);  // f32 rounding
  // The same code in float64 (formula): tighter.
  check_close(sigmoid_focal_loss(mat({0.97, 0.91, 0.03}, 3), y.to(f64), tfa),
              vec({6.853298488184361e-06, 0.0001909789034018033, 2.055989546455308e-05}), 1e-6);
  // α = 0 means "no α factor" in tfa (not zero), from logits, summed per row (formula).
  check_close(sigmoid_focal_loss(XB(), YB(), {.alpha = 0.0, .convention = SigmoidFocalConvention::tensorflow_addons}),
              vec({0.2235162877863685, 0.18712777684130455, 1.1482375594123027}), 1e-10);
  // torchvision's α = 0 zeroes every positive instead.
  CHECK(sigmoid_focal_loss(XB(), YB(), {.alpha = 0.0}).at({0, 0}) == 0.0);
  check_scalar(sigmoid_focal_loss(XB(), YB(), {.alpha = 0.0, .reduction = Reduction::mean,
                                               .convention = SigmoidFocalConvention::tensorflow_addons}),
               (0.2235162877863685 + 0.18712777684130455 + 1.1482375594123027) / 3, 1e-10);
}

TEST_CASE("focal_loss: multi-class values (formula), alpha, weight, both means, log-prob input") {
  const Tensor expected = vec({1.092412866005193, 2.9927177820795428, 0.21047992972540094, 1.9911417886646048});
  check_close(focal_loss(X(), T(), {.reduction = Reduction::none}), expected, 1e-12);
  check_scalar(focal_loss(X(), T()), 1.5716880916186853);
  check_scalar(focal_loss(X(), T(), {.reduction = Reduction::sum}), 1.5716880916186853 * 4);
  // From log-probabilities (a Net ending in log_softmax): identical.
  check_close(focal_loss(log_softmax(X(), 1), T(), {.input = FocalInput::log_probs, .reduction = Reduction::none}),
              expected, 1e-12);
  // γ = ½, α = ¼, per-class weight W: mean ÷ N (default) or ÷ Σ α·w_y.
  const FocalLossOptions options{.gamma = 0.5, .alpha = 0.25, .weight = W(), .reduction = Reduction::none};
  check_close(focal_loss(X(), T(), options),
              vec({1.1229326038813205, 0.1588645520401566, 0.13682159113920528, 1.7208904587321356}), 1e-12);
  check_scalar(focal_loss(X(), T(), {.gamma = 0.5, .alpha = 0.25, .weight = W()}), 0.7848773014482044);
  check_scalar(focal_loss(X(), T(), {.gamma = 0.5, .alpha = 0.25, .weight = W(), .mean = FocalMean::target_weight}),
               1.7441717809960098);
  Tensor x = X().set_requires_grad(true);
  focal_loss(x, T(), {.weight = W()}).backward();
  check_close(x.grad(), mat({0.6091524741967203, 0.10069222674214652, -0.7098447009388666, -0.056064880662784075,
                             0.04583721544073484, 0.010227665222049244, 0.07711754073549505, -0.08656107932961764,
                             0.009443538594122561, 0.8250552565003194, 0.009165535988320667, -0.83422079248864}, 4),
              1e-10);
  // One sample: [C] and a 0-d target → 0-d.
  check_scalar(focal_loss(X().select(0, 0), scalar_tensor(2, {.dtype = i64}), {.reduction = Reduction::none}),
               1.092412866005193);
}

TEST_CASE("focal_loss: gamma = 0 is cross-entropy exactly") {
  CHECK(equal(focal_loss(X(), T(), {.gamma = 0.0, .reduction = Reduction::none}),
              cross_entropy(X(), T(), {.reduction = Reduction::none})));
  CHECK(equal(focal_loss(X(), T(), {.gamma = 0.0}), cross_entropy(X(), T())));
  CHECK(equal(focal_loss(X(), T(), {.gamma = 0.0, .weight = W(), .mean = FocalMean::target_weight}),
              cross_entropy(X(), T(), {.weight = W()})));
  CHECK(equal(focal_loss(log_softmax(X(), 1), T(), {.gamma = 0.0, .weight = W(), .input = FocalInput::log_probs,
                                                    .reduction = Reduction::sum}),
              nll_loss(log_softmax(X(), 1), T(), {.weight = W(), .reduction = Reduction::sum})));
  Tensor a = X().set_requires_grad(true), b = X().set_requires_grad(true);
  focal_loss(a, T(), {.gamma = 0.0}).backward();
  cross_entropy(b, T()).backward();
  CHECK(equal(a.grad(), b.grad()));
}

TEST_CASE("focal_loss and sigmoid_focal_loss: gamma < 1 keeps a finite gradient at p_t = 1") {
  // Logits making p_t = 1 exactly in f64 (exp(−60) underflows next to 1): the unguarded
  // (1 − p_t)^{γ−1} would be ∞·0 = NaN.
  Tensor x = tensor({{60.0, -60.0, -60.0}, {0.3, -0.2, 0.1}}, {.dtype = f64, .requires_grad = true});
  Tensor loss = focal_loss(x, tensor({0, 2}, {.dtype = i64}), {.gamma = 0.5});
  CHECK(std::isfinite(loss.item()));
  loss.backward();
  for (double g : x.grad().to_vector<double>()) CHECK(std::isfinite(g));
  CHECK(x.grad().at({0, 0}) == doctest::Approx(0.0).epsilon(1e-12));
  // Log-prob input with logp_t = 0 exactly.
  Tensor lp = tensor({{0.0, -INFINITY}, {-0.5, -0.9}}, {.dtype = f64, .requires_grad = true});
  focal_loss(lp, tensor({0, 1}, {.dtype = i64}), {.gamma = 0.5, .input = FocalInput::log_probs}).backward();
  CHECK(std::isfinite(lp.grad().at({0, 0})));
  CHECK(lp.grad().at({0, 1}) == 0.0);
  // Sigmoid form at σ(x) = 1 with y = 1.
  Tensor s = tensor({40.0, -40.0}, {.dtype = f64, .requires_grad = true});
  sum(sigmoid_focal_loss(s, tensor({1.0, 0.0}, {.dtype = f64}), {.gamma = 0.5})).backward();
  for (double g : s.grad().to_vector<double>()) CHECK(std::isfinite(g));
}
