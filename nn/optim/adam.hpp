// nn/optim/adam.hpp — Adam (Kingma & Ba 2015) with optional AMSGrad, and AdamW (Loshchilov &
// Hutter 2019: weight decay decoupled from the gradient), as torch.optim.Adam / AdamW.
// The update, in PyTorch's order of operations, is written out in adam.cpp.
#pragma once
#include <array>

#include "nn/optim/optimizer.hpp"

namespace fulcrum::optim {

struct AdamOptions {
  double lr = 1e-3;
  std::array<double, 2> betas = {0.9, 0.999};  // decay of the first and second moments
  double eps = 1e-8;
  double weight_decay = 0.0;  // L2 term added to the gradient (so it enters the moments)
  bool amsgrad = false;       // divide by the running maximum of the second moment
  bool maximize = false;
};

// Adam opt(model.parameters(), {.lr = 1e-3});
// State per parameter: step, "exp_avg" (m), "exp_avg_sq" (v), and "max_exp_avg_sq" with amsgrad.
class Adam : public OptimizerWithOptions<AdamOptions> {
public:
  Adam(std::vector<Tensor> params, AdamOptions options);
  explicit Adam(std::vector<ParamGroup<AdamOptions>> groups);
  void step() override;
  const char* name() const override { return "Adam"; }

protected:
  void validate(const AdamOptions& options) const override;
};

// AdamW: the same fields, but weight_decay (default 1e-2) shrinks the weights directly,
// θ ← θ − lr·wd·θ, before the Adam step, instead of entering the gradient and the moments.
struct AdamWOptions {
  double lr = 1e-3;
  std::array<double, 2> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 1e-2;
  bool amsgrad = false;
  bool maximize = false;
};

class AdamW : public OptimizerWithOptions<AdamWOptions> {
public:
  AdamW(std::vector<Tensor> params, AdamWOptions options);
  explicit AdamW(std::vector<ParamGroup<AdamWOptions>> groups);
  void step() override;
  const char* name() const override { return "AdamW"; }

protected:
  void validate(const AdamWOptions& options) const override;
};

}  // namespace fulcrum::optim
