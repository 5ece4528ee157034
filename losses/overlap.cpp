// losses/overlap.cpp — dice_loss and tversky_loss (overlap.hpp), from core ops.
#include "losses/overlap.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "losses/loss_checks.hpp"

namespace fulcrum {
namespace {

struct Prepared {
  Tensor p;  // probabilities [N, K]
  Tensor y;  // one-hot targets [N, K], p's dtype
};

// Checks input and targets, returns p and y as [N, K].
Prepared prepare(const char* loss, const Tensor& input, const Tensor& targets, bool with_logits) {
  FULCRUM_CHECK(input.defined(), loss << ": the input tensor is undefined");
  FULCRUM_CHECK(input.dim() == 1 || input.dim() == 2,
                loss << ": input must be [N] or [N, 1] (binary) or [N, C] (C >= 2 classes), got "
                     << shape_str(input.shape()));
  const Tensor scores = input.dim() == 1 ? unsqueeze(input, 1) : input;
  loss_checks::check_scores(loss, "input", scores);
  const bool binary = scores.size(1) == 1;
  const std::vector<int64_t> labels = loss_checks::check_class_targets(loss, scores, targets, /*allow_outside=*/binary);
  if (!with_logits) {
    // Probabilities as given: they must be probabilities, or the overlap ratios mean nothing.
    const std::vector<double> values = scores.to_vector<double>();
    for (size_t i = 0; i < values.size(); ++i) {
      FULCRUM_CHECK(values[i] >= 0.0 && values[i] <= 1.0,
                    loss << ": with with_logits = false the input must hold probabilities in [0, 1], got "
                         << values[i] << " at flat position " << i);
    }
  }
  if (binary) {
    for (size_t i = 0; i < labels.size(); ++i) {
      FULCRUM_CHECK(labels[i] == 0 || labels[i] == 1, loss << ": binary targets must be 0 or 1, got " << labels[i]
                                                            << " at position " << i);
    }
    Tensor p = with_logits ? sigmoid(scores) : scores;
    return {p, reshape(targets.detach(), {-1, 1}).to(scores.dtype())};
  }
  Tensor p = with_logits ? softmax(scores, 1) : scores;
  return {p, one_hot(targets.detach(), scores.size(1)).to(scores.dtype())};
}

void check_smooth(const char* loss, double smooth) {
  FULCRUM_CHECK(std::isfinite(smooth) && smooth >= 0.0, loss << ": smooth must be finite and >= 0, got " << smooth);
}

// Σ over the samples (set level, → [K]) or nothing (per sample, [N, K]).
Tensor over_samples(const Tensor& x, bool set_level) { return set_level ? sum(x, {0}) : x; }

Tensor reduce_classes(const Tensor& losses, ClassReduction how, int64_t dim) {
  return how == ClassReduction::sum ? sum(losses, {dim}) : mean(losses, {dim});
}

// L [K] (set level) or [N, K] (per sample) → the documented reductions.
Tensor reduce_overlap(const Tensor& losses, bool set_level, ClassReduction class_reduction, Reduction reduction) {
  if (set_level) return reduction == Reduction::none ? losses : reduce_classes(losses, class_reduction, 0);
  return reduce_losses(reduce_classes(losses, class_reduction, 1), reduction);
}

}  // namespace

Tensor dice_loss(const Tensor& input, const Tensor& targets, DiceLossOptions options) {
  constexpr const char* loss = "dice_loss";
  check_smooth(loss, options.smooth);
  FULCRUM_CHECK(std::isfinite(options.alpha) && options.alpha >= 0.0,
                loss << ": alpha must be finite and >= 0, got " << options.alpha);
  const Prepared in = prepare(loss, input, targets, options.with_logits);
  Tensor p = in.p;
  if (options.alpha > 0.0) {
    // (1 − p)^α with a safe base where 1 − p = 0 (a saturated probability): pow's derivative
    // α q^{α−1} is infinite at q = 0 and would turn the masked-out branch's 0 gradient into NaN.
    Tensor q = 1.0 - p;
    Tensor positive = q > 0.0;
    Tensor safe = where(positive, q, ones_like(q));
    p = where(positive, pow(safe, options.alpha), zeros_like(q)) * p;
  }
  const Tensor& y = in.y;
  Tensor intersection = over_samples(p * y, options.set_level);
  Tensor denominator = options.square_denominator ? over_samples(p * p, options.set_level) + over_samples(y * y, options.set_level)
                                                  : over_samples(p, options.set_level) + over_samples(y, options.set_level);
  Tensor losses = 1.0 - (2.0 * intersection + options.smooth) / (denominator + options.smooth);
  return reduce_overlap(losses, options.set_level, options.class_reduction, options.reduction);
}

Tensor tversky_loss(const Tensor& input, const Tensor& targets, TverskyLossOptions options) {
  constexpr const char* loss = "tversky_loss";
  check_smooth(loss, options.smooth);
  FULCRUM_CHECK(std::isfinite(options.alpha) && options.alpha >= 0.0 && std::isfinite(options.beta) && options.beta >= 0.0,
                loss << ": alpha and beta must be finite and >= 0, got alpha = " << options.alpha
                     << ", beta = " << options.beta);
  const Prepared in = prepare(loss, input, targets, options.with_logits);
  const Tensor& p = in.p;
  const Tensor& y = in.y;
  Tensor tp = over_samples(p * y, options.set_level);
  Tensor fp = over_samples(p * (1.0 - y), options.set_level);
  Tensor fn = over_samples((1.0 - p) * y, options.set_level);
  Tensor index = (tp + options.smooth) / (tp + options.alpha * fp + options.beta * fn + options.smooth);
  return reduce_overlap(1.0 - index, options.set_level, options.class_reduction, options.reduction);
}

}  // namespace fulcrum

namespace fulcrum::nn {
Tensor DiceLoss::forward(const Tensor&) {
  FULCRUM_FAIL("DiceLoss: forward needs the input and the targets: loss(input, targets)");
}
Tensor TverskyLoss::forward(const Tensor&) {
  FULCRUM_FAIL("TverskyLoss: forward needs the input and the targets: loss(input, targets)");
}
}  // namespace fulcrum::nn
