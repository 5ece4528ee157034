// core/anomaly.hpp — anomaly detection (torch.autograd.set_detect_anomaly): while it is on, every
// op's output and every gradient a backward formula returns is checked for NaN and ±inf, and the
// first one found throws a fulcrum::Error naming the op (for a gradient: the backward node and
// the forward op that created it), the shapes and the first bad index. Off by default, and free
// when off: backend_for() tests one flag (core/cpu/cpu_backend.cpp). Also the non-finite search
// itself, and check_finite_loss for training loops. Implementation: anomaly.cpp; the backward
// check sits in autograd/engine.cpp.
#pragma once
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum {

struct Backend;
namespace detail {
inline std::atomic<bool> detect_anomaly_enabled{false};
}  // namespace detail

// The shapes named are those the kernel sees: the same as the op's, except that matmul runs
// batched ([M, K] @ [K, N] is reported as [1, M, K] @ [1, K, N]).
// Process-wide, like PyTorch's. Checking costs a pass over every output: a debugging tool.
void set_detect_anomaly(bool enabled);
inline bool is_anomaly_enabled() { return detail::detect_anomaly_enabled.load(std::memory_order_relaxed); }

// Turns the mode on (or off) for a scope and restores the previous setting (torch.autograd.detect_anomaly).
class DetectAnomalyGuard {
public:
  explicit DetectAnomalyGuard(bool enabled = true);
  ~DetectAnomalyGuard();
  DetectAnomalyGuard(const DetectAnomalyGuard&) = delete;
  DetectAnomalyGuard& operator=(const DetectAnomalyGuard&) = delete;

private:
  bool previous_;
};

// The first NaN or ±inf of a floating tensor in row-major order (integer tensors: never).
struct NonFinite {
  int64_t flat_index = 0;
  std::vector<int64_t> index;  // the same position, one coordinate per dim
  double value = 0.0;
};
std::optional<NonFinite> first_non_finite(const Tensor& tensor);
// "nan at index [0, 2] (element 2 of shape [2, 3])": for messages.
std::string describe(const NonFinite& bad, const Shape& shape);

// For training loops: throws when `loss` holds a NaN or ±inf, naming the epoch, the step, the
// value and (for a loss with several elements) its first bad index, and how to find the op that
// produced it:
//   "training diverged: the loss is nan at epoch 1, step 17 … set_detect_anomaly(true) …"
// epoch and step are printed as given (pass what your log shows).
void check_finite_loss(const Tensor& loss, int64_t epoch, int64_t step);

namespace detail {
// The backend that runs `inner`'s kernels and checks their outputs (anomaly.cpp).
Backend& anomaly_checking_backend(Backend& inner);
// While one exists on this thread, forward outputs are not checked: the engine runs backward
// formulas (written with forward ops) under it and checks the gradients they return itself.
class SuspendForwardChecks {
public:
  SuspendForwardChecks();
  ~SuspendForwardChecks();
  SuspendForwardChecks(const SuspendForwardChecks&) = delete;
  SuspendForwardChecks& operator=(const SuspendForwardChecks&) = delete;

private:
  bool previous_;
};
}  // namespace detail

}  // namespace fulcrum
