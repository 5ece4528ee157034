// tests/test_optim.cpp — optimisers, schedulers, clipping and MaxNorm (nn/optim/).
// Optimiser trajectories are compared with PyTorch 1.13 on a tiny f64 problem; the literals come
// from tests/reference/optim_reference.py. Everything else (single steps, schedules, norms) is
// derived by hand in the comment next to it.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "fulcrum.hpp"

using namespace fulcrum;
using namespace fulcrum::optim;

namespace {

// |value − expected| ≤ tol·(1 + |expected|) element by element; tol = 0 asks for equality.
void check_values(const Tensor& t, const std::vector<double>& expected, double tol) {
  const std::vector<double> values = t.to_vector<double>();
  REQUIRE(values.size() == expected.size());
  for (size_t i = 0; i < values.size(); ++i) {
    INFO("element " << i << " of " << t << ": " << values[i] << " vs expected " << expected[i]);
    CHECK(std::abs(values[i] - expected[i]) <= tol * (1.0 + std::abs(expected[i])));
  }
}

// The problem of optim_reference.py: loss = Σ (tanh(x θ1ᵀ + θ2) − y)²; θ3 is never used.
struct Problem {
  Tensor t1, t2, t3;
  explicit Problem(DType dtype = f64) {
    t1 = tensor({{0.5, -1.0}, {1.5, 0.25}}, {.dtype = dtype, .requires_grad = true});
    t2 = tensor({0.3, -0.7}, {.dtype = dtype, .requires_grad = true});
    t3 = tensor({1.0, 2.0, 3.0}, {.dtype = dtype, .requires_grad = true});
  }
  Tensor loss() const {
    const Tensor x = tensor({{1.0, 2.0}, {-1.0, 0.5}, {0.5, -1.5}}, {.dtype = t1.dtype()});
    const Tensor y = tensor({{0.5, -0.5}, {0.1, 0.2}, {-0.3, 0.8}}, {.dtype = t1.dtype()});
    return sum(pow(tanh(matmul(x, t1.t()) + t2) - y, 2.0));
  }
};

// Five steps of zero_grad → backward → step; checks [θ1, θ2] after steps 1 and 5 against
// PyTorch, and that θ3 (no grad ever) is untouched and has no state.
void check_trajectory(const std::function<std::unique_ptr<Optimizer>(const Problem&)>& make,
                      const std::vector<std::vector<double>>& expected, DType dtype = f64,
                      double tol = 1e-11) {
  Problem p(dtype);
  std::unique_ptr<Optimizer> opt = make(p);
  for (int step = 1; step <= 5; ++step) {
    opt->zero_grad();
    p.loss().backward();
    opt->step();
    if (step == 1 || step == 5) {
      INFO("after step " << step);
      check_values(cat({p.t1.flatten(), p.t2}), expected[step == 1 ? 0 : 1], tol);
    }
  }
  CHECK_FALSE(p.t3.grad().defined());
  check_values(p.t3, {1, 2, 3}, 0);
  CHECK(opt->state(p.t3).buffers.empty());
  CHECK(opt->state(p.t3).step == 0);
}

template <typename O, typename Options> auto one_group(Options options) {
  return [options](const Problem& p) -> std::unique_ptr<Optimizer> {
    return std::make_unique<O>(std::vector<Tensor>{p.t1, p.t2, p.t3}, options);
  };
}

}  // namespace

