// tests/nn/module.cpp — nn::Module and nn::Sequential: parameter names, order and count (the book's
// MNIST Net, as PyTorch names them), PyTorch-style repr, train/eval propagation, named_modules,
// registration checks, freezing (requires_grad_ / set_requires_grad), zero_grad, to(dtype).
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

// ---------------------------------------------------------------- Module: names, counts, modes

TEST_CASE("Module: the book's Net has PyTorch's parameter names, order and count") {
  Net net;
  CHECK(names_of(net.named_parameters()) == std::vector<std::string>{"conv1.weight", "conv1.bias", "conv2.weight",
                                                                     "conv2.bias", "fc1.weight", "fc1.bias",
                                                                     "fc2.weight", "fc2.bias"});
  // 10·25 + 10 + 20·(10·25) + 20 + 320·50 + 50 + 50·10 + 10 = 260 + 5020 + 16050 + 510 = 21840.
  CHECK(nn::parameter_count(net) == 21840);
  CHECK(net.parameters().size() == 8);
  CHECK(net.fc1->weight.shape() == Shape{50, 320});
  CHECK(net.conv2->weight.shape() == Shape{20, 10, 5, 5});
  CHECK(net.named_buffers().empty());
  std::vector<std::string> module_names;
  for (auto& [name, module] : net.named_modules()) module_names.push_back(name);
  CHECK(module_names == std::vector<std::string>{"", "conv1", "conv2", "conv2_drop", "fc1", "fc2"});
  CHECK(net.children().size() == 5);
  CHECK(net.named_children()[2].second.get() == net.conv2_drop.get());
  CHECK(net.named_parameters(false).empty());  // Net registers no parameter of its own
  // Every parameter is a leaf that requires grad, and the member shares the registered impl.
  for (const Tensor& p : net.parameters()) CHECK((p.requires_grad() && p.is_leaf()));
  CHECK(net.named_parameters()[4].second.is_same(net.fc1->weight));

  Tensor out = net(randn({3, 1, 28, 28}));
  CHECK(out.shape() == Shape{3, 10});
  check_close_within(exp(out).sum(1), ones({3}), 1e-5);  // log_softmax rows
}

TEST_CASE("Module: repr prints the tree like PyTorch") {
  Net net;
  // From tests/reference/nn_reference.py.
  CHECK(nn::repr(net) == "Net(\n"
                         "  (conv1): Conv2d(1, 10, kernel_size=(5, 5), stride=(1, 1))\n"
                         "  (conv2): Conv2d(10, 20, kernel_size=(5, 5), stride=(1, 1))\n"
                         "  (conv2_drop): Dropout2d(p=0.5, inplace=False)\n"
                         "  (fc1): Linear(in_features=320, out_features=50, bias=True)\n"
                         "  (fc2): Linear(in_features=50, out_features=10, bias=True)\n"
                         ")");
  nn::Sequential seq(nn::Conv2d({.in_channels = 3, .out_channels = 8, .kernel_size = 3, .stride = 2, .padding = 1,
                                 .bias = false}),
                     nn::BatchNorm2d({.num_features = 8}), nn::ReLU(), nn::MaxPool2d({.kernel_size = 2}),
                     nn::Flatten(), nn::Dropout({.p = 0.25}), nn::Linear({.in_features = 8, .out_features = 4}),
                     nn::LeakyReLU({.negative_slope = 0.2}), nn::GELU({.approximate = "tanh"}),
                     nn::LogSoftmax({.dim = 1}));
  std::ostringstream printed;
  printed << seq;
  CHECK(printed.str() == "Sequential(\n"
                         "  (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)\n"
                         "  (1): BatchNorm2d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n"
                         "  (2): ReLU()\n"
                         "  (3): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n"
                         "  (4): Flatten(start_dim=1, end_dim=-1)\n"
                         "  (5): Dropout(p=0.25, inplace=False)\n"
                         "  (6): Linear(in_features=8, out_features=4, bias=True)\n"
                         "  (7): LeakyReLU(negative_slope=0.2)\n"
                         "  (8): GELU(approximate='tanh')\n"
                         "  (9): LogSoftmax(dim=1)\n"
                         ")");
  CHECK(nn::repr(nn::Conv2d({.in_channels = 4, .out_channels = 6, .kernel_size = {3, 5}, .stride = {2, 1},
                             .padding = {1, 2}, .dilation = 2, .groups = 2})) ==
        "Conv2d(4, 6, kernel_size=(3, 5), stride=(2, 1), padding=(1, 2), dilation=(2, 2), groups=2)");
  CHECK(nn::repr(nn::AvgPool2d({.kernel_size = 3, .stride = 2, .padding = 1})) ==
        "AvgPool2d(kernel_size=3, stride=2, padding=1)");
  CHECK(nn::repr(nn::AdaptiveAvgPool2d({.output_size = {2, 3}})) == "AdaptiveAvgPool2d(output_size=(2, 3))");
  CHECK(nn::repr(nn::AdaptiveAvgPool2d()) == "AdaptiveAvgPool2d(output_size=1)");
  CHECK(nn::repr(nn::BatchNorm1d({.num_features = 5, .eps = 1e-3, .momentum = std::nullopt, .affine = false})) ==
        "BatchNorm1d(5, eps=0.001, momentum=None, affine=False, track_running_stats=True)");
  CHECK(nn::repr(nn::Embedding({.num_embeddings = 10, .embedding_dim = 3, .padding_idx = -1})) ==
        "Embedding(10, 3, padding_idx=9)");
  CHECK(nn::repr(nn::Softmax({.dim = -1})) == "Softmax(dim=-1)");
  CHECK(nn::repr(nn::Sigmoid()) == "Sigmoid()");
  CHECK(nn::repr(nn::Tanh()) == "Tanh()");
  CHECK(nn::repr(nn::Dropout2d({.p = 0.1})) == "Dropout2d(p=0.1, inplace=False)");
  CHECK(nn::repr(nn::Sequential()) == "Sequential()");
  // Python's float repr: fixed from 1e-4 up, scientific below; integral values keep ".0".
  CHECK(nn::repr(nn::LeakyReLU({.negative_slope = 1e-4})) == "LeakyReLU(negative_slope=0.0001)");
  CHECK(nn::repr(nn::LeakyReLU({.negative_slope = 2.5e-7})) == "LeakyReLU(negative_slope=2.5e-07)");
  CHECK(nn::repr(nn::LeakyReLU({.negative_slope = 3})) == "LeakyReLU(negative_slope=3.0)");
}

