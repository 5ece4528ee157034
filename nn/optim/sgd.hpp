// nn/optim/sgd.hpp — stochastic gradient descent with momentum, dampening, Nesterov and L2
// weight decay: torch.optim.SGD, the same update rule in the same order (see sgd.cpp).
// Shared parameter-group machinery: optimizer.hpp; Adam / AdamW: adam.hpp.
#pragma once
#include "nn/optim/optimizer.hpp"

namespace fulcrum::optim {

struct SGDOptions {
  double lr = 1e-3;
  double momentum = 0.0;
  double dampening = 0.0;
  double weight_decay = 0.0;  // L2 penalty, added to the gradient: g + wd·θ
  bool nesterov = false;      // needs momentum > 0 and dampening = 0
  bool maximize = false;      // ascend instead of descend
};

// SGD opt(model.parameters(), {.lr = 0.1, .momentum = 0.9, .weight_decay = 5e-4});
// SGD opt({{backbone, {.lr = 0.01, .momentum = 0.9}}, {head, {.lr = 0.1, .momentum = 0.9}}});
class SGD : public OptimizerWithOptions<SGDOptions> {
public:
  SGD(std::vector<Tensor> params, SGDOptions options);
  explicit SGD(std::vector<ParamGroup<SGDOptions>> groups);
  void step() override;
  const char* name() const override { return "SGD"; }

protected:
  void validate(const SGDOptions& options) const override;
};

}  // namespace fulcrum::optim
