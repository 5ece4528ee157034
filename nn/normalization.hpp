// nn/normalization.hpp — BatchNorm1d ([N, C] or [N, C, L]) and BatchNorm2d ([N, C, H, W]).
// Training normalises with the batch mean and biased variance and updates the running stats
// (running = (1 − m)·running + m·batch, unbiased variance); eval normalises with the running
// stats. y = (x − mean) / √(var + eps) · weight + bias, per channel (F::batch_norm).
#pragma once
#include <optional>

#include "nn/module.hpp"

namespace fulcrum::nn {

struct BatchNormOptions {
  int64_t num_features = 0;               // C
  double eps = 1e-5;
  std::optional<double> momentum = 0.1;   // nullopt: cumulative average, m = 1 / batches seen
  bool affine = true;                     // learn weight (ones) and bias (zeros)
  bool track_running_stats = true;        // false: batch statistics in eval mode too
};

// PyTorch's _BatchNorm; the two public classes differ only in the input rank they accept.
class BatchNorm : public Module {
public:
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  void reset_running_stats();  // mean 0, var 1, num_batches_tracked 0
  void reset_parameters();     // plus weight 1, bias 0

  BatchNormOptions options;
  Tensor weight, bias;                // [C], learnable (undefined unless affine)
  Tensor running_mean, running_var;   // [C] buffers (undefined unless track_running_stats)
  Tensor num_batches_tracked;         // 0-d i64 buffer

protected:
  BatchNorm(std::string name, BatchNormOptions options, int64_t min_dim, int64_t max_dim);

private:
  int64_t min_dim_, max_dim_;
};

class BatchNorm1d : public BatchNorm {
public:
  explicit BatchNorm1d(BatchNormOptions options) : BatchNorm("BatchNorm1d", options, 2, 3) {}
};

class BatchNorm2d : public BatchNorm {
public:
  explicit BatchNorm2d(BatchNormOptions options) : BatchNorm("BatchNorm2d", options, 4, 4) {}
};

}  // namespace fulcrum::nn
