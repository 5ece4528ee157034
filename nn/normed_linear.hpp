// nn/normed_linear.hpp — NormedLinear, the cosine classifier of kaidic/LDAM-DRW (models/
// resnet_cifar.py), used with the LDAM loss (losses/ldam.hpp, docs/LOSSES.md §6):
//   out = normalize(x, dim = 1) @ normalize(W, dim = 0),   W [in_features, out_features]
// so out[n, j] = cos(x_n, W[:, j]) ∈ [−1, 1]; no bias. normalize is F.normalize:
// v / max(‖v‖₂, 1e-12). Note W is [in, out] (the transpose of Linear's [out, in]), as in kaidic.
// Init as kaidic: W ~ U(−1, 1), then renorm_(2, 1, 1e-5).mul_(1e5) — each column rescaled to
// norm ≈ 1 (the normalisation in forward makes the scale irrelevant; only directions matter).
#pragma once
#include "core/rng.hpp"
#include "nn/module.hpp"

namespace fulcrum::nn {

struct NormedLinearOptions {
  int64_t in_features = 0;
  int64_t out_features = 0;
};

namespace functional {
// F.normalize(x, p = 2, dim, eps): x / max(‖x‖₂ along dim, eps), differentiable.
Tensor normalize(const Tensor& x, int64_t dim = 1, double eps = 1e-12);
}  // namespace functional

class NormedLinear : public Module {
public:
  explicit NormedLinear(NormedLinearOptions options, Generator* generator = nullptr);
  Tensor forward(const Tensor& input) override;  // [N, in_features] → [N, out_features]
  std::string extra_repr() const override;
  void reset_parameters(Generator* generator = nullptr);  // kaidic's init (above)

  NormedLinearOptions options;
  Tensor weight;  // [in_features, out_features]
};

}  // namespace fulcrum::nn
