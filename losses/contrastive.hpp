// losses/contrastive.hpp — the contrastive loss of Hadsell, Chopra & LeCun (CVPR 2006; docs/LOSSES.md
// §14) for Siamese networks, on two embeddings and a pair label, with the tensorflow-addons
// convention as an option. Module nn::ContrastiveLoss at the end.
#pragma once
#include "core/tensor.hpp"
#include "losses/reduction.hpp"
#include "nn/module.hpp"

namespace fulcrum {

enum class ContrastiveConvention {
  hadsell,            // Y = 0 similar, Y = 1 dissimilar, ½ factors (the paper)
  tensorflow_addons,  // y = 1 similar, y = 0 dissimilar, no ½ (tfa.losses.contrastive_loss)
};

struct ContrastiveOptions {
  double margin = 1.0;  // m > 0
  double eps = 1e-12;   // ε inside the square root of the distance
  ContrastiveConvention convention = ContrastiveConvention::hadsell;
  Reduction reduction = Reduction::mean;  // mean ÷ N (tfa's SUM_OVER_BATCH_SIZE)
};

// x1, x2 [N, D] embeddings, labels [N] (i64 or floating, values 0 or 1):
//   S = ||x1 − x2||² (exact), D_ε = sqrt(S + ε)
//   hadsell:            l = (1 − Y)·½·S + Y·½·max(0, m − D_ε)²
//   tensorflow_addons:  l = y·S + (1 − y)·max(0, m − D_ε)²
// The similar term uses S itself (smooth, gradient 2(x1 − x2)); the margin term needs the
// distance, whose gradient (x1 − x2)/D is undefined at D = 0: ε makes it finite (0 there).
Tensor contrastive_loss(const Tensor& x1, const Tensor& x2, const Tensor& labels, ContrastiveOptions options = {});

}  // namespace fulcrum

namespace fulcrum::nn::functional {
using fulcrum::contrastive_loss;
}  // namespace fulcrum::nn::functional

namespace fulcrum::nn {

class ContrastiveLoss : public Module {
public:
  explicit ContrastiveLoss(ContrastiveOptions options = {});
  Tensor forward(const Tensor& x1, const Tensor& x2, const Tensor& labels);
  Tensor operator()(const Tensor& x1, const Tensor& x2, const Tensor& labels) { return forward(x1, x2, labels); }
  Tensor forward(const Tensor& input) override;  // an Error: the loss needs two embeddings and labels
  ContrastiveOptions options;
};

}  // namespace fulcrum::nn