// ---- trajectories against PyTorch (tests/reference/optim_reference.py) ----
TEST_CASE("SGD matches torch.optim.SGD: plain, momentum + dampening + wd, Nesterov, maximize") {
  check_trajectory(one_group<SGD>(SGDOptions{.lr = 0.1}),
    {{0.48381029432219225, -0.7681846168158375, 1.5160179401906795, -0.1843274126145077, 0.4545163924363387, -0.5549885550943391}, {0.3978422225382047, -0.10922854270783276, 1.335390401760326, -0.6300292146594632, 0.5434016754859538, -0.6183434571003779}});
  check_trajectory(one_group<SGD>(SGDOptions{.lr = 0.1, .momentum = 0.9, .dampening = 0.1, .weight_decay = 0.01}),
    {{0.48331029432219225, -0.7671846168158375, 1.5145179401906794, -0.18457741261450772, 0.4542163924363387, -0.554288555094339}, {0.5351361503087806, 1.4444207340018764, 1.1597705193840273, -2.5269298703242233, 0.9605984409298611, -0.2584826626201201}});
  check_trajectory(one_group<SGD>(SGDOptions{.lr = 0.1, .momentum = 0.9, .weight_decay = 0.05, .nesterov = true}),
    {{0.4644895592121652, -0.5500507719500913, 1.516184086362291, -0.5775970839675646, 0.5907311456290436, -0.4178282546792443}, {0.8390789506038113, 1.5310699797446472, 1.0343637573742417, -2.2538185208709596, 0.5845646327739286, -0.2006690105964575}});
  check_trajectory(one_group<SGD>(SGDOptions{.lr = 0.05, .momentum = 0.5, .maximize = true}),
    {{0.5080948528389039, -1.1159076915920811, 1.4919910299046601, 0.46716370630725385, 0.22274180378183064, -0.7725057224528304}, {0.6457540944883874, -1.5488286672309612, 1.4547278190443953, 1.2031221725479817, -0.10715702158356653, -1.117395246917154}});
}

TEST_CASE("SGD with parameter groups of different lr and momentum matches PyTorch") {
  check_trajectory([](const Problem& p) -> std::unique_ptr<Optimizer> {
    return std::make_unique<SGD>(std::vector<ParamGroup<SGDOptions>>{
        {.params = {p.t1}, .options = {.lr = 0.1, .momentum = 0.5}},
        {.params = {p.t2, p.t3}, .options = {.lr = 0.01, .momentum = 0.9}}});
  }, {{0.48381029432219225, -0.7681846168158375, 1.5160179401906795, -0.1843274126145077, 0.31545163924363384, -0.6854988555094339}, {0.3038161361768878, 0.7266953963088257, 1.3459326036572827, -1.2097941647140857, 0.41118667361041406, -0.6499224440172674}});
}

TEST_CASE("Adam and AdamW match PyTorch: weight decay, amsgrad, groups, f32") {
  check_trajectory(one_group<Adam>(AdamOptions{.lr = 0.05, .weight_decay = 0.1}),
    {{0.4500000023596363, -0.9500000002067693, 1.549999950881249, 0.20000000011446167, 0.34999999967000267, -0.6500000003289226}, {0.4131483127518906, -0.7488843096955183, 1.403379505883904, 0.0007690653395452315, 0.5507732073089378, -0.45814533784759603}});
  check_trajectory(one_group<Adam>(AdamOptions{.lr = 0.05, .betas = {0.8, 0.9}, .amsgrad = true}),
    {{0.45000000308838206, -0.9500000002156889, 1.5499999968785003, 0.20000000011512054, 0.3499999996764097, -0.6500000003448003}, {0.4597608164125944, -0.7486327178357929, 1.6001551198630675, 0.0025562480972878207, 0.5510233949602226, -0.4616780312097075}});
  check_trajectory(one_group<AdamW>(AdamWOptions{.lr = 0.05, .weight_decay = 0.1}),
    {{0.44750000308838206, -0.9450000002156889, 1.5424999968785003, 0.19875000011512053, 0.3484999996764097, -0.6465000003448004}, {0.4418757706094552, -0.7266207522539351, 1.5615576446134476, -0.0015217492550762476, 0.5409679466152227, -0.4447831330537177}});
  // Groups: θ1 lr 0.05 amsgrad, wd at AdamW's default 1e-2; θ2 lr 0.02, wd 0.5.
  check_trajectory([](const Problem& p) -> std::unique_ptr<Optimizer> {
    return std::make_unique<AdamW>(std::vector<ParamGroup<AdamWOptions>>{
        {.params = {p.t1}, .options = {.lr = 0.05, .amsgrad = true}},
        {.params = {p.t2, p.t3}, .options = {.lr = 0.02, .weight_decay = 0.5}}});
  }, {{0.4497500030883821, -0.9495000002156889, 1.5492499968785003, 0.19987500011512055, 0.3169999998705639, -0.67300000013792}, {0.3555403807254057, -0.7466755538547022, 1.6127077302036519, 0.0007430497562485455, 0.3835128098901978, -0.5708323204503791}});
  check_trajectory(one_group<Adam>(AdamOptions{.lr = 0.05}),
    {{0.45000001788139343, -0.949999988079071, 1.5499999523162842, 0.20000000298023224, 0.3500000238418579, -0.6499999761581421}, {0.44564181566238403, -0.7488758563995361, 1.6167539358139038, 0.0023879893124103546, 0.5508754253387451, -0.45921090245246887}},
    f32, 2e-6);
}

