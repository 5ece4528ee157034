// nn/optim/lr_scheduler.cpp — the closed forms of the schedules in lr_scheduler.hpp, and the
// stepping they share. PyTorch computes most schedules recursively (lr ← lr·gamma at a
// boundary); the closed forms here give the same values, are exact at any epoch, and compose.
#include "nn/optim/lr_scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "core/ops.hpp"

namespace fulcrum::optim {

LRScheduler::LRScheduler(Optimizer& optimizer) : optimizer_(optimizer) {
  for (size_t g = 0; g < optimizer.num_param_groups(); ++g) {
    base_lrs_.push_back(optimizer.initial_lr(g));
  }
}

void LRScheduler::step() { set_last_epoch(last_epoch_ + 1); }

nn::StateDict LRScheduler::state_dict() const {
  const Tensor base_lrs = from_data(base_lrs_, {static_cast<int64_t>(base_lrs_.size())});
  return {{"last_epoch", scalar_tensor(static_cast<double>(last_epoch_), {.dtype = DType::i64})}, {"base_lrs", base_lrs}};
}

void LRScheduler::load_state_dict(const nn::StateDict& state) {
  const auto last_epoch = state.find("last_epoch");
  const auto base_lrs = state.find("base_lrs");
  FULCRUM_CHECK(last_epoch != state.end() && base_lrs != state.end() && state.size() == 2,
                "lr_scheduler: load_state_dict: expected exactly the keys 'last_epoch' and 'base_lrs', got "
                << state.size() << " key(s)" << (state.empty() ? "" : ", the first '" + state.begin()->first + "'"));
  FULCRUM_CHECK(last_epoch->second.numel() == 1 && last_epoch->second.dtype() == DType::i64,
                "lr_scheduler: load_state_dict: 'last_epoch' must be one i64, got "
                << shape_str(last_epoch->second.shape()) << " " << last_epoch->second.dtype());
  FULCRUM_CHECK(base_lrs->second.shape() == Shape{static_cast<int64_t>(base_lrs_.size())} &&
                base_lrs->second.dtype() == DType::f64,
                "lr_scheduler: load_state_dict: 'base_lrs' is " << shape_str(base_lrs->second.shape()) << " "
                << base_lrs->second.dtype() << " but the optimiser has " << base_lrs_.size()
                << " parameter group(s), so expected [" << base_lrs_.size() << "] f64");
  base_lrs_ = base_lrs->second.to_vector<double>();
  set_last_epoch(last_epoch->second.item<int64_t>());
}

void LRScheduler::set_last_epoch(int64_t epoch) {
  FULCRUM_CHECK(epoch >= 0, "lr_scheduler: epoch " << epoch << " is negative");
  FULCRUM_CHECK(optimizer_.num_param_groups() == base_lrs_.size(),
                "lr_scheduler: the optimiser has " << optimizer_.num_param_groups()
                << " parameter groups but had " << base_lrs_.size()
                << " when the scheduler was made; make the scheduler after add_param_group");
  last_epoch_ = epoch;
  last_lr_.clear();
  for (size_t g = 0; g < base_lrs_.size(); ++g) {
    last_lr_.push_back(lr_at(epoch, base_lrs_[g]));
    optimizer_.set_lr(g, last_lr_.back());
  }
}

// ---- StepLR ----
StepLR::StepLR(Optimizer& optimizer, StepLROptions options) : LRScheduler(optimizer), options_(options) {
  FULCRUM_CHECK(options.step_size > 0, "StepLR: step_size must be positive, got " << options.step_size);
  apply_initial();
}
double StepLR::lr_at(int64_t epoch, double base_lr) const {
  return base_lr * std::pow(options_.gamma, static_cast<double>(epoch / options_.step_size));
}

// ---- MultiStepLR ----
MultiStepLR::MultiStepLR(Optimizer& optimizer, MultiStepLROptions options)
    : LRScheduler(optimizer), options_(std::move(options)) {
  for (int64_t milestone : options_.milestones) {
    FULCRUM_CHECK(milestone >= 0, "MultiStepLR: milestone " << milestone << " is negative");
  }
  std::sort(options_.milestones.begin(), options_.milestones.end());
  apply_initial();
}
double MultiStepLR::lr_at(int64_t epoch, double base_lr) const {
  // bisect_right: how many milestones are ≤ epoch.
  const auto passed = std::upper_bound(options_.milestones.begin(), options_.milestones.end(), epoch) -
                      options_.milestones.begin();
  return base_lr * std::pow(options_.gamma, static_cast<double>(passed));
}

// ---- CosineAnnealingLR ----
CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, CosineAnnealingLROptions options)
    : LRScheduler(optimizer), options_(options) {
  FULCRUM_CHECK(options.T_max > 0, "CosineAnnealingLR: T_max must be positive, got " << options.T_max);
  apply_initial();
}
double CosineAnnealingLR::lr_at(int64_t epoch, double base_lr) const {
  const double phase = std::numbers::pi * static_cast<double>(epoch) / static_cast<double>(options_.T_max);
  return options_.eta_min + (base_lr - options_.eta_min) * (1.0 + std::cos(phase)) / 2.0;
}

