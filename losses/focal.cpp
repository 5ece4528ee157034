// losses/focal.cpp — sigmoid_focal_loss, focal_loss and their modules (focal.hpp), composed from
// core ops (autograd derives the backward; class weights are detached constants).
#include "losses/focal.hpp"

#include <cmath>
#include <utility>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "losses/binary.hpp"
#include "losses/loss_checks.hpp"

namespace fulcrum {
namespace {

// The floor of 1 − p_t before the power γ: keeps γ·(1 − p_t)^{γ−1} finite for γ < 1.
constexpr double kOneMinusFloor = 1e-12;

Tensor modulating_factor(const Tensor& one_minus_pt, double gamma) {
  return pow(clamp_min(one_minus_pt, kOneMinusFloor), gamma);
}

void check_gamma(const char* loss, double gamma) {
  FULCRUM_CHECK(std::isfinite(gamma) && gamma >= 0.0, loss << ": gamma must be finite and >= 0, got " << gamma);
}

// Keras' binary_crossentropy on probabilities (TF 2.x backend): clip to [ε, 1 − ε], then
// −[y·log(p + ε) + (1 − y)·log(1 − p + ε)], ε = 1e-7.
Tensor keras_binary_crossentropy(const Tensor& p, const Tensor& y) {
  constexpr double eps = 1e-7;
  const Tensor clipped = clamp(p, eps, 1.0 - eps);
  return neg(y * log(clipped + eps) + (1.0 - y) * log(1.0 - clipped + eps));
}

}  // namespace

Tensor sigmoid_focal_loss(const Tensor& input, const Tensor& target, SigmoidFocalOptions options) {
  constexpr const char* loss = "sigmoid_focal_loss";
  loss_checks::floating(loss, "input", input);
  loss_checks::same_shape(loss, "target", target, input);
  check_gamma(loss, options.gamma);
  FULCRUM_CHECK(std::isfinite(options.alpha), loss << ": alpha must be finite, got " << options.alpha);
  const bool tfa = options.convention == SigmoidFocalConvention::tensorflow_addons;
  FULCRUM_CHECK(!tfa || input.dim() >= 1, loss << ": the tensorflow_addons convention sums over the last axis; "
                                               << "the input must have at least 1 dim, got a 0-d tensor");
  Tensor p, ce;
  if (options.from_logits) {
    p = sigmoid(input);
    ce = binary_cross_entropy_with_logits(input, target, {.reduction = Reduction::none});
  } else {
    p = input;
    ce = tfa ? keras_binary_crossentropy(input, target)
             : binary_cross_entropy(input, target, {.reduction = Reduction::none});  // checks p ∈ [0, 1]
  }
  Tensor losses = ce;
  // 1 − p_t = 1 − p·y − (1 − p)(1 − y) = p(1 − y) + (1 − p)·y
  if (!(tfa && options.gamma == 0.0)) {
    losses = losses * modulating_factor(p * (1.0 - target) + (1.0 - p) * target, options.gamma);
  }
  const bool use_alpha = tfa ? options.alpha != 0.0 : options.alpha >= 0.0;
  if (use_alpha) losses = losses * (target * options.alpha + (1.0 - target) * (1.0 - options.alpha));
  if (tfa) losses = sum(losses, {-1});  // one value per example
  return reduce_losses(losses, options.reduction);
}

Tensor focal_loss(const Tensor& input, const Tensor& target, FocalLossOptions options) {
  constexpr const char* loss = "focal_loss";
  const int64_t classes = loss_checks::check_scores_or_sample(loss, input);
  const bool one_sample = input.dim() == 1;
  check_gamma(loss, options.gamma);
  FULCRUM_CHECK(std::isfinite(options.alpha) && options.alpha >= 0.0,
                loss << ": alpha must be finite and >= 0, got " << options.alpha);
  const std::vector<double> weight = loss_checks::check_optional_class_weight(loss, options.weight, input, classes);
  const std::vector<int64_t> labels = loss_checks::check_class_targets(loss, input, target);

  const Tensor x = one_sample ? unsqueeze(input, 0) : input;
  const Tensor y = one_sample ? reshape(target.detach(), {1}) : target.detach();
  const Tensor log_probs = options.input == FocalInput::logits ? log_softmax(x, 1) : x;
  const Tensor logp_t = squeeze(gather(log_probs, 1, unsqueeze(y, 1)), 1);  // [N]
  Tensor losses = neg(logp_t);
  // (1 − p_t)^γ with 1 − p_t = 1 − exp(logp_t); γ = 0 leaves cross-entropy untouched.
  if (options.gamma != 0.0) losses = losses * modulating_factor(1.0 - exp(logp_t), options.gamma);
  // α_{y_n} = alpha · weight[y_n]; Σ α_{y_n} for the target_weight mean.
  double total_alpha = 0.0;
  for (int64_t label : labels) total_alpha += options.alpha * (weight.empty() ? 1.0 : weight[static_cast<size_t>(label)]);
  if (options.weight.defined()) losses = losses * index_select(options.weight.detach(), 0, y);
  if (options.alpha != 1.0) losses = losses * options.alpha;

  const Tensor result = reduce_losses(
      losses, options.reduction, options.mean == FocalMean::batch ? static_cast<double>(losses.numel()) : total_alpha);
  return one_sample && options.reduction == Reduction::none ? reshape(result, {}) : result;
}

namespace nn {

SigmoidFocalLoss::SigmoidFocalLoss(SigmoidFocalOptions options_)
    : Module("SigmoidFocalLoss"), options(std::move(options_)) {}
Tensor SigmoidFocalLoss::forward(const Tensor& input, const Tensor& target) {
  return sigmoid_focal_loss(input, target, options);
}
Tensor SigmoidFocalLoss::forward(const Tensor&) {
  FULCRUM_FAIL("SigmoidFocalLoss: forward needs the input and the targets: loss(input, target)");
}

FocalLoss::FocalLoss(FocalLossOptions options_) : Module("FocalLoss"), options(std::move(options_)) {
  if (options.weight.defined()) options.weight = register_buffer("weight", options.weight.detach());
}
Tensor FocalLoss::forward(const Tensor& input, const Tensor& target) { return focal_loss(input, target, options); }
Tensor FocalLoss::forward(const Tensor&) {
  FULCRUM_FAIL("FocalLoss: forward needs the input and the targets: loss(input, target)");
}

}  // namespace nn
}  // namespace fulcrum
