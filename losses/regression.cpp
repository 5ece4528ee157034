// losses/regression.cpp — the regression losses, the parameter penalties and their modules
// (regression.hpp).
#include "losses/regression.hpp"

#include <cmath>
#include <utility>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "losses/loss_checks.hpp"

namespace fulcrum {
namespace {

// x − y after checking both (same shape and dtype).
Tensor difference(const char* loss, const Tensor& input, const Tensor& target) {
  loss_checks::floating(loss, "input", input);
  loss_checks::same_shape(loss, "target", target, input);
  return input - target;
}

// Σ over every tensor of f(θ), after the checks.
template <typename F> Tensor penalty(const char* name, const std::vector<Tensor>& parameters, F&& f) {
  FULCRUM_CHECK(!parameters.empty(), name << ": expected at least one tensor (e.g. model.parameters()), got none");
  Tensor total;
  for (size_t i = 0; i < parameters.size(); ++i) {
    const Tensor& p = parameters[i];
    FULCRUM_CHECK(p.defined(), name << ": tensor " << i << " of the list is undefined");
    FULCRUM_CHECK(is_floating(p.dtype()), name << ": tensor " << i << " is " << p.dtype() << " "
                                                << shape_str(p.shape()) << "; expected floating parameters");
    FULCRUM_CHECK(i == 0 || p.dtype() == parameters[0].dtype(),
                  name << ": tensor " << i << " is " << p.dtype() << " but tensor 0 is " << parameters[0].dtype()
                       << " (one dtype is expected)");
    const Tensor term = sum(f(p));
    total = total.defined() ? total + term : term;
  }
  return total;
}

}  // namespace

Tensor mse_loss(const Tensor& input, const Tensor& target, RegressionLossOptions options) {
  return reduce_losses(square(difference("mse_loss", input, target)), options.reduction);
}

Tensor l1_loss(const Tensor& input, const Tensor& target, RegressionLossOptions options) {
  return reduce_losses(abs(difference("l1_loss", input, target)), options.reduction);
}

Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, SmoothL1Options options) {
  constexpr const char* loss = "smooth_l1_loss";
  FULCRUM_CHECK(std::isfinite(options.beta) && options.beta >= 0.0,
                loss << ": beta must be finite and >= 0, got " << options.beta);
  const Tensor d = difference(loss, input, target);
  const Tensor a = abs(d);
  if (options.beta == 0.0) return reduce_losses(a, options.reduction);  // PyTorch: β = 0 is l1_loss
  const Tensor losses = where(a < options.beta, square(d) * (0.5 / options.beta), a - 0.5 * options.beta);
  return reduce_losses(losses, options.reduction);
}

Tensor huber_loss(const Tensor& input, const Tensor& target, HuberOptions options) {
  constexpr const char* loss = "huber_loss";
  FULCRUM_CHECK(std::isfinite(options.delta) && options.delta > 0.0,
                loss << ": delta must be finite and > 0, got " << options.delta);
  const Tensor d = difference(loss, input, target);
  const Tensor a = abs(d);
  const double delta = options.delta;
  const Tensor losses = where(a < delta, square(d) * 0.5, (a - 0.5 * delta) * delta);
  return reduce_losses(losses, options.reduction);
}

Tensor l1_penalty(const std::vector<Tensor>& parameters) {
  return penalty("l1_penalty", parameters, [](const Tensor& p) { return abs(p); });
}

Tensor l2_penalty(const std::vector<Tensor>& parameters) {
  return penalty("l2_penalty", parameters, [](const Tensor& p) { return square(p); });
}

namespace nn {

MSELoss::MSELoss(RegressionLossOptions options_) : Module("MSELoss"), options(options_) {}
Tensor MSELoss::forward(const Tensor& input, const Tensor& target) { return mse_loss(input, target, options); }
Tensor MSELoss::forward(const Tensor&) {
  FULCRUM_FAIL("MSELoss: forward needs the input and the target: loss(input, target)");
}

L1Loss::L1Loss(RegressionLossOptions options_) : Module("L1Loss"), options(options_) {}
Tensor L1Loss::forward(const Tensor& input, const Tensor& target) { return l1_loss(input, target, options); }
Tensor L1Loss::forward(const Tensor&) {
  FULCRUM_FAIL("L1Loss: forward needs the input and the target: loss(input, target)");
}

SmoothL1Loss::SmoothL1Loss(SmoothL1Options options_) : Module("SmoothL1Loss"), options(options_) {}
Tensor SmoothL1Loss::forward(const Tensor& input, const Tensor& target) {
  return smooth_l1_loss(input, target, options);
}
Tensor SmoothL1Loss::forward(const Tensor&) {
  FULCRUM_FAIL("SmoothL1Loss: forward needs the input and the target: loss(input, target)");
}

HuberLoss::HuberLoss(HuberOptions options_) : Module("HuberLoss"), options(options_) {}
Tensor HuberLoss::forward(const Tensor& input, const Tensor& target) { return huber_loss(input, target, options); }
Tensor HuberLoss::forward(const Tensor&) {
  FULCRUM_FAIL("HuberLoss: forward needs the input and the target: loss(input, target)");
}

}  // namespace nn
}  // namespace fulcrum
