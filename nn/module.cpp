// nn/module.cpp — Module: registration, recursive traversal with dotted names, train/eval,
// zero_grad, freezing, dtype conversion, state_dict / load_state_dict (check everything first,
// then copy, so a failed load changes nothing), and PyTorch-style printing of the module tree.
#include "nn/module.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include "autograd/node.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

namespace fulcrum::nn {

Tensor Module::forward(const Tensor&) {
  FULCRUM_FAIL(name_ << ": forward(const Tensor&) is not implemented; override it in the model "
                        "(or call the sub-modules directly)");
}

void Module::check_new_name(const char* what, const std::string& name) const {
  FULCRUM_CHECK(!name.empty(), name_ << "." << what << ": the name must not be empty");
  FULCRUM_CHECK(name.find('.') == std::string::npos,
                name_ << "." << what << ": name '" << name << "' must not contain '.' (dots separate "
                                                              "the levels of the module tree)");
  auto taken = [&](const auto& list) {
    return std::any_of(list.begin(), list.end(), [&](const auto& entry) { return entry.first == name; });
  };
  FULCRUM_CHECK(!taken(parameters_) && !taken(buffers_) && !taken(children_),
                name_ << "." << what << ": '" << name << "' is already registered in this module");
}

Tensor& Module::register_parameter(const std::string& name, Tensor tensor, bool requires_grad) {
  check_new_name("register_parameter", name);
  FULCRUM_CHECK(tensor.defined(), name_ << ".register_parameter: '" << name
                                        << "' is undefined; leave an absent parameter (bias=false) unregistered");
  FULCRUM_CHECK(is_floating(tensor.dtype()), name_ << ".register_parameter: '" << name << "' is "
                                                   << tensor.dtype() << "; parameters must be f32 or f64");
  if (!tensor.is_leaf()) tensor = tensor.detach();  // a parameter is a leaf, like nn.Parameter
  tensor.set_requires_grad(requires_grad);
  parameters_.emplace_back(name, std::move(tensor));
  return parameters_.back().second;
}

Tensor& Module::register_buffer(const std::string& name, Tensor tensor) {
  check_new_name("register_buffer", name);
  FULCRUM_CHECK(tensor.defined(), name_ << ".register_buffer: '" << name << "' is undefined");
  buffers_.emplace_back(name, tensor.is_leaf() ? std::move(tensor) : tensor.detach());
  return buffers_.back().second;
}

void Module::add_child(const std::string& name, std::shared_ptr<Module> module) {
  check_new_name("register_module", name);
  FULCRUM_CHECK(module != nullptr, name_ << ".register_module: '" << name << "' is a null pointer");
  FULCRUM_CHECK(module.get() != this, name_ << ".register_module: a module cannot contain itself");
  children_.emplace_back(name, std::move(module));
}

// Pre-order walk: this module's own tensors, then each child's under "child." (PyTorch's
// named_modules order). `seen` drops a tensor shared by two modules after its first name.
void Module::collect(const std::string& prefix, bool recurse, bool buffers, bool deduplicate,
                     NamedTensors& out, std::vector<const TensorImpl*>& seen) const {
  for (const auto& [name, tensor] : buffers ? buffers_ : parameters_) {
    if (deduplicate) {
      if (std::find(seen.begin(), seen.end(), tensor.impl()) != seen.end()) continue;
      seen.push_back(tensor.impl());
    }
    std::string full = prefix;
    full.append(name);
    out.emplace_back(std::move(full), tensor);
  }
  if (!recurse) return;
  for (const auto& [name, child] : children_) {
    std::string child_prefix = prefix;
    child_prefix.append(name).append(".");
    child->collect(child_prefix, true, buffers, deduplicate, out, seen);
  }
}

Module::NamedTensors Module::named_parameters(bool recurse) const {
  NamedTensors out;
  std::vector<const TensorImpl*> seen;
  collect("", recurse, false, true, out, seen);
  return out;
}

std::vector<Tensor> Module::parameters(bool recurse) const {
  std::vector<Tensor> out;
  for (auto& entry : named_parameters(recurse)) out.push_back(entry.second);
  return out;
}

Module::NamedTensors Module::named_buffers(bool recurse) const {
  NamedTensors out;
  std::vector<const TensorImpl*> seen;
  collect("", recurse, true, true, out, seen);
  return out;
}

std::vector<Tensor> Module::buffers(bool recurse) const {
  std::vector<Tensor> out;
  for (auto& entry : named_buffers(recurse)) out.push_back(entry.second);
  return out;
}

std::vector<std::pair<std::string, std::shared_ptr<Module>>> Module::named_children() const { return children_; }

std::vector<std::shared_ptr<Module>> Module::children() const {
  std::vector<std::shared_ptr<Module>> out;
  for (const auto& entry : children_) out.push_back(entry.second);
  return out;
}

std::vector<std::pair<std::string, Module*>> Module::named_modules() {
  std::vector<std::pair<std::string, Module*>> out = {{"", this}};
  for (const auto& [name, child] : children_) {
    for (auto& [sub_name, module] : child->named_modules()) {
      std::string full = name;
      if (!sub_name.empty()) full.append(".").append(sub_name);
      if (std::none_of(out.begin(), out.end(), [&](const auto& e) { return e.second == module; })) {
        out.emplace_back(std::move(full), module);
      }
    }
  }
  return out;
}

void Module::apply(const std::function<void(Module&)>& fn) {
  for (const auto& entry : children_) entry.second->apply(fn);
  fn(*this);
}

Module& Module::train(bool on) {
  training_ = on;
  for (const auto& entry : children_) entry.second->train(on);
  return *this;
}

void Module::zero_grad() {
  for (const Tensor& parameter : parameters()) parameter.set_grad(Tensor());
}

Module& Module::requires_grad_(bool requires_grad) {
  for (Tensor parameter : parameters()) parameter.set_requires_grad(requires_grad);
  return *this;
}

namespace {

// PyTorch's `tensor.data = converted`: the impl (shared by every handle) gets the new storage,
// so the member `weight` of a layer and the registered entry stay one tensor.
void replace_data(const Tensor& target, const Tensor& data) {
  TensorImpl& impl = *target.impl();
  impl.storage = data.storage();
  impl.shape = data.shape();
  impl.strides = data.strides();
  impl.offset = data.offset();
  impl.dtype = data.dtype();
}

}  // namespace

Module& Module::to(DType dtype) {
  FULCRUM_CHECK(is_floating(dtype), name_ << ".to: modules convert to a floating dtype (f32 or f64), got " << dtype);
  NoGradGuard no_grad;
  auto convert = [&](const Tensor& t) {
    if (!is_floating(t.dtype()) || t.dtype() == dtype) return;
    replace_data(t, t.detach().to(dtype).contiguous());
    if (t.grad().defined()) t.set_grad(t.grad().detach().to(dtype));
  };
  for (const Tensor& parameter : parameters()) convert(parameter);
  for (const Tensor& buffer : buffers()) convert(buffer);
  return *this;
}

Module& Module::to(Device device) {
  NoGradGuard no_grad;
  auto move = [&](const Tensor& t) {
    if (t.device() == device) return;
    replace_data(t, t.detach().to(device));
    if (t.grad().defined()) t.set_grad(t.grad().detach().to(device));
  };
  for (const Tensor& parameter : parameters()) move(parameter);
  for (const Tensor& buffer : buffers()) move(buffer);
  return *this;
}

StateDict Module::state_dict() const {
  NamedTensors entries;
  std::vector<const TensorImpl*> seen;
  collect("", true, false, false, entries, seen);  // every name, tied weights under each
  collect("", true, true, false, entries, seen);
  StateDict state;
  for (auto& [name, tensor] : entries) state.emplace(name, tensor.detach());
  return state;
}

IncompatibleKeys Module::load_state_dict(const StateDict& state, bool strict) {
  StateDict own = state_dict();
  std::vector<std::string> missing, unexpected, mismatched;
  for (const auto& [key, target] : own) {
    auto found = state.find(key);
    if (found == state.end()) {
      missing.push_back(key);
      continue;
    }
    const Tensor& source = found->second;
    std::ostringstream problem;
    if (!source.defined()) {
      problem << key << ": the tensor is undefined";
    } else if (source.shape() != target.shape()) {
      problem << "size mismatch for " << key << ": expected " << shape_str(target.shape()) << ", got "
              << shape_str(source.shape());
    } else if (source.device() != target.device()) {
      problem << "device mismatch for " << key << ": expected " << target.device() << ", got " << source.device();
    } else if (source.dtype() != target.dtype()) {
      problem << "dtype mismatch for " << key << ": expected " << target.dtype() << ", got " << source.dtype()
              << " (convert with .to(...) or the model with Module::to)";
    }
    if (!problem.str().empty()) mismatched.push_back(problem.str());
  }
  for (const auto& entry : state) {
    if (own.find(entry.first) == own.end()) unexpected.push_back(entry.first);
  }
  const bool fail = !mismatched.empty() || (strict && (!missing.empty() || !unexpected.empty()));
  if (fail) {
    std::ostringstream message;
    message << name_ << ".load_state_dict: error(s) in loading the state dict; nothing was changed.";
    auto list = [&](const char* title, const std::vector<std::string>& keys, const char* separator) {
      if (keys.empty()) return;
      message << "\n  " << title;
      for (size_t i = 0; i < keys.size(); ++i) message << (i ? separator : "") << keys[i];
    };
    if (strict) list("missing keys: ", missing, ", ");
    if (strict) list("unexpected keys: ", unexpected, ", ");
    list("", mismatched, "\n  ");
    FULCRUM_FAIL(message.str());
  }
  NoGradGuard no_grad;
  for (const auto& [key, target] : own) {
    auto found = state.find(key);
    if (found != state.end()) target.copy_(found->second);
  }
  return {.missing_keys = std::move(missing), .unexpected_keys = std::move(unexpected)};
}

StateDict clone_state_dict(const StateDict& state) {
  StateDict copy;
  for (const auto& [key, tensor] : state) copy.emplace(key, tensor.detach().clone());
  return copy;
}

int64_t parameter_count(const Module& module) {
  int64_t count = 0;
  for (const Tensor& parameter : module.parameters()) count += parameter.numel();
  return count;
}

// PyTorch's Module.__repr__: "Name(extra)" for a leaf; otherwise the extra-repr lines and one
// "(child): repr" line per child, indented by two spaces, then ")".
std::string repr(const Module& module) {
  std::vector<std::string> lines;
  const std::string extra = module.extra_repr();
  if (!extra.empty()) lines.push_back(extra);
  const auto children = module.named_children();
  for (const auto& [name, child] : children) {
    std::string child_repr = repr(*child), indented;
    for (char c : child_repr) {
      indented.push_back(c);
      if (c == '\n') indented.append("  ");
    }
    std::string line = "(";
    line.append(name).append("): ").append(indented);
    lines.push_back(std::move(line));
  }
  std::string out = module.name();
  out.append("(");
  if (children.empty()) {
    out.append(extra);
  } else {
    for (const std::string& line : lines) out.append("\n  ").append(line);
    out.append("\n");
  }
  out.append(")");
  return out;
}

std::ostream& operator<<(std::ostream& os, const Module& module) { return os << repr(module); }

}  // namespace fulcrum::nn
