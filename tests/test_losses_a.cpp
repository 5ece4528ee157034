// tests/test_losses_a.cpp — the loss catalogue, part A: binary / multi-label (losses/binary),
// focal (losses/focal), class-balanced (losses/class_balanced), margin (losses/margin),
// regression and penalties (losses/regression), contrastive (losses/contrastive).
// Where the numbers come from: the literals marked "PyTorch" were printed by PyTorch 1.13 /
// torchvision 0.14 (float64) running tests/reference/losses_a.py on the same fixed inputs; those
// marked "formula" by the same script evaluating the reference code's formula in numpy/torch
// (richardaecn's class-balanced loss, tfa's focal code, Hadsell / tfa contrastive, the multi-class
// focal definition); "tfa docstring" is the vector printed in tfa's SigmoidFocalCrossEntropy
// docstring. Hand-derived cases work their arithmetic out in comments. Gradients: f64 gradchecks.
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

using namespace fulcrum;
using namespace fulcrum::testing;

namespace {

// ---- the fixed inputs of tests/reference/losses_a.py ----
Tensor X() { return tensor({{1.5, -0.3, 0.2}, {-1.0, 2.0, 0.5}, {0.1, 0.1, -2.0}, {3.0, -1.5, 0.7}}, {.dtype = f64}); }
Tensor T() { return tensor({2, 0, 1, 2}, {.dtype = i64}); }
Tensor W() { return tensor({0.2, 1.0, 3.0}, {.dtype = f64}); }
Tensor XB() { return tensor({{0.8, -1.2, 2.5, 0.0}, {-0.4, 0.3, -3.0, 1.7}, {4.0, -0.9, 0.6, -2.2}}, {.dtype = f64}); }
Tensor YB() { return tensor({{1.0, 0.0, 1.0, 0.0}, {0.0, 1.0, 0.0, 1.0}, {1.0, 1.0, 0.0, 0.3}}, {.dtype = f64}); }
Tensor WB() { return tensor({{0.5}, {2.0}, {1.0}}, {.dtype = f64}); }
Tensor PW() { return tensor({1.0, 3.0, 0.5, 2.0}, {.dtype = f64}); }
Tensor W4() { return tensor({0.5, 1.0, 2.0, 0.25}, {.dtype = f64}); }
Tensor PB() { return tensor({{0.0, 0.2, 1.0, 0.5}, {0.9, 0.35, 0.01, 0.7}, {1.0, 0.0, 0.6, 0.45}}, {.dtype = f64}); }

Tensor vec(std::initializer_list<double> values) { return from_vector(std::vector<double>(values), {static_cast<int64_t>(values.size())}, {.dtype = f64}); }
Tensor mat(std::initializer_list<double> values, int64_t rows) {
  return from_vector(std::vector<double>(values), {rows, static_cast<int64_t>(values.size()) / rows}, {.dtype = f64});
}

void check_close(const Tensor& actual, const Tensor& expected, double rtol = 1e-12) {
  INFO("actual:   " << actual);
  INFO("expected: " << expected);
  REQUIRE(actual.shape() == expected.shape());
  CHECK(allclose(actual.to(f64), expected.to(f64), rtol, 1e-14));
}
void check_scalar(const Tensor& actual, double expected, double rtol = 1e-12) {
  INFO("actual: " << actual);
  REQUIRE(actual.dim() == 0);
  CHECK(actual.item() == doctest::Approx(expected).epsilon(rtol));
}


std::string label(const char* name, Reduction reduction) {
  std::string s = name;
  s.append(" ");
  s.append(reduction_name(reduction));
  return s;
}

const Reduction kReductions[] = {Reduction::none, Reduction::sum, Reduction::mean};

}  // namespace

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

