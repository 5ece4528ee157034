// nn/dropout.hpp — Dropout (zeroes elements) and Dropout2d (zeroes whole channels) with
// probability p while training, scaling the survivors by 1/(1 − p); the identity in eval mode.
// Masks come from options.generator, or the default generator (manual_seed) when it is null.
#pragma once
#include "core/rng.hpp"
#include "nn/module.hpp"

namespace fulcrum::nn {

struct DropoutOptions {
  double p = 0.5;
  Generator* generator = nullptr;  // not owned; must outlive the module's forward calls
};

class Dropout : public Module {
public:
  explicit Dropout(DropoutOptions options = {});
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  DropoutOptions options;
};

class Dropout2d : public Module {
public:
  explicit Dropout2d(DropoutOptions options = {});
  Tensor forward(const Tensor& input) override;  // [N, C, H, W]: one draw per (n, c)
  std::string extra_repr() const override;
  DropoutOptions options;
};

}  // namespace fulcrum::nn