// ---- single steps derived by hand, with grads set directly ----
TEST_CASE("SGD momentum buffer and dampening, step by step") {
  Tensor w = tensor({1.0, 2.0}, {.dtype = f64, .requires_grad = true});
  SGD opt({w}, {.lr = 0.1, .momentum = 0.9, .dampening = 0.5});
  w.set_grad(tensor({0.5, -1.0}, {.dtype = f64}));
  opt.step();
  // First step: buf = g = [0.5, −1] (no dampening on the first step); w = [1 − 0.05, 2 + 0.1].
  check_values(opt.state(w).at("momentum_buffer"), {0.5, -1.0}, 1e-15);
  check_values(w, {0.95, 2.1}, 1e-15);
  opt.step();
  // buf = 0.9·[0.5, −1] + 0.5·[0.5, −1] = [0.7, −1.4]; w = [0.95 − 0.07, 2.1 + 0.14].
  check_values(opt.state(w).at("momentum_buffer"), {0.7, -1.4}, 1e-15);
  check_values(w, {0.88, 2.24}, 1e-14);
  CHECK(w.requires_grad());
  CHECK(w.is_leaf());
}

TEST_CASE("Adam's first step moves each weight by lr against the sign of its gradient") {
  Tensor w = tensor({{1.0, -2.0}, {0.0, 3.0}}, {.requires_grad = true});
  Adam opt({w}, {.lr = 0.01, .eps = 0.0});
  w.set_grad(tensor({{4.0, -0.5}, {2.0, 1e-3}}));
  opt.step();
  // m = 0.1 g, v = 0.001 g²; m̂ = g, v̂ = g²: step = lr · g / |g| exactly when eps = 0.
  check_values(w, {0.99, -1.99, -0.01, 2.99}, 1e-6);
  const ParamState& state = opt.state(w);
  CHECK(state.step == 1);
  check_values(state.at("exp_avg"), {0.4, -0.05, 0.2, 1e-4}, 1e-6);
  check_values(state.at("exp_avg_sq"), {0.016, 0.00025, 0.004, 1e-9}, 1e-5);
  CHECK_FALSE(state.has("max_exp_avg_sq"));
  CHECK_THROWS_WITH_AS(state.at("momentum_buffer"), doctest::Contains("no buffer 'momentum_buffer'"),
                       Error);
}

TEST_CASE("AdamW decays the weights before the Adam step; Adam adds the decay to the gradient") {
  // Zero gradient: Adam with wd sees g = wd·θ and moves by lr; AdamW only shrinks θ·(1 − lr·wd)
  // and its moments stay 0, so m/denom = 0.
  Tensor a = tensor({2.0}, {.dtype = f64, .requires_grad = true});
  Tensor b = tensor({2.0}, {.dtype = f64, .requires_grad = true});
  Adam adam({a}, {.lr = 0.1, .weight_decay = 0.5});
  AdamW adamw({b}, {.lr = 0.1, .weight_decay = 0.5});
  a.set_grad(zeros({1}, {.dtype = f64}));
  b.set_grad(zeros({1}, {.dtype = f64}));
  adam.step();
  adamw.step();
  // Adam: g = 0.5·2 = 1 → w = 2 − 0.1·1/(1 + 1e-8) ≈ 1.9.  AdamW: 2·(1 − 0.05) = 1.9 exactly.
  check_values(a, {2.0 - 0.1 / (1.0 + 1e-8)}, 1e-15);
  check_values(b, {1.9}, 1e-15);
  check_values(adamw.state(b).at("exp_avg"), {0.0}, 0);
  CHECK(AdamWOptions{}.weight_decay == 1e-2);
  CHECK(adamw.options(0).weight_decay == 0.5);
}