// ===================================== margin ================================================
TEST_CASE("multi_margin_loss: PyTorch values, p = 1 and 2, margin, weight outside the power") {
  check_close(multi_margin_loss(X(), T(), {.reduction = Reduction::none}),
              vec({0.9333333333333332, 2.1666666666666665, 0.3333333333333333, 1.0999999999999999}));
  check_scalar(multi_margin_loss(X(), T(), {.reduction = Reduction::sum}), 4.533333333333333);
  check_scalar(multi_margin_loss(X(), T()), 1.1333333333333333);
  check_close(multi_margin_loss(X(), T(), {.margin = 0.7, .weight = W(), .reduction = Reduction::none}),
              vec({2.1999999999999997, 0.39333333333333337, 0.2333333333333333, 3.0}));
  check_close(multi_margin_loss(X(), T(), {.p = 2, .reduction = Reduction::none}),
              vec({1.8466666666666665, 7.416666666666667, 0.3333333333333333, 3.6299999999999994}));
  check_scalar(multi_margin_loss(X(), T(), {.p = 2, .reduction = Reduction::sum}), 13.226666666666667);
  check_scalar(multi_margin_loss(X(), T(), {.p = 2}), 3.3066666666666666);
  check_close(multi_margin_loss(X(), T(), {.p = 2, .margin = 0.7, .weight = W(), .reduction = Reduction::none}),
              vec({4.04, 1.2353333333333334, 0.1633333333333333, 9.0}));
  Tensor x = X().set_requires_grad(true);
  multi_margin_loss(x, T(), {.p = 2, .margin = 0.7, .weight = W()}).backward();
  check_close(x.grad(), mat({1.0, 0.09999999999999998, -1.1, -0.1966666666666667, 0.12333333333333335,
                             0.07333333333333335, 0.11666666666666665, -0.11666666666666665, 0.0, 1.5, 0.0, -1.5}, 4),
              1e-12);
  check_scalar(multi_margin_loss(X().select(0, 0), scalar_tensor(2, {.dtype = i64}), {.reduction = Reduction::none}),
               0.9333333333333332);
}

TEST_CASE("hinge_embedding_loss: PyTorch values, every reduction, margin") {
  const Tensor x = vec({0.3, 1.7, -0.2, 0.9, 2.5, 0.0});
  const Tensor y = vec({1.0, -1.0, -1.0, 1.0, -1.0, -1.0});
  check_close(hinge_embedding_loss(x, y, {.reduction = Reduction::none}), vec({0.3, 0.0, 1.2, 0.9, 0.0, 1.0}));
  check_scalar(hinge_embedding_loss(x, y, {.reduction = Reduction::sum}), 3.4);
  check_scalar(hinge_embedding_loss(x, y), 0.5666666666666667);
  check_close(hinge_embedding_loss(x, y, {.margin = 2.0, .reduction = Reduction::none}),
              vec({0.3, 0.30000000000000004, 2.2, 0.9, 0.0, 2.0}));
}

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

// =================================== contrastive =============================================
TEST_CASE("contrastive_loss: Hadsell and tfa conventions (formula values)") {
  const Tensor e1 = mat({0.1, 0.2, -0.3, 1.0, 0.0, 0.5, 0.3, 0.3, 0.3, -0.2, 0.4, 0.1}, 4);
  const Tensor e2 = mat({0.4, -0.1, 0.0, 0.2, 0.1, 0.6, 0.3, 0.3, 0.3, 0.0, 0.1, 0.2}, 4);
  const Tensor y = tensor({0, 1, 1, 1}, {.dtype = i64});
  const Tensor hadsell = vec({0.135, 0.017596159536288496, 0.49999900000049996, 0.19583426132176954});
  check_close(contrastive_loss(e1, e2, y, {.reduction = Reduction::none}), hadsell, 1e-10);
  check_scalar(contrastive_loss(e1, e2, y), 0.2121073552146395, 1e-10);
  check_scalar(contrastive_loss(e1, e2, y.to(f64), {.margin = 0.5, .reduction = Reduction::sum}), 0.2679166306616348, 1e-10);
  check_close(contrastive_loss(e1, e2, y, {.convention = ContrastiveConvention::tensorflow_addons, .reduction = Reduction::none}),
              vec({0.2307695154577491, 0.6600000000000001, 0.0, 0.14000000000000004}), 1e-10);
  // Identical embeddings of a dissimilar pair: finite gradient (ε inside the sqrt), zero there.
  Tensor a = e1.clone().set_requires_grad(true);
  contrastive_loss(a, e2, y).backward();
  for (double g : a.grad().to_vector<double>()) CHECK(std::isfinite(g));
  CHECK(a.grad().at({2, 0}) == 0.0);
}

