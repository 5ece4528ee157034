// losses/ghm.cpp — nn::GHMCLoss (ghm.hpp), in three steps: the targets expanded to y [N, C] and a
// valid mask; the harmonising weights, from a histogram built on the host from the detached g
// (integers and a few divisions per bin); and one loss line, binary_cross_entropy_with_logits
// with those constant weights.
#include "losses/ghm.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "autograd/node.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "losses/binary.hpp"
#include "losses/loss_checks.hpp"

namespace fulcrum::nn {
namespace {

constexpr const char* kLoss = "GHMCLoss";

// The bin edges in the input's precision, as mmdet's float32 arange(bins + 1) / bins with the
// last edge + 1e-6 (for f32 input: float arithmetic; f64: double).
std::vector<double> bin_edges(int64_t bins, DType dtype) {
  std::vector<double> edges(static_cast<size_t>(bins + 1));
  for (int64_t i = 0; i <= bins; ++i) {
    edges[static_cast<size_t>(i)] = dtype == DType::f32
                                        ? static_cast<double>(static_cast<float>(i) / static_cast<float>(bins))
                                        : static_cast<double>(i) / static_cast<double>(bins);
  }
  edges.back() = dtype == DType::f32 ? static_cast<double>(static_cast<float>(edges.back()) + 1e-6f)
                                     : edges.back() + 1e-6;
  return edges;
}

// The targets as GHM-C uses them: y [N, C] in pred's dtype, and the valid mask (u8 [N, C];
// undefined when every element is valid).
struct Targets {
  Tensor y;
  Tensor valid;
};

// Class indices [N]: mmdet's _expand_onehot_labels, one 1 per row at the label and none for a
// label outside [0, C) (background); label_weight [N] marks the valid rows.
Targets expand_class_indices(const Tensor& pred, const Tensor& target, const Tensor& label_weight) {
  const int64_t rows = pred.size(0), classes = pred.size(1);
  const std::vector<int64_t> labels = loss_checks::check_class_targets(kLoss, pred, target, /*allow_outside=*/true);
  std::vector<double> onehot(static_cast<size_t>(rows * classes), 0.0);
  for (int64_t n = 0; n < rows; ++n) {
    const int64_t label = labels[static_cast<size_t>(n)];
    if (label >= 0 && label < classes) onehot[static_cast<size_t>(n * classes + label)] = 1.0;
  }
  Targets targets{from_vector(onehot, {rows, classes}, {.dtype = pred.dtype()}), Tensor()};
  if (label_weight.defined()) {
    FULCRUM_CHECK(label_weight.dim() == 1 && label_weight.size(0) == rows,
                  kLoss << ": with class-index targets, label_weight must be [N] = [" << rows << "], got "
                        << shape_str(label_weight.shape()));
    targets.valid = expand(unsqueeze(label_weight.detach() > 0.0, 1), {rows, classes});
  }
  return targets;
}

// Floating targets [N, C] in [0, 1], used as they are; label_weight [N, C] marks the valid elements.
Targets check_floating_targets(const Tensor& pred, const Tensor& target, const Tensor& label_weight) {
  FULCRUM_CHECK(is_floating(target.dtype()) && target.shape() == pred.shape(),
                kLoss << ": target must be i64 class indices [N] or floating [N, C] like pred "
                      << shape_str(pred.shape()) << ", got " << target.dtype() << " " << shape_str(target.shape()));
  const std::vector<double> values = target.to_vector<double>();
  for (size_t i = 0; i < values.size(); ++i) {
    FULCRUM_CHECK(values[i] >= 0.0 && values[i] <= 1.0,
                  kLoss << ": floating targets must be in [0, 1], got " << values[i] << " at flat position " << i);
  }
  Targets targets{target.detach().to(pred.dtype()), Tensor()};
  if (label_weight.defined()) {
    FULCRUM_CHECK(label_weight.shape() == pred.shape(), kLoss << ": with [N, C] targets, label_weight must be "
                                                              << shape_str(pred.shape()) << ", got "
                                                              << shape_str(label_weight.shape()));
    targets.valid = label_weight.detach() > 0.0;
  }
  return targets;
}

Targets expand_targets(const Tensor& pred, const Tensor& target, const Tensor& label_weight) {
  FULCRUM_CHECK(target.defined(), kLoss << ": the target tensor is undefined");
  return target.dtype() == DType::i64 ? expand_class_indices(pred, target, label_weight)
                                      : check_floating_targets(pred, target, label_weight);
}

// The valid elements of g sorted into the bins [edge_b, edge_{b+1}): each element's bin (−1 when
// invalid or outside every bin) and the count k_b of each bin.
struct Histogram {
  std::vector<int64_t> bin_of;
  std::vector<double> in_bin;
};

Histogram gradient_histogram(const std::vector<double>& g, const std::vector<uint8_t>& is_valid,
                             const std::vector<double>& edges) {
  const auto bins = static_cast<int64_t>(edges.size()) - 1;
  Histogram histogram{std::vector<int64_t>(g.size(), -1), std::vector<double>(static_cast<size_t>(bins), 0.0)};
  for (size_t i = 0; i < g.size(); ++i) {
    if (!is_valid[i]) continue;
    for (int64_t b = 0; b < bins; ++b) {
      if (g[i] >= edges[static_cast<size_t>(b)] && g[i] < edges[static_cast<size_t>(b + 1)]) {
        histogram.bin_of[i] = b;
        histogram.in_bin[static_cast<size_t>(b)] += 1.0;
        break;
      }
    }
  }
  return histogram;
}

// The weight of each non-empty bin, tot / k_b (momentum α > 0: tot / S_b after the moving update
// S_b ← α S_b + (1 − α) k_b, written back to acc_sum), divided by the number of non-empty bins.
std::vector<double> bin_weights(const std::vector<double>& in_bin, double tot, double momentum, Tensor& acc_sum) {
  std::vector<double> weight(in_bin.size(), 0.0);
  double non_empty = 0.0;
  NoGradGuard guard;
  std::vector<double> s = acc_sum.to_vector<double>();
  for (size_t b = 0; b < in_bin.size(); ++b) {
    if (in_bin[b] == 0.0) continue;
    if (momentum > 0.0) {
      s[b] = momentum * s[b] + (1.0 - momentum) * in_bin[b];
      weight[b] = tot / s[b];
    } else {
      weight[b] = tot / in_bin[b];
    }
    non_empty += 1.0;
  }
  acc_sum.copy_(from_vector(s, {static_cast<int64_t>(s.size())}, {.dtype = DType::f64}));
  for (size_t b = 0; b < in_bin.size(); ++b) {
    if (in_bin[b] != 0.0) weight[b] /= non_empty;
  }
  return weight;
}

// The harmonising weights w [N, C] (constants, in pred's dtype) of the detached g = |σ(x) − y|,
// computed on the host; invalid elements get 0. tot = max(#valid, 1) is the mean's denominator.
struct HarmonisingWeights {
  Tensor weights;
  double tot = 1.0;
};

HarmonisingWeights harmonising_weights(const Tensor& pred, const Targets& targets, const GhmcOptions& options,
                                       Tensor& acc_sum) {
  const std::vector<double> g = abs(sigmoid(pred.detach()) - targets.y).to_vector<double>();
  const std::vector<uint8_t> is_valid = targets.valid.defined() ? contiguous(targets.valid).to_vector<uint8_t>()
                                                                : std::vector<uint8_t>(g.size(), 1);
  double valid_count = 0.0;
  for (uint8_t v : is_valid) valid_count += v ? 1.0 : 0.0;
  const double tot = std::max(valid_count, 1.0);
  const Histogram histogram = gradient_histogram(g, is_valid, bin_edges(options.bins, pred.dtype()));
  const std::vector<double> bin_weight = bin_weights(histogram.in_bin, tot, options.momentum, acc_sum);
  std::vector<double> weights(g.size(), 0.0);
  for (size_t i = 0; i < g.size(); ++i) {
    if (histogram.bin_of[i] >= 0) weights[i] = bin_weight[static_cast<size_t>(histogram.bin_of[i])];
  }
  return {from_vector(weights, pred.shape(), {.dtype = pred.dtype()}), tot};
}

}  // namespace

GHMCLoss::GHMCLoss(GhmcOptions options_) : Module("GHMCLoss"), options(options_) {
  FULCRUM_CHECK(options.bins >= 1, kLoss << ": bins must be >= 1, got " << options.bins);
  FULCRUM_CHECK(options.momentum >= 0.0 && options.momentum < 1.0,
                kLoss << ": momentum must be in [0, 1), got " << options.momentum);
  FULCRUM_CHECK(std::isfinite(options.loss_weight), kLoss << ": loss_weight must be finite, got " << options.loss_weight);
  acc_sum = register_buffer("acc_sum", zeros({options.bins}, {.dtype = DType::f64}));
}

Tensor GHMCLoss::forward(const Tensor& pred, const Tensor& target, const Tensor& label_weight) {
  loss_checks::check_scores(kLoss, "pred", pred);
  const Targets targets = expand_targets(pred, target, label_weight);
  const HarmonisingWeights w = harmonising_weights(pred, targets, options, acc_sum);
  last_weights_ = w.weights;
  // L = loss_weight · Σ w · BCEWithLogits(x, y) / tot (mean; sum: Σ; none: the [N, C] terms).
  const Tensor losses = binary_cross_entropy_with_logits(pred, targets.y, {.weight = w.weights, .reduction = Reduction::none});
  return reduce_losses(losses * options.loss_weight, options.reduction, w.tot);
}

Tensor GHMCLoss::forward(const Tensor&) {
  FULCRUM_FAIL("GHMCLoss: forward needs the predictions and the targets: loss(pred, target[, label_weight])");
}

std::string GHMCLoss::extra_repr() const {
  std::ostringstream out;
  out << "bins=" << options.bins << ", momentum=" << options.momentum << ", loss_weight=" << options.loss_weight
      << ", reduction=" << reduction_name(options.reduction);
  return out.str();
}

}  // namespace fulcrum::nn
