// losses/mfe.cpp — mfe_loss and msfe_loss (mfe.hpp): per-sample errors from core ops, class sums
// by a one-hot product, division by the (constant) class counts.
#include "losses/mfe.hpp"

#include "core/error.hpp"
#include "core/ops.hpp"
#include "losses/loss_checks.hpp"

namespace fulcrum {
namespace {

Tensor false_error(const char* loss, const Tensor& outputs, const Tensor& targets, bool squared, Reduction reduction) {
  loss_checks::check_scores(loss, "outputs", outputs);
  const std::vector<int64_t> labels = loss_checks::check_class_targets(loss, outputs, targets);
  const int64_t classes = outputs.size(1);
  std::vector<double> count(static_cast<size_t>(classes), 0.0);
  for (int64_t label : labels) count[static_cast<size_t>(label)] += 1.0;
  // 1/n_c for present classes, 0 for absent ones (their class sum is 0 anyway).
  std::vector<double> inverse(count.size(), 0.0);
  double present = 0.0;
  for (size_t c = 0; c < count.size(); ++c) {
    if (count[c] > 0.0) {
      inverse[c] = 1.0 / count[c];
      present += 1.0;
    }
  }
  Tensor d = one_hot(targets.detach(), classes).to(outputs.dtype());
  Tensor per_sample = 0.5 * sum(square(d - outputs), {1});                 // e_i [N]
  Tensor class_sum = sum(d * unsqueeze(per_sample, 1), {0});               // Σ_{i∈c} e_i [C]
  Tensor class_error = class_sum * from_vector(inverse, {classes}, {.dtype = outputs.dtype()});  // E_c
  Tensor terms = squared ? square(class_error) : class_error;
  return reduce_losses(terms, reduction, present);  // mean: 0/0 = NaN for an empty batch
}

}  // namespace

Tensor mfe_loss(const Tensor& outputs, const Tensor& targets, MfeLossOptions options) {
  return false_error("mfe_loss", outputs, targets, /*squared=*/false, options.reduction);
}

Tensor msfe_loss(const Tensor& outputs, const Tensor& targets, MfeLossOptions options) {
  return false_error("msfe_loss", outputs, targets, /*squared=*/true, options.reduction);
}

}  // namespace fulcrum

namespace fulcrum::nn {
Tensor MFELoss::forward(const Tensor&) {
  FULCRUM_FAIL(name() << ": forward needs the outputs and the targets: loss(outputs, targets)");
}
}  // namespace fulcrum::nn
