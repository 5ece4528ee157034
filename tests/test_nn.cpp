// tests/test_nn.cpp — the nn suite: Module (registration, names, modes, freezing, zero_grad,
// state_dict / load_state_dict and its errors, dtype conversion, printing), every layer's values
// and default initialisation, nn::init statistics, and f64 gradchecks of every layer in train and
// eval mode. PyTorch literals come from tests/reference/nn_reference.py; the rest is derived here.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapters 6 and 8 (its MNIST Net).
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "fulcrum.hpp"
#include "nn/functional.hpp"
#include "test_support.hpp"

using namespace fulcrum;
using fulcrum::testing::check_close_within;
using V = std::vector<Tensor>;

namespace {

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The book's MNIST model: conv1 → pool → relu → conv2 → dropout2d → pool → relu → fc1 → relu →
// dropout → fc2 → log_softmax.
struct Net : nn::Module {
  Net() : Module("Net") {}
  std::shared_ptr<nn::Conv2d> conv1 =
      register_module("conv1", nn::Conv2d({.in_channels = 1, .out_channels = 10, .kernel_size = 5}));
  std::shared_ptr<nn::Conv2d> conv2 =
      register_module("conv2", nn::Conv2d({.in_channels = 10, .out_channels = 20, .kernel_size = 5}));
  std::shared_ptr<nn::Dropout2d> conv2_drop = register_module("conv2_drop", nn::Dropout2d());
  std::shared_ptr<nn::Linear> fc1 = register_module("fc1", nn::Linear({.in_features = 320, .out_features = 50}));
  std::shared_ptr<nn::Linear> fc2 = register_module("fc2", nn::Linear({.in_features = 50, .out_features = 10}));

  Tensor forward(const Tensor& x) override {
    Tensor h = relu(F::max_pool2d(conv1->forward(x), {.kernel_size = {2, 2}}));
    h = relu(F::max_pool2d(conv2_drop->forward(conv2->forward(h)), {.kernel_size = {2, 2}}));
    h = relu(fc1->forward(h.view({-1, 320})));
    h = F::dropout(h, 0.5, is_training());
    return log_softmax(fc2->forward(h), 1);
  }
};

std::vector<std::string> names_of(const nn::Module::NamedTensors& entries) {
  std::vector<std::string> names;
  for (const auto& entry : entries) names.push_back(entry.first);
  return names;
}

// gradcheck of module(x) with respect to x (when floating) and every parameter. gradcheck works on
// its own copies of the inputs, so each call points the module's parameters at views of those
// copies — torch.func.functional_call's idea: the impl every handle shares becomes a non-leaf view,
// so the gradient reaches gradcheck's copy. The original impls are restored afterwards.
// `before` runs at the start of every call (to reseed a dropout generator).
GradcheckResult module_gradcheck(nn::Module& module, const Tensor& x, const std::string& name,
                                 const std::function<void()>& before = [] {}) {
  const std::vector<Tensor> parameters = module.parameters();
  std::vector<TensorImpl> originals;
  V inputs = {x.detach().clone()};
  if (is_floating(x.dtype())) inputs[0].set_requires_grad(true);
  for (const Tensor& p : parameters) {
    originals.push_back(*p.impl());
    inputs.push_back(p.detach().clone().set_requires_grad(true));
  }
  // The rebinding is checked, not assumed: after it, the module's own parameter list must hand out
  // tensors on gradcheck's copies (else the module would still compute with its old weights, and
  // gradcheck would report those copies as never reached).
  bool rebound = true;
  auto fn = [&](const V& v) {
    for (size_t i = 0; i < parameters.size(); ++i) *parameters[i].impl() = *v[i + 1].view(v[i + 1].shape()).impl();
    const std::vector<Tensor> now = module.parameters();
    for (size_t i = 0; i < parameters.size(); ++i) rebound = rebound && now[i].storage() == v[i + 1].storage();
    before();
    return module(v[0]);
  };
  GradcheckResult result = gradcheck(fn, inputs, {.name = name});
  for (size_t i = 0; i < parameters.size(); ++i) *parameters[i].impl() = originals[i];
  CHECK_MESSAGE(rebound, name << ": the module's parameters were not rebound to gradcheck's copies");
  for (size_t i = 0; i < parameters.size(); ++i) {
    CHECK_MESSAGE(parameters[i].storage() == originals[i].storage, name << ": parameter " << i << " not restored");
  }
  return result;
}

Tensor f64_randn(const Shape& shape, uint64_t seed) {
  Generator generator(seed);
  return randn(shape, {.dtype = DType::f64}, &generator);
}

}  // namespace

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

// ---------------------------------------------------------------- state_dict / load_state_dict

