// losses/ldam.cpp — ldam_loss and nn::LDAMLoss (ldam.hpp). The margin is subtracted through a
// one-hot mask times m_{y_n} (kaidic builds the same with torch.where on a uint8 mask).
#include "losses/ldam.hpp"

#include <cmath>
#include <sstream>
#include <utility>

#include "autograd/node.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "losses/cross_entropy.hpp"
#include "losses/loss_checks.hpp"

namespace fulcrum {

Tensor ldam_loss(const Tensor& logits, const Tensor& targets, const Tensor& margins, LdamLossOptions options) {
  constexpr const char* loss = "ldam_loss";
  loss_checks::check_scores(loss, "logits", logits);
  loss_checks::check_class_targets(loss, logits, targets);
  loss_checks::check_class_vector(loss, "margins", margins, logits, logits.size(1), loss_checks::Sign::non_negative);
  FULCRUM_CHECK(std::isfinite(options.s) && options.s > 0.0, loss << ": the scale s must be finite and > 0, got "
                                                                   << options.s);
  loss_checks::check_optional_class_weight(loss, options.weight, logits, logits.size(1));
  const int64_t classes = logits.size(1);
  // m_{y_n} on the true class, 0 elsewhere: [N, C].
  Tensor mask = one_hot(targets.detach(), classes).to(logits.dtype());
  Tensor batch_margin = reshape(index_select(margins.detach(), 0, targets.detach()), {-1, 1});
  Tensor shifted = logits - mask * batch_margin;
  return cross_entropy(shifted * options.s, targets,
                       {.weight = options.weight.defined() ? options.weight.detach() : Tensor(),
                        .reduction = options.reduction});
}

namespace nn {

LDAMLoss::LDAMLoss(Tensor margins_, LdamLossOptions options_) : Module("LDAMLoss"), options(std::move(options_)) {
  FULCRUM_CHECK(margins_.defined() && margins_.dim() == 1,
                "LDAMLoss: margins must be a defined [C] tensor, got "
                    << (margins_.defined() ? shape_str(margins_.shape()) : std::string("undefined")));
  margins = register_buffer("margins", margins_.detach());
  Tensor weight = options.weight.defined() ? options.weight.detach() : ones_like(margins);
  options.weight = register_buffer("weight", weight);
}
Tensor LDAMLoss::forward(const Tensor& logits, const Tensor& targets) {
  return ldam_loss(logits, targets, margins, options);
}
Tensor LDAMLoss::forward(const Tensor&) {
  FULCRUM_FAIL("LDAMLoss: forward needs the logits and the targets: loss(logits, targets)");
}
void LDAMLoss::set_weight(const Tensor& weight) {
  FULCRUM_CHECK(weight.defined() && weight.dim() == 1 && weight.size(0) == margins.numel(),
                "LDAMLoss::set_weight: expected a weight [" << margins.numel() << "], got "
                    << (weight.defined() ? shape_str(weight.shape()) : std::string("undefined")));
  NoGradGuard guard;
  options.weight.copy_(weight.detach());
}
std::string LDAMLoss::extra_repr() const {
  std::ostringstream out;
  out << "classes=" << margins.numel() << ", s=" << options.s << ", reduction=" << reduction_name(options.reduction);
  return out.str();
}

}  // namespace nn
}  // namespace fulcrum