TEST_CASE("Module: train/eval propagate to every descendant") {
  nn::Sequential inner(nn::Dropout(), nn::BatchNorm1d({.num_features = 2}));
  nn::Sequential outer(nn::Linear({.in_features = 2, .out_features = 2}), std::move(inner));
  auto all_modes = [&](bool expected) {
    for (auto& [name, module] : outer.named_modules()) {
      INFO("module '" << name << "'");
      CHECK(module->is_training() == expected);
    }
  };
  all_modes(true);  // modules start in training mode, as in PyTorch
  outer.eval();
  all_modes(false);
  CHECK(outer.named_modules().size() == 5);  // "", "0", "1", "1.0", "1.1"
  outer.train();
  all_modes(true);
  outer.train(false);
  all_modes(false);
}

TEST_CASE("Module: named_modules and names of nested containers") {
  nn::Sequential model(nn::Linear({.in_features = 3, .out_features = 4}),
                       nn::Sequential(nn::Linear({.in_features = 4, .out_features = 2}), nn::ReLU()));
  std::vector<std::string> module_names;
  for (auto& [name, module] : model.named_modules()) module_names.push_back(name);
  CHECK(module_names == std::vector<std::string>{"", "0", "1", "1.0", "1.1"});
  CHECK(names_of(model.named_parameters()) == std::vector<std::string>{"0.weight", "0.bias", "1.0.weight", "1.0.bias"});
  int visited = 0;
  model.apply([&](nn::Module&) { ++visited; });
  CHECK(visited == 5);
}

