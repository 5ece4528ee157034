// tests/nn/normalization.cpp — nn::BatchNorm1d and BatchNorm2d: batch statistics, running statistics
// (momentum 0.1, unbiased variance), eval mode, per-channel statistics, track_running_stats = false.
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

TEST_CASE("BatchNorm1d: batch statistics, running statistics (momentum 0.1, unbiased var), eval") {
  nn::BatchNorm1d bn({.num_features = 2});
  bn.to(DType::f64);
  // Channel 0: 1, 3, 5, 7 → mean 4, biased var (9+1+1+9)/4 = 5, unbiased 20/3.
  // Channel 1: 2, 6, 10, 14 → mean 8, biased var (36+4+4+36)/4 = 20, unbiased 80/3.
  const Tensor x = tensor({{1, 2}, {3, 6}, {5, 10}, {7, 14}}, {.dtype = DType::f64});
  const Tensor y = bn(x);
  const double s0 = std::sqrt(5.0 + 1e-5), s1 = std::sqrt(20.0 + 1e-5);
  check_close_within(y, tensor({{-3 / s0, -6 / s1}, {-1 / s0, -2 / s1}, {1 / s0, 2 / s1}, {3 / s0, 6 / s1}}, {.dtype = DType::f64}), 1e-12);
  // running = 0.9·running + 0.1·batch: mean 0.9·0 + 0.1·(4, 8) = (0.4, 0.8);
  // var 0.9·1 + 0.1·(20/3, 80/3) = (1.5667, 3.5667).
  check_close_within(bn.running_mean, tensor({0.4, 0.8}, {.dtype = DType::f64}), 1e-12);
  check_close_within(bn.running_var, tensor({0.9 + 2.0 / 3, 0.9 + 8.0 / 3}, {.dtype = DType::f64}), 1e-12);
  CHECK(bn.num_batches_tracked.item<int64_t>() == 1);
  bn(x);  // second step: mean 0.9·0.4 + 0.4 = 0.76; var 0.9·1.5667 + 0.6667 = 2.0767
  check_close_within(bn.running_mean, tensor({0.76, 1.52}, {.dtype = DType::f64}), 1e-12);
  check_close_within(bn.running_var, tensor({2.076666666666667, 5.876666666666667}, {.dtype = DType::f64}), 1e-12);
  CHECK(bn.num_batches_tracked.item<int64_t>() == 2);
  // Eval normalises with the running statistics and leaves them alone (values from torch).
  bn.eval();
  const Tensor eval_y = bn(x);
  check_close_within(eval_y, tensor({{0.16654315975506273, 0.1980046270199992}, {1.5544028243805852, 1.8480431855199928},
                              {2.942262489006108, 3.498081744019986}, {4.33012215363163, 5.148120302519979}},
                             {.dtype = DType::f64}), 1e-12);
  check_close_within(eval_y.select(1, 0), (x.select(1, 0) - 0.76) / std::sqrt(2.076666666666667 + 1e-5), 1e-12);
  CHECK(bn.num_batches_tracked.item<int64_t>() == 2);
  check_close_within(bn.running_mean, tensor({0.76, 1.52}, {.dtype = DType::f64}), 1e-12);

  // The affine parameters scale and shift each channel: weight (2, 1), bias (0, 10).
  bn.train();
  { NoGradGuard no_grad; bn.weight.copy_(tensor({2.0, 1.0})); bn.bias.copy_(tensor({0.0, 10.0})); }
  check_close_within(bn(x), y * tensor({2.0, 1.0}, {.dtype = DType::f64}) + tensor({0.0, 10.0}, {.dtype = DType::f64}), 1e-12);

  // momentum nullopt: cumulative average over batches (factor 1, then 1/2).
  // Batches x and 2x: means (4, 8), (8, 16) → (6, 12); unbiased vars (20/3, 80/3), (80/3, 320/3) → (50/3, 200/3).
  nn::BatchNorm1d cumulative({.num_features = 2, .momentum = std::nullopt});
  cumulative.to(DType::f64);
  cumulative(x);
  cumulative(x * 2.0);
  check_close_within(cumulative.running_mean, tensor({6, 12}, {.dtype = DType::f64}), 1e-12);
  check_close_within(cumulative.running_var, tensor({50.0 / 3, 200.0 / 3}, {.dtype = DType::f64}), 1e-12);

  // [N, C, L]: statistics over N and L.
  nn::BatchNorm1d sequence({.num_features = 2});
  sequence(tensor({{{1, 3}, {0, 0}}, {{5, 7}, {0, 0}}}));  // channel 0: 1, 3, 5, 7
  check_close_within(sequence.running_mean, tensor({0.4, 0.0}));
  CHECK(contains(error_of([&] { bn(ones({4, 3}, {.dtype = DType::f64})); }),
                 "BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True): expected input "
                 "[N, C] or [N, C, L] with C = 2, got [4, 3]"));
  CHECK(contains(error_of([&] { bn(ones({1, 2}, {.dtype = DType::f64})); }), "expected more than 1 value per channel"));
}

TEST_CASE("BatchNorm2d: per-channel statistics over N, H, W; without tracking, eval uses the batch") {
  nn::BatchNorm2d bn({.num_features = 2});
  // Channel 0 holds 0..7 (mean 3.5, unbiased var 6), channel 1 holds 10 everywhere (var 0).
  Tensor x = cat({arange(0.0, 8.0, 1.0, {.dtype = DType::f32}).reshape({2, 1, 2, 2}), full({2, 1, 2, 2}, 10.0)}, 1);
  const Tensor y = bn(x);
  check_close_within(bn.running_mean, tensor({0.35, 1.0}));
  check_close_within(bn.running_var, tensor({0.9 + 0.6, 0.9}));
  check_close_within(y.select(1, 1), zeros({2, 2, 2}), 1e-5);  // (10 − 10)/√(0 + eps)
  check_close_within(y.select(1, 0).mean(), zeros({}), 1e-6);
  CHECK(contains(error_of([&] { bn(ones({2, 2, 3})); }), "expected input [N, C, H, W] with C = 2, got [2, 2, 3]"));

  nn::BatchNorm2d plain({.num_features = 2, .affine = false, .track_running_stats = false});
  CHECK(plain.parameters().empty());
  CHECK(plain.state_dict().empty());
  plain.eval();
  check_close_within(plain(x), y);  // batch statistics even in eval
}
