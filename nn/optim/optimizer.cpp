// nn/optim/optimizer.cpp — the shared machinery of optimisers: parameter-group bookkeeping and
// validation, zero_grad, per-parameter state lookup and the flat state_dict used to resume a run.
// The update rules themselves are in sgd.cpp and adam.cpp.
#include "nn/optim/optimizer.hpp"

#include <cmath>

#include "autograd/node.hpp"
#include "core/ops.hpp"

namespace fulcrum::optim {

const Tensor& ParamState::at(const std::string& name) const {
  auto it = buffers.find(name);
  FULCRUM_CHECK(it != buffers.end(), "optimizer state: no buffer '" << name
                << "' (a parameter has state only after its first step with a gradient)");
  return it->second;
}

size_t Optimizer::add_group_params(std::vector<Tensor> params) {
  const size_t group = group_params_.size();
  FULCRUM_CHECK(!params.empty(), name() << ": parameter group " << group
                                        << " is empty (optimizer got an empty parameter list)");
  for (size_t i = 0; i < params.size(); ++i) {
    const Tensor& param = params[i];
    FULCRUM_CHECK(param.defined(), name() << ": parameter " << i << " of group " << group
                                          << " is an undefined tensor");
    FULCRUM_CHECK(param.is_leaf(), name() << ": parameter " << i << " of group " << group
                  << " is not a leaf (it is the output of an op); can't optimize a non-leaf tensor");
    FULCRUM_CHECK(is_floating(param.dtype()), name() << ": parameter " << i << " of group " << group
                  << " is " << param.dtype() << "; only f32/f64 tensors can be optimised");
    for (size_t g = 0; g <= group; ++g) {
      const std::vector<Tensor>& others = g < group ? group_params_[g] : params;
      const size_t end = g < group ? others.size() : i;
      for (size_t j = 0; j < end; ++j) {
        FULCRUM_CHECK(!others[j].is_same(param), name() << ": parameter " << i << " of group "
                      << group << " is also parameter " << j << " of group " << g
                      << "; a parameter may appear in only one group, once");
      }
    }
  }
  state_.emplace_back(params.size());
  group_params_.push_back(std::move(params));
  initial_lrs_.emplace_back();
  return group;
}

const std::vector<Tensor>& Optimizer::params(size_t group) const {
  FULCRUM_CHECK(group < group_params_.size(), name() << ": parameter group " << group
                << " out of range (the optimiser has " << group_params_.size() << " groups)");
  return group_params_[group];
}

double Optimizer::initial_lr(size_t group) {
  params(group);  // range check
  if (!initial_lrs_[group]) initial_lrs_[group] = lr(group);
  return *initial_lrs_[group];
}

void Optimizer::zero_grad(bool set_to_none) const {
  NoGradGuard no_grad;
  for (const auto& group : group_params_) {
    for (const Tensor& param : group) {
      if (!param.grad().defined()) continue;
      if (set_to_none) {
        param.set_grad(Tensor());
      } else {
        param.grad().zero_();
      }
    }
  }
}

const ParamState& Optimizer::state(const Tensor& param) const {
  for (size_t g = 0; g < group_params_.size(); ++g) {
    for (size_t i = 0; i < group_params_[g].size(); ++i) {
      if (group_params_[g][i].is_same(param)) return state_[g][i];
    }
  }
  FULCRUM_FAIL(name() << ": state: the tensor " << shape_str(param.shape())
                      << " is not a parameter of this optimiser");
}

Tensor Optimizer::checked_grad(size_t group, size_t index) const {
  const Tensor& param = group_params_[group][index];
  const Tensor& grad = param.grad();
  if (!grad.defined()) return grad;
  FULCRUM_CHECK(grad.shape() == param.shape() && grad.dtype() == param.dtype() && grad.device() == param.device(),
                name() << ": parameter " << index << " of group " << group << " is "
                << shape_str(param.shape()) << " " << param.dtype() << " on " << param.device() << " but its grad is "
                << shape_str(grad.shape()) << " " << grad.dtype() << " on " << grad.device());
  return grad.detach();
}

// ---- state_dict: every tensor is a copy, so saving never aliases live buffers ----
namespace {
std::string key(const char* prefix, size_t index, const std::string& field) {
  std::string out = prefix;
  out.append(std::to_string(index)).append(".").append(field);
  return out;
}
}  // namespace

nn::StateDict Optimizer::state_dict() const {
  nn::StateDict out;
  size_t flat = 0;
  for (size_t g = 0; g < group_params_.size(); ++g) {
    out[key("param_groups.", g, "lr")] = scalar_tensor(lr(g), {.dtype = DType::f64});
    if (initial_lrs_[g]) {
      out[key("param_groups.", g, "initial_lr")] = scalar_tensor(*initial_lrs_[g], {.dtype = DType::f64});
    }
    for (size_t i = 0; i < group_params_[g].size(); ++i, ++flat) {
      const ParamState& s = state_[g][i];
      if (s.step == 0 && s.buffers.empty()) continue;
      out[key("state.", flat, "step")] = scalar_tensor(static_cast<double>(s.step), {.dtype = DType::i64});
      for (const auto& [buffer, value] : s.buffers) out[key("state.", flat, buffer)] = value.clone();
    }
  }
  return out;
}

void Optimizer::load_state_dict(const nn::StateDict& state) {
  // Check every name first, so a bad dict leaves the optimiser untouched.
  std::vector<std::pair<size_t, size_t>> position;  // flat index → (group, index)
  for (size_t g = 0; g < group_params_.size(); ++g) {
    for (size_t i = 0; i < group_params_[g].size(); ++i) position.emplace_back(g, i);
  }
  for (const auto& [name_key, value] : state) {
    FULCRUM_CHECK(value.defined(), name() << ": load_state_dict: '" << name_key << "' is undefined");
    const bool is_group = name_key.rfind("param_groups.", 0) == 0;
    const bool is_state = name_key.rfind("state.", 0) == 0;
    FULCRUM_CHECK(is_group || is_state, name() << ": load_state_dict: unexpected key '" << name_key
                  << "' (expected 'state.<i>.<buffer>' or 'param_groups.<g>.lr')");
    const std::string rest = name_key.substr(is_group ? 13 : 6);
    const size_t dot = rest.find('.');
    size_t index = 0;
    bool numeric = dot != std::string::npos && dot > 0 && dot < 10;
    for (size_t c = 0; numeric && c < dot; ++c) {
      numeric = rest[c] >= '0' && rest[c] <= '9';
      index = index * 10 + static_cast<size_t>(rest[c] - '0');
    }
    FULCRUM_CHECK(numeric, name() << ": load_state_dict: key '" << name_key << "' has no index");
    const std::string field = rest.substr(dot + 1);
    const size_t limit = is_group ? group_params_.size() : position.size();
    FULCRUM_CHECK(index < limit, name() << ": load_state_dict: key '" << name_key << "' refers to "
                  << (is_group ? "group " : "parameter ") << index << " but the optimiser has "
                  << limit);
    if (is_group || field == "step") {
      FULCRUM_CHECK(value.numel() == 1 && (!is_group || field == "lr" || field == "initial_lr"),
                    name() << ": load_state_dict: '" << name_key << "' should be a single number");
      continue;
    }
    const auto [g, i] = position[index];
    const Tensor& param = group_params_[g][i];
    FULCRUM_CHECK(value.shape() == param.shape() && value.dtype() == param.dtype(),
                  name() << ": load_state_dict: '" << name_key << "' is " << shape_str(value.shape())
                  << " " << value.dtype() << " but parameter " << index << " is "
                  << shape_str(param.shape()) << " " << param.dtype());
  }
  for (auto& group_state : state_) {
    for (ParamState& s : group_state) s = ParamState{};
  }
  for (const auto& [name_key, value] : state) {
    const bool is_group = name_key.rfind("param_groups.", 0) == 0;
    const std::string rest = name_key.substr(is_group ? 13 : 6);
    const size_t dot = rest.find('.');
    const size_t index = std::stoul(rest.substr(0, dot));
    const std::string field = rest.substr(dot + 1);
    if (is_group) {
      if (field == "lr") set_lr(index, value.item<double>());
      if (field == "initial_lr") initial_lrs_[index] = value.item<double>();
      continue;
    }
    ParamState& s = state_[position[index].first][position[index].second];
    if (field == "step") {
      s.step = value.item<int64_t>();
    } else {
      const Tensor& param = group_params_[position[index].first][position[index].second];
      s.buffers[field] = value.detach().to(param.device()).clone();  // state lives with its parameter
    }
  }
}

}  // namespace fulcrum::optim
