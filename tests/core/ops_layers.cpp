// tests/core/ops_layers.cpp — value tests of the layer ops (erf, conv2d, max_pool2d, avg_pool2d of
// nn/functional.hpp) with hand-computed expectations; in the test_ops suite so that core/op_list.cpp
// covers them. Arithmetic for each expectation is written next to it.
#include <doctest/doctest.h>

#include "fulcrum.hpp"
#include "nn/functional.hpp"
#include "op_registry.hpp"
#include "test_support.hpp"

using namespace fulcrum;
using fulcrum::testing::check_close_within;

namespace {
// x = 0, 1, …, n−1 laid out as [1, 1, h, w].
Tensor ramp(int64_t h, int64_t w) { return arange(0.0, double(h * w), 1.0, {.dtype = DType::f32}).reshape({1, 1, h, w}); }
}  // namespace

OP_VALUE_TEST(erf) {
  // Tabulated values: erf(0.5) = 0.5204998778, erf(1) = 0.8427007929, erf(2) = 0.9953222650.
  check_close_within(erf(tensor({0.0, 0.5, 1.0, -1.0, 2.0}, {.dtype = DType::f64})),
              tensor({0.0, 0.5204998778, 0.8427007929, -0.8427007929, 0.9953222650}, {.dtype = DType::f64}), 1e-9);
}

OP_VALUE_TEST(conv2d) {
  const Tensor x = ramp(3, 3) + 1.0;  // [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
  const Tensor w = tensor({{1, 0}, {0, -1}}).reshape({1, 1, 2, 2});
  const Tensor b = tensor({0.5});
  // Each output: x[i][j] − x[i+1][j+1] + 0.5 = −4 + 0.5.
  check_close_within(F::conv2d(x, w, b), full({1, 1, 2, 2}, -3.5));
  // stride 2, padding 1: output 2×2; windows start at rows/cols −1 and 1 (zeros outside):
  //   (0,0): −x[0][0] = −1;  (0,1): −x[0][2] = −3;  (1,0): −x[2][0] = −7;  (1,1): x[1][1] − x[2][2] = −4.
  check_close_within(F::conv2d(x, w, b, {.stride = {2, 2}, .padding = {1, 1}}),
              tensor({{-1 + 0.5, -3 + 0.5}, {-7 + 0.5, -4 + 0.5}}).reshape({1, 1, 2, 2}));
  // dilation 2 with a 2×2 kernel of ones reads the four corners: 1 + 3 + 7 + 9 = 20.
  check_close_within(F::conv2d(x, ones({1, 1, 2, 2})), tensor({{12, 16}, {24, 28}}).reshape({1, 1, 2, 2}));
  check_close_within(F::conv2d(x, ones({1, 1, 2, 2}), Tensor(), {.dilation = {2, 2}}), full({1, 1, 1, 1}, 20.0));
  // groups = 2: channel 0 uses weight 2, channel 1 weight −1, separately.
  const Tensor two = tensor({1, 2, 3, 4, 5, 6, 7, 8}).reshape({1, 2, 2, 2});
  check_close_within(F::conv2d(two, tensor({2, -1}).reshape({2, 1, 1, 1}), Tensor(), {.groups = 2}),
              tensor({2, 4, 6, 8, -5, -6, -7, -8}).reshape({1, 2, 2, 2}));
  // Two input channels summed into one output: 1·ch0 + 10·ch1, plus two images in the batch.
  const Tensor batch = cat({two, two * 2.0}, 0);
  check_close_within(F::conv2d(batch, tensor({1, 10}).reshape({1, 2, 1, 1})),
              tensor({51, 62, 73, 84, 102, 124, 146, 168}).reshape({2, 1, 2, 2}));
}

OP_VALUE_TEST(max_pool2d) {
  const Tensor x = ramp(4, 4);  // rows [0..3], [4..7], [8..11], [12..15]
  check_close_within(F::max_pool2d(x, {.kernel_size = {2, 2}}), tensor({{5, 7}, {13, 15}}).reshape({1, 1, 2, 2}));
  // kernel 2, stride 2, padding 1 → 3×3 windows over rows {−1,0}, {1,2}, {3,4} (same for cols).
  check_close_within(F::max_pool2d(x, {.kernel_size = {2, 2}, .stride = {{2, 2}}, .padding = {1, 1}}),
              tensor({{0, 2, 3}, {8, 10, 11}, {12, 14, 15}}).reshape({1, 1, 3, 3}));
  // kernel 3, stride 1: each 3×3 window's maximum is its bottom-right corner.
  check_close_within(F::max_pool2d(x, {.kernel_size = {3, 3}, .stride = {{1, 1}}}),
              tensor({{10, 11}, {14, 15}}).reshape({1, 1, 2, 2}));
  // The gradient of Σ max_pool goes to the argmax of each window: elements 5, 7, 13, 15.
  Tensor leaf = x.clone().set_requires_grad(true);
  sum(F::max_pool2d(leaf, {.kernel_size = {2, 2}})).backward();
  Tensor expected = zeros({16});
  for (int64_t i : {5, 7, 13, 15}) expected.narrow(0, i, 1).fill_(1.0);
  check_close_within(leaf.grad(), expected.reshape({1, 1, 4, 4}));
}

