// nn/activation.hpp — the activation layers: ReLU, LeakyReLU, Sigmoid, Tanh, GELU, Softmax,
// LogSoftmax. No parameters; each forwards to its op (core/ops.hpp, nn/functional.hpp).
#pragma once
#include <optional>

#include "nn/module.hpp"

namespace fulcrum::nn {

class ReLU : public Module {
public:
  ReLU() : Module("ReLU") {}
  Tensor forward(const Tensor& input) override;  // max(x, 0)
};

struct LeakyReLUOptions {
  double negative_slope = 0.01;
};

class LeakyReLU : public Module {
public:
  explicit LeakyReLU(LeakyReLUOptions options = {}) : Module("LeakyReLU"), options(options) {}
  Tensor forward(const Tensor& input) override;  // x if x > 0, else negative_slope·x
  std::string extra_repr() const override;
  LeakyReLUOptions options;
};

class Sigmoid : public Module {
public:
  Sigmoid() : Module("Sigmoid") {}
  Tensor forward(const Tensor& input) override;  // 1 / (1 + e^−x)
};

class Tanh : public Module {
public:
  Tanh() : Module("Tanh") {}
  Tensor forward(const Tensor& input) override;
};

struct GELUOptions {
  std::string approximate = "none";  // "none": x·Φ(x) with erf; "tanh": the tanh approximation
};

class GELU : public Module {
public:
  explicit GELU(GELUOptions options = {});
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  GELUOptions options;
};

struct SoftmaxOptions {
  std::optional<int64_t> dim = std::nullopt;  // required: the dim whose entries sum to 1
};

class Softmax : public Module {
public:
  explicit Softmax(SoftmaxOptions options);
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  SoftmaxOptions options;
};

class LogSoftmax : public Module {
public:
  explicit LogSoftmax(SoftmaxOptions options);
  Tensor forward(const Tensor& input) override;  // x − logsumexp(x, dim), computed stably
  std::string extra_repr() const override;
  SoftmaxOptions options;
};

}  // namespace fulcrum::nn
