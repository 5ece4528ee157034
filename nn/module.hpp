// nn/module.hpp — Module, the base of every layer and model (torch.nn.Module): it registers
// parameters, buffers and sub-modules by name, walks them recursively ("conv1.weight"), switches
// train/eval, zeroes and freezes gradients, converts dtypes, and saves/loads a StateDict.
// The layers are in nn/layers.hpp; the initialisers in nn/init.hpp; files in io/.
#pragma once
#include <concepts>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/tensor.hpp"
#include "nn/state_dict.hpp"

namespace fulcrum::nn {

// Layers keep their parameters as Tensor members (`weight`, `bias`) that share their impl with
// the registered copy, so loading, freezing and to(dtype) act on both. Assigning a new tensor to a
// member does not re-register it: change values with copy_ under NoGradGuard instead.
class Module {
public:
  explicit Module(std::string name = "Module") : name_(std::move(name)) {}
  virtual ~Module() = default;
  Module(const Module&) = delete;  // a copy would silently share parameters
  Module& operator=(const Module&) = delete;
  Module(Module&&) = default;      // lets register_module take a layer by value
  Module& operator=(Module&&) = default;

  // Single-input forward, as most layers; a model overrides it. The base throws.
  virtual Tensor forward(const Tensor& input);
  Tensor operator()(const Tensor& input) { return forward(input); }

  // The PyTorch class name ("Conv2d") and the arguments printed inside its parentheses.
  const std::string& name() const { return name_; }
  virtual std::string extra_repr() const { return ""; }

  // ---- registration. Names are non-empty, without '.', unique within the module. ----
  // Sets requires_grad (like nn.Parameter) and returns the stored handle.
  Tensor& register_parameter(const std::string& name, Tensor tensor, bool requires_grad = true);
  Tensor& register_buffer(const std::string& name, Tensor tensor);  // saved, never trained
  template <typename M>
    requires std::derived_from<M, Module>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
    add_child(name, module);
    return module;
  }
  // register_module("fc1", Linear({.in_features = 320, .out_features = 50})): takes the layer.
  template <typename M>
    requires std::derived_from<std::remove_cvref_t<M>, Module> && (!std::is_lvalue_reference_v<M>)
  std::shared_ptr<std::remove_cvref_t<M>> register_module(const std::string& name, M&& module) {
    return register_module(name, std::make_shared<std::remove_cvref_t<M>>(std::move(module)));
  }

  // ---- traversal: pre-order (a module's own entries, then each child's, in registration
  //      order), dotted names. Parameters shared by two modules are listed once. ----
  using NamedTensors = std::vector<std::pair<std::string, Tensor>>;
  NamedTensors named_parameters(bool recurse = true) const;
  std::vector<Tensor> parameters(bool recurse = true) const;
  NamedTensors named_buffers(bool recurse = true) const;
  std::vector<Tensor> buffers(bool recurse = true) const;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> named_children() const;
  std::vector<std::shared_ptr<Module>> children() const;
  // This module (named "") and every descendant, pre-order. Non-owning pointers.
  std::vector<std::pair<std::string, Module*>> named_modules();
  void apply(const std::function<void(Module&)>& fn);  // fn on every module, children first

  // ---- modes and gradients ----
  Module& train(bool on = true);  // recursive; affects Dropout and BatchNorm
  Module& eval() { return train(false); }
  bool is_training() const { return training_; }
  // Sets every parameter's .grad to undefined: PyTorch 2's zero_grad(set_to_none=True) default.
  // The next backward then writes fresh gradients instead of adding to zeros.
  void zero_grad();
  // Freezes (false) or unfreezes (true) every parameter; freeze one with set_requires_grad.
  Module& requires_grad_(bool requires_grad = true);
  // Converts floating parameters and buffers in place (PyTorch's module.to(torch.float64)):
  // handles keep their identity, gradients are converted too. Integer buffers are untouched.
  Module& to(DType dtype);
  // Moves every parameter and buffer to `device` in place (PyTorch's module.to("cuda")): handles
  // keep their identity, so an optimiser built before the move keeps working (its state follows
  // at its next step); gradients move too. model.to("ref") runs the model on the reference kernels.
  Module& to(Device device);
  Module& to(const char* device) { return to(Device(device)); }

  // ---- checkpoints ----
  // Parameters and buffers by dotted name, detached but sharing storage with the module (as
  // PyTorch): clone_state_dict() takes a snapshot that later training does not change.
  StateDict state_dict() const;
  // Copies values in place (no autograd). Throws, changing nothing, on a shape or dtype mismatch
  // or — when strict — on missing or unexpected keys; the message lists every problem.
  // Returns the keys a non-strict load skipped, as PyTorch does:
  //   auto [missing, unexpected] = model.load_state_dict(backbone_only, /*strict=*/false);
  IncompatibleKeys load_state_dict(const StateDict& state, bool strict = true);

private:
  void add_child(const std::string& name, std::shared_ptr<Module> module);
  void check_new_name(const char* what, const std::string& name) const;
  void collect(const std::string& prefix, bool recurse, bool buffers, bool deduplicate,
               NamedTensors& out, std::vector<const TensorImpl*>& seen) const;

  std::string name_;
  bool training_ = true;
  NamedTensors parameters_;
  NamedTensors buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
};

StateDict clone_state_dict(const StateDict& state);  // deep copy of every tensor
int64_t parameter_count(const Module& module);       // Σ numel over parameters()
// The module tree in PyTorch's repr format: "Net(\n  (conv1): Conv2d(1, 10, …)\n …)".
std::ostream& operator<<(std::ostream& os, const Module& module);
std::string repr(const Module& module);

}  // namespace fulcrum::nn
