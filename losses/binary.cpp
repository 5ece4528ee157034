// losses/binary.cpp — the binary / multi-label losses of binary.hpp. Every loss is a few core ops,
// so autograd derives the backward; weights are detached (constants).
#include "losses/binary.hpp"

#include <cmath>
#include <utility>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "losses/loss_checks.hpp"

namespace fulcrum {

namespace {

// A weight as a constant, or undefined.
Tensor constant(const Tensor& weight) { return weight.defined() ? weight.detach() : Tensor(); }

// PyTorch's binary_cross_entropy on probabilities: the value uses max(log x, −100); the backward
// is bounded, (x − y) / max(x(1 − x), 1e-12), so a probability of 1e-39 gives a gradient of
// about −1e12, not −∞ (1/x overflows f32). Here the value and the slope come from two expressions
//   value = max(log(max(x, 1e-44)), −100)   (1e-44 is representable in f32; log never sees 0)
//   slope = x · c with the constant c = 1 / max(x, 1e-12)   (d slope / dx = c)
// joined as value.detach() + (slope − slope.detach()): the forward is exactly `value` (the
// bracket is 0), the gradient is c = d log x / dx wherever x ≥ 1e-12, and 1e12 below.
Tensor clamped_log(const Tensor& x) {
  const Tensor value = clamp_min(log(clamp_min(x, 1e-44)), -100.0);
  const Tensor slope = x * (1.0 / clamp_min(x, 1e-12)).detach();
  return value.detach() + (slope - slope.detach());
}

// −[β₊·y·log p + β₋·(1 − y)·log(1 − p)] on probabilities (logs clamped) or logits (stable).
Tensor weighted_bce_terms(const Tensor& input, const Tensor& target, double positive, double negative,
                          bool from_logits) {
  const Tensor log_p = from_logits ? log_sigmoid(input) : clamped_log(input);
  const Tensor log_not_p = from_logits ? log_sigmoid(neg(input)) : clamped_log(1.0 - input);
  return neg(target * log_p * positive + (1.0 - target) * log_not_p * negative);
}

void check_probabilities(const char* loss, const Tensor& input) {
  const std::vector<double> values = input.to_vector<double>();  // one host read (to_host)
  for (size_t i = 0; i < values.size(); ++i) {
    FULCRUM_CHECK(values[i] >= 0.0 && values[i] <= 1.0,
                  loss << ": input holds probabilities, every element must be in [0, 1]; got " << values[i]
                       << " at flat position " << i << " of " << shape_str(input.shape())
                       << " (pass logits to the _with_logits form)");
  }
}

}  // namespace

Tensor log_sigmoid(const Tensor& x) {
  const Tensor m = clamp_min(neg(x), 0.0);
  return neg(m + log(exp(neg(m)) + exp(neg(x) - m)));
}

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, BCELossOptions options) {
  constexpr const char* loss = "binary_cross_entropy";
  loss_checks::floating(loss, "input", input);
  loss_checks::same_shape(loss, "target", target, input);
  loss_checks::broadcast_weight(loss, "weight", options.weight, input);
  check_probabilities(loss, input);
  Tensor losses = neg(target * clamped_log(input) + (1.0 - target) * clamped_log(1.0 - input));
  if (options.weight.defined()) losses = losses * constant(options.weight);
  return reduce_losses(losses, options.reduction);
}

Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target, BCEWithLogitsOptions options) {
  constexpr const char* loss = "binary_cross_entropy_with_logits";
  loss_checks::floating(loss, "input", input);
  loss_checks::same_shape(loss, "target", target, input);
  loss_checks::broadcast_weight(loss, "weight", options.weight, input);
  loss_checks::broadcast_weight(loss, "pos_weight", options.pos_weight, input);
  // (1 − y)·x − (1 + (p − 1)·y)·log σ(x)   (PyTorch's stable form)
  const Tensor log_weight = options.pos_weight.defined() ? 1.0 + (constant(options.pos_weight) - 1.0) * target
                                                         : Tensor();
  Tensor losses = log_weight.defined() ? (1.0 - target) * input - log_weight * log_sigmoid(input)
                                       : (1.0 - target) * input - log_sigmoid(input);
  if (options.weight.defined()) losses = losses * constant(options.weight);
  return reduce_losses(losses, options.reduction);
}