// ---- LinearLR ----
LinearLR::LinearLR(Optimizer& optimizer, LinearLROptions options) : LRScheduler(optimizer), options_(options) {
  FULCRUM_CHECK(options.start_factor > 0.0 && options.start_factor <= 1.0,
                "LinearLR: start_factor must be in (0, 1], got " << options.start_factor);
  FULCRUM_CHECK(options.end_factor >= 0.0 && options.end_factor <= 1.0,
                "LinearLR: end_factor must be in [0, 1], got " << options.end_factor);
  FULCRUM_CHECK(options.total_iters > 0,
                "LinearLR: total_iters must be positive, got " << options.total_iters);
  apply_initial();
}
double LinearLR::lr_at(int64_t epoch, double base_lr) const {
  const double progress = static_cast<double>(std::min(epoch, options_.total_iters)) /
                          static_cast<double>(options_.total_iters);
  return base_lr * (options_.start_factor + (options_.end_factor - options_.start_factor) * progress);
}

// ---- LambdaLR ----
LambdaLR::LambdaLR(Optimizer& optimizer, std::function<double(int64_t)> lr_lambda)
    : LRScheduler(optimizer), lr_lambda_(std::move(lr_lambda)) {
  FULCRUM_CHECK(lr_lambda_ != nullptr, "LambdaLR: lr_lambda is empty");
  apply_initial();
}
double LambdaLR::lr_at(int64_t epoch, double base_lr) const { return base_lr * lr_lambda_(epoch); }

// ---- SequentialLR ----
SequentialLR::SequentialLR(Optimizer& optimizer, std::vector<std::shared_ptr<LRScheduler>> schedulers,
                           std::vector<int64_t> milestones)
    : LRScheduler(optimizer), schedulers_(std::move(schedulers)), milestones_(std::move(milestones)) {
  FULCRUM_CHECK(!schedulers_.empty(), "SequentialLR: expects at least one scheduler");
  FULCRUM_CHECK(milestones_.size() + 1 == schedulers_.size(),
                "SequentialLR: " << schedulers_.size() << " schedulers need "
                << schedulers_.size() - 1 << " milestones, got " << milestones_.size());
  for (size_t k = 0; k < schedulers_.size(); ++k) {
    FULCRUM_CHECK(schedulers_[k] != nullptr, "SequentialLR: scheduler " << k << " is null");
    FULCRUM_CHECK(&schedulers_[k]->optimizer() == &optimizer,
                  "SequentialLR: scheduler " << k << " belongs to a different optimiser");
  }
  for (size_t k = 0; k < milestones_.size(); ++k) {
    FULCRUM_CHECK(milestones_[k] > (k == 0 ? 0 : milestones_[k - 1]),
                  "SequentialLR: milestones must be positive and strictly increasing, got "
                  << milestones_[k] << " at index " << k);
  }
  apply_initial();  // the sub-schedulers' constructors set their own epoch 0; ours wins
}
double SequentialLR::lr_at(int64_t epoch, double base_lr) const {
  // Scheduler k runs on [milestones[k − 1], milestones[k]), at its own epoch − milestones[k − 1].
  const size_t k = static_cast<size_t>(std::upper_bound(milestones_.begin(), milestones_.end(), epoch) -
                                       milestones_.begin());
  const int64_t start = k == 0 ? 0 : milestones_[k - 1];
  return schedulers_[k]->lr_at(epoch - start, base_lr);
}

}  // namespace fulcrum::optim
