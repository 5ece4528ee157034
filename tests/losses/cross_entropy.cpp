// tests/losses/cross_entropy.cpp — nll_loss and cross_entropy (losses/cross_entropy.hpp): values,
// reductions, weights, ignore_index, label smoothing, probability targets, gradients, bad input.
// Where the numbers come from: the literals marked "PyTorch" were printed by PyTorch 1.13
// (Debian's python3-torch, float64) running tests/reference/losses_reference.py on the same
// fixed inputs; re-run it to regenerate them (torch is never a build or test dependency). The
// hand-derived case works its arithmetic out in the comment above it. Gradients: f64 gradchecks.
// The last case is part B's (tests/reference/losses_b.py, inputs in losses_b_inputs.hpp).
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 8.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "tests/test_support.hpp"
#include "losses_b_inputs.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;

namespace {

// ---- the fixed inputs of tests/reference/losses_reference.py ----
Tensor X() { return tensor({{1.5, -0.3, 0.2}, {-1.0, 2.0, 0.5}, {0.1, 0.1, -2.0}, {3.0, -1.5, 0.7}}, {.dtype = f64}); }
Tensor T() { return tensor({2, 0, 1, 2}, {.dtype = i64}); }
Tensor T_IGNORED() { return tensor({2, -100, 1, 0}, {.dtype = i64}); }
Tensor W() { return tensor({0.2, 1.0, 3.0}, {.dtype = f64}); }
Tensor P() { return tensor({{-0.5, -1.2, -2.0}, {-0.1, -3.0, -0.7}, {-1.5, -0.25, -0.9}, {-2.2, -0.6, -0.05}}, {.dtype = f64}); }
Tensor Q() { return tensor({{0.7, 0.2, 0.1}, {0.0, 1.0, 0.0}, {0.3, 0.3, 0.4}, {0.25, 0.5, 0.25}}, {.dtype = f64}); }
Tensor X3() {
  return tensor({{{0.2, -1.0}, {1.1, 0.4}, {-0.5, 2.0}}, {{1.3, 0.0}, {-0.7, 0.9}, {0.6, -1.2}}}, {.dtype = f64});
}
Tensor T3() { return tensor({{0, 2}, {1, -100}}, {.dtype = i64}); }
Tensor X4() {  // X4.flatten()[k] = sin(0.7 k + 0.3), [2, 3, 2, 2]
  std::vector<double> values;
  for (int k = 0; k < 24; ++k) values.push_back(std::sin(0.7 * k + 0.3));
  return from_vector(values, {2, 3, 2, 2}, {.dtype = f64});
}
Tensor T4() { return tensor({{{0, 1}, {2, -100}}, {{2, 2}, {1, 0}}}, {.dtype = i64}); }

const Reduction kReductions[] = {Reduction::none, Reduction::sum, Reduction::mean};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Hand-derived: logits [[0, 0], [ln 3, 0]], targets [0, 1].
//   sample 0: softmax = [1/2, 1/2], −log p_0 = ln 2.
//   sample 1: softmax = [3/4, 1/4], −log p_1 = ln 4 = 2 ln 2.
//   mean = 3 ln 2 / 2;  sum = 3 ln 2;  weights [1, 3]: mean = (1·ln 2 + 3·2 ln 2) / (1 + 3) = 7 ln 2 / 4.
//   ε = 0.5 (C = 2): l_n = (1 − ε)·nll_n + (ε/C)·S_n with S_n = −Σ_c log p_{n,c}:
//     S_0 = 2 ln 2 → l_0 = ln 2 / 2 + ln 2 / 2 = ln 2;
//     S_1 = −ln(3/4) − ln(1/4) = 4 ln 2 − ln 3 → l_1 = ln 2 + ln 2 − ln 3 / 4;
//     sum = 3 ln 2 − ln 3 / 4.
//   Gradient of the mean: (p_n − e_{y_n}) / 2 → row 0: [−1/4, 1/4], row 1: [3/8, −3/8].
TEST_CASE("cross_entropy: hand-derived 2 samples, 2 classes") {
  const double ln2 = std::log(2.0), ln3 = std::log(3.0);
  Tensor logits = tensor({{0.0, 0.0}, {ln3, 0.0}}, {.dtype = f64, .requires_grad = true});
  Tensor targets = tensor({0, 1}, {.dtype = i64});
  check_close(cross_entropy(logits, targets, {.reduction = Reduction::none}), tensor({ln2, 2 * ln2}, {.dtype = f64}));
  check_scalar(cross_entropy(logits, targets, {.reduction = Reduction::sum}), 3 * ln2);
  check_scalar(cross_entropy(logits, targets, {.weight = tensor({1.0, 3.0}, {.dtype = f64})}), 7 * ln2 / 4);
  check_close(cross_entropy(logits, targets, {.reduction = Reduction::none, .label_smoothing = 0.5}),
              tensor({ln2, 2 * ln2 - ln3 / 4}, {.dtype = f64}));
  check_scalar(cross_entropy(logits, targets, {.reduction = Reduction::sum, .label_smoothing = 0.5}), 3 * ln2 - ln3 / 4);
  Tensor loss = cross_entropy(logits, targets);
  check_scalar(loss, 1.5 * ln2);
  loss.backward();
  check_close(logits.grad(), tensor({{-0.25, 0.25}, {0.375, -0.375}}, {.dtype = f64}));
}

TEST_CASE("nll_loss: PyTorch values, every reduction, weights, ignore_index") {
  // PyTorch (on P, arbitrary log-probabilities: nll_loss does not normalise them).
  check_close(nll_loss(P(), T(), {.reduction = Reduction::none}), tensor({2.0, 0.1, 0.25, 0.05}, {.dtype = f64}));
  check_scalar(nll_loss(P(), T(), {.reduction = Reduction::sum}), 2.4);
  check_scalar(nll_loss(P(), T()), 0.6);
  check_close(nll_loss(P(), T(), {.weight = W(), .reduction = Reduction::none}),
              tensor({6.0, 0.020000000000000004, 0.25, 0.15000000000000002}, {.dtype = f64}));
  check_scalar(nll_loss(P(), T(), {.weight = W(), .reduction = Reduction::sum}), 6.42);
  check_scalar(nll_loss(P(), T(), {.weight = W()}), 0.8916666666666666);  // 6.42 / (3 + 0.2 + 1 + 3)
  check_close(nll_loss(P(), T_IGNORED(), {.weight = W(), .reduction = Reduction::none}),
              tensor({6.0, 0.0, 0.25, 0.44000000000000006}, {.dtype = f64}));
  check_scalar(nll_loss(P(), T_IGNORED(), {.weight = W(), .reduction = Reduction::sum}), 6.69);
  check_scalar(nll_loss(P(), T_IGNORED(), {.weight = W()}), 1.592857142857143);  // 6.69 / (3 + 1 + 0.2)
  check_scalar(nll_loss(P(), T(), {.ignore_index = 2}), 0.175);  // (0.1 + 0.25) / 2
  // [N, C, d] with weights: the values may be anything, nll_loss picks −w_y·x[n, y, d].
  check_close(nll_loss(X3(), T3(), {.weight = W(), .reduction = Reduction::none}),
              tensor({{-0.04000000000000001, -6.0}, {0.7, 0.0}}, {.dtype = f64}));
  // The ignored entries are +0 (not −0), as PyTorch prints them.
  CHECK_FALSE(std::signbit(nll_loss(P(), T_IGNORED(), {.reduction = Reduction::none}).at({1})));
}

TEST_CASE("cross_entropy: PyTorch values, every reduction, weights, ignore_index") {
  check_close(cross_entropy(X(), T(), {.reduction = Reduction::none}),
              tensor({1.6631355063687536, 3.241311296657157, 0.7525741104899353, 2.4055915452033867}, {.dtype = f64}));
  check_scalar(cross_entropy(X(), T(), {.reduction = Reduction::sum}), 8.062612458719233);
  check_scalar(cross_entropy(X(), T()), 2.0156531146798082);
  check_close(cross_entropy(X(), T(), {.weight = W(), .reduction = Reduction::none}),
              tensor({4.989406519106261, 0.6482622593314314, 0.7525741104899353, 7.21677463561016}, {.dtype = f64}));
  check_scalar(cross_entropy(X(), T(), {.weight = W(), .reduction = Reduction::sum}), 13.607017524537788);
  check_scalar(cross_entropy(X(), T(), {.weight = W()}), 1.8898635450746928);
  check_close(cross_entropy(X(), T_IGNORED(), {.reduction = Reduction::none}),
              tensor({1.6631355063687536, 0.0, 0.7525741104899353, 0.105591545203387}, {.dtype = f64}));
  check_scalar(cross_entropy(X(), T_IGNORED(), {.reduction = Reduction::sum}), 2.521301162062076);
  check_scalar(cross_entropy(X(), T_IGNORED()), 0.8404337206873587);
  check_scalar(cross_entropy(X(), T_IGNORED(), {.weight = W()}), 1.3721664139611602);
  // One sample: logits [C] and a 0-d target give a 0-d loss for every reduction.
  Tensor one = cross_entropy(X().select(0, 0), scalar_tensor(2, {.dtype = i64}), {.reduction = Reduction::none});
  check_scalar(one, 1.6631355063687536);
  check_scalar(cross_entropy(X().select(0, 0), scalar_tensor(2, {.dtype = i64})), 1.6631355063687536);
  // The weighted mean does not change when every weight is scaled (docs/LOSSES.md §2 (c)(i)).
  check_scalar(cross_entropy(X(), T(), {.weight = W() * 10.0}), 1.8898635450746928);
}

TEST_CASE("cross_entropy: label smoothing with and without weights (PyTorch values)") {
  check_close(cross_entropy(X(), T(), {.reduction = Reduction::none, .label_smoothing = 0.1}),
              tensor({1.636468839702087, 3.091311296657157, 0.8225741104899352, 2.4022582118700537}, {.dtype = f64}));
  check_scalar(cross_entropy(X(), T(), {.reduction = Reduction::sum, .label_smoothing = 0.1}), 7.9526124587192335);
  check_scalar(cross_entropy(X(), T(), {.label_smoothing = 0.1}), 1.9881531146798084);
  check_close(cross_entropy(X(), T(), {.weight = W(), .reduction = Reduction::none, .label_smoothing = 0.1}),
              tensor({4.731304838087261, 0.7872196149302904, 0.9926770749095326, 6.8898799883776185}, {.dtype = f64}));
  check_scalar(cross_entropy(X(), T(), {.weight = W(), .reduction = Reduction::sum, .label_smoothing = 0.1}),
               13.401081516304703);
  check_scalar(cross_entropy(X(), T(), {.weight = W(), .label_smoothing = 0.1}), 1.8612613217089864);
  const CrossEntropyOptions smooth_weighted_ignored{.weight = W(), .reduction = Reduction::none, .label_smoothing = 0.25};
  check_close(cross_entropy(X(), T_IGNORED(), smooth_weighted_ignored),
              tensor({4.344152316558759, 0.0, 1.3528315215389286, 1.0027957726016932}, {.dtype = f64}));
  check_scalar(cross_entropy(X(), T_IGNORED(), {.weight = W(), .reduction = Reduction::sum, .label_smoothing = 0.25}),
               6.699779610699381);
  check_scalar(cross_entropy(X(), T_IGNORED(), {.weight = W(), .label_smoothing = 0.25}), 1.5951856215950906);
  check_scalar(cross_entropy(X(), T_IGNORED(), {.label_smoothing = 0.1}), 0.9304337206873587);
  // ε = 0 is exactly the unsmoothed loss.
  check_scalar(cross_entropy(X(), T(), {.label_smoothing = 0.0}), 2.0156531146798082);
}

TEST_CASE("cross_entropy: spatial inputs [N, C, d] and [N, C, d1, d2] (PyTorch values)") {
  check_close(cross_entropy(X3(), T3(), {.reduction = Reduction::none}),
              tensor({{1.375281040267448, 0.2244895141896627}, {2.4897575954486832, 0.0}}, {.dtype = f64}));
  check_scalar(cross_entropy(X3(), T3(), {.reduction = Reduction::sum}), 4.089528149905794);
  check_scalar(cross_entropy(X3(), T3()), 1.363176049968598);
  check_scalar(cross_entropy(X3(), T3(), {.weight = W()}), 0.8186386538264669);
  check_scalar(cross_entropy(X3(), T3(), {.weight = W(), .label_smoothing = 0.2}), 0.9132604187691788);
  check_close(cross_entropy(X4(), T4(), {.weight = W(), .reduction = Reduction::none}),
              tensor({{{0.16551428449423866, 2.053503562051347}, {2.5148934945435375, 0.0}},
                      {{1.891771613100846, 1.9251616771207232}, {0.7477594160409153, 0.4328044234033864}}},
                     {.dtype = f64}));
  check_scalar(cross_entropy(X4(), T4(), {.weight = W(), .reduction = Reduction::sum}), 9.731408470754992);
  check_scalar(cross_entropy(X4(), T4(), {.weight = W()}), 0.8536323219960521);
  check_scalar(cross_entropy(X4(), T4(), {.label_smoothing = 0.1}), 1.1440309303335205);
}

TEST_CASE("cross_entropy: probability targets (PyTorch values; the mean divides by N)") {
  check_close(cross_entropy(X(), Q(), {.reduction = Reduction::none}),
              tensor({0.8531355063687536, 0.24131129665715703, 1.5925741104899354, 2.930591545203387}, {.dtype = f64}));
  check_scalar(cross_entropy(X(), Q(), {.reduction = Reduction::sum}), 5.6176124587192335);
  check_scalar(cross_entropy(X(), Q()), 1.4044031146798084);
  check_close(cross_entropy(X(), Q(), {.weight = W(), .reduction = Reduction::none}),
              tensor({0.9824067240760024, 0.24131129665715703, 3.694015612364299, 4.112269008764403}, {.dtype = f64}));
  check_scalar(cross_entropy(X(), Q(), {.weight = W(), .reduction = Reduction::sum}), 9.030002641861863);
  check_scalar(cross_entropy(X(), Q(), {.weight = W()}), 2.2575006604654657);  // 9.03… / 4, not / Σw
  check_scalar(cross_entropy(X(), Q(), {.weight = W(), .label_smoothing = 0.2}), 2.383383400482719);
  // One sample: logits [C] with probabilities [C].
  check_scalar(cross_entropy(X().select(0, 0), Q().select(0, 0), {.reduction = Reduction::none}), 0.8531355063687536);
  // One-hot probabilities give the class-index loss (unweighted).
  Tensor one_hot_targets = one_hot(T(), 3).to(f64);
  check_close(cross_entropy(X(), one_hot_targets, {.reduction = Reduction::none}),
              cross_entropy(X(), T(), {.reduction = Reduction::none}));
}

TEST_CASE("cross_entropy: gradients against PyTorch") {
  Tensor x = X().set_requires_grad(true);
  cross_entropy(x, T_IGNORED(), {.weight = W(), .label_smoothing = 0.25}).backward();
  check_close(x.grad(), tensor({{0.4265745262894534, 0.051326973067160025, -0.47790149935661336},
                                {0.0, 0.0, 0.0},
                                {0.1194287488716765, -0.07501569557276797, -0.044413053298908566},
                                {0.06743556715385778, -0.01865129516324123, -0.04878427199061655}},
                               {.dtype = f64}),
              1e-10);
  Tensor x3 = X3().set_requires_grad(true);
  cross_entropy(x3, T3(), {.weight = W(), .reduction = Reduction::sum}).backward();
  check_close(x3.grad(), tensor({{{-0.1494462904637441, 0.11932824455871155}, {0.12434206125589978, 0.48389989337812017},
                                  {0.025104229207844317, -0.6032281379368317}},
                                 {{0.6127749156110307, 0.0}, {-0.9170699332354897, 0.0}, {0.304295017624459, 0.0}}},
                                {.dtype = f64}),
              1e-10);
}

TEST_CASE("losses: f32 inputs give f32 losses with the same values") {
  Tensor loss = cross_entropy(X().to(f32), T_IGNORED(), {.weight = W().to(f32), .label_smoothing = 0.25});
  CHECK(loss.dtype() == f32);
  check_scalar(loss, 1.5951856215950906, 1e-6);
  Tensor nll = nll_loss(P().to(f32), T(), {.weight = W().to(f32), .reduction = Reduction::none});
  CHECK(nll.dtype() == f32);
  check_close(nll, tensor({6.0, 0.02, 0.25, 0.15}, {.dtype = f64}), 1e-6);
}

TEST_CASE("losses: empty batches, all-ignored batches and zero target weights (PyTorch: NaN means)") {
  // PyTorch: the mean is Σ l / Σ w = 0 / 0 = NaN when no target counts; the sum is 0.
  Tensor all_ignored = full({4}, -100, {.dtype = i64});
  CHECK(std::isnan(cross_entropy(X(), all_ignored).item()));
  CHECK(std::isnan(cross_entropy(X(), all_ignored, {.label_smoothing = 0.1}).item()));
  check_scalar(cross_entropy(X(), all_ignored, {.reduction = Reduction::sum}), 0.0);
  check_close(cross_entropy(X(), all_ignored, {.reduction = Reduction::none}), zeros({4}, {.dtype = f64}));
  Tensor empty_logits = zeros({0, 3}, {.dtype = f64});
  Tensor empty_targets = zeros({0}, {.dtype = i64});
  CHECK(std::isnan(cross_entropy(empty_logits, empty_targets).item()));
  CHECK(std::isnan(nll_loss(empty_logits, empty_targets, {.weight = W()}).item()));
  check_scalar(cross_entropy(empty_logits, empty_targets, {.reduction = Reduction::sum}), 0.0);
  CHECK(cross_entropy(empty_logits, empty_targets, {.reduction = Reduction::none}).shape() == Shape{0});
  CHECK(std::isnan(cross_entropy(empty_logits, zeros({0, 3}, {.dtype = f64})).item()));
  // Every target of weight 0.
  CHECK(std::isnan(nll_loss(P(), zeros({4}, {.dtype = i64}), {.weight = tensor({0.0, 1.0, 1.0}, {.dtype = f64})}).item()));
}

TEST_CASE("losses: ignored targets give 0 and a zero gradient even at a -inf log-probability") {
  // Row 1 is ignored; its placeholder class would read −inf. Its loss and gradient stay 0.
  Tensor log_probs = tensor({{-0.5, -1.0}, {-INFINITY, 0.0}}, {.dtype = f64, .requires_grad = true});
  Tensor targets = tensor({1, -100}, {.dtype = i64});
  check_close(nll_loss(log_probs, targets, {.reduction = Reduction::none}), tensor({1.0, 0.0}, {.dtype = f64}));
  Tensor loss = nll_loss(log_probs, targets, {.weight = tensor({2.0, 4.0}, {.dtype = f64})});
  check_scalar(loss, 1.0);  // 4·1 / 4
  loss.backward();
  check_close(log_probs.grad(), tensor({{0.0, -1.0}, {0.0, 0.0}}, {.dtype = f64}));
}

TEST_CASE("losses: class weights are constants to autograd") {
  Tensor weight = tensor({0.2, 1.0, 3.0}, {.dtype = f64, .requires_grad = true});
  Tensor x = X().set_requires_grad(true);
  cross_entropy(x, T(), {.weight = weight, .label_smoothing = 0.1}).backward();
  CHECK(x.grad().defined());
  CHECK_FALSE(weight.grad().defined());
}

TEST_CASE("losses: nn::functional names") {
  check_scalar(nn::functional::cross_entropy(X(), T(), {.weight = W()}), 1.8898635450746928);
  check_scalar(nn::functional::nll_loss(P(), T()), 0.6);
}

TEST_CASE("losses: NLLLoss and CrossEntropyLoss modules") {
  nn::CrossEntropyLoss criterion({.weight = W(), .label_smoothing = 0.1});
  check_scalar(criterion(X(), T()), 1.8612613217089864);
  CHECK(repr(criterion) == "CrossEntropyLoss()");
  CHECK(criterion.parameters().empty());
  // The weight is the buffer "weight", as in PyTorch's state_dict.
  const nn::Module::NamedTensors buffers = criterion.named_buffers();
  REQUIRE(buffers.size() == 1);
  CHECK(buffers[0].first == "weight");
  check_close(buffers[0].second, W());
  nn::NLLLoss nll({.reduction = Reduction::sum});
  check_scalar(nll(P(), T()), 2.4);
  CHECK(nll.named_buffers().empty());
  check_contains(error_message([&] { (void)nll.forward(P()); }),
                {"NLLLoss: forward needs the log-probabilities and the targets"});
  // A bad call names the function behind the module.
  check_contains(error_message([&] { (void)criterion(X(), tensor({0, 1}, {.dtype = i64})); }),
                {"cross_entropy: logits [4, 3] needs targets [4]"});
}

// ---- f64 gradchecks: every reduction × {plain, weighted, ignore_index, smoothing, all} ----
namespace {

struct Variant {
  const char* name;
  bool weighted;
  bool ignored;
  double smoothing;
};
const Variant kVariants[] = {{"plain", false, false, 0.0},   {"weighted", true, false, 0.0},
                             {"ignore_index", false, true, 0.0}, {"smoothing", false, false, 0.2},
                             {"weighted+ignored+smoothing", true, true, 0.3}};

// `name` + `suffix`, appended (not "literal" + std::string: GCC 12 -O3 warns -Wrestrict on that).
std::string join(const char* name, const std::string& suffix) {
  std::string label = name;
  label.append(suffix);
  return label;
}

}  // namespace

TEST_CASE("gradcheck: nll_loss and cross_entropy, [N, C] and [N, C, d]") {
  Generator generator(2024);
  Tensor logits = uniform({5, 4}, -2.0, 2.0, {.dtype = f64}, &generator).set_requires_grad(true);
  Tensor spatial = uniform({3, 4, 2}, -2.0, 2.0, {.dtype = f64}, &generator).set_requires_grad(true);
  const Tensor weight = tensor({0.5, 2.0, 1.0, 0.25}, {.dtype = f64});
  for (const Reduction reduction : kReductions) {
    for (const Variant& v : kVariants) {
      const Tensor targets = v.ignored ? tensor({3, 0, -100, 1, 3}, {.dtype = i64}) : tensor({3, 0, 2, 1, 3}, {.dtype = i64});
      const Tensor spatial_targets = v.ignored ? tensor({{0, 3}, {-100, 1}, {2, 2}}, {.dtype = i64})
                                               : tensor({{0, 3}, {1, 1}, {2, 2}}, {.dtype = i64});
      const Tensor w = v.weighted ? weight : Tensor();
      const std::string suffix = std::string(" ") + v.name + " " + reduction_name(reduction);
      const CrossEntropyOptions ce{.weight = w, .reduction = reduction, .label_smoothing = v.smoothing};
      run_gradcheck(join("cross_entropy", suffix), [&](const std::vector<Tensor>& in) { return cross_entropy(in[0], targets, ce); },
                    {logits});
      run_gradcheck(join("cross_entropy [N, C, d]", suffix),
                    [&](const std::vector<Tensor>& in) { return cross_entropy(in[0], spatial_targets, ce); }, {spatial});
      if (v.smoothing == 0.0) {
        const NllLossOptions nll{.weight = w, .reduction = reduction};
        run_gradcheck(join("nll_loss", suffix), [&](const std::vector<Tensor>& in) { return nll_loss(in[0], targets, nll); },
                      {logits});
        run_gradcheck(join("nll_loss [N, C, d]", suffix),
                      [&](const std::vector<Tensor>& in) { return nll_loss(in[0], spatial_targets, nll); }, {spatial});
      }
    }
  }
}

TEST_CASE("gradcheck: cross_entropy with probability targets (logits and targets)") {
  Generator generator(7);
  Tensor logits = uniform({4, 3}, -2.0, 2.0, {.dtype = f64}, &generator).set_requires_grad(true);
  Tensor probabilities = softmax(uniform({4, 3}, -1.0, 1.0, {.dtype = f64}, &generator), 1).set_requires_grad(true);
  for (const Reduction reduction : kReductions) {
    for (const bool weighted : {false, true}) {
      const CrossEntropyOptions options{.weight = weighted ? W() : Tensor(), .reduction = reduction,
                                        .label_smoothing = weighted ? 0.2 : 0.0};
      run_gradcheck(std::string("cross_entropy probabilities ") + reduction_name(reduction) + (weighted ? " weighted" : ""),
                    [&](const std::vector<Tensor>& in) { return cross_entropy(in[0], in[1], options); },
                    {logits, probabilities});
    }
  }
}

// ---- bad input: each error names the loss, the shapes / values and what was expected ----
TEST_CASE("losses: bad input gives a clear fulcrum::Error") {
  // Dtypes.
  CHECK_ERROR_CONTAINS(cross_entropy(ones({2, 3}, {.dtype = i64}), T().slice(0, 0, 2)),
                   "cross_entropy: logits must be floating (f32 or f64), got i64 [2, 3]");
  CHECK_ERROR_CONTAINS(nll_loss(P(), T().to(f32)), "nll_loss: targets must be i64 class indices, got f32 targets [4]");
  CHECK_ERROR_CONTAINS(cross_entropy(X(), T().to(u8)),
                   "cross_entropy: targets must be i64 class indices or floating class probabilities, got u8");
  CHECK_ERROR_CONTAINS(cross_entropy(X(), Tensor()), "cross_entropy: the targets tensor is undefined");
  CHECK_ERROR_CONTAINS(nll_loss(Tensor(), T()), "nll_loss: the log_probs tensor is undefined");
  // Shapes.
  CHECK_ERROR_CONTAINS(cross_entropy(X(), tensor({0, 1, 2, 0, 1}, {.dtype = i64})),
                   "cross_entropy: logits [4, 3] needs targets [4]", "got targets [5]");
  CHECK_ERROR_CONTAINS(nll_loss(X3(), T()), "nll_loss: log_probs [2, 3, 2] needs targets [2, 2]", "got targets [4]");
  CHECK_ERROR_CONTAINS(cross_entropy(scalar_tensor(1.0, {.dtype = f64}), scalar_tensor(0, {.dtype = i64})),
                   "cross_entropy: logits must be [N, C], [N, C, d1, ...] or [C], got a 0-d tensor");
  CHECK_ERROR_CONTAINS(cross_entropy(zeros({2, 0}, {.dtype = f64}), zeros({2}, {.dtype = i64})),
                   "cross_entropy: logits [2, 0] has no classes (C = 0 in dim 1)");
  CHECK_ERROR_CONTAINS(cross_entropy(X(), tensor({0.5, 0.5}, {.dtype = f64})),
                   "cross_entropy: floating targets are class probabilities and must have the logits' shape [4, 3]",
                   "got targets [2]");
  CHECK_ERROR_CONTAINS(cross_entropy(X(), Q().to(f32)), "cross_entropy: probability targets are f32 but the logits are f64");
  // Target values.
  CHECK_ERROR_CONTAINS(cross_entropy(X(), tensor({2, 0, 3, 1}, {.dtype = i64})),
                   "cross_entropy: target 3 (at flat position 2 of targets [4]) is out of range for C = 3 classes",
                   "expected 0 <= target < 3 or ignore_index = -100");
  CHECK_ERROR_CONTAINS(nll_loss(P(), tensor({-1, 0, 1, 2}, {.dtype = i64})), "nll_loss: target -1", "C = 3 classes");
  CHECK_ERROR_CONTAINS(nll_loss(P(), T_IGNORED(), {.ignore_index = -1}), "nll_loss: target -100",
                   "or ignore_index = -1");
  CHECK_ERROR_CONTAINS(cross_entropy(X3(), tensor({{0, 2}, {7, -100}}, {.dtype = i64})),
                   "cross_entropy: target 7 (at flat position 2 of targets [2, 2]) is out of range for C = 3");
  // Weights.
  CHECK_ERROR_CONTAINS(nll_loss(P(), T(), {.weight = tensor({1.0, 1.0, 1.0, 1.0}, {.dtype = f64})}),
                   "nll_loss: weight must be [C] = [3], one entry per class of the input [4, 3]; got weight [4]");
  CHECK_ERROR_CONTAINS(cross_entropy(X(), T(), {.weight = ones({3, 1}, {.dtype = f64})}),
                   "cross_entropy: weight must be [C] = [3]", "got weight [3, 1]");
  CHECK_ERROR_CONTAINS(cross_entropy(X(), T(), {.weight = tensor({1.0, -0.5, 1.0}, {.dtype = f64})}),
                   "cross_entropy: class weights must be >= 0, got weight[1] = -0.5");
  CHECK_ERROR_CONTAINS(cross_entropy(X(), Q(), {.weight = tensor({1.0, 1.0, -2.0}, {.dtype = f64})}),
                   "cross_entropy: class weights must be >= 0, got weight[2] = -2");
  CHECK_ERROR_CONTAINS(cross_entropy(X(), T(), {.weight = W().to(f32)}),
                   "cross_entropy: weight is f32 but the input is f64 (the same dtype is expected");
  // Options.
  CHECK_ERROR_CONTAINS(cross_entropy(X(), T(), {.label_smoothing = 1.5}),
                   "cross_entropy: label_smoothing must be in [0, 1], got 1.5");
  CHECK_ERROR_CONTAINS(cross_entropy(X(), T(), {.label_smoothing = -0.1}),
                   "cross_entropy: label_smoothing must be in [0, 1], got -0.1");
  CHECK_ERROR_CONTAINS(cross_entropy(X(), Q(), {.ignore_index = 1}),
                   "cross_entropy: ignore_index = 1 is not supported with probability targets");
  // Every message ends with the source location.
  CHECK_ERROR_CONTAINS(nll_loss(P(), T().to(f32)), "[losses/cross_entropy.cpp:");
  // The nearest valid calls do not throw: the edges of the valid range.
  CHECK_NOTHROW((void)cross_entropy(X(), tensor({2, 0, 2, -100}, {.dtype = i64}), {.label_smoothing = 1.0}));
  CHECK_NOTHROW((void)cross_entropy(X(), T(), {.weight = tensor({0.0, 1.0, 1.0}, {.dtype = f64})}));
  CHECK_NOTHROW((void)nll_loss(P(), T_IGNORED(), {.ignore_index = -100}));
}

TEST_SUITE("losses_b") {
using namespace fulcrum::testing::losses_b;

// ============================== cross_entropy check ==============================
TEST_CASE("cross_entropy: weight + label_smoothing + ignore_index against PyTorch 1.13 (reference)") {
  Tensor w = V({0.5, 2.0, 1.0, 0.25});
  Tensor targets = tensor({0, -100, 1, 3, 3}, {.dtype = i64});
  check_close(cross_entropy(Z(), targets, {.weight = w, .reduction = Reduction::none, .label_smoothing = 0.15}),
              V({0.6233730397578503, 0.0, 1.5752727047853419, 0.790865300088998, 0.4267069136121617}), kRtol, kAtol);
  check_scalar(cross_entropy(Z(), targets, {.weight = w, .reduction = Reduction::sum, .label_smoothing = 0.15}),
               3.416217958244352, kRtol);
  check_scalar(cross_entropy(Z(), targets, {.weight = w, .label_smoothing = 0.15}), 1.1387393194147841, kRtol);
  check_scalar(cross_entropy(Z(), Y(), {.weight = w, .ignore_index = 3, .label_smoothing = 0.3}), 0.9749518341782026, kRtol);
  Tensor z = leaf(Z());
  cross_entropy(z, targets, {.weight = w, .label_smoothing = 0.15}).backward();
  check_close(z.grad(), tensor({{-0.06517890710856677, -0.008295534438540614, 0.02113866275123618, 0.05233577879587118}, {0.0, 0.0, 0.0, 0.0}, {0.10993434582701639, -0.3198363277094071, 0.04815354706473529, 0.16174843481765538}, {0.08096830888539373, -0.021783112512926965, -0.0028359359084767673, -0.056349260463990025}, {0.005095972115301119, -0.018118320047825265, 0.018341549827226068, -0.005319201894701924}}, {.dtype = f64}), kRtol, kAtol);
  // [N, C, d]: Z3[:, :, 0] = Z, Z3[:, :, 1] = Z.flip(0).
  Tensor z3 = stack({Z(), index_select(Z(), 0, tensor({4, 3, 2, 1, 0}, {.dtype = i64}))}, 2);
  Tensor t3 = tensor({{0, 1}, {-100, 2}, {1, 1}, {3, -100}, {3, 0}}, {.dtype = i64});
  check_scalar(cross_entropy(z3, t3, {.weight = w, .label_smoothing = 0.2}), 1.5762799461933847, kRtol);
  check_close(cross_entropy(z3, t3, {.weight = w, .reduction = Reduction::none, .label_smoothing = 0.2}),
              tensor({{0.6938902291407507, 4.959082783948288}, {0.0, 2.5160480958241007}, {1.5576502328305868, 1.5576502328305868}, {0.8961707717790774, 0.0}, {0.5239969671496288, 0.6938902291407507}}, {.dtype = f64}), kRtol, kAtol);
}

}  // TEST_SUITE
