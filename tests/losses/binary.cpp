// tests/losses/binary.cpp — binary and multi-label losses (losses/binary.hpp): BCE with logits,
// log_sigmoid, BCE, weighted / balanced BCE, multilabel_soft_margin_loss: values, every reduction.
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

// =============================== binary / multi-label ========================================
TEST_CASE("binary_cross_entropy_with_logits: PyTorch values, weight, pos_weight, every reduction") {
  const Tensor expected = mat({0.3711006659477777, 0.2632824673380313, 0.07888973429254957, 0.6931471805599453,
                               0.5130152523999525, 0.554355244468527, 0.048587351573741965, 0.16778602938626594,
                               0.01814992791780978, 1.2411538747320878, 1.0374879504858856, 0.765083319768696}, 3);
  check_close(binary_cross_entropy_with_logits(XB(), YB(), {.reduction = Reduction::none}), expected);
  check_scalar(binary_cross_entropy_with_logits(XB(), YB(), {.reduction = Reduction::sum}), 5.752038998871271);
  check_scalar(binary_cross_entropy_with_logits(XB(), YB()), 0.4793365832392726);
  const BCEWithLogitsOptions weighted{.weight = WB(), .pos_weight = PW(), .reduction = Reduction::none};
  check_close(binary_cross_entropy_with_logits(XB(), YB(), weighted),
              mat({0.18555033297388884, 0.1316412336690157, 0.019722433573137393, 0.34657359027997264,
                   1.026030504799905, 3.3261314668111623, 0.09717470314748411, 0.6711441175450638,
                   0.01814992791780978, 3.7234616241962635, 1.0374879504858856, 1.456608315699305}, 3));
  Tensor x = XB().set_requires_grad(true);
  Tensor loss = binary_cross_entropy_with_logits(x, YB(), {.weight = WB(), .pos_weight = PW()});
  check_scalar(loss, 1.0033063500915744);  // mean ÷ N·C = 12, not ÷ Σ w
  loss.backward();
  check_close(x.grad(), mat({-0.012917729953016146, 0.009644800687540932, -0.001580378750442572, 0.020833333333333332,
                             0.066885389981258, -0.2127787415941705, 0.00790431219626113, -0.05148842169451159,
                             -0.0014988508301742958, -0.177737375656251, 0.05380469218548295, -0.0391936970120341}, 3),
              1e-10);
  // Stable at large |x| (PyTorch): no overflow, no log(0).
  check_close(binary_cross_entropy_with_logits(vec({800.0, -800.0, 40.0, -40.0}), vec({0.0, 1.0, 1.0, 0.0}),
                                               {.reduction = Reduction::none}),
              vec({800.0, 800.0, 0.0, 0.0}), 1e-12);
  // Hand-derived: x = 0 → ln 2 whatever y; gradient at x = 0 is σ(0) − y = ½ − y (mean over 2 → ÷ 2).
  Tensor zero = zeros({2}, {.dtype = f64, .requires_grad = true});
  Tensor at_zero = binary_cross_entropy_with_logits(zero, vec({1.0, 0.0}));
  check_scalar(at_zero, std::log(2.0));
  at_zero.backward();
  check_close(zero.grad(), vec({-0.25, 0.25}));
  // The weights are constants.
  Tensor pos_weight = PW().set_requires_grad(true);
  binary_cross_entropy_with_logits(XB().set_requires_grad(true), YB(), {.pos_weight = pos_weight}).backward();
  CHECK_FALSE(pos_weight.grad().defined());
}

TEST_CASE("log_sigmoid: stable at both ends, right gradient at 0") {
  Tensor x = vec({-800.0, -1.0, 0.0, 1.0, 800.0}).set_requires_grad(true);
  Tensor y = log_sigmoid(x);
  check_close(y, vec({-800.0, -1.3132616875182228, -std::log(2.0), -0.31326168751822286, 0.0}));
  sum(y).backward();  // d/dx log σ(x) = σ(−x)
  check_close(x.grad(), vec({1.0, 0.7310585786300049, 0.5, 0.2689414213699951, 0.0}));
  check_close(nn::functional::logsigmoid(vec({0.0})), vec({-std::log(2.0)}));
}