TEST_CASE("Sequential: children named 0, 1, …; push_back, indexing, forward in order") {
  nn::Sequential model;
  CHECK(model.empty());
  std::shared_ptr<nn::Linear> first = model.push_back(nn::Linear({.in_features = 2, .out_features = 3}));
  model.push_back(nn::ReLU());
  auto last = std::make_shared<nn::Linear>(nn::LinearOptions{.in_features = 3, .out_features = 1});
  CHECK(model.push_back(last).get() == last.get());
  CHECK(model.size() == 3);
  CHECK(names_of(model.named_parameters()) == std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias"});
  CHECK(model[0].get() == first.get());
  CHECK(model[-1].get() == last.get());
  CHECK(model[1]->name() == "ReLU");
  CHECK(contains(error_of([&] { model[3]; }), "Sequential: index 3 is out of range for 3 modules"));
  const Tensor x = tensor({{1, -2}, {0.5, 3}});
  check_close_within(model(x), last->forward(relu(first->forward(x))));
  // A module shared twice is listed once by named_parameters, under both names in a state_dict.
  nn::Sequential shared(first, first);
  CHECK(names_of(shared.named_parameters()) == std::vector<std::string>{"0.weight", "0.bias"});
  CHECK(shared.state_dict().size() == 4);
}

TEST_CASE("Module: registration checks names and values") {
  nn::Module module("Custom");
  Tensor& w = module.register_parameter("w", zeros({2}));
  CHECK(w.requires_grad());
  CHECK(!module.register_parameter("frozen", zeros({2}), false).requires_grad());
  module.register_buffer("count", zeros({}, {.dtype = DType::i64}));
  CHECK(contains(error_of([&] { module.register_parameter("w", zeros({1})); }),
                 "Custom.register_parameter: 'w' is already registered in this module"));
  CHECK(contains(error_of([&] { module.register_buffer("w", zeros({1})); }), "'w' is already registered"));
  CHECK(contains(error_of([&] { module.register_parameter("a.b", zeros({1})); }), "must not contain '.'"));
  CHECK(contains(error_of([&] { module.register_parameter("", zeros({1})); }), "the name must not be empty"));
  CHECK(contains(error_of([&] { module.register_parameter("bias", Tensor()); }), "'bias' is undefined"));
  CHECK(contains(error_of([&] { module.register_parameter("labels", zeros({2}, {.dtype = DType::i64})); }),
                 "parameters must be f32 or f64"));
  CHECK(contains(error_of([&] { module.register_module("child", std::shared_ptr<nn::ReLU>()); }), "null pointer"));
  CHECK(contains(error_of([&] { module(zeros({1})); }), "Custom: forward(const Tensor&) is not implemented"));
  CHECK(names_of(module.named_buffers()) == std::vector<std::string>{"count"});
  CHECK(names_of(module.named_parameters()) == std::vector<std::string>{"w", "frozen"});
}

TEST_CASE("Module: requires_grad_(false) freezes a module; set_requires_grad(false) one parameter") {
  manual_seed(0);
  Net net;
  net.conv1->requires_grad_(false);
  net.fc2->bias.set_requires_grad(false);
  net(randn({2, 1, 28, 28})).sum().backward();
  CHECK(!net.conv1->weight.grad().defined());
  CHECK(!net.conv1->bias.grad().defined());
  CHECK(!net.fc2->bias.grad().defined());
  for (const Tensor* p : {&net.conv2->weight, &net.conv2->bias, &net.fc1->weight, &net.fc2->weight}) {
    REQUIRE(p->grad().defined());
    CHECK(p->grad().abs().sum().item() > 0.0);
  }
  net.requires_grad_(true);
  for (const Tensor& p : net.parameters()) CHECK(p.requires_grad());
}

TEST_CASE("Module: zero_grad sets gradients to undefined (set_to_none); backward accumulates") {
  nn::Linear linear({.in_features = 3, .out_features = 2});
  linear.to(DType::f64);
  const Tensor x = tensor({{1, 2, 3}, {4, 5, 6}}, {.dtype = DType::f64});
  // L = Σ_n Σ_o (W x_n + b)_o: ∂L/∂W[o, i] = Σ_n x[n, i] = (5, 7, 9) for each o; ∂L/∂b = N = 2.
  const Tensor dw = tensor({{5, 7, 9}, {5, 7, 9}}, {.dtype = DType::f64});
  linear(x).sum().backward();
  check_close_within(linear.weight.grad(), dw);
  check_close_within(linear.bias.grad(), tensor({2, 2}, {.dtype = DType::f64}));
  linear(x).sum().backward();  // no zero_grad: gradients add up
  check_close_within(linear.weight.grad(), dw * 2.0);
  linear.zero_grad();
  CHECK(!linear.weight.grad().defined());
  CHECK(!linear.bias.grad().defined());
  linear(x).sum().backward();
  check_close_within(linear.weight.grad(), dw);
}

TEST_CASE("Module: to(dtype) converts floating parameters and buffers in place") {
  nn::BatchNorm1d bn({.num_features = 3});
  const Tensor weight_handle = bn.weight;
  bn.to(DType::f64);
  CHECK(bn.weight.dtype() == DType::f64);
  CHECK(weight_handle.dtype() == DType::f64);  // every handle shares the converted impl
  CHECK(bn.named_parameters()[0].second.dtype() == DType::f64);
  CHECK(bn.running_var.dtype() == DType::f64);
  CHECK(bn.num_batches_tracked.dtype() == DType::i64);  // integer buffers stay
  check_close_within(bn.running_var, ones({3}, {.dtype = DType::f64}));
  CHECK(bn.weight.requires_grad());
  CHECK(contains(error_of([&] { bn.to(DType::i64); }), "BatchNorm1d.to: modules convert to a floating dtype"));
}
