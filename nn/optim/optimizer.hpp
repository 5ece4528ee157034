// nn/optim/optimizer.hpp — what every optimiser shares, as in torch.optim.Optimizer: parameter
// groups (a list of tensors + that group's options), per-parameter state (momentum buffers,
// exp_avg…), zero_grad(), the per-group lr that schedulers change, and state_dict() for resuming.
// The update rules are in sgd.hpp and adam.hpp; lr schedules in lr_scheduler.hpp.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "autograd/node.hpp"
#include "core/tensor.hpp"
#include "nn/state_dict.hpp"

namespace fulcrum::optim {

// What an optimiser remembers about one parameter (PyTorch's optimizer.state[p]).
// `step` counts the updates this parameter received (Adam's t; SGD leaves it at 0);
// `buffers` holds the named tensors: "momentum_buffer" (SGD), "exp_avg", "exp_avg_sq",
// "max_exp_avg_sq" (Adam/AdamW). Empty until the parameter's first step with a gradient.
struct ParamState {
  int64_t step = 0;
  std::map<std::string, Tensor> buffers;

  bool has(const std::string& name) const { return buffers.count(name) != 0; }
  const Tensor& at(const std::string& name) const;  // Error naming the missing buffer
};

// The interface schedulers and training loops see, whatever the update rule.
class Optimizer {
public:
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  // One update of every parameter that has a gradient; parameters whose grad is undefined are
  // skipped (their state stays untouched). Runs under NoGradGuard, in place.
  virtual void step() = 0;
  virtual const char* name() const = 0;  // "SGD", "Adam", "AdamW" (for error messages)

  // set_to_none = true (PyTorch's default): grads become undefined, so the next step skips
  // parameters that the next backward does not reach. false: grads are filled with zeros.
  void zero_grad(bool set_to_none = true) const;

  size_t num_param_groups() const { return group_params_.size(); }
  const std::vector<Tensor>& params(size_t group) const;
  virtual double lr(size_t group) const = 0;
  virtual void set_lr(size_t group, double lr) = 0;
  // The lr the first scheduler found (PyTorch's group["initial_lr"]); set on first use.
  double initial_lr(size_t group);

  // The state of one parameter (an Error if it is not in this optimiser).
  const ParamState& state(const Tensor& param) const;

  // Flat, safetensors-ready: "state.<i>.<buffer>", "state.<i>.step" (0-d i64) and
  // "param_groups.<g>.lr" / ".initial_lr" (0-d f64), where i counts parameters across groups in
  // order, as PyTorch numbers them. load_state_dict checks names, shapes and dtypes.
  nn::StateDict state_dict() const;
  void load_state_dict(const nn::StateDict& state);

protected:
  Optimizer() = default;
  // Validates and appends one group (PyTorch's add_param_group): params non-empty, leaves,
  // floating, on no other group. Returns the group index.
  size_t add_group_params(std::vector<Tensor> params);
  // Calls fn(group, param, grad, state) for every parameter whose grad is defined, in group
  // order, under NoGradGuard; grad is detached and checked against the parameter (shape, dtype).
  // Parameters without a grad are skipped, as in PyTorch: no update, no state change.
  template <typename Fn> void for_each_param_with_grad(Fn&& fn) {
    NoGradGuard no_grad;
    for (size_t g = 0; g < group_params_.size(); ++g) {
      for (size_t i = 0; i < group_params_[g].size(); ++i) {
        Tensor grad = checked_grad(g, i);
        if (!grad.defined()) continue;
        follow_device(group_params_[g][i], state_[g][i]);
        fn(g, group_params_[g][i], grad, state_[g][i]);
      }
    }
  }

private:
  Tensor checked_grad(size_t group, size_t index) const;
  // The state lives where its parameter lives: after model.to(device) the buffers follow.
  static void follow_device(const Tensor& param, ParamState& state) {
    for (auto& [name, buffer] : state.buffers)
      if (buffer.device() != param.device()) buffer = buffer.to(param.device());
  }
  std::vector<std::vector<Tensor>> group_params_;
  std::vector<std::vector<ParamState>> state_;
  std::vector<std::optional<double>> initial_lrs_;
};

// A parameter group with its own options: SGD({{backbone, {.lr = 0.01}}, {head, {.lr = 0.1}}}).
template <typename Options> struct ParamGroup {
  std::vector<Tensor> params;
  Options options;
};

// Stores each group's options next to the shared machinery; SGD and Adam derive from it.
template <typename Options> class OptimizerWithOptions : public Optimizer {
public:
  std::vector<ParamGroup<Options>> param_groups() const {
    std::vector<ParamGroup<Options>> groups;
    for (size_t g = 0; g < options_.size(); ++g) groups.push_back({params(g), options_[g]});
    return groups;
  }
  // Group access; params(group) turns a bad index into a fulcrum::Error naming the range.
  Options& options(size_t group) {
    params(group);
    return options_[group];
  }
  const Options& options(size_t group) const {
    params(group);
    return options_[group];
  }
  double lr(size_t group) const override { return options(group).lr; }
  void set_lr(size_t group, double lr) override { options(group).lr = lr; }

  // PyTorch's optimizer.add_param_group(...); options are validated by the subclass.
  void add_param_group(ParamGroup<Options> group) {
    validate(group.options);
    add_group_params(std::move(group.params));
    options_.push_back(group.options);
  }

protected:
  virtual void validate(const Options& options) const = 0;
  void init(std::vector<ParamGroup<Options>> groups) {
    for (auto& group : groups) add_param_group(std::move(group));
  }

private:
  std::vector<Options> options_;
};

}  // namespace fulcrum::optim
