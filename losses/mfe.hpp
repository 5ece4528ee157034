// losses/mfe.hpp — mean false error (MFE) and mean squared false error (MSFE) of Wang et al.,
// IJCNN 2016 (docs/LOSSES.md §13), in the multi-class generalisation:
//   e_i = Σ_k ½ (d_{ik} − y_{ik})²          (sample i's squared error; d = one-hot target,
//                                              y = the network's outputs, e.g. probabilities)
//   E_c = (1/n_c) Σ_{i: class c} e_i        (mean error of class c in the batch)
//   MFE = Σ_c E_c,   MSFE = Σ_c E_c²
// With two classes this is the paper's FPE + FNE and FPE² + FNE² (negatives = class 0 or 1,
// whichever; the sum is symmetric). Each class counts equally however rare; MSFE additionally
// penalises unequal class errors (FPE² + FNE² = ½[(FPE + FNE)² + (FPE − FNE)²]). The class means
// are differentiated, not frozen; n_c is a constant.
// A class absent from the batch has no E_c: it is skipped (contributes 0; documented, since a
// per-batch class mean is undefined there). Reductions over the classes:
//   none → [C] (E_c, or E_c² for MSFE; 0 for absent classes); sum (default) → the paper's
//   Σ_c; mean → Σ_c / (number of classes present) (NaN for an empty batch, 0/0).
#pragma once
#include "core/tensor.hpp"
#include "losses/reduction.hpp"
#include "nn/module.hpp"

namespace fulcrum {

struct MfeLossOptions {
  Reduction reduction = Reduction::sum;  // the paper sums the class errors
};

// outputs [N, C] floating (the network's outputs, compared to one-hot targets; no softmax is
// applied), targets i64 [N] in [0, C).
Tensor mfe_loss(const Tensor& outputs, const Tensor& targets, MfeLossOptions options = {});
Tensor msfe_loss(const Tensor& outputs, const Tensor& targets, MfeLossOptions options = {});

}  // namespace fulcrum

namespace fulcrum::nn {

// Thin module: forward(outputs, targets) = msfe_loss when `squared`, else mfe_loss.
class MFELoss : public Module {
public:
  explicit MFELoss(bool squared = false, MfeLossOptions options = {})
      : Module(squared ? "MSFELoss" : "MFELoss"), squared(squared), options(options) {}
  Tensor forward(const Tensor& outputs, const Tensor& targets) {
    return squared ? msfe_loss(outputs, targets, options) : mfe_loss(outputs, targets, options);
  }
  Tensor operator()(const Tensor& outputs, const Tensor& targets) { return forward(outputs, targets); }
  Tensor forward(const Tensor& input) override;  // an Error: a loss needs targets
  bool squared;
  MfeLossOptions options;
};

}  // namespace fulcrum::nn
