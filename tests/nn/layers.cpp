// tests/nn/layers.cpp — layer values and default initialisation: nn::Linear, Conv2d (options reach
// F::conv2d, init bound from fan_in), pooling, Flatten, activations, Embedding (padding_idx).
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

// ---------------------------------------------------------------- layers: values and init

TEST_CASE("Linear: y = x Wᵀ + b, PyTorch's default init bound 1/√in_features") {
  manual_seed(4);
  nn::Linear linear({.in_features = 400, .out_features = 300});
  const double bound = 1.0 / 20.0;  // 1/√400
  CHECK(linear.weight.abs().max().item() <= bound);
  CHECK(linear.weight.abs().max().item() > 0.99 * bound);     // 120k draws reach the edge
  CHECK(std::abs(fulcrum::std(linear.weight).item() - bound / std::sqrt(3.0)) < 0.01 * bound);  // U(−b, b): σ = b/√3
  CHECK(std::abs(linear.weight.mean().item()) < 0.01 * bound);
  CHECK(linear.bias.abs().max().item() <= bound);
  CHECK(linear.bias.abs().max().item() > 0.9 * bound);        // 300 draws

  nn::Linear small({.in_features = 2, .out_features = 2, .bias = false});
  CHECK(!small.bias.defined());
  CHECK(small.parameters().size() == 1);
  { NoGradGuard no_grad; small.weight.copy_(tensor({{1, 2}, {3, 4}})); }
  // [1, 1]·Wᵀ = [1 + 2, 3 + 4]; a leading batch of shape [2, 1] is kept.
  check_close_within(small(tensor({{1, 1}})), tensor({{3, 7}}));
  CHECK(small(ones({2, 1, 2})).shape() == Shape{2, 1, 2});
  CHECK(contains(error_of([&] { small(ones({3, 5})); }),
                 "Linear(in_features=2, out_features=2, bias=False): expected input [..., 2], got [3, 5]"));
  CHECK(contains(error_of([] { nn::Linear({.out_features = 3}); }),
                 "Linear: in_features and out_features must be ≥ 1, got in_features = 0"));
}

TEST_CASE("Conv2d: options reach F::conv2d; init bound uses fan_in = in/groups·kh·kw") {
  manual_seed(3);
  nn::Conv2d conv({.in_channels = 4, .out_channels = 6, .kernel_size = {3, 5}, .stride = {2, 1},
                   .padding = {1, 2}, .dilation = 2, .groups = 2});
  CHECK(conv.weight.shape() == Shape{6, 2, 3, 5});
  const double bound = 1.0 / std::sqrt(30.0);  // fan_in = 4/2 · 3 · 5
  CHECK(conv.weight.abs().max().item() <= bound);
  CHECK(conv.weight.abs().max().item() > 0.9 * bound);
  CHECK(conv.bias.abs().max().item() <= bound);
  const Tensor x = randn({2, 4, 9, 11});
  const Tensor y = conv(x);
  // OH = ⌊(9 + 2·1 − 2·(3 − 1) − 1)/2⌋ + 1 = 4;  OW = (11 + 2·2 − 2·(5 − 1) − 1)/1 + 1 = 7.
  CHECK(y.shape() == Shape{2, 6, 4, 7});
  check_close_within(y, F::conv2d(x, conv.weight, conv.bias,
                           {.stride = {2, 1}, .padding = {1, 2}, .dilation = {2, 2}, .groups = 2}));
  // A hand-computed 1×1 case: weight 2, bias 0.5 → y = 2x + 0.5.
  nn::Conv2d one({.in_channels = 1, .out_channels = 1, .kernel_size = 1});
  { NoGradGuard no_grad; one.weight.fill_(2.0); one.bias.fill_(0.5); }
  check_close_within(one(tensor({{1, 2}, {3, 4}}).reshape({1, 1, 2, 2})), tensor({{2.5, 4.5}, {6.5, 8.5}}).reshape({1, 1, 2, 2}));
  CHECK(contains(error_of([&] { conv(ones({2, 3, 9, 11})); }), "expected input [N, 4, H, W], got [2, 3, 9, 11]"));
  CHECK(contains(error_of([&] { conv(ones({4, 9, 11})); }), "got [4, 9, 11]"));
  CHECK(contains(error_of([] { nn::Conv2d({.in_channels = 3, .out_channels = 4, .kernel_size = 3, .groups = 2}); }),
                 "Conv2d: groups = 2 must divide in_channels = 3 and out_channels = 4"));
  CHECK(contains(error_of([] { nn::Conv2d({.in_channels = 3, .out_channels = 4}); }), "kernel_size must be ≥ 1"));
  CHECK(contains(error_of([] { nn::Conv2d({.in_channels = 1, .out_channels = 1, .kernel_size = 3, .stride = 0}); }),
                 "stride must be ≥ 1, got (0, 0)"));
}

