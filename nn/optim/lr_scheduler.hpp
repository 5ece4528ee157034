// nn/optim/lr_scheduler.hpp — learning-rate schedules, as torch.optim.lr_scheduler: StepLR,
// MultiStepLR, CosineAnnealingLR, LinearLR (linear warm-up; alias LinearWarmup), LambdaLR and
// SequentialLR (one schedule after another, e.g. warm-up then cosine). Every schedule is a
// closed form lr(epoch, base_lr), applied to each group from its initial lr; call step() once
// per epoch, after the epoch's optimizer steps. Formulas: lr_scheduler.cpp.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "nn/optim/optimizer.hpp"

namespace fulcrum::optim {

class LRScheduler {
public:
  virtual ~LRScheduler() = default;
  LRScheduler(const LRScheduler&) = delete;
  LRScheduler& operator=(const LRScheduler&) = delete;

  // last_epoch += 1, then every group's lr = lr_at(last_epoch, its initial lr).
  void step();
  // The lrs the last step (or the constructor) set, one per group.
  const std::vector<double>& get_last_lr() const { return last_lr_; }
  int64_t last_epoch() const { return last_epoch_; }
  // Jump to `epoch` (e.g. when resuming from a checkpoint) and apply its lr.
  void set_last_epoch(int64_t epoch);
  // For resuming (torch's scheduler.state_dict()): "last_epoch" (0-d i64) and "base_lrs" ([groups]
  // f64). The schedule itself is code, not state: rebuild it with the same options, then load;
  // loading sets the base lrs and applies the lr of last_epoch to the optimiser.
  nn::StateDict state_dict() const;
  void load_state_dict(const nn::StateDict& state);
  // The schedule itself: the lr at `epoch` (0 = before the first step) for a group whose
  // initial lr is base_lr. Pure, so schedules compose (SequentialLR).
  virtual double lr_at(int64_t epoch, double base_lr) const = 0;
  Optimizer& optimizer() const { return optimizer_; }

protected:
  // Records each group's initial lr (the optimiser's first-seen lr, as PyTorch's initial_lr).
  // Subclasses call apply_initial() at the end of their constructor: epoch 0 is applied then.
  explicit LRScheduler(Optimizer& optimizer);
  void apply_initial() { set_last_epoch(0); }

private:
  Optimizer& optimizer_;
  std::vector<double> base_lrs_;
  std::vector<double> last_lr_;
  int64_t last_epoch_ = 0;
};

// lr = base · gamma^⌊epoch / step_size⌋
struct StepLROptions {
  int64_t step_size;
  double gamma = 0.1;
};
class StepLR : public LRScheduler {
public:
  StepLR(Optimizer& optimizer, StepLROptions options);
  double lr_at(int64_t epoch, double base_lr) const override;

private:
  StepLROptions options_;
};

// lr = base · gamma^(number of milestones ≤ epoch); a milestone listed twice counts twice.
struct MultiStepLROptions {
  std::vector<int64_t> milestones;
  double gamma = 0.1;
};
class MultiStepLR : public LRScheduler {
public:
  MultiStepLR(Optimizer& optimizer, MultiStepLROptions options);
  double lr_at(int64_t epoch, double base_lr) const override;

private:
  MultiStepLROptions options_;
};

// lr = eta_min + (base − eta_min)·(1 + cos(π·epoch / T_max)) / 2   (SGDR without restarts)
struct CosineAnnealingLROptions {
  int64_t T_max;
  double eta_min = 0.0;
};
class CosineAnnealingLR : public LRScheduler {
public:
  CosineAnnealingLR(Optimizer& optimizer, CosineAnnealingLROptions options);
  double lr_at(int64_t epoch, double base_lr) const override;

private:
  CosineAnnealingLROptions options_;
};

// lr = base · (start + (end − start)·min(epoch, total_iters) / total_iters): a linear warm-up
// from start_factor·base to end_factor·base over total_iters epochs, then constant.
struct LinearLROptions {
  double start_factor = 1.0 / 3.0;
  double end_factor = 1.0;
  int64_t total_iters = 5;
};
class LinearLR : public LRScheduler {
public:
  LinearLR(Optimizer& optimizer, LinearLROptions options);
  double lr_at(int64_t epoch, double base_lr) const override;

private:
  LinearLROptions options_;
};
using LinearWarmup = LinearLR;  // the name the training scripts use for it

// lr = base · factor(epoch), for schedules written as a function (PyTorch's LambdaLR), e.g. the
// LDAM-DRW warm-up + steps (docs/LOSSES.md §6):
//   [](int64_t e) { return e < 5 ? (e + 1) / 5.0 : e < 160 ? 1.0 : e < 180 ? 0.01 : 1e-4; }
class LambdaLR : public LRScheduler {
public:
  LambdaLR(Optimizer& optimizer, std::function<double(int64_t epoch)> lr_lambda);
  double lr_at(int64_t epoch, double base_lr) const override;

private:
  std::function<double(int64_t)> lr_lambda_;
};

// schedulers[k] runs from milestones[k − 1] on, restarted at its own epoch 0 there:
// warm-up for 5 epochs then cosine over the remaining 195:
//   auto warmup = std::make_shared<LinearLR>(opt, LinearLROptions{.start_factor = 0.2, .total_iters = 5});
//   auto cosine = std::make_shared<CosineAnnealingLR>(opt, CosineAnnealingLROptions{.T_max = 195});
//   SequentialLR schedule(opt, {warmup, cosine}, {5});
class SequentialLR : public LRScheduler {
public:
  SequentialLR(Optimizer& optimizer, std::vector<std::shared_ptr<LRScheduler>> schedulers,
               std::vector<int64_t> milestones);
  double lr_at(int64_t epoch, double base_lr) const override;

private:
  std::vector<std::shared_ptr<LRScheduler>> schedulers_;
  std::vector<int64_t> milestones_;
};

}  // namespace fulcrum::optim
