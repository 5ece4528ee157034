// losses/ldam.hpp — the label-distribution-aware margin (LDAM) loss of Cao et al. 2019, as
// kaidic/LDAM-DRW's losses.py::LDAMLoss (docs/LOSSES.md §6), and the module nn::LDAMLoss. Pair it with
// the cosine classifier nn::NormedLinear (nn/normed_linear.hpp): s = 30 on raw, unbounded logits
// is far too sharp. Margins m_c = max_m·n_c^{−1/4} / max_c n_c^{−1/4} come from class_weights;
// the DRW weights from DrwSchedule (losses/schedules.hpp).
//   z'_{n,j} = z_{n,j} − m_{y_n}·[j = y_n]          (only the true class's logit loses its margin)
//   L = cross_entropy(s·z', y, weight = w)         (PyTorch's weighted CE)
// none → l_n = w_{y_n}·CE_n [N]; sum → Σ l_n; mean → Σ l_n / Σ w_{y_n} (N when unweighted; NaN
// for an empty batch or all-zero target weights, exactly as PyTorch and the reference).
// Margins and weights are constants: dL/dz = s·w_{y_n}(softmax(s z') − e_y)/Σw for the mean.
#pragma once
#include "core/tensor.hpp"
#include "losses/reduction.hpp"
#include "nn/module.hpp"

namespace fulcrum {

struct LdamLossOptions {
  double s = 30.0;           // logit scale, > 0 (kaidic's default)
  Tensor weight = Tensor();  // [C] ≥ 0 class weights (DRW), undefined = unweighted
  Reduction reduction = Reduction::mean;
};

// logits [N, C] (cosine similarities from NormedLinear), targets i64 [N] in [0, C),
// margins [C] ≥ 0 (input's dtype).
Tensor ldam_loss(const Tensor& logits, const Tensor& targets, const Tensor& margins, LdamLossOptions options = {});

}  // namespace fulcrum

namespace fulcrum::nn {

// Buffers "margins" and "weight" (all ones when options.weight is undefined: the same loss as
// unweighted, since the mean divides by Σ w_{y_n} = N). DRW changes the weight during training:
// call set_weight(schedule.weights(epoch)) at the start of each epoch.
class LDAMLoss : public Module {
public:
  explicit LDAMLoss(Tensor margins, LdamLossOptions options = {});
  Tensor forward(const Tensor& logits, const Tensor& targets);
  Tensor operator()(const Tensor& logits, const Tensor& targets) { return forward(logits, targets); }
  Tensor forward(const Tensor& input) override;  // an Error: a loss needs targets
  void set_weight(const Tensor& weight);  // copies into the buffer (shape [C])
  std::string extra_repr() const override;

  Tensor margins;
  LdamLossOptions options;
};

}  // namespace fulcrum::nn
