// nn/normed_linear.cpp — NormedLinear and F::normalize (normed_linear.hpp).
#include "nn/normed_linear.hpp"

#include "autograd/node.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/functional.hpp"
#include "nn/init.hpp"
#include "nn/optim/clip_grad.hpp"

namespace fulcrum::nn {

namespace functional {
Tensor normalize(const Tensor& x, int64_t dim, double eps) {
  FULCRUM_CHECK(x.defined(), "normalize: the input tensor is undefined");
  FULCRUM_CHECK(is_floating(x.dtype()), "normalize: expects a floating tensor, got " << x.dtype());
  FULCRUM_CHECK(x.dim() >= 1 && dim >= -x.dim() && dim < x.dim(),
                "normalize: dim " << dim << " is out of range for " << shape_str(x.shape()));
  // ‖x‖₂ with clamp_min(eps), as torch: the clamp sends no gradient through a norm below eps.
  Tensor norm = clamp_min(sqrt(sum(x * x, {dim}, /*keepdim=*/true)), eps);
  return x / norm;
}
}  // namespace functional

NormedLinear::NormedLinear(NormedLinearOptions options_, Generator* generator)
    : Module("NormedLinear"), options(options_) {
  FULCRUM_CHECK(options.in_features >= 1 && options.out_features >= 1,
                "NormedLinear: in_features and out_features must be >= 1, got in_features = "
                    << options.in_features << ", out_features = " << options.out_features);
  weight = register_parameter("weight", empty({options.in_features, options.out_features}));
  reset_parameters(generator);
}

void NormedLinear::reset_parameters(Generator* generator) {
  NoGradGuard guard;
  init::uniform_(weight, -1.0, 1.0, generator);
  utils::renorm_(weight, 2.0, 1, 1e-5);  // every column (dim-1 slice) to norm 1e-5 …
  weight.mul_(1e5);               // … then ×1e5: columns of norm ≈ 1
}

Tensor NormedLinear::forward(const Tensor& input) {
  FULCRUM_CHECK(input.defined(), "NormedLinear: the input tensor is undefined");
  FULCRUM_CHECK(input.dim() == 2 && input.size(1) == options.in_features,
                "NormedLinear(" << extra_repr() << "): expected input [N, " << options.in_features << "], got "
                                << shape_str(input.shape()));
  return matmul(F::normalize(input, 1), F::normalize(weight, 0));
}

std::string NormedLinear::extra_repr() const {
  std::string out = "in_features=";
  out.append(std::to_string(options.in_features)).append(", out_features=");
  out.append(std::to_string(options.out_features));
  return out;
}

}  // namespace fulcrum::nn
