// nn/optim/clip_grad.cpp — gradient clipping (by total norm, by value) and the renorm / MaxNorm
// weight constraint. Norms are reduced with Tensor ops (so any device works) and combined on
// the host in double; every write is in place under NoGradGuard.
#include "nn/optim/clip_grad.hpp"

#include <cmath>

#include "autograd/node.hpp"
#include "core/ops.hpp"

namespace fulcrum::nn::utils {
namespace {

bool is_inf_norm(double p) { return std::isinf(p) && p > 0; }

void check_norm_type(const char* op, double p) {
  FULCRUM_CHECK(p > 0 && !std::isnan(p), op << ": norm_type must be positive (or infinity), got " << p);
}

// ‖x‖_p of all elements, in double: (Σ|x|^p)^(1/p), or max|x| for p = ∞.
double norm_of(const Tensor& x, double p) {
  if (x.numel() == 0) return 0.0;
  if (is_inf_norm(p)) return max(abs(x)).item<double>();
  if (p == 2.0) return std::sqrt(sum(x * x).item<double>());
  if (p == 1.0) return sum(abs(x)).item<double>();
  return std::pow(sum(pow(abs(x), p)).item<double>(), 1.0 / p);
}

}  // namespace

double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, ClipGradNormOptions options) {
  const double p = options.norm_type;
  check_norm_type("clip_grad_norm_", p);
  NoGradGuard no_grad;
  std::vector<Tensor> grads;
  for (const Tensor& param : parameters) {
    FULCRUM_CHECK(param.defined(), "clip_grad_norm_: parameter " << grads.size() << " is undefined");
    if (param.grad().defined()) grads.push_back(param.grad());
  }
  if (grads.empty()) return 0.0;

  // total = ‖(‖g_1‖, …, ‖g_n‖)‖_p, which equals the p-norm of all grads concatenated.
  double total = 0.0;
  for (const Tensor& grad : grads) {
    const double norm = norm_of(grad, p);
    total = is_inf_norm(p) ? std::max(total, norm) : total + std::pow(norm, p);
  }
  if (!is_inf_norm(p)) total = std::pow(total, 1.0 / p);
  FULCRUM_CHECK(!options.error_if_nonfinite || std::isfinite(total),
                "clip_grad_norm_: the total norm of order " << p << " of the gradients is " << total
                << ", so it cannot be clipped; set error_if_nonfinite = false to scale by it anyway");

  // PyTorch multiplies by min(coef, 1); skipping the ×1 is the same. A NaN coef still propagates.
  const double clip_coef = max_norm / (total + 1e-6);
  if (!(clip_coef >= 1.0)) {
    for (const Tensor& grad : grads) grad.mul_(clip_coef);
  }
  return total;
}

double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, double norm_type) {
  return clip_grad_norm_(parameters, max_norm, ClipGradNormOptions{.norm_type = norm_type});
}

void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value) {
  FULCRUM_CHECK(clip_value >= 0, "clip_grad_value_: clip_value must be ≥ 0, got " << clip_value);
  NoGradGuard no_grad;
  for (const Tensor& param : parameters) {
    FULCRUM_CHECK(param.defined(), "clip_grad_value_: a parameter is undefined");
    const Tensor& grad = param.grad();
    if (grad.defined()) grad.copy_(clamp(grad, -clip_value, clip_value));
  }
}

Tensor slice_norms(const Tensor& x, double p, int64_t dim) {
  check_norm_type("slice_norms", p);
  FULCRUM_CHECK(x.dim() >= 1, "slice_norms: expects a tensor with at least 1 dim, got a 0-d tensor");
  const int64_t d = normalize_dim("slice_norms", dim, x.dim());
  NoGradGuard no_grad;
  const Tensor a = abs(x.detach());
  std::vector<int64_t> others;
  for (int64_t k = 0; k < x.dim(); ++k) {
    if (k != d) others.push_back(k);
  }
  if (others.empty()) return a;  // 1-D: each slice is one element, its norm is |x_i|
  if (is_inf_norm(p)) return max(a, others);
  if (p == 2.0) return sqrt(sum(a * a, others));
  return pow(sum(pow(a, p), others), 1.0 / p);
}

const Tensor& renorm_(const Tensor& x, double p, int64_t dim, double max_norm) {
  FULCRUM_CHECK(x.dim() >= 2, "renorm_: expects a tensor with at least 2 dims, got "
                              << shape_str(x.shape()));
  FULCRUM_CHECK(max_norm >= 0, "renorm_: max_norm must be ≥ 0, got " << max_norm);
  const int64_t d = normalize_dim("renorm_", dim, x.dim());
  NoGradGuard no_grad;
  // scale_i = max_norm / (‖x_i‖ + 1e-7) where ‖x_i‖ > max_norm, else 1 (torch.renorm).
  const Tensor norms = slice_norms(x, p, d);
  const Tensor scale = where(norms > max_norm, max_norm / (norms + 1e-7), ones_like(norms));
  Shape broadcast(x.dim(), 1);
  broadcast[d] = x.size(d);
  x.mul_(scale.reshape(broadcast));
  return x;
}

MaxNorm::MaxNorm(MaxNormOptions options) : options_(options) {
  FULCRUM_CHECK(options.max_norm >= 0, "MaxNorm: max_norm must be ≥ 0, got " << options.max_norm);
  check_norm_type("MaxNorm", options.norm_type);
}

MaxNorm MaxNorm::from_row_norms(const Tensor& weight, double thresh, MaxNormOptions options) {
  FULCRUM_CHECK(weight.dim() >= 2, "MaxNorm::from_row_norms: expects a weight with at least 2 dims "
                                   "(one row per class), got " << shape_str(weight.shape()));
  FULCRUM_CHECK(weight.size(options.dim) > 0, "MaxNorm::from_row_norms: the weight "
                << shape_str(weight.shape()) << " has no rows");
  const Tensor norms = slice_norms(weight, options.norm_type, options.dim);
  const double lowest = min(norms).item<double>();
  const double highest = max(norms).item<double>();
  options.max_norm = lowest + thresh * (highest - lowest);
  return MaxNorm(options);
}

void MaxNorm::apply(const Tensor& weight) const {
  FULCRUM_CHECK(weight.defined(), "MaxNorm: the weight is undefined");
  if (weight.dim() < 2 || std::isinf(options_.max_norm)) return;  // biases: no constraint
  renorm_(weight, options_.norm_type, options_.dim, options_.max_norm);
}

void MaxNorm::apply(const std::vector<Tensor>& weights) const {
  for (const Tensor& weight : weights) apply(weight);
}

}  // namespace fulcrum::nn::utils
