// losses/regression.hpp — regression losses with PyTorch 1.13 semantics: mse_loss, l1_loss,
// smooth_l1_loss (beta), huber_loss (delta); and l1_penalty / l2_penalty, the explicit
// regularisers over a module's parameters (l2_penalty(model.parameters())). Modules nn::MSELoss,
// nn::L1Loss, nn::SmoothL1Loss, nn::HuberLoss at the end. Input and target must have the same
// shape (PyTorch broadcasts with a warning; here it is an Error, never a silent broadcast).
#pragma once
#include <vector>

#include "core/tensor.hpp"
#include "losses/reduction.hpp"
#include "nn/module.hpp"

namespace fulcrum {

struct RegressionLossOptions {
  Reduction reduction = Reduction::mean;  // mean ÷ numel
};

// l = (x − y)²
Tensor mse_loss(const Tensor& input, const Tensor& target, RegressionLossOptions options = {});
// l = |x − y|   (gradient sign(x − y), 0 at x = y, as PyTorch)
Tensor l1_loss(const Tensor& input, const Tensor& target, RegressionLossOptions options = {});

struct SmoothL1Options {
  Reduction reduction = Reduction::mean;
  double beta = 1.0;  // ≥ 0; 0 gives l1_loss
};
// l = ½(x − y)²/β if |x − y| < β, else |x − y| − ½β   (F.smooth_l1_loss)
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, SmoothL1Options options = {});

struct HuberOptions {
  Reduction reduction = Reduction::mean;
  double delta = 1.0;  // > 0
};
// l = ½(x − y)² if |x − y| < δ, else δ(|x − y| − ½δ)   (F.huber_loss = δ·smooth_l1 with β = δ)
Tensor huber_loss(const Tensor& input, const Tensor& target, HuberOptions options = {});

// Σ_θ Σ_i |θ_i| and Σ_θ Σ_i θ_i² over the given tensors (no ½, no coefficient: write
// loss + λ·l2_penalty(model.parameters())). Note SGD's weight_decay = λ adds λ·θ to the gradient,
// which is the gradient of (λ/2)·l2_penalty. A 0-d tensor of the parameters' dtype; an Error for an
// empty list (no dtype to choose), undefined tensors or mixed dtypes. |θ|'s subgradient at 0 is 0.
Tensor l1_penalty(const std::vector<Tensor>& parameters);
Tensor l2_penalty(const std::vector<Tensor>& parameters);

}  // namespace fulcrum

namespace fulcrum::nn::functional {
using fulcrum::huber_loss;
using fulcrum::l1_loss;
using fulcrum::mse_loss;
using fulcrum::smooth_l1_loss;
}  // namespace fulcrum::nn::functional

namespace fulcrum::nn {

class MSELoss : public Module {
public:
  explicit MSELoss(RegressionLossOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
  Tensor forward(const Tensor& input) override;  // an Error: a loss needs targets
  RegressionLossOptions options;
};

class L1Loss : public Module {
public:
  explicit L1Loss(RegressionLossOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
  Tensor forward(const Tensor& input) override;
  RegressionLossOptions options;
};

class SmoothL1Loss : public Module {
public:
  explicit SmoothL1Loss(SmoothL1Options options = {});
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
  Tensor forward(const Tensor& input) override;
  SmoothL1Options options;
};

class HuberLoss : public Module {
public:
  explicit HuberLoss(HuberOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
  Tensor forward(const Tensor& input) override;
  HuberOptions options;
};

}  // namespace fulcrum::nn