TEST_CASE("zero_grad: set_to_none (default) and zero-filling") {
  Tensor w = tensor({1.0, 2.0}, {.requires_grad = true});
  SGD opt({w}, {.lr = 1.0});
  w.set_grad(tensor({3.0, 4.0}));
  opt.zero_grad(false);
  REQUIRE(w.grad().defined());
  check_values(w.grad(), {0, 0}, 0);
  opt.zero_grad();
  CHECK_FALSE(w.grad().defined());
  opt.step();  // no grad: nothing happens
  check_values(w, {1, 2}, 0);
  CHECK(opt.state(w).buffers.empty());
}

TEST_CASE("optimisers reject bad parameters and options with clear errors") {
  Tensor w = tensor({1.0}, {.requires_grad = true});
  CHECK_THROWS_WITH_AS(SGD(std::vector<Tensor>{}, {.lr = 0.1}), doctest::Contains("empty"), Error);
  CHECK_THROWS_WITH_AS(SGD({w, w}, {.lr = 0.1}),
                       doctest::Contains("parameter 1 of group 0 is also parameter 0 of group 0"), Error);
  CHECK_THROWS_WITH_AS(SGD(std::vector<ParamGroup<SGDOptions>>{{{w}, {}}, {{w}, {}}}),
                       doctest::Contains("parameter 0 of group 1 is also parameter 0 of group 0"), Error);
  CHECK_THROWS_WITH_AS(SGD({w * 2.0}, {.lr = 0.1}), doctest::Contains("not a leaf"), Error);
  CHECK_THROWS_WITH_AS(SGD({tensor({1.0}, {.dtype = i64})}, {.lr = 0.1}),
                       doctest::Contains("only f32/f64"), Error);
  CHECK_THROWS_WITH_AS(SGD({w}, {.lr = -1.0}), doctest::Contains("SGD: invalid learning rate -1"), Error);
  CHECK_THROWS_WITH_AS(SGD({w}, {.lr = 0.1, .nesterov = true}),
                       doctest::Contains("Nesterov momentum requires momentum > 0"), Error);
  CHECK_THROWS_WITH_AS(SGD({w}, {.lr = 0.1, .momentum = 0.9, .dampening = 0.1, .nesterov = true}),
                       doctest::Contains("zero dampening"), Error);
  CHECK_THROWS_WITH_AS(Adam({w}, {.betas = {0.9, 1.0}}),
                       doctest::Contains("Adam: invalid beta parameter at index 1: 1"), Error);
  CHECK_THROWS_WITH_AS(AdamW({w}, {.eps = -1.0}), doctest::Contains("AdamW: invalid eps"), Error);
  CHECK_THROWS_WITH_AS(Adam({w}, {.weight_decay = -0.1}), doctest::Contains("invalid weight_decay"), Error);
  SGD opt({w}, {.lr = 0.1});
  CHECK_THROWS_WITH_AS(opt.state(tensor({1.0})), doctest::Contains("not a parameter of this optimiser"),
                       Error);
  CHECK_THROWS_WITH_AS(opt.params(3), doctest::Contains("group 3 out of range"), Error);
  CHECK_THROWS_WITH_AS(opt.set_lr(1, 0.5), doctest::Contains("SGD: parameter group 1 out of range (the optimiser has 1 groups)"), Error);
  CHECK_THROWS_WITH_AS(opt.add_param_group({{w}, {.lr = 0.1}}), doctest::Contains("also parameter"), Error);
}

TEST_CASE("add_param_group and per-group lr") {
  Tensor a = tensor({1.0}, {.dtype = f64, .requires_grad = true});
  Tensor b = tensor({1.0}, {.dtype = f64, .requires_grad = true});
  SGD opt({a}, {.lr = 0.1});
  opt.add_param_group({{b}, {.lr = 0.5}});
  REQUIRE(opt.num_param_groups() == 2);
  opt.set_lr(0, 0.2);
  a.set_grad(ones({1}, {.dtype = f64}));
  b.set_grad(ones({1}, {.dtype = f64}));
  opt.step();
  check_values(a, {0.8}, 1e-15);  // 1 − 0.2·1
  check_values(b, {0.5}, 1e-15);  // 1 − 0.5·1
  CHECK(opt.param_groups()[1].options.lr == 0.5);
}