TEST_CASE("binary_cross_entropy: PyTorch values, logs clamped at -100, every reduction") {
  check_close(binary_cross_entropy(PB(), YB(), {.reduction = Reduction::none}),
              mat({100.0, 0.2231435513142097, 0.0, 0.6931471805599453, 2.302585092994046, 1.0498221244986778,
                   0.01005033585350145, 0.35667494393873245, 0.0, 100.0, 0.916290731874155, 0.6580382093942657}, 3));
  check_scalar(binary_cross_entropy(PB(), YB(), {.reduction = Reduction::sum}), 206.20975217042752);
  check_scalar(binary_cross_entropy(PB(), YB()), 17.184146014202295);
  check_scalar(binary_cross_entropy(PB(), YB(), {.weight = WB(), .reduction = Reduction::sum}), 159.4707393017754);
  // At p ∈ {0, 1} the gradient stays finite (PyTorch's bound 1/1e-12; see binary.hpp).
  Tensor p = PB().set_requires_grad(true);
  binary_cross_entropy(p, YB()).backward();
  const std::vector<double> grad = p.grad().to_vector<double>();
  for (double g : grad) CHECK(std::isfinite(g));
  // Interior gradient: (p − y) / (p(1 − p)) / 12 at p = 0.2, y = 0 → 1.25 / 12.
  CHECK(p.grad().at({0, 1}) == doctest::Approx(1.25 / 12.0).epsilon(1e-12));
  // f32 probabilities below 1e-12, where 1/p overflows: PyTorch 1.13 gives the value 159.5715179
  // and the gradient (p − y) / max(p(1 − p), 1e-12) = [−1e12, −1e12, 2] (F.binary_cross_entropy,
  // reduction='sum', p = [1e-39, 1e-30, 0.5], y = [1, 1, 0]).
  Tensor tiny = tensor({1e-39f, 1e-30f, 0.5f}).set_requires_grad(true);
  const Tensor tiny_loss = binary_cross_entropy(tiny, tensor({1.0f, 1.0f, 0.0f}), {.reduction = Reduction::sum});
  CHECK(tiny_loss.item() == doctest::Approx(159.57151794433594).epsilon(1e-6));
  tiny_loss.backward();
  CHECK(tiny.grad().at({0}) == doctest::Approx(-1e12).epsilon(1e-6));
  CHECK(tiny.grad().at({1}) == doctest::Approx(-1e12).epsilon(1e-6));
  CHECK(tiny.grad().at({2}) == doctest::Approx(2.0).epsilon(1e-6));
  // f32 gives f32 with the same values.
  Tensor f32_loss = binary_cross_entropy(PB().to(f32), YB().to(f32));
  CHECK(f32_loss.dtype() == f32);
  check_scalar(f32_loss, 17.184146014202295, 1e-5);
}

TEST_CASE("weighted and balanced BCE (docs/LOSSES.md §3)") {
  // weighted with β = 3 equals PyTorch's pos_weight = 3.
  check_scalar(weighted_binary_cross_entropy(XB(), YB(), {.beta = 3.0}), 0.9998299953518771);
  check_close(weighted_binary_cross_entropy(XB(), YB(), {.beta = 1.0, .reduction = Reduction::none}),
              binary_cross_entropy_with_logits(XB(), YB(), {.reduction = Reduction::none}));
  // From probabilities = from logits at p = σ(x).
  check_close(weighted_binary_cross_entropy(sigmoid(XB()), YB(), {.beta = 2.0, .from_logits = false, .reduction = Reduction::none}),
              weighted_binary_cross_entropy(XB(), YB(), {.beta = 2.0, .reduction = Reduction::none}), 1e-10);
  // Balanced with β unset = fraction of negatives: 1 − mean(YB) = 0.475 (formula).
  const Tensor expected = mat({0.17627281632519437, 0.13822329535246639, 0.03747262378896102, 0.3639022697939713,
                               0.26933300750997513, 0.2633187411225503, 0.02550835957621456, 0.07969836395847633,
                               0.008621215760959621, 0.5895480904977418, 0.5446811740050899, 0.36709249308203495}, 3);
  check_close(balanced_binary_cross_entropy(XB(), YB(), {.reduction = Reduction::none}), expected);
  check_close(balanced_binary_cross_entropy(XB(), YB(), {.beta = 0.475, .reduction = Reduction::none}), expected);
  check_scalar(balanced_binary_cross_entropy(XB(), YB(), {.reduction = Reduction::sum}), sum(expected).item());
  check_scalar(balanced_binary_cross_entropy(XB(), YB()), sum(expected).item() / 12.0);
}

TEST_CASE("multilabel_soft_margin_loss: PyTorch values, class weight, every reduction") {
  check_close(multilabel_soft_margin_loss(XB(), YB(), {.reduction = Reduction::none}),
              vec({0.35160501203457595, 0.3209359694571219, 0.7654687682261196}));
  check_scalar(multilabel_soft_margin_loss(XB(), YB(), {.reduction = Reduction::sum}), 1.4380097497178175);
  check_scalar(multilabel_soft_margin_loss(XB(), YB()), 0.4793365832392725);
  check_close(multilabel_soft_margin_loss(XB(), YB(), {.weight = W4(), .reduction = Reduction::none}),
              vec({0.19497476600925143, 0.23749602029063852, 0.8791188924012345}));
  check_scalar(multilabel_soft_margin_loss(XB(), YB(), {.weight = W4()}), 0.4371965595670415);
  // One sample [C] gives a 0-d loss.
  check_scalar(multilabel_soft_margin_loss(XB().select(0, 0), YB().select(0, 0), {.reduction = Reduction::none}),
               0.35160501203457595);
}
