// losses/schedules.cpp — DrwSchedule (schedules.hpp).
#include "losses/schedules.hpp"

#include <utility>

#include "core/error.hpp"
#include "losses/class_weights.hpp"

namespace fulcrum {

DrwSchedule::DrwSchedule(std::vector<int64_t> counts, DrwScheduleOptions options)
    : counts_(std::move(counts)), options_(std::move(options)) {
  constexpr const char* who = "DrwSchedule";
  FULCRUM_CHECK(!counts_.empty(), who << ": expected one training count per class, got none");
  for (size_t c = 0; c < counts_.size(); ++c) {
    FULCRUM_CHECK(counts_[c] > 0, who << ": class " << c << " has count " << counts_[c]
                                      << "; every class needs at least one training sample (the class-balanced "
                                      << "weight (1 - beta) / (1 - beta^n) is undefined at n = 0)");
  }
  const auto& betas = options_.betas;
  FULCRUM_CHECK(!betas.empty(), who << ": betas must be a non-empty list of (start epoch, beta)");
  FULCRUM_CHECK(betas.front().first == 0,
                who << ": the first (start epoch, beta) must start at epoch 0, got " << betas.front().first);
  for (size_t i = 0; i < betas.size(); ++i) {
    FULCRUM_CHECK(betas[i].second >= 0.0 && betas[i].second < 1.0,
                  who << ": beta must be in [0, 1), got betas[" << i << "] = " << betas[i].second);
    FULCRUM_CHECK(i == 0 || betas[i].first > betas[i - 1].first,
                  who << ": start epochs must increase strictly, got " << betas[i - 1].first << " then "
                      << betas[i].first << " at betas[" << i << "]");
  }
  FULCRUM_CHECK(is_floating(options_.dtype), who << ": dtype must be f32 or f64, got " << options_.dtype);
}

DrwSchedule DrwSchedule::two_stage(std::vector<int64_t> counts, int64_t switch_epoch, double beta0, double beta1,
                                   DType dtype) {
  FULCRUM_CHECK(switch_epoch > 0, "DrwSchedule::two_stage: switch_epoch must be > 0, got " << switch_epoch);
  return DrwSchedule(std::move(counts), {.betas = {{0, beta0}, {switch_epoch, beta1}}, .dtype = dtype});
}

double DrwSchedule::beta(int64_t epoch) const {
  FULCRUM_CHECK(epoch >= 0, "DrwSchedule: epoch must be >= 0, got " << epoch);
  double beta = options_.betas.front().second;
  for (const auto& [start, value] : options_.betas) {
    if (start <= epoch) beta = value;
  }
  return beta;
}

Tensor DrwSchedule::weights(int64_t epoch) const {
  // Cui et al.'s class-balanced weights (1 − β) / (1 − β^{n_c}), normalised to Σ = C.
  return effective_number_class_weights(counts_, beta(epoch), {.dtype = options_.dtype});
}

}  // namespace fulcrum
