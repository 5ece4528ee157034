// tests/nn/dropout.cpp — nn::Dropout and Dropout2d: identity in eval; in train, elements (whole
// channels for Dropout2d) zeroed with probability p and the rest scaled by 1/(1 − p).
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

// ---------------------------------------------------------------- Dropout, BatchNorm

TEST_CASE("Dropout: identity in eval; in train, a fraction p zeroed and the rest scaled by 1/(1 − p)") {
  const Tensor x = ones({200000});
  nn::Dropout dropout({.p = 0.3});
  dropout.eval();
  CHECK(equal(dropout(x), x));
  dropout.train();
  manual_seed(7);
  const Tensor y = dropout(x);
  const std::vector<float> values = y.to_vector<float>();
  int64_t zeros_count = 0, scaled = 0;
  for (float value : values) {
    if (value == 0.0f) ++zeros_count;
    if (std::abs(value - 1.0f / 0.7f) < 1e-6f) ++scaled;
  }
  CHECK(zeros_count + scaled == 200000);  // nothing else
  // Binomial: σ of the fraction = √(0.3·0.7/200000) ≈ 0.001; allow 5σ.
  CHECK(std::abs(static_cast<double>(zeros_count) / 200000.0 - 0.3) < 0.005);
  CHECK(std::abs(y.mean().item() - 1.0) < 0.01);  // the scaling keeps the expectation
  // Same seed, same mask (default generator); a Generator in the options is used instead.
  manual_seed(7);
  CHECK(equal(dropout(x), y));
  Generator generator(7);
  nn::Dropout seeded({.p = 0.3, .generator = &generator});
  const Tensor a = seeded(x);
  generator.manual_seed(7);
  CHECK(equal(seeded(x), a));
  generator.manual_seed(8);
  CHECK(!equal(seeded(x), a));
  // p = 0 keeps everything, p = 1 drops everything.
  CHECK(equal(nn::Dropout({.p = 0.0})(x), x));
  CHECK(nn::Dropout({.p = 1.0})(x).abs().sum().item() == 0.0);
  CHECK(contains(error_of([] { nn::Dropout({.p = 1.5}); }), "Dropout: dropout probability has to be between 0 and 1, got 1.5"));
}

TEST_CASE("Dropout2d: whole channels zeroed with probability p") {
  const Tensor x = ones({64, 32, 3, 3});
  nn::Dropout2d dropout({.p = 0.5});
  manual_seed(9);
  const Tensor per_channel = dropout(x).reshape({64 * 32, 9});
  const Tensor channel_max = per_channel.max(1), channel_min = min(per_channel, {1});
  CHECK(equal(channel_max, channel_min));  // each channel constant: all dropped or all kept
  int64_t dropped = 0;
  for (float value : channel_max.to_vector<float>()) {
    CHECK((value == 0.0f || value == 2.0f));  // kept values scaled by 1/(1 − 0.5)
    dropped += value == 0.0f;
  }
  // 2048 channels: σ of the fraction ≈ 0.011; allow 4.5σ.
  CHECK(std::abs(static_cast<double>(dropped) / 2048.0 - 0.5) < 0.05);
  dropout.eval();
  CHECK(equal(dropout(x), x));
  CHECK(contains(error_of([&] { dropout(ones({4, 4})); }), "Dropout2d: expected input [N, C, H, W]"));
}