// ---- schedulers: every value derived by hand from the closed forms ----
namespace {
// The lr of group 0 at epochs 0..n (0 = right after construction), stepping once per epoch.
std::vector<double> lr_sequence(LRScheduler& scheduler, Optimizer& opt, int epochs) {
  std::vector<double> lrs = {opt.lr(0)};
  CHECK(scheduler.get_last_lr() == std::vector<double>{opt.lr(0)});
  for (int e = 0; e < epochs; ++e) {
    scheduler.step();
    lrs.push_back(opt.lr(0));
    CHECK(scheduler.get_last_lr()[0] == opt.lr(0));
    CHECK(scheduler.last_epoch() == e + 1);
  }
  return lrs;
}
void check_sequence(const std::vector<double>& got, const std::vector<double>& expected) {
  REQUIRE(got.size() == expected.size());
  for (size_t e = 0; e < got.size(); ++e) {
    INFO("epoch " << e);
    CHECK(got[e] == doctest::Approx(expected[e]).epsilon(1e-12));
  }
}
}  // namespace

TEST_CASE("StepLR, MultiStepLR, CosineAnnealingLR and LinearLR give PyTorch's lr sequences") {
  Tensor w = zeros({1}, {.requires_grad = true});
  {
    SGD opt({w}, {.lr = 0.1});
    StepLR schedule(opt, {.step_size = 3, .gamma = 0.5});  // 0.1 · 0.5^⌊e/3⌋
    check_sequence(lr_sequence(schedule, opt, 7), {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025});
  }
  {
    SGD opt({w}, {.lr = 0.1});
    MultiStepLR schedule(opt, {.milestones = {5, 2}, .gamma = 0.1});  // sorted: ×0.1 at 2 and at 5
    check_sequence(lr_sequence(schedule, opt, 6), {0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001});
  }
  {
    SGD opt({w}, {.lr = 0.1});
    MultiStepLR schedule(opt, {.milestones = {2, 2}, .gamma = 0.5});  // listed twice: ×0.25 at 2
    check_sequence(lr_sequence(schedule, opt, 3), {0.1, 0.1, 0.025, 0.025});
  }
  {
    SGD opt({w}, {.lr = 0.1});
    // 0.01 + 0.09·(1 + cos(π e / 4))/2: cos = 1, √½, 0, −√½, −1, −√½ (past T_max it climbs back).
    CosineAnnealingLR schedule(opt, {.T_max = 4, .eta_min = 0.01});
    const double r = std::sqrt(0.5);
    check_sequence(lr_sequence(schedule, opt, 5), {0.1, 0.01 + 0.045 * (1 + r), 0.055,
                                                   0.01 + 0.045 * (1 - r), 0.01, 0.01 + 0.045 * (1 - r)});
  }
  {
    SGD opt({w}, {.lr = 0.1});
    LinearWarmup schedule(opt, {.start_factor = 0.25, .total_iters = 3});  // 0.25 → 1 in 3 epochs
    check_sequence(lr_sequence(schedule, opt, 5), {0.025, 0.05, 0.075, 0.1, 0.1, 0.1});
  }
}

TEST_CASE("SequentialLR: linear warm-up, then cosine restarted at the milestone") {
  Tensor w = zeros({1}, {.requires_grad = true});
  SGD opt({w}, {.lr = 0.2});
  auto warmup = std::make_shared<LinearLR>(opt, LinearLROptions{.start_factor = 0.5, .total_iters = 2});
  auto cosine = std::make_shared<CosineAnnealingLR>(opt, CosineAnnealingLROptions{.T_max = 4});
  SequentialLR schedule(opt, {warmup, cosine}, {2});
  // Epochs 0, 1: 0.2·(0.5, 0.75). From epoch 2 the cosine at its own epoch e − 2:
  // 0.2·(1 + cos(π k/4))/2 for k = 0..5 → 0.2, 0.1707…, 0.1, 0.0292…, 0, 0.0292… (as PyTorch).
  const double r = std::sqrt(0.5);
  check_sequence(lr_sequence(schedule, opt, 7),
                 {0.1, 0.15, 0.2, 0.1 * (1 + r), 0.1, 0.1 * (1 - r), 0.0, 0.1 * (1 - r)});
}

