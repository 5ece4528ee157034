// nn/pooling.hpp — MaxPool2d, AvgPool2d, AdaptiveAvgPool2d over [N, C, H, W]: no parameters,
// thin wrappers of F::max_pool2d / avg_pool2d / adaptive_avg_pool2d (nn/functional.hpp).
#pragma once
#include <optional>

#include "nn/module.hpp"
#include "nn/options.hpp"

namespace fulcrum::nn {

struct MaxPool2dOptions {
  IntOrPair kernel_size = 0;
  std::optional<IntOrPair> stride = std::nullopt;  // default: kernel_size
  IntOrPair padding = 0;                           // −∞ padding, at most half the kernel
  IntOrPair dilation = 1;
  bool ceil_mode = false;
};

class MaxPool2d : public Module {
public:
  explicit MaxPool2d(MaxPool2dOptions options);
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  MaxPool2dOptions options;
};

struct AvgPool2dOptions {
  IntOrPair kernel_size = 0;
  std::optional<IntOrPair> stride = std::nullopt;  // default: kernel_size
  IntOrPair padding = 0;                           // zero padding, at most half the kernel
  bool ceil_mode = false;
  bool count_include_pad = true;                   // divide by the full window, padding included
};

class AvgPool2d : public Module {
public:
  explicit AvgPool2d(AvgPool2dOptions options);
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  AvgPool2dOptions options;
};

struct AdaptiveAvgPool2dOptions {
  IntOrPair output_size = 1;  // 1 = global average pooling
};

class AdaptiveAvgPool2d : public Module {
public:
  explicit AdaptiveAvgPool2d(AdaptiveAvgPool2dOptions options = {});
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  AdaptiveAvgPool2dOptions options;
};

}  // namespace fulcrum::nn
