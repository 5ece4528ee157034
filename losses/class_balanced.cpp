// losses/class_balanced.cpp — class_balanced_loss and nn::ClassBalancedLoss (class_balanced.hpp).
#include "losses/class_balanced.hpp"

#include <cmath>
#include <utility>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "losses/binary.hpp"
#include "losses/loss_checks.hpp"
#include "losses/class_weights.hpp"

namespace fulcrum {

Tensor class_balanced_loss(const Tensor& input, const Tensor& target, ClassBalancedOptions options) {
  constexpr const char* loss = "class_balanced_loss";
  loss_checks::check_scores(loss, "input", input);
  const int64_t classes = input.size(1);
  FULCRUM_CHECK(!options.from_log_probs || options.type == ClassBalancedType::softmax,
                loss << ": from_log_probs applies to the softmax type only (sigmoid and focal take logits)");
  FULCRUM_CHECK(std::isfinite(options.gamma) && options.gamma >= 0.0,
                loss << ": gamma must be finite and >= 0, got " << options.gamma);
  Tensor alpha = options.weight;
  if (!alpha.defined()) {
    FULCRUM_CHECK(static_cast<int64_t>(options.samples_per_class.size()) == classes,
                  loss << ": samples_per_class has " << options.samples_per_class.size()
                       << " counts but the input " << shape_str(input.shape()) << " has C = " << classes
                       << " classes (give one count per class, or the weights ready in `weight`)");
    alpha = effective_number_class_weights(options.samples_per_class, options.beta, {.dtype = input.dtype()});
  }
  const std::vector<double> alpha_values = loss_checks::check_class_vector(loss, "weight", alpha, input, classes,
                                                                             loss_checks::Sign::non_negative);
  loss_checks::check_class_targets(loss, input, target);

  const Tensor y = target.detach();
  const Tensor alpha_y = index_select(alpha.detach(), 0, y);  // [N] per-sample α_{y_n}
  Tensor losses;
  if (options.type == ClassBalancedType::softmax) {
    const Tensor log_probs = options.from_log_probs ? input : log_softmax(input, 1);
    losses = neg(squeeze(gather(log_probs, 1, unsqueeze(y, 1)), 1));
  } else {
    // z^t = z where c = y, −z elsewhere: z·(2·onehot − 1).
    const Tensor sign = one_hot(y, classes).to(input.dtype()) * 2.0 - 1.0;
    const Tensor zt = input * sign;
    Tensor per_class = neg(log_sigmoid(zt));  // BCE with the one-hot target
    if (options.type == ClassBalancedType::focal && options.gamma != 0.0) {
      per_class = per_class * exp(log_sigmoid(neg(zt)) * options.gamma);  // (1 − σ(z^t))^γ
    }
    losses = sum(per_class, {1});
  }
  losses = losses * alpha_y;

  double denominator = static_cast<double>(losses.numel());
  if (options.mean == ClassBalancedMean::target_weight) {
    denominator = 0.0;
    for (int64_t label : y.to_vector<int64_t>()) denominator += alpha_values[static_cast<size_t>(label)];
  }
  return reduce_losses(losses, options.reduction, denominator);
}

namespace nn {

ClassBalancedLoss::ClassBalancedLoss(ClassBalancedOptions options_)
    : Module("ClassBalancedLoss"), options(std::move(options_)) {
  if (!options.weight.defined()) {
    options.weight = effective_number_class_weights(options.samples_per_class, options.beta);
  }
  options.weight = register_buffer("weight", options.weight.detach());
}
Tensor ClassBalancedLoss::forward(const Tensor& input, const Tensor& target) {
  return class_balanced_loss(input, target, options);
}
Tensor ClassBalancedLoss::forward(const Tensor&) {
  FULCRUM_FAIL("ClassBalancedLoss: forward needs the input and the targets: loss(input, target)");
}

}  // namespace nn
}  // namespace fulcrum