TEST_CASE("pooling, Flatten and activation layers") {
  const Tensor ramp = arange(0.0, 16.0, 1.0, {.dtype = DType::f32}).reshape({1, 1, 4, 4});
  check_close_within(nn::MaxPool2d({.kernel_size = 2})(ramp), tensor({{5, 7}, {13, 15}}).reshape({1, 1, 2, 2}));
  // kernel 3, stride 1: the bottom-right corner of each window.
  check_close_within(nn::MaxPool2d({.kernel_size = 3, .stride = 1})(ramp), tensor({{10, 11}, {14, 15}}).reshape({1, 1, 2, 2}));
  // (0+1+4+5)/4 = 2.5, (2+3+6+7)/4 = 4.5, (8+9+12+13)/4 = 10.5, (10+11+14+15)/4 = 12.5.
  check_close_within(nn::AvgPool2d({.kernel_size = 2})(ramp), tensor({{2.5, 4.5}, {10.5, 12.5}}).reshape({1, 1, 2, 2}));
  // Padding 1, count_include_pad = false: the first window holds only x00 = 0, the second x01, x02.
  const Tensor padded = nn::AvgPool2d({.kernel_size = 2, .padding = 1, .count_include_pad = false})(ramp);
  check_close_within(padded.select(2, 0), tensor({{{0, 1.5, 3}}}));
  check_close_within(nn::AdaptiveAvgPool2d()(ramp), full({1, 1, 1, 1}, 7.5));  // global mean of 0..15
  CHECK(nn::AdaptiveAvgPool2d({.output_size = {2, 3}})(ramp).shape() == Shape{1, 1, 2, 3});
  CHECK(contains(error_of([&] { nn::MaxPool2d({.kernel_size = 2})(ones({4, 4})); }),
                 "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False): expected input [N, C, H, W]"));
  CHECK(contains(error_of([] { nn::MaxPool2d({.kernel_size = 2, .padding = 2}); }), "at most half the kernel size"));
  CHECK(contains(error_of([] { nn::AvgPool2d({}); }), "AvgPool2d: kernel_size must be ≥ 1"));

  const Tensor x = zeros({2, 3, 4, 5});
  CHECK(nn::Flatten()(x).shape() == Shape{2, 60});
  CHECK(nn::Flatten({.start_dim = 0})(x).shape() == Shape{120});
  CHECK(nn::Flatten({.start_dim = 1, .end_dim = 2})(x).shape() == Shape{2, 12, 5});

  const Tensor v = tensor({-1, 0, 1, 2}, {.dtype = DType::f64});
  check_close_within(nn::ReLU()(v), tensor({0, 0, 1, 2}, {.dtype = DType::f64}));
  check_close_within(nn::LeakyReLU()(v), tensor({-0.01, 0, 1, 2}, {.dtype = DType::f64}));
  check_close_within(nn::LeakyReLU({.negative_slope = 0.2})(v), tensor({-0.2, 0, 1, 2}, {.dtype = DType::f64}));
  // σ(0) = 1/2, σ(ln 3) = 3/4;  tanh(ln 2) = (2 − 1/2)/(2 + 1/2) = 3/5.
  check_close_within(nn::Sigmoid()(tensor({0.0, std::log(3.0)}, {.dtype = DType::f64})), tensor({0.5, 0.75}, {.dtype = DType::f64}), 1e-12);
  check_close_within(nn::Tanh()(tensor({std::log(2.0)}, {.dtype = DType::f64})), tensor({0.6}, {.dtype = DType::f64}), 1e-12);
  // GELU from torch (tests/reference/nn_reference.py, "== gelu"): x·Φ(x), and the tanh approximation.
  check_close_within(nn::GELU()(v), tensor({-0.15865525393145702, 0.0, 0.841344746068543, 1.9544997361036416}, {.dtype = DType::f64}), 1e-12);
  check_close_within(nn::GELU({.approximate = "tanh"})(v),
              tensor({-0.15880800939172324, 0.0, 0.8411919906082768, 1.954597694087775}, {.dtype = DType::f64}), 1e-12);
  // softmax([0, ln 2]) = [1/3, 2/3]; softmax([1, 1]) = [1/2, 1/2].
  const Tensor logits = tensor({{0.0, std::log(2.0)}, {1.0, 1.0}}, {.dtype = DType::f64});
  check_close_within(nn::Softmax({.dim = 1})(logits), tensor({{1.0 / 3, 2.0 / 3}, {0.5, 0.5}}, {.dtype = DType::f64}), 1e-12);
  check_close_within(nn::LogSoftmax({.dim = -1})(logits),
              tensor({{std::log(1.0 / 3), std::log(2.0 / 3)}, {std::log(0.5), std::log(0.5)}}, {.dtype = DType::f64}), 1e-12);
  // dim 0 normalises columns: column 1 is [ln 2, 1].
  check_close_within(nn::Softmax({.dim = 0})(logits).sum(0), ones({2}, {.dtype = DType::f64}), 1e-12);
  CHECK(contains(error_of([] { nn::Softmax({}); }), "Softmax: set the dim to normalise over"));
  CHECK(contains(error_of([] { nn::LogSoftmax({}); }), "LogSoftmax: set the dim"));
  CHECK(contains(error_of([] { nn::GELU({.approximate = "erf"}); }), "GELU: approximate must be 'none' or 'tanh', got 'erf'"));
}

