// losses/contrastive.cpp — contrastive_loss and nn::ContrastiveLoss (contrastive.hpp).
#include "losses/contrastive.hpp"

#include <cmath>
#include <utility>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "losses/loss_checks.hpp"

namespace fulcrum {

Tensor contrastive_loss(const Tensor& x1, const Tensor& x2, const Tensor& labels, ContrastiveOptions options) {
  constexpr const char* loss = "contrastive_loss";
  loss_checks::floating(loss, "x1", x1);
  FULCRUM_CHECK(x1.dim() == 2, loss << ": embeddings must be [N, D], got x1 " << shape_str(x1.shape()));
  loss_checks::same_shape(loss, "x2", x2, x1);
  FULCRUM_CHECK(labels.defined(), loss << ": the labels tensor is undefined");
  FULCRUM_CHECK(labels.shape() == Shape{x1.size(0)}, loss << ": labels must be [N] = [" << x1.size(0)
                                                          << "], one per pair; got labels " << shape_str(labels.shape()));
  FULCRUM_CHECK(labels.dtype() == DType::i64 || is_floating(labels.dtype()),
                loss << ": labels must be i64 or floating 0/1, got " << labels.dtype());
  FULCRUM_CHECK(std::isfinite(options.margin) && options.margin > 0.0,
                loss << ": margin must be finite and > 0, got " << options.margin);
  FULCRUM_CHECK(std::isfinite(options.eps) && options.eps >= 0.0,
                loss << ": eps must be finite and >= 0, got " << options.eps);
  const std::vector<double> values = labels.to_vector<double>();
  for (size_t i = 0; i < values.size(); ++i) {
    FULCRUM_CHECK(values[i] == 0.0 || values[i] == 1.0,
                  loss << ": labels must be 0 or 1, got " << values[i] << " at position " << i);
  }
  const Tensor y = labels.detach().to(x1.dtype());
  const Tensor squared = sum(square(x1 - x2), {1});                        // S = ||x1 − x2||²
  const Tensor distance = sqrt(squared + options.eps);                      // D_ε
  const Tensor hinge = square(relu(options.margin - distance));             // max(0, m − D)²
  Tensor losses;
  if (options.convention == ContrastiveConvention::hadsell) {
    losses = ((1.0 - y) * squared + y * hinge) * 0.5;  // Y = 1 dissimilar
  } else {
    losses = y * squared + (1.0 - y) * hinge;  // y = 1 similar
  }
  return reduce_losses(losses, options.reduction);
}

namespace nn {

ContrastiveLoss::ContrastiveLoss(ContrastiveOptions options_) : Module("ContrastiveLoss"), options(options_) {}
Tensor ContrastiveLoss::forward(const Tensor& x1, const Tensor& x2, const Tensor& labels) {
  return contrastive_loss(x1, x2, labels, options);
}
Tensor ContrastiveLoss::forward(const Tensor&) {
  FULCRUM_FAIL("ContrastiveLoss: forward needs two embeddings and the pair labels: loss(x1, x2, labels)");
}

}  // namespace nn
}  // namespace fulcrum
