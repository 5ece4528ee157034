// nn/conv.cpp — Conv2d: option checks, PyTorch's default initialisation and a forward that
// checks the input against the layer before handing it to F::conv2d (nn/functional.cpp).
#include "nn/conv.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/init.hpp"

namespace fulcrum::nn {

Conv2d::Conv2d(Conv2dOptions options_) : Module("Conv2d"), options(options_) {
  const Conv2dOptions& o = options;
  FULCRUM_CHECK(o.in_channels >= 1 && o.out_channels >= 1,
                "Conv2d: in_channels and out_channels must be ≥ 1, got " << o.in_channels << " and " << o.out_channels);
  FULCRUM_CHECK(o.groups >= 1 && o.in_channels % o.groups == 0 && o.out_channels % o.groups == 0,
                "Conv2d: groups = " << o.groups << " must divide in_channels = " << o.in_channels
                                    << " and out_channels = " << o.out_channels);
  FULCRUM_CHECK(o.kernel_size.height >= 1 && o.kernel_size.width >= 1,
                "Conv2d: kernel_size must be ≥ 1, got " << o.kernel_size.str());
  FULCRUM_CHECK(o.stride.height >= 1 && o.stride.width >= 1, "Conv2d: stride must be ≥ 1, got " << o.stride.str());
  FULCRUM_CHECK(o.padding.height >= 0 && o.padding.width >= 0, "Conv2d: padding must be ≥ 0, got " << o.padding.str());
  FULCRUM_CHECK(o.dilation.height >= 1 && o.dilation.width >= 1,
                "Conv2d: dilation must be ≥ 1, got " << o.dilation.str());
  weight = register_parameter(
      "weight", empty({o.out_channels, o.in_channels / o.groups, o.kernel_size.height, o.kernel_size.width}));
  if (o.bias) bias = register_parameter("bias", empty({o.out_channels}));
  reset_parameters();
}

void Conv2d::reset_parameters() {
  // As Linear: kaiming_uniform_(a = √5) gives U(±1/√fan_in), fan_in = in_channels/groups · kh · kw.
  init::kaiming_uniform_(weight, {.a = std::sqrt(5.0)});
  if (bias.defined()) {
    const double fan_in = static_cast<double>(init::calculate_fan_in_and_fan_out(weight).first);
    const double bound = 1.0 / std::sqrt(fan_in);
    init::uniform_(bias, -bound, bound);
  }
}

Tensor Conv2d::forward(const Tensor& input) {
  FULCRUM_CHECK(input.defined(), "Conv2d: the input tensor is undefined");
  FULCRUM_CHECK(input.dim() == 4 && input.size(1) == options.in_channels,
                "Conv2d(" << extra_repr() << "): expected input [N, " << options.in_channels << ", H, W], got "
                          << shape_str(input.shape()));
  return F::conv2d(input, weight, bias,
                   {.stride = options.stride.pair(), .padding = options.padding.pair(),
                    .dilation = options.dilation.pair(), .groups = options.groups});
}

// PyTorch's ConvNd.extra_repr: non-default padding, dilation, groups and bias are listed.
std::string Conv2d::extra_repr() const {
  std::string out = std::to_string(options.in_channels);
  out.append(", ").append(std::to_string(options.out_channels));
  out.append(", kernel_size=").append(options.kernel_size.str()).append(", stride=").append(options.stride.str());
  if (options.padding != IntOrPair(0)) out.append(", padding=").append(options.padding.str());
  if (options.dilation != IntOrPair(1)) out.append(", dilation=").append(options.dilation.str());
  if (options.groups != 1) out.append(", groups=").append(std::to_string(options.groups));
  if (!options.bias) out.append(", bias=False");
  return out;
}

}  // namespace fulcrum::nn
