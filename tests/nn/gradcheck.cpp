// tests/nn/gradcheck.cpp — f64 gradchecks of every layer in train and eval mode (with respect to the
// input and every parameter, through module_gradcheck in nn_support.hpp): Linear, Conv2d, pooling,
// activations, Softmax, Dropout with a fixed mask, BatchNorm, Embedding, Sequential, a Net-like model.
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

// ---------------------------------------------------------------- f64 gradchecks of every layer

TEST_CASE("gradcheck: Linear and Conv2d (stride, padding, dilation, groups), train and eval") {
  manual_seed(11);
  nn::Linear linear({.in_features = 4, .out_features = 3});
  linear.to(DType::f64);
  nn::Conv2d conv({.in_channels = 4, .out_channels = 6, .kernel_size = {3, 2}, .stride = {2, 1},
                   .padding = {1, 2}, .dilation = {1, 2}, .groups = 2});
  conv.to(DType::f64);
  nn::Conv2d plain({.in_channels = 2, .out_channels = 3, .kernel_size = 3, .bias = false});
  plain.to(DType::f64);
  for (bool training : {true, false}) {
    INFO("training = " << training);
    linear.train(training);
    conv.train(training);
    plain.train(training);
    GradcheckResult r = module_gradcheck(linear, f64_randn({2, 3, 4}, 1), "Linear");
    CHECK_MESSAGE(r.ok, r.message);
    r = module_gradcheck(conv, f64_randn({2, 4, 5, 4}, 2), "Conv2d");
    CHECK_MESSAGE(r.ok, r.message);
    r = module_gradcheck(plain, f64_randn({1, 2, 5, 5}, 3), "Conv2d without bias");
    CHECK_MESSAGE(r.ok, r.message);
  }
  // The binding helper leaves the module as it was: leaves, requiring grad, original values.
  CHECK(linear.weight.is_leaf());
  CHECK(linear.weight.requires_grad());
  CHECK(linear.weight.dtype() == DType::f64);
}

TEST_CASE("gradcheck: pooling, Flatten, activations, Softmax, LogSoftmax") {
  std::vector<std::shared_ptr<nn::Module>> layers = {
      std::make_shared<nn::MaxPool2d>(nn::MaxPool2dOptions{.kernel_size = 2, .stride = 1, .padding = 1}),
      std::make_shared<nn::AvgPool2d>(nn::AvgPool2dOptions{.kernel_size = 3, .stride = 2, .padding = 1,
                                                           .count_include_pad = false}),
      std::make_shared<nn::AdaptiveAvgPool2d>(nn::AdaptiveAvgPool2dOptions{.output_size = {2, 3}}),
      std::make_shared<nn::Flatten>(), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::LeakyReLU>(nn::LeakyReLUOptions{.negative_slope = 0.1}),
      std::make_shared<nn::Sigmoid>(), std::make_shared<nn::Tanh>(), std::make_shared<nn::GELU>(),
      std::make_shared<nn::GELU>(nn::GELUOptions{.approximate = "tanh"}),
      std::make_shared<nn::Softmax>(nn::SoftmaxOptions{.dim = 1}),
      std::make_shared<nn::LogSoftmax>(nn::SoftmaxOptions{.dim = -1})};
  // Values away from 0 so ReLU / LeakyReLU are away from their kink; distinct, so max is unique.
  Tensor x = f64_randn({2, 3, 5, 4}, 4);
  x = where(x.abs() < 0.05, x + 0.2, x);
  for (auto& layer : layers) {
    for (bool training : {true, false}) {
      layer->train(training);
      GradcheckResult r = module_gradcheck(*layer, x, nn::repr(*layer));
      CHECK_MESSAGE(r.ok, nn::repr(*layer) << " training=" << training << ": " << r.message);
    }
  }
}

TEST_CASE("gradcheck: Dropout and Dropout2d with a fixed mask (train) and the identity (eval)") {
  Generator generator(5);
  nn::Dropout dropout({.p = 0.4, .generator = &generator});
  nn::Dropout2d dropout2d({.p = 0.4, .generator = &generator});
  const Tensor x = f64_randn({3, 4, 2, 2}, 6);
  auto reseed = [&] { generator.manual_seed(5); };  // the same mask on every call
  for (nn::Module* layer : std::initializer_list<nn::Module*>{&dropout, &dropout2d}) {
    for (bool training : {true, false}) {
      layer->train(training);
      GradcheckResult r = module_gradcheck(*layer, x, layer->name(), reseed);
      CHECK_MESSAGE(r.ok, layer->name() << " training=" << training << ": " << r.message);
    }
  }
  // The train-mode gradient is the mask itself: zeros and 1/(1 − p), some of each.
  Tensor leaf = x.clone().set_requires_grad(true);
  dropout.train();
  reseed();
  dropout(leaf).sum().backward();
  const Tensor g = leaf.grad();
  CHECK(((g == 0.0).sum().item() + (abs(g - 1.0 / 0.6) < 1e-12).sum().item()) == 48.0);
  CHECK((g == 0.0).sum().item() > 0.0);
  CHECK((g == 0.0).sum().item() < 48.0);
}

