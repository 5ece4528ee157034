// nn/conv.hpp — Conv2d: a bank of out_channels filters [in_channels / groups, kh, kw] slid over
// an [N, C, H, W] input (F::conv2d does the work). PyTorch's default init: weight and bias
// ~ U(−1/√fan_in, 1/√fan_in) with fan_in = in_channels / groups · kh · kw.
#pragma once
#include "nn/module.hpp"
#include "nn/options.hpp"

namespace fulcrum::nn {

struct Conv2dOptions {
  int64_t in_channels = 0;
  int64_t out_channels = 0;
  IntOrPair kernel_size = 0;
  IntOrPair stride = 1;
  IntOrPair padding = 0;   // zeros on each side
  IntOrPair dilation = 1;
  int64_t groups = 1;      // must divide in_channels and out_channels
  bool bias = true;
};

class Conv2d : public Module {
public:
  explicit Conv2d(Conv2dOptions options);
  // [N, in_channels, H, W] → [N, out_channels, OH, OW],
  // OH = ⌊(H + 2·padding − dilation·(kh − 1) − 1) / stride⌋ + 1 (same for OW).
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  void reset_parameters();

  Conv2dOptions options;
  Tensor weight;  // [out_channels, in_channels / groups, kh, kw]
  Tensor bias;    // [out_channels]; undefined when options.bias is false
};

}  // namespace fulcrum::nn