// ============================ modules and functional names ===================================
TEST_CASE("loss modules call their functions; weights are buffers") {
  nn::BCEWithLogitsLoss bce({.weight = WB(), .pos_weight = PW()});
  check_scalar(bce(XB(), YB()), 1.0033063500915744);
  const nn::Module::NamedTensors buffers = bce.named_buffers();
  REQUIRE(buffers.size() == 2);
  CHECK(buffers[0].first == "weight");
  CHECK(buffers[1].first == "pos_weight");
  CHECK(repr(bce) == "BCEWithLogitsLoss()");
  CHECK(bce.parameters().empty());
  nn::BCELoss bce_probs({.reduction = Reduction::sum});
  check_scalar(bce_probs(PB(), YB()), 206.20975217042752);
  nn::MultiLabelSoftMarginLoss mlsm({.weight = W4()});
  check_scalar(mlsm(XB(), YB()), 0.4371965595670415);
  nn::FocalLoss focal({.weight = W()});
  CHECK(focal.named_buffers().size() == 1);
  check_scalar(focal(X(), T()), focal_loss(X(), T(), {.weight = W()}).item());
  nn::SigmoidFocalLoss sigmoid_focal({.reduction = Reduction::mean});
  check_scalar(sigmoid_focal(XB(), YB()), 0.06433081831493355, 1e-10);
  nn::ClassBalancedLoss cb({.samples_per_class = {50, 20, 5}, .beta = 0.99});
  cb.to(f64);
  check_scalar(cb(X(), T()), 2.515810500280061, 1e-6);  // α computed in f32 at construction
  nn::MultiMarginLoss margin({.p = 2});
  check_scalar(margin(X(), T()), 3.3066666666666666);
  nn::HingeEmbeddingLoss hinge;
  check_scalar(hinge(vec({0.3, 2.5}), vec({1.0, -1.0})), 0.15);
  nn::MSELoss mse;
  nn::L1Loss l1({.reduction = Reduction::sum});
  nn::SmoothL1Loss smooth({.beta = 0.75});
  nn::HuberLoss huber({.delta = 0.75});
  const Tensor x = mat({0.5, -1.0, 2.0, 0.1, 3.0, -0.4}, 2);
  const Tensor y = mat({0.0, -0.2, 0.5, 0.1, 1.0, 0.3}, 2);
  check_scalar(mse(x, y), 1.2716666666666667);
  check_scalar(l1(x, y), 5.5);
  check_scalar(smooth(x, y), 0.6113888888888889);
  check_scalar(huber(x, y), 0.4585416666666666);
  nn::ContrastiveLoss contrastive({.convention = ContrastiveConvention::tensorflow_addons});
  check_scalar(contrastive(mat({0.0, 0.0}, 1), mat({3.0, 4.0}, 1), vec({1.0})), 25.0);  // y·||·||² = 25
  check_contains(error_message([&] { (void)focal.forward(X()); }), {"FocalLoss: forward needs"});
  check_contains(error_message([&] { (void)contrastive.forward(X()); }), {"ContrastiveLoss: forward needs two embeddings"});
  // F:: aliases.
  namespace F = nn::functional;
  check_scalar(F::binary_cross_entropy_with_logits(XB(), YB()), 0.4793365832392726);
  check_scalar(F::multi_margin_loss(X(), T()), 1.1333333333333333);
  check_scalar(F::mse_loss(x, y), 1.2716666666666667);
  check_scalar(F::focal_loss(X(), T()), 1.5716880916186853);
  check_scalar(F::contrastive_loss(mat({0.0, 0.0}, 1), mat({3.0, 4.0}, 1), vec({0.0})), 12.5);  // ½·25
}