TEST_CASE("schedulers scale each group from its own initial lr; the optimiser uses the new lr") {
  Tensor a = zeros({1}, {.dtype = f64, .requires_grad = true});
  Tensor b = zeros({1}, {.dtype = f64, .requires_grad = true});
  SGD opt(std::vector<ParamGroup<SGDOptions>>{{.params = {a}, .options = {.lr = 0.1}},
                                              {.params = {b}, .options = {.lr = 1.0}}});
  LinearLR warmup(opt, {.start_factor = 0.5, .total_iters = 1});
  CHECK(warmup.get_last_lr() == std::vector<double>{0.05, 0.5});
  // A second scheduler starts from the initial lrs (0.1, 1.0), not from the warmed-down ones.
  StepLR step(opt, {.step_size = 1, .gamma = 0.1});
  CHECK(opt.initial_lr(0) == 0.1);
  CHECK(opt.initial_lr(1) == 1.0);
  CHECK(step.get_last_lr() == std::vector<double>{0.1, 1.0});
  step.step();
  check_sequence({opt.lr(0), opt.lr(1)}, {0.01, 0.1});
  a.set_grad(ones({1}, {.dtype = f64}));
  b.set_grad(ones({1}, {.dtype = f64}));
  opt.step();
  check_values(a, {-0.01}, 1e-15);
  check_values(b, {-0.1}, 1e-15);
}

TEST_CASE("LambdaLR and set_last_epoch: LDAM-DRW's warm-up and steps") {
  Tensor w = zeros({1}, {.requires_grad = true});
  SGD opt({w}, {.lr = 0.1});
  LambdaLR schedule(opt, [](int64_t e) { return e < 5 ? (e + 1) / 5.0 : e < 160 ? 1.0 : e < 180 ? 0.01 : 1e-4; });
  CHECK(opt.lr(0) == doctest::Approx(0.02).epsilon(1e-12));  // E = 1: lr·1/5
  schedule.step();
  CHECK(opt.lr(0) == doctest::Approx(0.04).epsilon(1e-12));
  schedule.set_last_epoch(4);
  CHECK(opt.lr(0) == doctest::Approx(0.1).epsilon(1e-12));
  schedule.set_last_epoch(160);
  CHECK(opt.lr(0) == doctest::Approx(0.001).epsilon(1e-12));
  schedule.step();
  CHECK(schedule.last_epoch() == 161);
  schedule.set_last_epoch(180);
  CHECK(opt.lr(0) == doctest::Approx(1e-5).epsilon(1e-12));
}

TEST_CASE("schedulers reject bad options") {
  Tensor w = zeros({1}, {.requires_grad = true});
  SGD opt({w}, {.lr = 0.1});
  SGD other({zeros({1}, {.requires_grad = true})}, {.lr = 0.1});
  CHECK_THROWS_WITH_AS(StepLR(opt, {.step_size = 0}), doctest::Contains("StepLR: step_size must be positive, got 0"), Error);
  CHECK_THROWS_WITH_AS(CosineAnnealingLR(opt, {.T_max = 0}), doctest::Contains("T_max must be positive"), Error);
  CHECK_THROWS_WITH_AS(LinearLR(opt, {.start_factor = 0.0}), doctest::Contains("start_factor must be in (0, 1]"), Error);
  CHECK_THROWS_WITH_AS(MultiStepLR(opt, {.milestones = {-1}}), doctest::Contains("milestone -1 is negative"), Error);
  auto first = std::make_shared<StepLR>(opt, StepLROptions{.step_size = 1});
  auto second = std::make_shared<StepLR>(opt, StepLROptions{.step_size = 2});
  auto foreign = std::make_shared<StepLR>(other, StepLROptions{.step_size = 2});
  CHECK_THROWS_WITH_AS(SequentialLR(opt, {first, second}, {}), doctest::Contains("2 schedulers need 1 milestones, got 0"), Error);
  CHECK_THROWS_WITH_AS(SequentialLR(opt, {first, second, first}, {3, 3}), doctest::Contains("strictly increasing"), Error);
  CHECK_THROWS_WITH_AS(SequentialLR(opt, {first, foreign}, {3}), doctest::Contains("scheduler 1 belongs to a different optimiser"), Error);
  StepLR schedule(opt, {.step_size = 1});
  CHECK_THROWS_WITH_AS(schedule.set_last_epoch(-1), doctest::Contains("epoch -1 is negative"), Error);
}