TEST_CASE("gradcheck: BatchNorm1d and BatchNorm2d in train and eval mode") {
  nn::BatchNorm1d bn1({.num_features = 3});
  nn::BatchNorm1d bn1_seq({.num_features = 2, .momentum = std::nullopt});
  nn::BatchNorm2d bn2({.num_features = 2});
  nn::BatchNorm2d bn2_plain({.num_features = 2, .affine = false, .track_running_stats = false});
  const Tensor x1 = f64_randn({5, 3}, 7), x1_seq = f64_randn({3, 2, 4}, 8), x2 = f64_randn({2, 2, 3, 3}, 9);
  for (nn::BatchNorm* bn : std::initializer_list<nn::BatchNorm*>{&bn1, &bn1_seq, &bn2, &bn2_plain}) {
    bn->to(DType::f64);
    if (bn->options.affine) {  // non-trivial scale and shift
      NoGradGuard no_grad;
      bn->weight.copy_(linspace(0.5, 1.5, bn->options.num_features, {.dtype = DType::f64}));
      bn->bias.copy_(linspace(-0.3, 0.3, bn->options.num_features, {.dtype = DType::f64}));
    }
  }
  auto check = [](nn::BatchNorm& bn, const Tensor& x) {
    bn.train();
    for (int step = 0; step < 3; ++step) bn(x * (1.0 + step) + step);  // non-trivial running stats
    GradcheckResult r = module_gradcheck(bn, x, bn.name());
    CHECK_MESSAGE(r.ok, nn::repr(bn) << " train: " << r.message);
    bn.eval();
    r = module_gradcheck(bn, x, bn.name());
    CHECK_MESSAGE(r.ok, nn::repr(bn) << " eval: " << r.message);
  };
  check(bn1, x1);
  check(bn1_seq, x1_seq);
  check(bn2, x2);
  check(bn2_plain, x2);
  // In eval the output is affine in x: ∂y/∂x = weight/√(running_var + eps), per channel.
  Tensor leaf = x1.clone().set_requires_grad(true);
  bn1(leaf).sum().backward();
  const Tensor expected = bn1.weight.detach() / sqrt(bn1.running_var + 1e-5);
  check_close_within(leaf.grad(), expected.unsqueeze(0).expand({5, 3}), 1e-12);
}

TEST_CASE("gradcheck: Embedding (weight), Sequential, and a small Net-like model") {
  // Without padding_idx: its row is read but deliberately gets no gradient (tested above), so
  // central differences and autograd disagree there by design, in PyTorch too.
  nn::Embedding embedding({.num_embeddings = 5, .embedding_dim = 3});
  embedding.to(DType::f64);
  const Tensor indices = tensor({{1, 0, 4}, {4, 2, 0}}, {.dtype = DType::i64});
  GradcheckResult r = module_gradcheck(embedding, indices, "Embedding");
  CHECK_MESSAGE(r.ok, r.message);

  manual_seed(12);
  Generator generator(13);
  nn::Sequential model(nn::Conv2d({.in_channels = 1, .out_channels = 3, .kernel_size = 3, .padding = 1}),
                       nn::BatchNorm2d({.num_features = 3}), nn::ReLU(), nn::MaxPool2d({.kernel_size = 2}),
                       nn::Dropout2d({.p = 0.3, .generator = &generator}), nn::Flatten(),
                       nn::Linear({.in_features = 12, .out_features = 4}), nn::LogSoftmax({.dim = 1}));
  model.to(DType::f64);
  const Tensor x = f64_randn({3, 1, 4, 4}, 14);
  for (bool training : {true, false}) {
    model.train(training);
    r = module_gradcheck(model, x, "Sequential", [&] { generator.manual_seed(13); });
    CHECK_MESSAGE(r.ok, "training=" << training << ": " << r.message);
  }
}
