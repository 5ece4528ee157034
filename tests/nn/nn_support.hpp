// tests/nn/nn_support.hpp — helpers of the nn suite (tests/nn/*.cpp): the message of an Error and a
// substring check, the book's MNIST Net, the names of a named_parameters / state_dict listing, a
// gradcheck of a module with respect to its input and every parameter, and seeded f64 randn.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapters 6 and 8 (its MNIST Net).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "nn/functional.hpp"
#include "tests/test_support.hpp"

namespace fulcrum::testing::nn_tests {

using V = std::vector<Tensor>;

inline std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

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

inline std::vector<std::string> names_of(const nn::Module::NamedTensors& entries) {
  std::vector<std::string> names;
  for (const auto& entry : entries) names.push_back(entry.first);
  return names;
}

// gradcheck of module(x) with respect to x (when floating) and every parameter. gradcheck works on
// its own copies of the inputs, so each call points the module's parameters at views of those
// copies — torch.func.functional_call's idea: the impl every handle shares becomes a non-leaf view,
// so the gradient reaches gradcheck's copy. The original impls are restored afterwards.
// `before` runs at the start of every call (to reseed a dropout generator).
inline GradcheckResult module_gradcheck(nn::Module& module, const Tensor& x, const std::string& name,
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

inline Tensor f64_randn(const Shape& shape, uint64_t seed) {
  Generator generator(seed);
  return randn(shape, {.dtype = DType::f64}, &generator);
}

}  // namespace fulcrum::testing::nn_tests