TEST_CASE("state_dict: keys, detached tensors sharing storage, round trip") {
  manual_seed(1);
  Net net;
  nn::StateDict state = net.state_dict();
  std::vector<std::string> keys;
  for (const auto& entry : state) keys.push_back(entry.first);
  CHECK(keys == std::vector<std::string>{"conv1.bias", "conv1.weight", "conv2.bias", "conv2.weight", "fc1.bias",
                                         "fc1.weight", "fc2.bias", "fc2.weight"});
  CHECK(!state["fc1.weight"].requires_grad());
  CHECK(state["fc1.weight"].storage() == net.fc1->weight.storage());  // like PyTorch: a view, not a copy

  const nn::StateDict snapshot = nn::clone_state_dict(state);
  CHECK(snapshot.at("fc1.weight").storage() != net.fc1->weight.storage());
  Net other;  // different random weights
  CHECK(!equal(other.fc1->weight, net.fc1->weight));
  other.load_state_dict(snapshot);
  for (const auto& [key, value] : other.state_dict()) {
    INFO(key);
    CHECK(equal(value, snapshot.at(key)));
  }
  // load_state_dict copies values: the model does not alias the dict afterwards.
  { NoGradGuard no_grad; snapshot.at("fc2.bias").fill_(7.0); }
  CHECK(other.fc2->bias.at({0}) != 7.0);
  CHECK(other.fc2->bias.requires_grad());

  // Buffers are saved too (BatchNorm: running stats and the i64 batch counter).
  nn::Sequential seq(nn::Linear({.in_features = 2, .out_features = 2}), nn::BatchNorm1d({.num_features = 2}));
  std::vector<std::string> seq_keys;
  for (const auto& entry : seq.state_dict()) seq_keys.push_back(entry.first);
  CHECK(seq_keys == std::vector<std::string>{"0.bias", "0.weight", "1.bias", "1.num_batches_tracked",
                                             "1.running_mean", "1.running_var", "1.weight"});
  CHECK(seq.state_dict().at("1.num_batches_tracked").dtype() == DType::i64);
}

TEST_CASE("load_state_dict: every error is listed and leaves the model unchanged") {
  manual_seed(2);
  Net net;
  const nn::StateDict before = nn::clone_state_dict(net.state_dict());
  auto unchanged = [&] {
    for (const auto& [key, value] : net.state_dict()) {
      INFO(key);
      CHECK(equal(value, before.at(key)));
    }
  };
  // A full set of new values, so a partial load would show.
  nn::StateDict fresh = nn::clone_state_dict(before);
  for (auto& [key, value] : fresh) {
    NoGradGuard no_grad;
    value.fill_(0.25);
  }

  nn::StateDict missing = fresh;
  missing.erase("fc2.bias");
  missing.erase("conv1.weight");
  std::string message = error_of([&] { net.load_state_dict(missing); });
  CHECK(contains(message, "Net.load_state_dict: error(s) in loading the state dict; nothing was changed."));
  CHECK(contains(message, "missing keys: conv1.weight, fc2.bias"));
  CHECK(!contains(message, "unexpected"));
  unchanged();

  nn::StateDict unexpected = fresh;
  unexpected["fc3.weight"] = zeros({2, 2});
  message = error_of([&] { net.load_state_dict(unexpected); });
  CHECK(contains(message, "unexpected keys: fc3.weight"));
  CHECK(!contains(message, "missing"));
  unchanged();

  nn::StateDict wrong_shape = fresh;
  wrong_shape["fc1.weight"] = zeros({50, 321});
  wrong_shape["conv2.bias"] = zeros({20}, {.dtype = DType::f64});
  message = error_of([&] { net.load_state_dict(wrong_shape); });
  CHECK(contains(message, "size mismatch for fc1.weight: expected [50, 320], got [50, 321]"));
  CHECK(contains(message, "dtype mismatch for conv2.bias: expected f32, got f64"));
  unchanged();
  // A shape mismatch is an error even when not strict.
  CHECK(contains(error_of([&] { net.load_state_dict(wrong_shape, false); }), "size mismatch for fc1.weight"));
  unchanged();

  // Everything at once: all three kinds are listed in one message.
  nn::StateDict all = missing;
  all["extra"] = zeros({1});
  all["fc1.weight"] = zeros({1});
  message = error_of([&] { net.load_state_dict(all); });
  CHECK((contains(message, "missing keys: conv1.weight, fc2.bias") && contains(message, "unexpected keys: extra") &&
         contains(message, "size mismatch for fc1.weight: expected [50, 320], got [1]")));
  unchanged();

  // strict = false loads what matches and ignores missing and unexpected keys.
  nn::StateDict partial = missing;
  partial["fc3.weight"] = zeros({2, 2});
  net.load_state_dict(partial, false);
  CHECK(net.fc1->weight.at({3, 7}) == 0.25);
  CHECK(equal(net.fc2->bias, before.at("fc2.bias")));      // missing: untouched
  CHECK(equal(net.conv1->weight, before.at("conv1.weight")));
}

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