// ================================= empty batches =============================================
TEST_CASE("losses A: empty batches (mean NaN as PyTorch, sum 0)") {
  const Tensor empty = zeros({0, 4}, {.dtype = f64});
  CHECK(std::isnan(binary_cross_entropy_with_logits(empty, empty).item()));
  check_scalar(binary_cross_entropy_with_logits(empty, empty, {.reduction = Reduction::sum}), 0.0);
  CHECK(std::isnan(multilabel_soft_margin_loss(empty, empty).item()));
  CHECK(std::isnan(sigmoid_focal_loss(empty, empty, {.reduction = Reduction::mean}).item()));
  const Tensor no_targets = zeros({0}, {.dtype = i64});
  CHECK(std::isnan(focal_loss(empty, no_targets).item()));
  check_scalar(focal_loss(empty, no_targets, {.reduction = Reduction::sum}), 0.0);
  CHECK(focal_loss(empty, no_targets, {.reduction = Reduction::none}).shape() == Shape{0});
  CHECK(std::isnan(class_balanced_loss(empty, no_targets, {.samples_per_class = {1, 2, 3, 4}}).item()));
  CHECK(std::isnan(multi_margin_loss(empty, no_targets).item()));
  CHECK(std::isnan(mse_loss(empty, empty).item()));
  CHECK(std::isnan(contrastive_loss(empty, empty, zeros({0}, {.dtype = f64})).item()));
  // Balanced BCE of an empty target: β = 1, still an empty (NaN) mean.
  CHECK(std::isnan(balanced_binary_cross_entropy(empty, empty).item()));
  // A class absent from the batch changes nothing: its weight is simply unused (focal ÷ Σα_y).
  check_scalar(focal_loss(X(), tensor({0, 0, 1, 1}, {.dtype = i64}), {.gamma = 0.0, .weight = W(), .mean = FocalMean::target_weight}),
               cross_entropy(X(), tensor({0, 0, 1, 1}, {.dtype = i64}), {.weight = W()}).item());
}

