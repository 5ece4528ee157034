// nn/pooling.cpp — MaxPool2d, AvgPool2d, AdaptiveAvgPool2d: checks that name the layer and the
// input shape, then F::max_pool2d / avg_pool2d / adaptive_avg_pool2d (nn/functional.cpp).
#include "nn/pooling.hpp"

#include "core/error.hpp"

namespace fulcrum::nn {
namespace {

// PyTorch prints the value the user gave; we print 2 for (2, 2) and the tuple otherwise.
std::string int_or_pair_str(const IntOrPair& value) {
  return value.height == value.width ? std::to_string(value.height) : value.str();
}

void check_window(const char* layer, const IntOrPair& kernel, const std::optional<IntOrPair>& stride,
                  const IntOrPair& padding) {
  FULCRUM_CHECK(kernel.height >= 1 && kernel.width >= 1,
                layer << ": kernel_size must be ≥ 1, got " << kernel.str() << " (set .kernel_size)");
  FULCRUM_CHECK(!stride || (stride->height >= 1 && stride->width >= 1),
                layer << ": stride must be ≥ 1, got " << stride->str());
  FULCRUM_CHECK(padding.height >= 0 && padding.width >= 0 && 2 * padding.height <= kernel.height &&
                    2 * padding.width <= kernel.width,
                layer << ": padding " << padding.str() << " must be ≥ 0 and at most half the kernel size "
                      << kernel.str());
}

void check_input(const Module& layer, const Tensor& input) {
  FULCRUM_CHECK(input.defined(), layer.name() << ": the input tensor is undefined");
  FULCRUM_CHECK(input.dim() == 4, layer.name() << "(" << layer.extra_repr() << "): expected input [N, C, H, W], got "
                                               << shape_str(input.shape()));
}

}  // namespace

MaxPool2d::MaxPool2d(MaxPool2dOptions options_) : Module("MaxPool2d"), options(options_) {
  check_window("MaxPool2d", options.kernel_size, options.stride, options.padding);
  FULCRUM_CHECK(options.dilation.height >= 1 && options.dilation.width >= 1,
                "MaxPool2d: dilation must be ≥ 1, got " << options.dilation.str());
}

Tensor MaxPool2d::forward(const Tensor& input) {
  check_input(*this, input);
  return F::max_pool2d(input, {.kernel_size = options.kernel_size.pair(),
                               .stride = options.stride.value_or(options.kernel_size).pair(),
                               .padding = options.padding.pair(),
                               .dilation = options.dilation.pair(),
                               .ceil_mode = options.ceil_mode});
}

std::string MaxPool2d::extra_repr() const {
  std::string out = "kernel_size=";
  out.append(int_or_pair_str(options.kernel_size));
  out.append(", stride=").append(int_or_pair_str(options.stride.value_or(options.kernel_size)));
  out.append(", padding=").append(int_or_pair_str(options.padding));
  out.append(", dilation=").append(int_or_pair_str(options.dilation));
  out.append(", ceil_mode=").append(detail::repr_bool(options.ceil_mode));
  return out;
}

AvgPool2d::AvgPool2d(AvgPool2dOptions options_) : Module("AvgPool2d"), options(options_) {
  check_window("AvgPool2d", options.kernel_size, options.stride, options.padding);
}

Tensor AvgPool2d::forward(const Tensor& input) {
  check_input(*this, input);
  return F::avg_pool2d(input, {.kernel_size = options.kernel_size.pair(),
                               .stride = options.stride.value_or(options.kernel_size).pair(),
                               .padding = options.padding.pair(),
                               .ceil_mode = options.ceil_mode,
                               .count_include_pad = options.count_include_pad});
}

std::string AvgPool2d::extra_repr() const {
  std::string out = "kernel_size=";
  out.append(int_or_pair_str(options.kernel_size));
  out.append(", stride=").append(int_or_pair_str(options.stride.value_or(options.kernel_size)));
  out.append(", padding=").append(int_or_pair_str(options.padding));
  return out;
}

AdaptiveAvgPool2d::AdaptiveAvgPool2d(AdaptiveAvgPool2dOptions options_)
    : Module("AdaptiveAvgPool2d"), options(options_) {
  FULCRUM_CHECK(options.output_size.height >= 1 && options.output_size.width >= 1,
                "AdaptiveAvgPool2d: output_size must be ≥ 1, got " << options.output_size.str());
}

Tensor AdaptiveAvgPool2d::forward(const Tensor& input) {
  check_input(*this, input);
  return F::adaptive_avg_pool2d(input, options.output_size.pair());
}

std::string AdaptiveAvgPool2d::extra_repr() const {
  std::string out = "output_size=";
  out.append(int_or_pair_str(options.output_size));
  return out;
}

}  // namespace fulcrum::nn
