// losses/schedules.hpp — DrwSchedule, the deferred re-weighting (DRW) policy of Cao et al. 2019
// (kaidic/LDAM-DRW cifar_train.py, docs/LOSSES.md §6 (c)): which class weights to use in epoch e.
// The reference, per epoch e (0-based): idx = e // 160, beta = [0, 0.9999][idx],
//   w_c = (1 − β) / (1 − β^{n_c}),  w ← w / Σ w · C   (class-balanced weights, Σ_c w_c = C)
// passed as the cross-entropy (LDAM) `weight`; β = 0 gives all ones (no re-weighting).
// General form: a list of (start epoch, β), sorted by start, the first starting at 0; epoch e
// uses the last entry whose start ≤ e and keeps it for all later epochs (kaidic would index past
// its list at e ≥ 320; it only trains 200 epochs). Outputs are plain constant tensors.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum {

struct DrwScheduleOptions {
  // (start epoch, β) pairs: kaidic's betas = [0, 0.9999] switched at epoch 160.
  std::vector<std::pair<int64_t, double>> betas = {{0, 0.0}, {160, 0.9999}};
  DType dtype = DType::f32;  // of the weights (computed in double)
};

class DrwSchedule {
public:
  // counts: the training count n_c of every class (all > 0).
  explicit DrwSchedule(std::vector<int64_t> counts, DrwScheduleOptions options = {});
  // The two-stage policy: β0 before switch_epoch, β1 from it on.
  static DrwSchedule two_stage(std::vector<int64_t> counts, int64_t switch_epoch = 160, double beta0 = 0.0,
                               double beta1 = 0.9999, DType dtype = DType::f32);

  double beta(int64_t epoch) const;    // β in force at epoch e ≥ 0
  Tensor weights(int64_t epoch) const; // w [C] for epoch e (Σ = C)

  const std::vector<int64_t>& counts() const { return counts_; }
  const DrwScheduleOptions& options() const { return options_; }

private:
  std::vector<int64_t> counts_;
  DrwScheduleOptions options_;
};

}  // namespace fulcrum
