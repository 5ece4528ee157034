// nn/optim/clip_grad.hpp — gradient clipping and weight constraints, applied between backward()
// and step() (clipping) or after step() (constraints), in place under NoGradGuard:
// clip_grad_norm_ / clip_grad_value_ (torch.nn.utils), renorm_ (torch.renorm, in place) and
// MaxNorm, the per-class weight-norm cap of weight balancing (Alshammari et al. 2022; docs/LOSSES.md §16).
#pragma once
#include <limits>
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum::nn::utils {

struct ClipGradNormOptions {
  double norm_type = 2.0;            // p of the p-norm; infinity for the max-abs norm
  bool error_if_nonfinite = false;   // throw when the total norm is NaN or ±inf
};
// total = ‖(‖g_1‖_p, …, ‖g_n‖_p)‖_p over the parameters that have a grad (as if all grads were
// one vector); when total > max_norm, every grad is scaled by max_norm / (total + 1e-6).
// Returns total (0 when no parameter has a grad). PyTorch returns it as a 0-d tensor; here a double.
double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm,
                       ClipGradNormOptions options = {});
double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, double norm_type);

// Clamps every grad element to [−clip_value, clip_value].
void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value);

// torch.renorm, in place: every slice x.select(dim, i) whose p-norm exceeds max_norm is scaled
// by max_norm / (norm + 1e-7); the other slices are left as they are. Returns x.
const Tensor& renorm_(const Tensor& x, double p, int64_t dim, double max_norm);

// The p-norm of every slice x.select(dim, i), as a 1-D tensor of x.size(dim) values.
Tensor slice_norms(const Tensor& x, double p = 2.0, int64_t dim = 0);

// MaxNorm: keep each row (dim-0 slice: one class's weights in a classifier) within an L2 ball,
// ‖w_k‖ ≤ max_norm, by projection (renorm_) after the optimiser step — projected gradient descent.
struct MaxNormOptions {
  double max_norm = std::numeric_limits<double>::infinity();  // the threshold δ
  double norm_type = 2.0;
  int64_t dim = 0;
};
class MaxNorm {
public:
  explicit MaxNorm(MaxNormOptions options);
  // Weight balancing's threshold, fixed once from the weight at the start of stage 2:
  // δ = min_k ‖w_k‖ + thresh · (max_k ‖w_k‖ − min_k ‖w_k‖)   (thresh = 0.1 in the paper's code).
  static MaxNorm from_row_norms(const Tensor& weight, double thresh, MaxNormOptions options = {});

  // Projects `weight` in place (under NoGradGuard). A 1-D weight (a bias) is left alone, as
  // the paper's code gives biases an infinite threshold.
  void apply(const Tensor& weight) const;
  void apply(const std::vector<Tensor>& weights) const;
  double max_norm() const { return options_.max_norm; }

private:
  MaxNormOptions options_;
};

}  // namespace fulcrum::nn::utils
