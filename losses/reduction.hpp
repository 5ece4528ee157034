// losses/reduction.hpp — Reduction (none | mean | sum), PyTorch's `reduction=` argument, shared by
// every loss in losses/, and reduce_losses(), the plain element-wise reduction most losses use,
// with an overload for losses whose mean has another denominator (weighted NLL: Σ of the target
// weights; class-balanced / focal target-weight means; GHM-C: the valid count; MFE: the present
// classes); the comment on each loss says which.
#pragma once
#include <ostream>

#include "core/ops.hpp"

namespace fulcrum {

enum class Reduction { none, mean, sum };

inline const char* reduction_name(Reduction reduction) {
  switch (reduction) {
    case Reduction::none: return "none";
    case Reduction::mean: return "mean";
    case Reduction::sum: return "sum";
  }
  return "?";
}
inline std::ostream& operator<<(std::ostream& os, Reduction reduction) {
  return os << reduction_name(reduction);
}

// none: the per-element losses as they are; sum: Σ; mean: Σ / numel (NaN for no elements, as
// PyTorch's mean of an empty tensor).
inline Tensor reduce_losses(const Tensor& losses, Reduction reduction) {
  switch (reduction) {
    case Reduction::none: return losses;
    case Reduction::sum: return sum(losses);
    case Reduction::mean: return sum(losses) / static_cast<double>(losses.numel());
  }
  return losses;
}

// The same, but mean: Σ / mean_denominator, a constant to autograd (0/0 = NaN when nothing counts).
inline Tensor reduce_losses(const Tensor& losses, Reduction reduction, double mean_denominator) {
  switch (reduction) {
    case Reduction::none: return losses;
    case Reduction::sum: return sum(losses);
    case Reduction::mean: return sum(losses) / mean_denominator;
  }
  return losses;
}

}  // namespace fulcrum
