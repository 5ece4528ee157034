// losses/ghm.cpp — nn::GHMCLoss (ghm.hpp). The histogram is built on the host from the detached
// g (integers and a few divisions per bin); the loss is BCE-with-logits from core ops times the
// constant weights.
#include "losses/ghm.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "autograd/node.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
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
  const int64_t rows = pred.size(0), classes = pred.size(1);
  FULCRUM_CHECK(target.defined(), kLoss << ": the target tensor is undefined");
  Tensor y;       // [N, C] in pred's dtype
  Tensor valid;   // u8 [N, C]
  if (target.dtype() == DType::i64) {
    // _expand_onehot_labels: one 1 per row at the label, none for a label outside [0, C).
    const std::vector<int64_t> labels = loss_checks::check_class_targets(kLoss, pred, target, /*allow_outside=*/true);
    std::vector<double> onehot(static_cast<size_t>(rows * classes), 0.0);
    for (int64_t n = 0; n < rows; ++n) {
      const int64_t label = labels[static_cast<size_t>(n)];
      if (label >= 0 && label < classes) onehot[static_cast<size_t>(n * classes + label)] = 1.0;
    }
    y = from_vector(onehot, {rows, classes}, {.dtype = pred.dtype()});
    if (label_weight.defined()) {
      FULCRUM_CHECK(label_weight.dim() == 1 && label_weight.size(0) == rows,
                    kLoss << ": with class-index targets, label_weight must be [N] = [" << rows << "], got "
                          << shape_str(label_weight.shape()));
      valid = expand(unsqueeze(label_weight.detach() > 0.0, 1), {rows, classes});
    }
  } else {
    FULCRUM_CHECK(is_floating(target.dtype()) && target.shape() == pred.shape(),
                  kLoss << ": target must be i64 class indices [N] or floating [N, C] like pred "
                        << shape_str(pred.shape()) << ", got " << target.dtype() << " " << shape_str(target.shape()));
    const std::vector<double> values = target.to_vector<double>();
    for (size_t i = 0; i < values.size(); ++i) {
      FULCRUM_CHECK(values[i] >= 0.0 && values[i] <= 1.0,
                    kLoss << ": floating targets must be in [0, 1], got " << values[i] << " at flat position " << i);
    }
    y = target.detach().to(pred.dtype());
    if (label_weight.defined()) {
      FULCRUM_CHECK(label_weight.shape() == pred.shape(), kLoss << ": with [N, C] targets, label_weight must be "
                                                                << shape_str(pred.shape()) << ", got "
                                                                << shape_str(label_weight.shape()));
      valid = label_weight.detach() > 0.0;
    }
  }

  // The histogram, on the host, from the detached g = |σ(x) − y| (computed in pred's dtype).
  const std::vector<double> g = abs(sigmoid(pred.detach()) - y).to_vector<double>();
  const std::vector<uint8_t> is_valid =
      valid.defined() ? contiguous(valid).to_vector<uint8_t>() : std::vector<uint8_t>(g.size(), 1);
  const std::vector<double> edges = bin_edges(options.bins, pred.dtype());
  double tot = 0.0;
  for (uint8_t v : is_valid) tot += v ? 1.0 : 0.0;
  tot = std::max(tot, 1.0);
  std::vector<int64_t> bin_of(g.size(), -1);
  std::vector<double> in_bin(static_cast<size_t>(options.bins), 0.0);
  for (size_t i = 0; i < g.size(); ++i) {
    if (!is_valid[i]) continue;
    for (int64_t b = 0; b < options.bins; ++b) {
      if (g[i] >= edges[static_cast<size_t>(b)] && g[i] < edges[static_cast<size_t>(b + 1)]) {
        bin_of[i] = b;
        in_bin[static_cast<size_t>(b)] += 1.0;
        break;
      }
    }
  }
  std::vector<double> bin_weight(static_cast<size_t>(options.bins), 0.0);
  double non_empty = 0.0;
  {
    NoGradGuard guard;
    std::vector<double> s = acc_sum.to_vector<double>();
    for (size_t b = 0; b < in_bin.size(); ++b) {
      if (in_bin[b] == 0.0) continue;
      if (options.momentum > 0.0) {
        s[b] = options.momentum * s[b] + (1.0 - options.momentum) * in_bin[b];
        bin_weight[b] = tot / s[b];
      } else {
        bin_weight[b] = tot / in_bin[b];
      }
      non_empty += 1.0;
    }
    acc_sum.copy_(from_vector(s, {options.bins}, {.dtype = DType::f64}));
  }
  std::vector<double> weights(g.size(), 0.0);
  for (size_t i = 0; i < g.size(); ++i) {
    if (bin_of[i] >= 0) weights[i] = bin_weight[static_cast<size_t>(bin_of[i])] / non_empty;
  }
  last_weights_ = from_vector(weights, {rows, classes}, {.dtype = pred.dtype()});

  // BCE with logits, stable: softplus(x) − x·y = log(1 + e^x) − x·y (threshold ∞: the exact
  // log1p form for every x, as PyTorch's binary_cross_entropy_with_logits).
  Tensor bce = softplus(pred, 1.0, std::numeric_limits<double>::infinity()) - pred * y;
  Tensor losses = bce * last_weights_ * options.loss_weight;
  return reduce_losses(losses, options.reduction, tot);
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
