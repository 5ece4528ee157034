// nn/activation.cpp — forwards of the activation layers (ops from core/ops.hpp and
// nn/functional.hpp) and their PyTorch reprs.
#include "nn/activation.hpp"

#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/functional.hpp"
#include "nn/options.hpp"

namespace fulcrum::nn {
namespace {

void check_defined(const Module& layer, const Tensor& input) {
  FULCRUM_CHECK(input.defined(), layer.name() << ": the input tensor is undefined");
}

std::string dim_repr(const SoftmaxOptions& options) {
  std::string out = "dim=";
  out.append(std::to_string(*options.dim));
  return out;
}

}  // namespace

Tensor ReLU::forward(const Tensor& input) {
  check_defined(*this, input);
  return relu(input);
}

Tensor LeakyReLU::forward(const Tensor& input) {
  check_defined(*this, input);
  return F::leaky_relu(input, options.negative_slope);
}

std::string LeakyReLU::extra_repr() const {
  std::string out = "negative_slope=";
  out.append(detail::repr_number(options.negative_slope));
  return out;
}

Tensor Sigmoid::forward(const Tensor& input) {
  check_defined(*this, input);
  return sigmoid(input);
}

Tensor Tanh::forward(const Tensor& input) {
  check_defined(*this, input);
  return tanh(input);
}

GELU::GELU(GELUOptions options_) : Module("GELU"), options(std::move(options_)) {
  FULCRUM_CHECK(options.approximate == "none" || options.approximate == "tanh",
                "GELU: approximate must be 'none' or 'tanh', got '" << options.approximate << "'");
}

Tensor GELU::forward(const Tensor& input) {
  check_defined(*this, input);
  return F::gelu(input, options.approximate == "tanh");
}

std::string GELU::extra_repr() const {
  std::string out = "approximate='";
  out.append(options.approximate).append("'");
  return out;
}

Softmax::Softmax(SoftmaxOptions options_) : Module("Softmax"), options(options_) {
  FULCRUM_CHECK(options.dim.has_value(), "Softmax: set the dim to normalise over, e.g. Softmax({.dim = 1})");
}

Tensor Softmax::forward(const Tensor& input) {
  check_defined(*this, input);
  return softmax(input, *options.dim);
}

std::string Softmax::extra_repr() const { return dim_repr(options); }

LogSoftmax::LogSoftmax(SoftmaxOptions options_) : Module("LogSoftmax"), options(options_) {
  FULCRUM_CHECK(options.dim.has_value(), "LogSoftmax: set the dim to normalise over, e.g. LogSoftmax({.dim = 1})");
}

Tensor LogSoftmax::forward(const Tensor& input) {
  check_defined(*this, input);
  return log_softmax(input, *options.dim);
}

std::string LogSoftmax::extra_repr() const { return dim_repr(options); }

}  // namespace fulcrum::nn
