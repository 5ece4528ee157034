// nn/options.hpp — option types shared by several layers: IntOrPair, the "5 or (5, 3)" argument
// of Conv2d / MaxPool2d / AvgPool2d / AdaptiveAvgPool2d (PyTorch's _pair), and repr helpers
// that print booleans and pairs the way PyTorch's module repr does (numbers: core/repr.hpp).
#pragma once
#include <cstdint>
#include <string>

#include "core/repr.hpp"
#include "nn/functional.hpp"

namespace fulcrum::nn {

// `.kernel_size = 5` means 5×5, `.kernel_size = {5, 3}` means height 5, width 3.
struct IntOrPair {
  int64_t height = 0;
  int64_t width = 0;
  IntOrPair(int64_t both) : height(both), width(both) {}  // NOLINT: implicit by design
  IntOrPair(int64_t height_, int64_t width_) : height(height_), width(width_) {}
  F::Pair pair() const { return {height, width}; }
  bool operator==(const IntOrPair&) const = default;
  std::string str() const;  // "(5, 3)", as PyTorch prints a tuple
};

namespace detail {
using fulcrum::detail::repr_number;  // Python's repr of a float: 1e-05, 0.1, 1.0 (core/repr.hpp)
inline const char* repr_bool(bool value) { return value ? "True" : "False"; }
}  // namespace detail

}  // namespace fulcrum::nn