// ---- clipping and MaxNorm ----
TEST_CASE("clip_grad_norm_: total norm over all grads, scaled by max_norm / (total + 1e-6)") {
  Tensor a = zeros({2}, {.dtype = f64, .requires_grad = true});
  Tensor b = zeros({1, 1}, {.dtype = f64, .requires_grad = true});
  Tensor c = zeros({3}, {.dtype = f64, .requires_grad = true});  // no grad: ignored
  auto set = [&] {
    a.set_grad(tensor({3.0, 4.0}, {.dtype = f64}));
    b.set_grad(tensor({{12.0}}, {.dtype = f64}));
  };
  set();
  // L2: √(9 + 16 + 144) = 13; 6.5 / (13 + 1e-6) ≈ ½.
  CHECK(nn::utils::clip_grad_norm_({a, b, c}, 6.5) == doctest::Approx(13.0).epsilon(1e-15));
  const double coef = 6.5 / (13.0 + 1e-6);
  check_values(a.grad(), {3 * coef, 4 * coef}, 1e-15);
  check_values(b.grad(), {12 * coef}, 1e-15);
  CHECK_FALSE(c.grad().defined());
  set();
  // Under the limit: untouched.
  CHECK(nn::utils::clip_grad_norm_({a, b}, 13.5) == doctest::Approx(13.0).epsilon(1e-12));
  check_values(a.grad(), {3, 4}, 0);
  // L1 = 19, L∞ = 12, L3 = (27 + 64 + 1728)^(1/3).
  CHECK(nn::utils::clip_grad_norm_({a, b}, 9.5, 1.0) == doctest::Approx(19.0).epsilon(1e-12));
  check_values(b.grad(), {12 * 9.5 / (19.0 + 1e-6)}, 1e-15);
  set();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(nn::utils::clip_grad_norm_({a, b}, 24.0, inf) == 12.0);
  check_values(b.grad(), {12}, 0);
  CHECK(nn::utils::clip_grad_norm_({a, b}, 100.0, 3.0) == doctest::Approx(std::cbrt(1819.0)).epsilon(1e-12));
  CHECK(nn::utils::clip_grad_norm_({c}, 1.0) == 0.0);  // no grads at all
  a.set_grad(tensor({std::nan(""), 1.0}, {.dtype = f64}));
  CHECK_THROWS_WITH_AS(nn::utils::clip_grad_norm_({a, b}, 1.0, {.error_if_nonfinite = true}),
                       doctest::Contains("total norm of order 2 of the gradients is nan"), Error);
  CHECK_THROWS_WITH_AS(nn::utils::clip_grad_norm_({a}, 1.0, 0.0), doctest::Contains("norm_type must be positive"), Error);
}

TEST_CASE("clip_grad_value_ clamps every grad element") {
  Tensor w = zeros({3}, {.requires_grad = true});
  w.set_grad(tensor({-3.0, 0.5, 2.0}));
  nn::utils::clip_grad_value_({w}, 1.0);
  check_values(w.grad(), {-1.0, 0.5, 1.0}, 0);
}

TEST_CASE("MaxNorm projects rows longer than the threshold onto it (torch.renorm semantics)") {
  // Row norms 5, 1, 5.
  Tensor w = tensor({{3.0, 4.0}, {0.6, 0.8}, {0.0, 5.0}}, {.dtype = f64, .requires_grad = true});
  Tensor bias = tensor({10.0, -10.0}, {.dtype = f64, .requires_grad = true});
  nn::utils::MaxNorm({.max_norm = 2.0}).apply({w, bias});
  const double s = 2.0 / (5.0 + 1e-7);  // renorm's factor for a norm of 5
  check_values(w, {3 * s, 4 * s, 0.6, 0.8, 0.0, 5 * s}, 1e-15);
  check_values(bias, {10.0, -10.0}, 0);  // 1-D: left alone
  CHECK(w.requires_grad());
  check_values(nn::utils::slice_norms(w), {2.0, 1.0, 2.0}, 1e-7);

  // Weight balancing's threshold: δ = min + 0.1·(max − min) = 1 + 0.1·(5 − 1) = 1.4.
  Tensor v = tensor({{3.0, 4.0}, {0.6, 0.8}, {0.0, 5.0}}, {.dtype = f64});
  const nn::utils::MaxNorm constraint = nn::utils::MaxNorm::from_row_norms(v, 0.1);
  CHECK(constraint.max_norm() == doctest::Approx(1.4).epsilon(1e-12));
  constraint.apply(v);
  check_values(nn::utils::slice_norms(v), {1.4, 1.0, 1.4}, 1e-7);
}

