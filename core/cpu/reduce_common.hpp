// core/cpu/reduce_common.hpp — what a reduction accumulates, shared by the reference and fast
// reduce kernels: the accumulator type (double for floats, int64 for integers, as PyTorch sums
// u8/i64 into i64), and NaN-propagating max/min/arg comparisons.
#pragma once
#include <cmath>
#include <cstdint>
#include <type_traits>

namespace fulcrum::cpu {

template <typename T>
using SumAccumulator = std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;
template <typename T>
using SumOutput = std::conditional_t<std::is_floating_point_v<T>, T, int64_t>;

// True if `candidate` should replace `best` in a max (want_max) or min search. A NaN wins
// (PyTorch propagates NaN through max/min/argmax); among equal values the first is kept.
template <typename T> inline bool better(T candidate, T best, bool want_max) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(best)) return false;
    if (std::isnan(candidate)) return true;
  }
  return want_max ? candidate > best : candidate < best;
}

}  // namespace fulcrum::cpu
