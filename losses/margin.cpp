// losses/margin.cpp — multi_margin_loss, hinge_embedding_loss and their modules (margin.hpp).
#include "losses/margin.hpp"

#include <cmath>
#include <utility>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "losses/loss_checks.hpp"

namespace fulcrum {

Tensor multi_margin_loss(const Tensor& input, const Tensor& target, MultiMarginOptions options) {
  constexpr const char* loss = "multi_margin_loss";
  const int64_t classes = loss_checks::check_scores_or_sample(loss, input);
  const bool one_sample = input.dim() == 1;
  FULCRUM_CHECK(options.p == 1 || options.p == 2, loss << ": only p = 1 or p = 2 is supported, got p = " << options.p);
  FULCRUM_CHECK(std::isfinite(options.margin), loss << ": margin must be finite, got " << options.margin);
  loss_checks::check_optional_class_weight(loss, options.weight, input, classes);
  loss_checks::check_class_targets(loss, input, target);

  const Tensor x = one_sample ? unsqueeze(input, 0) : input;
  const Tensor y = one_sample ? reshape(target.detach(), {1}) : target.detach();
  const Tensor x_y = gather(x, 1, unsqueeze(y, 1));  // [N, 1]
  Tensor hinge = relu(x - x_y + options.margin);    // max(0, margin − x_y + x_j), [N, C]
  if (options.p == 2) hinge = square(hinge);
  // The j = y term is max(0, margin)^p, not a loss: mask it out.
  const Tensor is_target = one_hot(y, classes) == 1.0;
  hinge = masked_fill(hinge, is_target, 0.0);
  Tensor losses = sum(hinge, {1}) / static_cast<double>(classes);  // [N]
  if (options.weight.defined()) losses = losses * index_select(options.weight.detach(), 0, y);
  Tensor result = reduce_losses(losses, options.reduction);
  return one_sample && options.reduction == Reduction::none ? reshape(result, {}) : result;
}

Tensor hinge_embedding_loss(const Tensor& input, const Tensor& target, HingeEmbeddingOptions options) {
  constexpr const char* loss = "hinge_embedding_loss";
  loss_checks::floating(loss, "input", input);
  loss_checks::same_shape(loss, "target", target, input);
  FULCRUM_CHECK(std::isfinite(options.margin), loss << ": margin must be finite, got " << options.margin);
  const Tensor y = target.detach();
  const Tensor margin_term = masked_fill(relu(options.margin - input), y == 1.0, 0.0);
  const Tensor self_term = masked_fill(input, y == -1.0, 0.0);
  return reduce_losses(margin_term + self_term, options.reduction);
}

namespace nn {

MultiMarginLoss::MultiMarginLoss(MultiMarginOptions options_) : Module("MultiMarginLoss"), options(std::move(options_)) {
  if (options.weight.defined()) options.weight = register_buffer("weight", options.weight.detach());
}
Tensor MultiMarginLoss::forward(const Tensor& input, const Tensor& target) {
  return multi_margin_loss(input, target, options);
}
Tensor MultiMarginLoss::forward(const Tensor&) {
  FULCRUM_FAIL("MultiMarginLoss: forward needs the input and the targets: loss(input, target)");
}

HingeEmbeddingLoss::HingeEmbeddingLoss(HingeEmbeddingOptions options_)
    : Module("HingeEmbeddingLoss"), options(std::move(options_)) {}
Tensor HingeEmbeddingLoss::forward(const Tensor& input, const Tensor& target) {
  return hinge_embedding_loss(input, target, options);
}
Tensor HingeEmbeddingLoss::forward(const Tensor&) {
  FULCRUM_FAIL("HingeEmbeddingLoss: forward needs the input and the targets: loss(input, target)");
}

}  // namespace nn
}  // namespace fulcrum