TEST_CASE("renorm_ along other dims and p; slice_norms") {
  // Columns' L1 norms: 4 and 6; max 5 → only column 1 scaled, by 5 / (6 + 1e-7).
  Tensor x = tensor({{1.0, -2.0}, {3.0, 4.0}}, {.dtype = f64});
  nn::utils::renorm_(x, 1.0, 1, 5.0);
  const double s = 5.0 / (6.0 + 1e-7);
  check_values(x, {1.0, -2 * s, 3.0, 4 * s}, 1e-15);
  check_values(nn::utils::slice_norms(tensor({-3.0, 2.0})), {3.0, 2.0}, 0);
  check_values(nn::utils::slice_norms(tensor({{{1.0, -7.0}}, {{2.0, 0.5}}}), INFINITY, 0), {7.0, 2.0}, 0);
  CHECK_THROWS_WITH_AS(nn::utils::renorm_(tensor({1.0}), 2.0, 0, 1.0), doctest::Contains("at least 2 dims"), Error);
  CHECK_THROWS_WITH_AS(nn::utils::MaxNorm({.max_norm = -1.0}), doctest::Contains("max_norm must be ≥ 0"), Error);
}

// ---- optimiser state_dict: resume through a safetensors file ----
TEST_CASE("Adam state_dict saved to safetensors resumes the same trajectory") {
  Problem run(f64), resumed(f64);
  Adam first({run.t1, run.t2, run.t3}, {.lr = 0.05, .amsgrad = true});
  for (int step = 0; step < 2; ++step) {
    first.zero_grad();
    run.loss().backward();
    first.step();
  }
  const nn::StateDict state = first.state_dict();
  CHECK(state.at("state.0.step").item<int64_t>() == 2);
  CHECK(state.count("state.1.max_exp_avg_sq") == 1);
  CHECK(state.count("state.2.step") == 0);  // θ3 never had a grad
  CHECK(state.at("param_groups.0.lr").item<double>() == 0.05);
  std::string name = "fulcrum_test_optim_";
  name.append(std::to_string(::getpid())).append(".safetensors");
  const std::string path = (std::filesystem::temp_directory_path() / name).string();
  nn::save_safetensors(path, state);
  {
    NoGradGuard no_grad;
    resumed.t1.copy_(run.t1);
    resumed.t2.copy_(run.t2);
  }
  Adam second({resumed.t1, resumed.t2, resumed.t3}, {.lr = 0.05, .amsgrad = true});
  second.load_state_dict(nn::load_safetensors(path));
  std::filesystem::remove(path);
  for (int step = 0; step < 3; ++step) {
    for (auto [opt, problem] : {std::pair{&first, &run}, std::pair{&second, &resumed}}) {
      opt->zero_grad();
      problem->loss().backward();
      opt->step();
    }
  }
  CHECK(second.state(resumed.t1).step == 5);
  CHECK(resumed.t1.to_vector<double>() == run.t1.to_vector<double>());
  CHECK(resumed.t2.to_vector<double>() == run.t2.to_vector<double>());

  nn::StateDict bad = state;
  bad["state.0.exp_avg"] = zeros({3});
  CHECK_THROWS_WITH_AS(second.load_state_dict(bad), doctest::Contains("'state.0.exp_avg' is [3] f32 but parameter 0 is [2, 2] f64"), Error);
  CHECK_THROWS_WITH_AS(second.load_state_dict({{"momentum", zeros({1})}}), doctest::Contains("unexpected key 'momentum'"), Error);
  CHECK_THROWS_WITH_AS(second.load_state_dict({{"state.7.step", zeros({1})}}), doctest::Contains("refers to parameter 7 but the optimiser has 3"), Error);
  CHECK(second.state(resumed.t1).step == 5);  // a rejected dict changes nothing
}
