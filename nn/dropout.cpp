// nn/dropout.cpp — Dropout and Dropout2d: F::dropout / F::dropout2d with the module's mode
// (identity in eval) and generator. The mask math is in nn/functional.cpp.
#include "nn/dropout.hpp"

#include "core/error.hpp"
#include "nn/functional.hpp"
#include "nn/options.hpp"

namespace fulcrum::nn {
namespace {

void check_probability(const char* layer, double p) {
  FULCRUM_CHECK(p >= 0.0 && p <= 1.0, layer << ": dropout probability has to be between 0 and 1, got " << p);
}

std::string dropout_repr(double p) {
  std::string out = "p=";
  out.append(detail::repr_number(p)).append(", inplace=False");
  return out;
}

}  // namespace

Dropout::Dropout(DropoutOptions options_) : Module("Dropout"), options(options_) {
  check_probability("Dropout", options.p);
}

Tensor Dropout::forward(const Tensor& input) {
  FULCRUM_CHECK(input.defined(), "Dropout: the input tensor is undefined");
  return F::dropout(input, options.p, is_training(), options.generator);
}

std::string Dropout::extra_repr() const { return dropout_repr(options.p); }

Dropout2d::Dropout2d(DropoutOptions options_) : Module("Dropout2d"), options(options_) {
  check_probability("Dropout2d", options.p);
}

Tensor Dropout2d::forward(const Tensor& input) {
  FULCRUM_CHECK(input.defined(), "Dropout2d: the input tensor is undefined");
  FULCRUM_CHECK(input.dim() == 4 || input.dim() == 3,
                "Dropout2d: expected input [N, C, H, W] (or [N, C, L]), got " << shape_str(input.shape()));
  return F::dropout2d(input, options.p, is_training(), options.generator);
}

std::string Dropout2d::extra_repr() const { return dropout_repr(options.p); }

}  // namespace fulcrum::nn