TEST_CASE("Embedding: row lookup, N(0, 1) init, padding_idx row zero and frozen") {
  nn::Embedding table({.num_embeddings = 4, .embedding_dim = 2});
  { NoGradGuard no_grad; table.weight.copy_(tensor({{0, 1}, {10, 11}, {20, 21}, {30, 31}})); }
  const Tensor indices = tensor({{0, 2}, {3, 0}}, {.dtype = DType::i64});
  check_close_within(table(indices), tensor({{{0, 1}, {20, 21}}, {{30, 31}, {0, 1}}}));
  CHECK(contains(error_of([&] { table(tensor({1.0})); }), "Embedding(4, 2): indices must be i64, got f32"));

  manual_seed(5);
  nn::Embedding big({.num_embeddings = 1000, .embedding_dim = 100});
  // 100k draws: σ of the mean ≈ 0.003, of the std ≈ 0.002.
  CHECK(std::abs(big.weight.mean().item()) < 0.02);
  CHECK(std::abs(fulcrum::std(big.weight).item() - 1.0) < 0.015);

  nn::Embedding padded({.num_embeddings = 3, .embedding_dim = 2, .padding_idx = -2});  // → index 1
  CHECK(*padded.options.padding_idx == 1);
  check_close_within(padded.weight.select(0, 1), zeros({2}));
  CHECK(padded.weight.select(0, 0).abs().sum().item() > 0.0);
  padded(tensor({0, 1, 1, 2, 2}, {.dtype = DType::i64})).sum().backward();
  // Each lookup adds ones to its row's gradient, except the padding row.
  check_close_within(padded.weight.grad(), tensor({{1, 1}, {0, 0}, {2, 2}}));
  CHECK(contains(error_of([] { nn::Embedding({.num_embeddings = 3, .embedding_dim = 2, .padding_idx = 3}); }),
                 "padding_idx 3 must be within num_embeddings 3"));
}