// =================================== gradchecks ==============================================
TEST_CASE("gradcheck: binary, focal, class-balanced, margin, regression, contrastive (f64, every reduction)") {
  Generator generator(31);
  Tensor logits = uniform({4, 3}, -2.5, 2.5, {.dtype = f64}, &generator).set_requires_grad(true);
  Tensor probs = uniform({4, 3}, 0.05, 0.95, {.dtype = f64}, &generator).set_requires_grad(true);
  Tensor soft = uniform({4, 3}, 0.0, 1.0, {.dtype = f64}, &generator).set_requires_grad(true);
  const Tensor binary = tensor({{1.0, 0.0, 1.0}, {0.0, 0.0, 1.0}, {1.0, 1.0, 0.0}, {0.0, 1.0, 0.0}}, {.dtype = f64});
  const Tensor targets = tensor({2, 0, 1, 1}, {.dtype = i64});
  const Tensor weight = tensor({0.5, 2.0, 1.5}, {.dtype = f64});
  const Tensor row_weight = tensor({{0.5}, {2.0}, {1.0}, {0.3}}, {.dtype = f64});
  Tensor e1 = uniform({4, 3}, -1.0, 1.0, {.dtype = f64}, &generator).set_requires_grad(true);
  Tensor e2 = uniform({4, 3}, -1.0, 1.0, {.dtype = f64}, &generator).set_requires_grad(true);
  const Tensor pairs = tensor({0, 1, 1, 0}, {.dtype = i64});
  using Fn = std::function<Tensor(const std::vector<Tensor>&)>;
  for (const Reduction r : kReductions) {
    run_gradcheck(label("bce_with_logits weight+pos_weight (input, soft target)", r), [&](const std::vector<Tensor>& in) {
      return binary_cross_entropy_with_logits(in[0], in[1], {.weight = row_weight, .pos_weight = weight, .reduction = r});
    }, {logits, soft});
    run_gradcheck(label("binary_cross_entropy weight (input, soft target)", r), [&](const std::vector<Tensor>& in) {
      return binary_cross_entropy(in[0], in[1], {.weight = row_weight, .reduction = r});
    }, {probs, soft});
    run_gradcheck(label("balanced_bce", r), [&](const std::vector<Tensor>& in) {
      return balanced_binary_cross_entropy(in[0], binary, {.reduction = r});
    }, {logits});
    run_gradcheck(label("weighted_bce from probabilities", r), [&](const std::vector<Tensor>& in) {
      return weighted_binary_cross_entropy(in[0], binary, {.beta = 2.5, .from_logits = false, .reduction = r});
    }, {probs});
    run_gradcheck(label("multilabel_soft_margin weight", r), [&](const std::vector<Tensor>& in) {
      return multilabel_soft_margin_loss(in[0], in[1], {.weight = weight, .reduction = r});
    }, {logits, soft});
    for (const double gamma : {0.0, 0.5, 2.0}) {
      run_gradcheck(label("sigmoid_focal_loss", r), [&](const std::vector<Tensor>& in) {
        return sigmoid_focal_loss(in[0], binary, {.gamma = gamma, .reduction = r});
      }, {logits});
      run_gradcheck(label("sigmoid_focal_loss tfa probabilities", r), [&](const std::vector<Tensor>& in) {
        return sigmoid_focal_loss(in[0], binary, {.gamma = gamma, .reduction = r,
                                                  .convention = SigmoidFocalConvention::tensorflow_addons,
                                                  .from_logits = false});
      }, {probs});
      run_gradcheck(label("focal_loss alpha+weight", r), [&](const std::vector<Tensor>& in) {
        return focal_loss(in[0], targets, {.gamma = gamma, .alpha = 0.25, .weight = weight, .reduction = r});
      }, {logits});
      run_gradcheck(label("focal_loss log_probs, target_weight mean", r), [&](const std::vector<Tensor>& in) {
        return focal_loss(log_softmax(in[0], 1), targets, {.gamma = gamma, .weight = weight,
                                                           .input = FocalInput::log_probs, .reduction = r,
                                                           .mean = FocalMean::target_weight});
      }, {logits});
    }
    for (const ClassBalancedType type : {ClassBalancedType::softmax, ClassBalancedType::sigmoid, ClassBalancedType::focal}) {
      run_gradcheck(label("class_balanced_loss", r), [&](const std::vector<Tensor>& in) {
        return class_balanced_loss(in[0], targets, {.samples_per_class = {30, 10, 3}, .beta = 0.9, .type = type,
                                                    .gamma = 0.5, .reduction = r});
      }, {logits});
    }
    for (const int64_t p : {1, 2}) {
      run_gradcheck(label("multi_margin_loss weight", r), [&](const std::vector<Tensor>& in) {
        return multi_margin_loss(in[0], targets, {.p = p, .margin = 0.9, .weight = weight, .reduction = r});
      }, {logits});
    }
    run_gradcheck(label("hinge_embedding_loss", r), [&](const std::vector<Tensor>& in) {
      return hinge_embedding_loss(in[0], binary * 2.0 - 1.0, {.margin = 1.3, .reduction = r});
    }, {logits});
    const std::vector<std::pair<const char*, Fn>> regressions = {
        {"mse_loss", [&](const std::vector<Tensor>& in) { return mse_loss(in[0], in[1], {.reduction = r}); }},
        {"l1_loss", [&](const std::vector<Tensor>& in) { return l1_loss(in[0], in[1], {.reduction = r}); }},
        {"smooth_l1_loss", [&](const std::vector<Tensor>& in) { return smooth_l1_loss(in[0], in[1], {.reduction = r, .beta = 0.6}); }},
        {"huber_loss", [&](const std::vector<Tensor>& in) { return huber_loss(in[0], in[1], {.reduction = r, .delta = 0.6}); }},
    };
    for (const auto& [name, fn] : regressions) run_gradcheck(label(name, r), fn, {logits, soft});
    for (const ContrastiveConvention convention : {ContrastiveConvention::hadsell, ContrastiveConvention::tensorflow_addons}) {
      run_gradcheck(label("contrastive_loss", r), [&](const std::vector<Tensor>& in) {
        return contrastive_loss(in[0], in[1], pairs, {.margin = 2.0, .convention = convention, .reduction = r});
      }, {e1, e2});
    }
  }
  run_gradcheck("l2_penalty + l1_penalty", [&](const std::vector<Tensor>& in) {
    return l2_penalty({in[0], in[1]}) + l1_penalty({in[0]});
  }, {logits, soft});
}

