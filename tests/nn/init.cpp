// tests/nn/init.cpp — nn::init: gains and fans as torch.nn.init, bounds and standard deviations on
// large tensors, same seed gives the same weights.
// PyTorch literals come from tests/reference/nn_reference.py; the rest is derived here.
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "fulcrum.hpp"
#include "nn/functional.hpp"
#include "tests/test_support.hpp"
#include "tests/nn/nn_support.hpp"

using namespace fulcrum;
using fulcrum::testing::check_close_within;

using namespace fulcrum::testing::nn_tests;

// ---------------------------------------------------------------- init

TEST_CASE("init: gains and fans as torch.nn.init") {
  // From tests/reference/nn_reference.py.
  CHECK(nn::init::calculate_gain("linear") == 1.0);
  CHECK(nn::init::calculate_gain("conv2d") == 1.0);
  CHECK(nn::init::calculate_gain("sigmoid") == 1.0);
  CHECK(nn::init::calculate_gain("tanh") == doctest::Approx(1.6666666666666667).epsilon(1e-15));
  CHECK(nn::init::calculate_gain("relu") == doctest::Approx(1.4142135623730951).epsilon(1e-15));
  CHECK(nn::init::calculate_gain("leaky_relu") == doctest::Approx(1.4141428569978354).epsilon(1e-15));
  CHECK(nn::init::calculate_gain("leaky_relu", 0.2) == doctest::Approx(1.3867504905630728).epsilon(1e-15));
  CHECK(nn::init::calculate_gain("leaky_relu", std::sqrt(5.0)) == doctest::Approx(0.5773502691896257).epsilon(1e-15));
  CHECK(nn::init::calculate_gain("selu") == 0.75);
  CHECK(contains(error_of([] { nn::init::calculate_gain("swish"); }), "unsupported nonlinearity 'swish'"));
  CHECK(nn::init::calculate_fan_in_and_fan_out(zeros({10, 3, 5, 5})) == std::pair<int64_t, int64_t>{75, 250});
  CHECK(nn::init::calculate_fan_in_and_fan_out(zeros({50, 320})) == std::pair<int64_t, int64_t>{320, 50});
  CHECK(contains(error_of([] { nn::init::calculate_fan_in_and_fan_out(zeros({5})); }), "fewer than 2 dims, got [5]"));
  CHECK(contains(error_of([] { nn::init::kaiming_uniform_(zeros({2, 2}), {.mode = "fan_avg"}); }),
                 "mode 'fan_avg' is not supported"));
  CHECK(contains(error_of([] { nn::init::uniform_(zeros({2}, {.dtype = DType::i64})); }), "expected a floating tensor"));
}

TEST_CASE("init: bounds and standard deviations on large tensors") {
  Generator generator(21);
  const Tensor w = empty({512, 256});  // fan_in 256, fan_out 512
  auto check_std = [](const Tensor& t, double expected) {
    INFO("std " << fulcrum::std(t).item() << " expected " << expected);
    CHECK(std::abs(fulcrum::std(t).item() - expected) < 0.02 * expected);  // 131k samples: σ error ≈ 0.3%
    CHECK(std::abs(t.mean().item()) < 0.02 * expected);
  };
  // kaiming_uniform_, relu, fan_in: bound = √3·√2/√256 = √(6/256).
  nn::init::kaiming_uniform_(w, {.nonlinearity = "relu"}, &generator);
  double bound = std::sqrt(6.0 / 256.0);
  CHECK(w.abs().max().item() <= bound);
  CHECK(w.abs().max().item() > 0.999 * bound);
  check_std(w, bound / std::sqrt(3.0));
  // kaiming_normal_, leaky_relu a = 0.2, fan_out: σ = √(2/1.04)/√512.
  nn::init::kaiming_normal_(w, {.a = 0.2, .mode = "fan_out"}, &generator);
  check_std(w, std::sqrt(2.0 / 1.04) / std::sqrt(512.0));
  // xavier_uniform_ with gain 2: bound = 2·√(6/(256 + 512)).
  nn::init::xavier_uniform_(w, 2.0, &generator);
  bound = 2.0 * std::sqrt(6.0 / 768.0);
  CHECK(w.abs().max().item() <= bound);
  CHECK(w.abs().max().item() > 0.999 * bound);
  check_std(w, bound / std::sqrt(3.0));
  nn::init::xavier_normal_(w, 1.0, &generator);
  check_std(w, std::sqrt(2.0 / 768.0));
  nn::init::normal_(w, 3.0, 0.5, &generator);
  CHECK(std::abs(w.mean().item() - 3.0) < 0.01);
  CHECK(std::abs(fulcrum::std(w).item() - 0.5) < 0.01);
  nn::init::uniform_(w, -1.0, 3.0, &generator);
  CHECK((w.min().item() >= -1.0 && w.max().item() < 3.0));
  CHECK(std::abs(w.mean().item() - 1.0) < 0.02);
  nn::init::constant_(w, 0.125);
  CHECK((w.min().item() == 0.125 && w.max().item() == 0.125));
  nn::init::ones_(w);
  CHECK(w.sum().item() == 512.0 * 256.0);
  nn::init::zeros_(w);
  CHECK(w.abs().sum().item() == 0.0);
  // Works on parameters (in place under NoGradGuard), and on f64.
  const Tensor parameter = zeros({4, 4}, {.dtype = DType::f64}).set_requires_grad(true);
  nn::init::xavier_uniform_(parameter);
  CHECK(parameter.abs().sum().item() > 0.0);
  CHECK(parameter.requires_grad());
}

TEST_CASE("init: same seed, same weights") {
  manual_seed(42);
  Net a;
  manual_seed(42);
  Net b;
  manual_seed(43);
  Net c;
  for (const auto& [key, value] : a.state_dict()) {
    INFO(key);
    CHECK(equal(value, b.state_dict().at(key)));
    CHECK(!equal(value, c.state_dict().at(key)));
  }
  Generator g1(5), g2(5);
  CHECK(equal(nn::init::kaiming_normal_(empty({3, 4}), {}, &g1), nn::init::kaiming_normal_(empty({3, 4}), {}, &g2)));
}
