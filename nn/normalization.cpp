// nn/normalization.cpp — BatchNorm1d/2d: parameters (weight 1, bias 0), running-stat buffers,
// and PyTorch's _BatchNorm.forward: count the batch, pick the averaging factor, and call
// F::batch_norm in batch-statistics or running-statistics mode.
#include "nn/normalization.hpp"

#include "autograd/node.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/functional.hpp"
#include "nn/init.hpp"
#include "nn/options.hpp"

namespace fulcrum::nn {

BatchNorm::BatchNorm(std::string name, BatchNormOptions options_, int64_t min_dim, int64_t max_dim)
    : Module(std::move(name)), options(options_), min_dim_(min_dim), max_dim_(max_dim) {
  FULCRUM_CHECK(options.num_features >= 1, this->name() << ": num_features must be ≥ 1, got " << options.num_features);
  FULCRUM_CHECK(options.eps > 0.0, this->name() << ": eps must be > 0, got " << options.eps);
  FULCRUM_CHECK(!options.momentum || (*options.momentum >= 0.0 && *options.momentum <= 1.0),
                this->name() << ": momentum must be in [0, 1] (or nullopt for a cumulative average), got "
                             << *options.momentum);
  const int64_t channels = options.num_features;
  if (options.affine) {
    weight = register_parameter("weight", empty({channels}));
    bias = register_parameter("bias", empty({channels}));
  }
  if (options.track_running_stats) {
    running_mean = register_buffer("running_mean", empty({channels}));
    running_var = register_buffer("running_var", empty({channels}));
    num_batches_tracked = register_buffer("num_batches_tracked", zeros({}, {.dtype = DType::i64}));
  }
  reset_parameters();
}

void BatchNorm::reset_running_stats() {
  if (!options.track_running_stats) return;
  init::zeros_(running_mean);
  init::ones_(running_var);
  NoGradGuard no_grad;
  num_batches_tracked.zero_();
}

void BatchNorm::reset_parameters() {
  reset_running_stats();
  if (!options.affine) return;
  init::ones_(weight);
  init::zeros_(bias);
}

Tensor BatchNorm::forward(const Tensor& input) {
  FULCRUM_CHECK(input.defined(), name() << ": the input tensor is undefined");
  const bool rank_ok = input.dim() >= min_dim_ && input.dim() <= max_dim_;
  FULCRUM_CHECK(rank_ok && input.size(1) == options.num_features,
                name() << "(" << extra_repr() << "): expected input "
                       << (max_dim_ == 4 ? "[N, C, H, W]" : "[N, C] or [N, C, L]") << " with C = "
                       << options.num_features << ", got " << shape_str(input.shape()));
  // Training with tracking: count the batch; momentum nullopt averages all batches equally
  // (factor 1/k for the k-th batch), otherwise an exponential average with factor momentum.
  double factor = options.momentum.value_or(0.0);
  if (is_training() && options.track_running_stats) {
    NoGradGuard no_grad;
    num_batches_tracked.add_(1.0);
    if (!options.momentum) factor = 1.0 / num_batches_tracked.item<double>();
  }
  // Batch statistics when training, or when there are no running statistics to use.
  const bool use_batch_stats = is_training() || !options.track_running_stats;
  return F::batch_norm(input, running_mean, running_var, weight, bias, use_batch_stats, factor, options.eps);
}

std::string BatchNorm::extra_repr() const {
  std::string out = std::to_string(options.num_features);
  out.append(", eps=").append(detail::repr_number(options.eps));
  out.append(", momentum=").append(options.momentum ? detail::repr_number(*options.momentum) : "None");
  out.append(", affine=").append(detail::repr_bool(options.affine));
  out.append(", track_running_stats=").append(detail::repr_bool(options.track_running_stats));
  return out;
}

}  // namespace fulcrum::nn