Tensor weighted_binary_cross_entropy(const Tensor& input, const Tensor& target, WeightedBCEOptions options) {
  constexpr const char* loss = "weighted_binary_cross_entropy";
  loss_checks::floating(loss, "input", input);
  loss_checks::same_shape(loss, "target", target, input);
  FULCRUM_CHECK(std::isfinite(options.beta) && options.beta >= 0.0,
                loss << ": beta must be finite and >= 0, got " << options.beta);
  if (!options.from_logits) check_probabilities(loss, input);
  return reduce_losses(weighted_bce_terms(input, target, options.beta, 1.0, options.from_logits), options.reduction);
}

Tensor balanced_binary_cross_entropy(const Tensor& input, const Tensor& target, BalancedBCEOptions options) {
  constexpr const char* loss = "balanced_binary_cross_entropy";
  loss_checks::floating(loss, "input", input);
  loss_checks::same_shape(loss, "target", target, input);
  if (!options.from_logits) check_probabilities(loss, input);
  // β = the fraction of negatives, 1 − mean(y), when not given (an empty target gives β = 1).
  const double beta = options.beta ? *options.beta
                                   : (target.numel() == 0 ? 1.0 : 1.0 - mean(target.detach()).item());
  FULCRUM_CHECK(beta >= 0.0 && beta <= 1.0, loss << ": beta must be in [0, 1], got " << beta);
  return reduce_losses(weighted_bce_terms(input, target, beta, 1.0 - beta, options.from_logits), options.reduction);
}

Tensor multilabel_soft_margin_loss(const Tensor& input, const Tensor& target, MultiLabelSoftMarginOptions options) {
  constexpr const char* loss = "multilabel_soft_margin_loss";
  loss_checks::floating(loss, "input", input);
  FULCRUM_CHECK(input.dim() == 1 || input.dim() == 2,
                loss << ": input must be [N, C] or [C], got " << shape_str(input.shape()));
  loss_checks::same_shape(loss, "target", target, input);
  const int64_t class_dim = input.dim() - 1;
  const int64_t classes = input.size(class_dim);
  loss_checks::check_optional_class_weight(loss, options.weight, input, classes);
  Tensor losses = neg(target * log_sigmoid(input) + (1.0 - target) * log_sigmoid(neg(input)));
  if (options.weight.defined()) losses = losses * constant(options.weight);
  // Σ_c / C per sample (C = 0 gives 0/0 = NaN, as PyTorch), then the reduction over N.
  losses = sum(losses, {class_dim}) / static_cast<double>(classes);
  return reduce_losses(losses, options.reduction);
}

namespace nn {

BCELoss::BCELoss(BCELossOptions options_) : Module("BCELoss"), options(std::move(options_)) {
  if (options.weight.defined()) options.weight = register_buffer("weight", options.weight.detach());
}
Tensor BCELoss::forward(const Tensor& input, const Tensor& target) {
  return binary_cross_entropy(input, target, options);
}
Tensor BCELoss::forward(const Tensor&) {
  FULCRUM_FAIL("BCELoss: forward needs the probabilities and the targets: loss(input, target)");
}

BCEWithLogitsLoss::BCEWithLogitsLoss(BCEWithLogitsOptions options_)
    : Module("BCEWithLogitsLoss"), options(std::move(options_)) {
  if (options.weight.defined()) options.weight = register_buffer("weight", options.weight.detach());
  if (options.pos_weight.defined()) options.pos_weight = register_buffer("pos_weight", options.pos_weight.detach());
}
Tensor BCEWithLogitsLoss::forward(const Tensor& input, const Tensor& target) {
  return binary_cross_entropy_with_logits(input, target, options);
}
Tensor BCEWithLogitsLoss::forward(const Tensor&) {
  FULCRUM_FAIL("BCEWithLogitsLoss: forward needs the logits and the targets: loss(input, target)");
}

MultiLabelSoftMarginLoss::MultiLabelSoftMarginLoss(MultiLabelSoftMarginOptions options_)
    : Module("MultiLabelSoftMarginLoss"), options(std::move(options_)) {
  if (options.weight.defined()) options.weight = register_buffer("weight", options.weight.detach());
}
Tensor MultiLabelSoftMarginLoss::forward(const Tensor& input, const Tensor& target) {
  return multilabel_soft_margin_loss(input, target, options);
}
Tensor MultiLabelSoftMarginLoss::forward(const Tensor&) {
  FULCRUM_FAIL("MultiLabelSoftMarginLoss: forward needs the logits and the targets: loss(input, target)");
}

}  // namespace nn
}  // namespace fulcrum
