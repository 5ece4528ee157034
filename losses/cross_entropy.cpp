// losses/cross_entropy.cpp — nll_loss, cross_entropy and their modules (cross_entropy.hpp).
// First the checks (dtypes, shapes, every target in range, weights ≥ 0), which also count the
// ignored targets and sum the target weights in one pass over the labels; then the loss as a few
// core ops (gather, index_select, masked_fill, sum), so autograd derives the backward. No one-hot
// [N, C] matrix is built for class-index targets.
#include <cmath>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "losses/cross_entropy.hpp"

namespace fulcrum {
namespace {

// The class dim: 1 for batches [N, C, d1, ...], 0 for one sample [C].
int64_t class_dim(const Tensor& input) { return input.dim() == 1 ? 0 : 1; }

void check_input(const char* loss, const char* what, const Tensor& input) {
  FULCRUM_CHECK(input.defined(), loss << ": the " << what << " tensor is undefined");
  FULCRUM_CHECK(is_floating(input.dtype()), loss << ": " << what << " must be floating (f32 or f64), got "
                                                 << input.dtype() << " " << shape_str(input.shape()));
  FULCRUM_CHECK(input.dim() >= 1, loss << ": " << what << " must be [N, C], [N, C, d1, ...] or [C], got a "
                                       << "0-d tensor");
  FULCRUM_CHECK(input.size(class_dim(input)) >= 1,
                loss << ": " << what << " " << shape_str(input.shape()) << " has no classes (C = 0 in dim "
                     << class_dim(input) << ")");
}

// The weight's values on the host (empty when undefined), after checking it is [C], of the
// input's dtype and ≥ 0.
std::vector<double> check_weight(const char* loss, const Tensor& weight, const Tensor& input) {
  if (!weight.defined()) return {};
  const int64_t classes = input.size(class_dim(input));
  FULCRUM_CHECK(weight.dim() == 1 && weight.size(0) == classes,
                loss << ": weight must be [C] = [" << classes << "], one entry per class of the input "
                     << shape_str(input.shape()) << "; got weight " << shape_str(weight.shape()));
  FULCRUM_CHECK(weight.dtype() == input.dtype(),
                loss << ": weight is " << weight.dtype() << " but the input is " << input.dtype()
                     << " (the same dtype is expected; convert with .to(...))");
  std::vector<double> values = weight.to_vector<double>();
  for (size_t c = 0; c < values.size(); ++c) {
    FULCRUM_CHECK(values[c] >= 0.0, loss << ": class weights must be >= 0, got weight[" << c << "] = " << values[c]);
  }
  return values;
}

// What one pass over the class-index targets finds.
struct TargetScan {
  int64_t ignored = 0;        // targets equal to ignore_index
  double total_weight = 0.0;  // Σ w_{y_n} over the other targets (their count when unweighted)
};

// Checks that targets are i64 of the input's shape without the class dim, each in [0, C) or
// equal to ignore_index; counts and sums on the way.
TargetScan check_class_targets(const char* loss, const char* what, const Tensor& input, const Tensor& targets,
                               int64_t ignore_index, const std::vector<double>& weight) {
  Shape expected = input.shape();
  expected.erase(expected.begin() + class_dim(input));
  FULCRUM_CHECK(targets.shape() == expected,
                loss << ": " << what << " " << shape_str(input.shape()) << " needs targets "
                     << shape_str(expected) << " (input [N, C, d1, ...] takes targets [N, d1, ...]), got targets "
                     << shape_str(targets.shape()));
  const int64_t classes = input.size(class_dim(input));
  const std::vector<int64_t> values = targets.to_vector<int64_t>();  // one host read (to_host)
  TargetScan scan;
  for (size_t i = 0; i < values.size(); ++i) {
    const int64_t target = values[i];
    if (target == ignore_index) {
      ++scan.ignored;
      continue;
    }
    FULCRUM_CHECK(target >= 0 && target < classes,
                  loss << ": target " << target << " (at flat position " << i << " of targets "
                       << shape_str(targets.shape()) << ") is out of range for C = " << classes
                       << " classes; expected 0 <= target < " << classes << " or ignore_index = " << ignore_index);
    scan.total_weight += weight.empty() ? 1.0 : weight[static_cast<size_t>(target)];
  }
  return scan;
}

void check_targets_defined(const char* loss, const Tensor& targets) {
  FULCRUM_CHECK(targets.defined(), loss << ": the targets tensor is undefined");
}

// The weight [C] as [1, C, 1, ...], to broadcast against an input of `dims` dims (class dim 1).
Tensor weight_along_classes(const Tensor& weight, int64_t dims) {
  Shape shape(static_cast<size_t>(dims), 1);
  shape[1] = weight.numel();
  return reshape(weight.detach(), shape);
}

// Class-index targets prepared for the ops: `classes` with ignored positions replaced by class 0
// (any valid index works: they are zeroed afterwards) and the u8 mask of those positions
// (undefined when none is ignored, so the common case pays for no mask).
struct ClassTargets {
  Tensor classes;
  Tensor ignored;
};

ClassTargets prepare_class_targets(const Tensor& targets, int64_t ignore_index, const TargetScan& scan) {
  if (scan.ignored == 0) return {targets.detach(), Tensor()};
  Tensor ignored = targets.detach() == static_cast<double>(ignore_index);
  return {masked_fill(targets.detach(), ignored, 0.0), ignored};
}

// l_n = −w_{y_n} · log_probs[n, y_n] for batched log_probs [N, C, d...]; 0 where ignored.
Tensor nll_losses(const Tensor& log_probs, const ClassTargets& targets, const Tensor& weight) {
  // Gather along the class dim with the targets as an index [N, 1, d...]: log_probs[n, y_n, d...].
  Tensor picked = squeeze(gather(log_probs, 1, unsqueeze(targets.classes, 1)), 1);
  Tensor losses = neg(picked);
  if (weight.defined()) {
    // w_{y_n}: one look-up per target rather than a one-hot product.
    Tensor flat_classes = reshape(targets.classes, {-1});
    losses = losses * reshape(index_select(weight.detach(), 0, flat_classes), targets.classes.shape());
  }
  // masked_fill (not a multiplication by 0) so that an ignored position whose placeholder
  // log-probability is −inf gives 0, not NaN, and gets a zero gradient.
  if (targets.ignored.defined()) losses = masked_fill(losses, targets.ignored, 0.0);
  return losses;
}

// PyTorch's smoothing term S_n = −Σ_c w_c · log p_{n,c} (w_c = 1 unweighted), 0 where ignored.
Tensor smoothing_losses(const Tensor& log_probs, const ClassTargets& targets, const Tensor& weight) {
  Tensor weighted = weight.defined() ? log_probs * weight_along_classes(weight, log_probs.dim()) : log_probs;
  Tensor losses = neg(sum(weighted, {1}));
  if (targets.ignored.defined()) losses = masked_fill(losses, targets.ignored, 0.0);
  return losses;
}

// The batched form: [C] → [1, C] and a 0-d target → [1]; `unbatch` undoes it on the result.
Tensor batched(const Tensor& x, bool one_sample) { return one_sample ? unsqueeze(x, 0) : x; }
Tensor unbatch(const Tensor& result, bool one_sample, Reduction reduction) {
  return one_sample && reduction == Reduction::none ? reshape(result, {}) : result;
}

// Cross-entropy with class probabilities t of the input's shape (PyTorch's
// cross_entropy_loss_prob_target): l_n = −Σ_c w_c·t'_{n,c}·log p_{n,c} with t' = (1 − ε)·t + ε/C;
// the mean divides by the number of rows N·d1·… whatever the weights.
Tensor cross_entropy_probabilities(const Tensor& logits, const Tensor& probabilities, const CrossEntropyOptions& options) {
  constexpr const char* loss = "cross_entropy";
  FULCRUM_CHECK(probabilities.shape() == logits.shape(),
                loss << ": floating targets are class probabilities and must have the logits' shape "
                     << shape_str(logits.shape()) << ", got targets " << shape_str(probabilities.shape())
                     << " (class-index targets must be i64)");
  FULCRUM_CHECK(probabilities.dtype() == logits.dtype(),
                loss << ": probability targets are " << probabilities.dtype() << " but the logits are "
                     << logits.dtype() << " (the same dtype is expected)");
  FULCRUM_CHECK(options.ignore_index < 0, loss << ": ignore_index = " << options.ignore_index
                                               << " is not supported with probability targets (PyTorch refuses it "
                                               << "too); leave it negative");
  check_weight(loss, options.weight, logits);
  const bool one_sample = logits.dim() == 1;
  const Tensor x = batched(logits, one_sample);
  const Tensor log_probs = log_softmax(x, 1);
  const double epsilon = options.label_smoothing;
  const double classes = static_cast<double>(x.size(1));
  Tensor target = batched(probabilities, one_sample);
  if (epsilon > 0.0) target = target * (1.0 - epsilon) + epsilon / classes;
  Tensor product = log_probs * target;
  if (options.weight.defined()) product = product * weight_along_classes(options.weight, x.dim());
  Tensor losses = neg(sum(product, {1}));  // [N, d1, ...]
  return unbatch(reduce_losses(losses, options.reduction), one_sample, options.reduction);
}

}  // namespace

Tensor nll_loss(const Tensor& log_probs, const Tensor& targets, NllLossOptions options) {
  constexpr const char* loss = "nll_loss";
  check_input(loss, "log_probs", log_probs);
  check_targets_defined(loss, targets);
  FULCRUM_CHECK(targets.dtype() == DType::i64, loss << ": targets must be i64 class indices, got "
                                                    << targets.dtype() << " targets " << shape_str(targets.shape()));
  const std::vector<double> weight = check_weight(loss, options.weight, log_probs);
  const TargetScan scan = check_class_targets(loss, "log_probs", log_probs, targets, options.ignore_index, weight);

  const bool one_sample = log_probs.dim() == 1;
  const ClassTargets prepared = prepare_class_targets(batched(targets, one_sample), options.ignore_index, scan);
  Tensor losses = nll_losses(batched(log_probs, one_sample), prepared, options.weight);
  // mean ÷ Σ w_{y_n} (the weighted-NLL convention; a constant, so the gradient is scaled by 1/Σ w)
  return unbatch(reduce_losses(losses, options.reduction, scan.total_weight), one_sample, options.reduction);
}

Tensor cross_entropy(const Tensor& logits, const Tensor& targets, CrossEntropyOptions options) {
  constexpr const char* loss = "cross_entropy";
  check_input(loss, "logits", logits);
  check_targets_defined(loss, targets);
  const double epsilon = options.label_smoothing;
  FULCRUM_CHECK(epsilon >= 0.0 && epsilon <= 1.0,
                loss << ": label_smoothing must be in [0, 1], got " << epsilon);
  if (is_floating(targets.dtype())) return cross_entropy_probabilities(logits, targets, options);
  FULCRUM_CHECK(targets.dtype() == DType::i64,
                loss << ": targets must be i64 class indices or floating class probabilities, got "
                     << targets.dtype() << " targets " << shape_str(targets.shape()));
  const std::vector<double> weight = check_weight(loss, options.weight, logits);
  const TargetScan scan = check_class_targets(loss, "logits", logits, targets, options.ignore_index, weight);

  const bool one_sample = logits.dim() == 1;
  const Tensor log_probs = log_softmax(batched(logits, one_sample), 1);
  const ClassTargets prepared = prepare_class_targets(batched(targets, one_sample), options.ignore_index, scan);
  const Reduction reduction = options.reduction;
  // mean ÷ Σ w_{y_n}, as nll_loss
  Tensor result = reduce_losses(nll_losses(log_probs, prepared, options.weight), reduction, scan.total_weight);
  if (epsilon > 0.0) {
    // (1 − ε)·NLL + (ε/C)·S, both reduced with the same denominator (docs/LOSSES.md §11).
    const double classes = static_cast<double>(log_probs.size(1));
    Tensor smoothing =
        reduce_losses(smoothing_losses(log_probs, prepared, options.weight), reduction, scan.total_weight);
    result = result * (1.0 - epsilon) + smoothing * (epsilon / classes);
  }
  return unbatch(result, one_sample, reduction);
}

namespace nn {

// The weight becomes the buffer "weight"; the options keep a handle sharing its storage.
NLLLoss::NLLLoss(NllLossOptions options_) : Module("NLLLoss"), options(std::move(options_)) {
  if (options.weight.defined()) options.weight = register_buffer("weight", options.weight.detach());
}
Tensor NLLLoss::forward(const Tensor& log_probs, const Tensor& targets) {
  return nll_loss(log_probs, targets, options);
}
Tensor NLLLoss::forward(const Tensor&) {
  FULCRUM_FAIL("NLLLoss: forward needs the log-probabilities and the targets: loss(log_probs, targets)");
}

CrossEntropyLoss::CrossEntropyLoss(CrossEntropyOptions options_)
    : Module("CrossEntropyLoss"), options(std::move(options_)) {
  if (options.weight.defined()) options.weight = register_buffer("weight", options.weight.detach());
}
Tensor CrossEntropyLoss::forward(const Tensor& logits, const Tensor& targets) {
  return cross_entropy(logits, targets, options);
}
Tensor CrossEntropyLoss::forward(const Tensor&) {
  FULCRUM_FAIL("CrossEntropyLoss: forward needs the logits and the targets: loss(logits, targets)");
}

}  // namespace nn
}  // namespace fulcrum