OP_VALUE_TEST(avg_pool2d) {
  const Tensor x = ramp(4, 4);
  // (0+1+4+5)/4 = 2.5, (2+3+6+7)/4 = 4.5, (8+9+12+13)/4 = 10.5, (10+11+14+15)/4 = 12.5.
  check_close_within(F::avg_pool2d(x, {.kernel_size = {2, 2}}), tensor({{2.5, 4.5}, {10.5, 12.5}}).reshape({1, 1, 2, 2}));
  // padding 1, first row of windows: {x00}/4 = 0, {x01, x02}/4 = 0.75, {x03}/4 = 0.75.
  Tensor padded = F::avg_pool2d(x, {.kernel_size = {2, 2}, .stride = {{2, 2}}, .padding = {1, 1}});
  check_close_within(padded.select(2, 0), tensor({{{0, 0.75, 0.75}}}));
  // count_include_pad = false divides by the elements inside: 0/1, 3/2, 3/1.
  Tensor inside = F::avg_pool2d(x, {.kernel_size = {2, 2}, .stride = {{2, 2}}, .padding = {1, 1},
                                    .count_include_pad = false});
  check_close_within(inside.select(2, 0), tensor({{{0, 1.5, 3}}}));
  // adaptive 3×3 → 2×2: windows rows/cols [0, 2) and [1, 3):
  //   mean(0,1,3,4) = 2, mean(1,2,4,5) = 3, mean(3,4,6,7) = 5, mean(4,5,7,8) = 6.
  check_close_within(F::adaptive_avg_pool2d(ramp(3, 3), {2, 2}), tensor({{2, 3}, {5, 6}}).reshape({1, 1, 2, 2}));
  // The gradient of Σ avg_pool (2×2) is 1/4 everywhere.
  Tensor leaf = x.clone().set_requires_grad(true);
  sum(F::avg_pool2d(leaf, {.kernel_size = {2, 2}})).backward();
  check_close_within(leaf.grad(), full({1, 1, 4, 4}, 0.25));
}

OP_VALUE_TEST(batch_norm) {
  // x [4, 2], eps 0. Channel 0 = 0, 0, 4, 4: mean 2, biased var 4, x̂ = −1, −1, 1, 1;
  // channel 1 = 1, 3, 5, 7: mean 4, biased var 5, x̂ = (x − 4)/√5. weight (2, 1), bias (0.5, 0).
  const TensorOptions f64{.dtype = DType::f64};
  const Tensor x = tensor({{0, 1}, {0, 3}, {4, 5}, {4, 7}}, f64);
  Tensor weight = tensor({2, 1}, f64).set_requires_grad(true);
  Tensor bias = tensor({0.5, 0}, f64).set_requires_grad(true);
  Tensor running_mean = zeros({2}, f64), running_var = ones({2}, f64);
  Tensor leaf = x.clone().set_requires_grad(true);
  const Tensor y = F::batch_norm(leaf, running_mean, running_var, weight, bias, true, 0.1, 0.0);
  const double r5 = std::sqrt(5.0);
  check_close_within(y, tensor({{-1.5, -3 / r5}, {-1.5, -1 / r5}, {2.5, 1 / r5}, {2.5, 3 / r5}}, f64), 1e-12);
  // Running statistics: 0.9·old + 0.1·batch, with the unbiased variance (× 4/3): 16/3 and 20/3.
  check_close_within(running_mean, tensor({0.2, 0.4}, f64), 1e-12);
  check_close_within(running_var, tensor({0.9 + 1.6 / 3, 0.9 + 2.0 / 3}, f64), 1e-12);
  // dy = 1 at x[0, 0] only. Channel 0: Σdy = 1, Σdy·x̂ = −1, M = 4, w·invstd = 2·½ = 1:
  //   dx = 1·(dy − ¼ − x̂·(−1)/4) = (1 − ¼ − ¼, −¼ − ¼, −¼ + ¼, −¼ + ¼) = (½, −½, 0, 0);
  //   dweight = (−1, 0), dbias = (1, 0); channel 1 has no gradient flowing in: dx = 0.
  (y * tensor({{1, 0}, {0, 0}, {0, 0}, {0, 0}}, f64)).sum().backward();
  check_close_within(leaf.grad(), tensor({{0.5, 0}, {-0.5, 0}, {0, 0}, {0, 0}}, f64), 1e-12);
  check_close_within(weight.grad(), tensor({-1, 0}, f64), 1e-12);
  check_close_within(bias.grad(), tensor({1, 0}, f64), 1e-12);
  // [N, C, H, W] normalises over N, H and W: a channel holding 1, 2, 3, 4 in its 2×2 map
  // (one image) gets mean 2.5, var 1.25, so x̂ = (x − 2.5)/√1.25.
  const Tensor image = tensor({1, 2, 3, 4}, f64).reshape({1, 1, 2, 2});
  check_close_within(F::batch_norm(image, Tensor(), Tensor(), Tensor(), Tensor(), true, 0.1, 0.0),
                     (image - 2.5) / std::sqrt(1.25), 1e-12);
}
