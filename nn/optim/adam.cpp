// nn/optim/adam.cpp — the Adam / AdamW update in PyTorch's order of operations (one function,
// adam_update, shared by both; they differ only in where weight decay enters), and their checks.
#include "nn/optim/adam.hpp"

#include <cmath>

#include "core/ops.hpp"

namespace fulcrum::optim {
namespace {

// The fields Adam and AdamW share (their option structs differ only in the weight_decay default).
struct AdamHyper {
  double lr;
  std::array<double, 2> betas;
  double eps;
  double weight_decay;
  bool amsgrad;
  bool maximize;
};
template <typename Options> AdamHyper hyper(const Options& o) {
  return {o.lr, o.betas, o.eps, o.weight_decay, o.amsgrad, o.maximize};
}

void validate_hyper(const char* name, const AdamHyper& o) {
  FULCRUM_CHECK(o.lr >= 0.0, name << ": invalid learning rate " << o.lr << " (expected ≥ 0)");
  FULCRUM_CHECK(o.eps >= 0.0, name << ": invalid eps " << o.eps << " (expected ≥ 0)");
  for (int k = 0; k < 2; ++k) {
    FULCRUM_CHECK(o.betas[k] >= 0.0 && o.betas[k] < 1.0, name << ": invalid beta parameter at index "
                  << k << ": " << o.betas[k] << " (expected 0 ≤ beta < 1)");
  }
  FULCRUM_CHECK(o.weight_decay >= 0.0,
                name << ": invalid weight_decay " << o.weight_decay << " (expected ≥ 0)");
}

// The buffer `name`, created as zeros like `param` on first use.
const Tensor& buffer(ParamState& state, const char* name, const Tensor& param) {
  auto it = state.buffers.find(name);
  if (it == state.buffers.end()) it = state.buffers.emplace(name, zeros_like(param)).first;
  return it->second;
}

// One parameter's update, θ with gradient g at step t (counted per parameter, from 1):
//   AdamW:  θ ← θ·(1 − lr·wd)                      Adam:  g ← g + wd·θ
//   m ← β1·m + (1 − β1)·g                          v ← β2·v + (1 − β2)·g²
//   amsgrad: v̂ ← max(v̂, v), and v̂ replaces v below
//   denom = √v / √(1 − β2ᵗ) + eps
//   θ ← θ − (lr / (1 − β1ᵗ)) · m / denom
// The bias corrections are computed in double on the host, as PyTorch does in Python.
// Runs under NoGradGuard (for_each_param_with_grad).
void adam_update(const Tensor& param, Tensor grad, ParamState& state, const AdamHyper& o,
                 bool decoupled_weight_decay) {
  const auto [beta1, beta2] = o.betas;
  if (o.maximize) grad = neg(grad);
  const Tensor& exp_avg = buffer(state, "exp_avg", param);
  const Tensor& exp_avg_sq = buffer(state, "exp_avg_sq", param);
  const double t = static_cast<double>(++state.step);

  if (decoupled_weight_decay) {
    param.mul_(1.0 - o.lr * o.weight_decay);
  } else if (o.weight_decay != 0.0) {
    grad = add(grad, param.detach(), o.weight_decay);
  }
  exp_avg.mul_(beta1).add_(grad, 1.0 - beta1);
  exp_avg_sq.mul_(beta2).add_(grad * grad, 1.0 - beta2);

  const double bias_correction1 = 1.0 - std::pow(beta1, t);
  const double bias_correction2_sqrt = std::sqrt(1.0 - std::pow(beta2, t));
  const double step_size = o.lr / bias_correction1;
  Tensor second_moment = exp_avg_sq;
  if (o.amsgrad) {
    const Tensor& max_exp_avg_sq = buffer(state, "max_exp_avg_sq", param);
    max_exp_avg_sq.copy_(maximum(max_exp_avg_sq, exp_avg_sq));
    second_moment = max_exp_avg_sq;
  }
  const Tensor denom = sqrt(second_moment) / bias_correction2_sqrt + o.eps;
  param.add_(exp_avg / denom, -step_size);
}

}  // namespace

Adam::Adam(std::vector<Tensor> params, AdamOptions options) : Adam({{std::move(params), options}}) {}

Adam::Adam(std::vector<ParamGroup<AdamOptions>> groups) {
  FULCRUM_CHECK(!groups.empty(), "Adam: optimizer got an empty list of parameter groups");
  init(std::move(groups));
}

void Adam::validate(const AdamOptions& options) const { validate_hyper(name(), hyper(options)); }

void Adam::step() {
  for_each_param_with_grad([&](size_t group, const Tensor& param, Tensor grad, ParamState& state) {
    adam_update(param, std::move(grad), state, hyper(options(group)), false);
  });
}

AdamW::AdamW(std::vector<Tensor> params, AdamWOptions options)
    : AdamW({{std::move(params), options}}) {}

AdamW::AdamW(std::vector<ParamGroup<AdamWOptions>> groups) {
  FULCRUM_CHECK(!groups.empty(), "AdamW: optimizer got an empty list of parameter groups");
  init(std::move(groups));
}

void AdamW::validate(const AdamWOptions& options) const { validate_hyper(name(), hyper(options)); }

void AdamW::step() {
  for_each_param_with_grad([&](size_t group, const Tensor& param, Tensor grad, ParamState& state) {
    adam_update(param, std::move(grad), state, hyper(options(group)), true);
  });
}

}  // namespace fulcrum::optim
