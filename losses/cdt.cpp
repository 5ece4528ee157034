// losses/cdt.cpp — cdt_loss, cdt_nll_loss and nn::CDTLoss (cdt.hpp): check the temperatures,
// divide the input column-wise by the detached temperatures, hand over to cross_entropy /
// nll_loss (which check the targets and reduce).
#include "losses/cdt.hpp"

#include <utility>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "losses/cross_entropy.hpp"
#include "losses/loss_checks.hpp"

namespace fulcrum {
namespace {

// input / a with a [C] broadcast over the rows; a is a constant to autograd.
Tensor divide_by_temperatures(const char* loss, const char* what, const Tensor& input, const Tensor& targets,
                              const Tensor& temperatures) {
  loss_checks::check_scores(loss, what, input);
  loss_checks::check_class_targets(loss, input, targets);
  loss_checks::check_class_vector(loss, "temperatures", temperatures, input, input.size(1),
                                  loss_checks::Sign::positive);
  return input / reshape(temperatures.detach(), {1, input.size(1)});
}

}  // namespace

Tensor cdt_loss(const Tensor& logits, const Tensor& targets, const Tensor& temperatures, CdtLossOptions options) {
  Tensor scaled = divide_by_temperatures("cdt_loss", "logits", logits, targets, temperatures);
  return cross_entropy(scaled, targets, {.reduction = options.reduction});
}

Tensor cdt_nll_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& temperatures,
                    CdtLossOptions options) {
  Tensor scaled = divide_by_temperatures("cdt_nll_loss", "log_probs", log_probs, targets, temperatures);
  return nll_loss(scaled, targets, {.reduction = options.reduction});
}

namespace nn {

CDTLoss::CDTLoss(Tensor temperatures_, CdtInput input_, CdtLossOptions options_)
    : Module("CDTLoss"), input(input_), options(options_) {
  FULCRUM_CHECK(temperatures_.defined() && temperatures_.dim() == 1,
                "CDTLoss: temperatures must be a defined [C] tensor, got "
                    << (temperatures_.defined() ? shape_str(temperatures_.shape()) : std::string("undefined")));
  temperatures = register_buffer("temperatures", temperatures_.detach());
}
Tensor CDTLoss::forward(const Tensor& x, const Tensor& targets) {
  return input == CdtInput::logits ? cdt_loss(x, targets, temperatures, options)
                                   : cdt_nll_loss(x, targets, temperatures, options);
}
Tensor CDTLoss::forward(const Tensor&) {
  FULCRUM_FAIL("CDTLoss: forward needs the input and the targets: loss(input, targets)");
}
std::string CDTLoss::extra_repr() const {
  std::string out = "classes=";
  out.append(std::to_string(temperatures.numel()))
      .append(", input=")
      .append(input == CdtInput::logits ? "logits" : "log_probs")
      .append(", reduction=")
      .append(reduction_name(options.reduction));
  return out;
}

}  // namespace nn
}  // namespace fulcrum
