// nn/init.cpp — torch.nn.init: gains, fans, and the uniform / normal / Xavier / Kaiming fills.
// Random fills draw a fresh tensor from the generator and copy it in under NoGradGuard, so the
// same seed gives the same weights on every device and thread count.
#include "nn/init.hpp"

#include <cmath>

#include "autograd/node.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

namespace fulcrum::nn::init {
namespace {

void check_fillable(const char* op, const Tensor& tensor) {
  FULCRUM_CHECK(tensor.defined(), "init." << op << ": the tensor is undefined");
  FULCRUM_CHECK(is_floating(tensor.dtype()),
                "init." << op << ": expected a floating tensor (f32 or f64), got " << tensor.dtype());
}

const Tensor& fill_from(const Tensor& tensor, const Tensor& values) {
  NoGradGuard no_grad;
  tensor.copy_(values);
  return tensor;
}

int64_t chosen_fan(const char* op, const Tensor& tensor, const std::string& mode) {
  FULCRUM_CHECK(mode == "fan_in" || mode == "fan_out",
                "init." << op << ": mode '" << mode << "' is not supported; expected 'fan_in' or 'fan_out'");
  auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(tensor);
  return mode == "fan_in" ? fan_in : fan_out;
}

}  // namespace

double calculate_gain(const std::string& nonlinearity, std::optional<double> param) {
  static const char* unit_gain[] = {"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                                    "conv_transpose2d", "conv_transpose3d", "sigmoid"};
  for (const char* name : unit_gain) {
    if (nonlinearity == name) return 1.0;
  }
  if (nonlinearity == "tanh") return 5.0 / 3.0;
  if (nonlinearity == "relu") return std::sqrt(2.0);
  if (nonlinearity == "leaky_relu") {
    const double slope = param.value_or(0.01);
    return std::sqrt(2.0 / (1.0 + slope * slope));
  }
  if (nonlinearity == "selu") return 0.75;  // PyTorch's choice for self-normalising networks
  FULCRUM_FAIL("init.calculate_gain: unsupported nonlinearity '"
               << nonlinearity << "'; expected linear, conv1d/2d/3d, conv_transpose1d/2d/3d, sigmoid, tanh, "
                                  "relu, leaky_relu or selu");
}

std::pair<int64_t, int64_t> calculate_fan_in_and_fan_out(const Tensor& tensor) {
  FULCRUM_CHECK(tensor.defined(), "init.calculate_fan_in_and_fan_out: the tensor is undefined");
  FULCRUM_CHECK(tensor.dim() >= 2, "init.calculate_fan_in_and_fan_out: fan in and fan out cannot be computed for "
                                   "a tensor with fewer than 2 dims, got "
                                       << shape_str(tensor.shape()));
  int64_t receptive_field = 1;  // Π kernel sizes for a conv weight [out, in, k...]
  for (int64_t d = 2; d < tensor.dim(); ++d) receptive_field *= tensor.size(d);
  return {tensor.size(1) * receptive_field, tensor.size(0) * receptive_field};
}

const Tensor& uniform_(const Tensor& tensor, double low, double high, Generator* generator) {
  check_fillable("uniform_", tensor);
  FULCRUM_CHECK(low <= high, "init.uniform_: expected low ≤ high, got [" << low << ", " << high << ")");
  return fill_from(tensor, uniform(tensor.shape(), low, high, {.dtype = tensor.dtype(), .device = tensor.device()},
                                   generator));
}

const Tensor& normal_(const Tensor& tensor, double mean, double std, Generator* generator) {
  check_fillable("normal_", tensor);
  FULCRUM_CHECK(std >= 0.0, "init.normal_: std must be ≥ 0, got " << std);
  return fill_from(tensor, normal(tensor.shape(), mean, std, {.dtype = tensor.dtype(), .device = tensor.device()},
                                  generator));
}

const Tensor& constant_(const Tensor& tensor, double value) {
  check_fillable("constant_", tensor);
  NoGradGuard no_grad;
  tensor.fill_(value);
  return tensor;
}
const Tensor& zeros_(const Tensor& tensor) { return constant_(tensor, 0.0); }
const Tensor& ones_(const Tensor& tensor) { return constant_(tensor, 1.0); }

const Tensor& xavier_uniform_(const Tensor& tensor, double gain, Generator* generator) {
  check_fillable("xavier_uniform_", tensor);
  auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(tensor);
  if (tensor.numel() == 0) return tensor;
  const double std_dev = gain * std::sqrt(2.0 / static_cast<double>(fan_in + fan_out));
  const double bound = std::sqrt(3.0) * std_dev;  // U(−b, b) has variance b²/3
  return uniform_(tensor, -bound, bound, generator);
}

const Tensor& xavier_normal_(const Tensor& tensor, double gain, Generator* generator) {
  check_fillable("xavier_normal_", tensor);
  auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(tensor);
  if (tensor.numel() == 0) return tensor;
  return normal_(tensor, 0.0, gain * std::sqrt(2.0 / static_cast<double>(fan_in + fan_out)), generator);
}

const Tensor& kaiming_uniform_(const Tensor& tensor, KaimingOptions options, Generator* generator) {
  check_fillable("kaiming_uniform_", tensor);
  const int64_t fan = chosen_fan("kaiming_uniform_", tensor, options.mode);
  if (tensor.numel() == 0) return tensor;  // PyTorch: initialising a zero-element tensor is a no-op
  const double std_dev = calculate_gain(options.nonlinearity, options.a) / std::sqrt(static_cast<double>(fan));
  const double bound = std::sqrt(3.0) * std_dev;
  return uniform_(tensor, -bound, bound, generator);
}

const Tensor& kaiming_normal_(const Tensor& tensor, KaimingOptions options, Generator* generator) {
  check_fillable("kaiming_normal_", tensor);
  const int64_t fan = chosen_fan("kaiming_normal_", tensor, options.mode);
  if (tensor.numel() == 0) return tensor;
  return normal_(tensor, 0.0, calculate_gain(options.nonlinearity, options.a) / std::sqrt(static_cast<double>(fan)),
                 generator);
}

}  // namespace fulcrum::nn::init