// =================================== bad input ===============================================
TEST_CASE("losses A: bad input gives a clear fulcrum::Error") {
  // Shapes.
  CHECK_ERROR_CONTAINS(binary_cross_entropy_with_logits(XB(), YB().slice(0, 0, 2)),
                   "binary_cross_entropy_with_logits: target must have the input's shape [3, 4], got target [2, 4]");
  CHECK_ERROR_CONTAINS(binary_cross_entropy_with_logits(XB(), YB().to(f32)),
                   "binary_cross_entropy_with_logits: target is f32 but the input is f64");
  CHECK_ERROR_CONTAINS(binary_cross_entropy_with_logits(XB(), YB(), {.pos_weight = vec({1.0, 2.0, 3.0})}),
                   "binary_cross_entropy_with_logits: pos_weight [3] does not broadcast to the input [3, 4]");
  CHECK_ERROR_CONTAINS(binary_cross_entropy_with_logits(XB(), YB(), {.weight = vec({1.0, -2.0, 3.0, 1.0})}),
                   "binary_cross_entropy_with_logits: weight must be >= 0, got -2 at flat position 1");
  CHECK_ERROR_CONTAINS(binary_cross_entropy_with_logits(XB().to(i64), YB()),
                   "binary_cross_entropy_with_logits: input must be floating (f32 or f64), got i64 [3, 4]");
  CHECK_ERROR_CONTAINS(binary_cross_entropy(XB(), YB()),
                   "binary_cross_entropy: input holds probabilities, every element must be in [0, 1]; got -1.2 at flat position 1 of [3, 4]");
  CHECK_ERROR_CONTAINS(binary_cross_entropy(vec({0.5, NAN}), vec({1.0, 0.0})), "got nan at flat position 1");
  CHECK_ERROR_CONTAINS(weighted_binary_cross_entropy(XB(), YB(), {.beta = -1.0}), "weighted_binary_cross_entropy: beta must be finite and >= 0");
  CHECK_ERROR_CONTAINS(balanced_binary_cross_entropy(XB(), YB(), {.beta = 1.5}), "balanced_binary_cross_entropy: beta must be in [0, 1], got 1.5");
  CHECK_ERROR_CONTAINS(multilabel_soft_margin_loss(XB(), YB(), {.weight = W()}),
                   "multilabel_soft_margin_loss: weight must be [C] = [4], one entry per class; got weight [3]");
  CHECK_ERROR_CONTAINS(multilabel_soft_margin_loss(zeros({2, 2, 2}, {.dtype = f64}), zeros({2, 2, 2}, {.dtype = f64})),
                   "multilabel_soft_margin_loss: input must be [N, C] or [C], got [2, 2, 2]");
  // Focal.
  CHECK_ERROR_CONTAINS(focal_loss(X(), tensor({2, 0, 3, 1}, {.dtype = i64})),
                   "focal_loss: target 3 (at position 2) is out of range for C = 3 classes");
  CHECK_ERROR_CONTAINS(focal_loss(X(), tensor({2, 0, -1, 1}, {.dtype = i64})), "focal_loss: target -1");
  CHECK_ERROR_CONTAINS(focal_loss(X(), tensor({2, 0, 1}, {.dtype = i64})), "focal_loss: input [4, 3] needs targets [4], got targets [3]");
  CHECK_ERROR_CONTAINS(focal_loss(X(), T().to(f64)), "focal_loss: targets must be i64 class indices, got f64");
  CHECK_ERROR_CONTAINS(focal_loss(X(), T(), {.gamma = -1.0}), "focal_loss: gamma must be finite and >= 0, got -1");
  CHECK_ERROR_CONTAINS(focal_loss(X(), T(), {.alpha = -0.5}), "focal_loss: alpha must be finite and >= 0, got -0.5");
  CHECK_ERROR_CONTAINS(focal_loss(X(), T(), {.weight = vec({1.0, 1.0})}), "focal_loss: weight must be [C] = [3]", "got weight [2]");
  CHECK_ERROR_CONTAINS(focal_loss(X(), T(), {.weight = vec({1.0, -1.0, 1.0})}), "focal_loss: weight must be >= 0, got weight[1] = -1");
  CHECK_ERROR_CONTAINS(focal_loss(X(), T(), {.weight = W().to(f32)}), "focal_loss: weight is f32 but the input is f64");
  CHECK_ERROR_CONTAINS(sigmoid_focal_loss(XB(), YB(), {.gamma = NAN}), "sigmoid_focal_loss: gamma must be finite and >= 0");
  CHECK_ERROR_CONTAINS(sigmoid_focal_loss(XB(), YB(), {.from_logits = false}), "binary_cross_entropy: input holds probabilities");
  CHECK_ERROR_CONTAINS(sigmoid_focal_loss(XB(), zeros({3}, {.dtype = f64})), "sigmoid_focal_loss: target must have the input's shape [3, 4]");
  // Class-balanced.
  CHECK_ERROR_CONTAINS(class_balanced_loss(X(), T(), {.samples_per_class = {5, 3}}),
                   "class_balanced_loss: samples_per_class has 2 counts but the input [4, 3] has C = 3 classes");
  CHECK_ERROR_CONTAINS(class_balanced_loss(X(), T(), {.samples_per_class = {5, 0, 1}}),
                   "effective_number_class_weights: class 1 has no samples (count 0)");
  CHECK_ERROR_CONTAINS(class_balanced_loss(X(), T(), {.samples_per_class = {5, 2, 1}, .beta = 1.0}), "beta must be in [0, 1)");
  CHECK_ERROR_CONTAINS(class_balanced_loss(X(), T(), {.weight = vec({1.0, -1.0, 1.0})}), "class_balanced_loss: weight must be >= 0");
  CHECK_ERROR_CONTAINS(class_balanced_loss(X(), tensor({0, 5, 1, 2}, {.dtype = i64}), {.weight = W()}),
                   "class_balanced_loss: target 5 (at position 1) is out of range for C = 3");
  CHECK_ERROR_CONTAINS(class_balanced_loss(X(), T(), {.weight = W(), .type = ClassBalancedType::focal, .from_log_probs = true}),
                   "from_log_probs applies to the softmax type only");
  // Margin.
  CHECK_ERROR_CONTAINS(multi_margin_loss(X(), T(), {.p = 3}), "multi_margin_loss: only p = 1 or p = 2 is supported, got p = 3");
  CHECK_ERROR_CONTAINS(multi_margin_loss(X(), tensor({0, 1, 2, 3}, {.dtype = i64})), "multi_margin_loss: target 3 (at position 3)");
  CHECK_ERROR_CONTAINS(multi_margin_loss(X(), T(), {.weight = vec({1.0, 2.0, 3.0, 4.0})}), "multi_margin_loss: weight must be [C] = [3]");
  CHECK_ERROR_CONTAINS(hinge_embedding_loss(vec({1.0, 2.0}), vec({1.0})), "hinge_embedding_loss: target must have the input's shape [2]");
  // Regression.
  CHECK_ERROR_CONTAINS(mse_loss(XB(), XB().slice(1, 0, 3)), "mse_loss: target must have the input's shape [3, 4], got target [3, 3]");
  CHECK_ERROR_CONTAINS(smooth_l1_loss(XB(), XB(), {.beta = -1.0}), "smooth_l1_loss: beta must be finite and >= 0, got -1");
  CHECK_ERROR_CONTAINS(huber_loss(XB(), XB(), {.delta = 0.0}), "huber_loss: delta must be finite and > 0, got 0");
  // Contrastive.
  const Tensor e = zeros({2, 3}, {.dtype = f64});
  CHECK_ERROR_CONTAINS(contrastive_loss(e, zeros({2, 2}, {.dtype = f64}), vec({0.0, 1.0})),
                   "contrastive_loss: x2 must have the input's shape [2, 3], got x2 [2, 2]");
  CHECK_ERROR_CONTAINS(contrastive_loss(e, e, vec({0.0, 1.0, 1.0})), "contrastive_loss: labels must be [N] = [2], one per pair; got labels [3]");
  CHECK_ERROR_CONTAINS(contrastive_loss(e, e, vec({0.0, 2.0})), "contrastive_loss: labels must be 0 or 1, got 2 at position 1");
  CHECK_ERROR_CONTAINS(contrastive_loss(e, e, vec({0.0, 1.0}), {.margin = 0.0}), "contrastive_loss: margin must be finite and > 0, got 0");
  CHECK_ERROR_CONTAINS(contrastive_loss(vec({1.0}), vec({1.0}), vec({0.0})), "contrastive_loss: embeddings must be [N, D], got x1 [1]");
  // Messages end with the source location.
  CHECK_ERROR_CONTAINS(focal_loss(X(), T(), {.gamma = -1.0}), "[losses/focal.cpp:");
}
