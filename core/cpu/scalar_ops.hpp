// core/cpu/scalar_ops.hpp — the per-element math of every element-wise op as a tiny functor,
// shared by the reference and the fast kernels (so both compute exactly the same thing and
// differ only in how they walk memory). apply_unary / apply_binary dispatch op → functor once
// per tensor; the functor is then inlined into the loop: no per-element virtual call.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "core/op.hpp"

namespace fulcrum::cpu {

template <typename T> struct Neg { T operator()(T x) const { return static_cast<T>(-x); } };
template <typename T> struct Abs {
  T operator()(T x) const { return x < T(0) ? static_cast<T>(-x) : x; }
};
template <typename T> struct Exp { T operator()(T x) const { return std::exp(x); } };
template <typename T> struct Log { T operator()(T x) const { return std::log(x); } };
template <typename T> struct Log1p { T operator()(T x) const { return std::log1p(x); } };
template <typename T> struct Sqrt { T operator()(T x) const { return std::sqrt(x); } };
template <typename T> struct Relu { T operator()(T x) const { return x > T(0) ? x : T(0); } };
// σ(x) evaluated so that exp never overflows: for x < 0 use e^x / (1 + e^x).
template <typename T> struct Sigmoid {
  T operator()(T x) const {
    if (x >= T(0)) return T(1) / (T(1) + std::exp(-x));
    T e = std::exp(x);
    return e / (T(1) + e);
  }
};
template <typename T> struct Tanh { T operator()(T x) const { return std::tanh(x); } };
template <typename T> struct Erf { T operator()(T x) const { return std::erf(x); } };
// softplus(x) = log(1 + e^{βx}) / β, and x itself once βx > threshold (PyTorch's rule).
template <typename T> struct Softplus {
  T beta, threshold;
  T operator()(T x) const {
    T bx = beta * x;
    if (bx > threshold) return x;
    // log(1 + e^{bx}) = max(bx, 0) + log1p(e^{-|bx|}) never overflows.
    return (std::max(bx, T(0)) + std::log1p(std::exp(-std::abs(bx)))) / beta;
  }
};
template <typename T> struct PowScalar {
  T exponent;
  T operator()(T x) const {
    if (exponent == T(2)) return x * x;
    if (exponent == T(1)) return x;
    return std::pow(x, exponent);
  }
};
template <typename T> struct Clamp {
  T lo, hi;
  T operator()(T x) const { return x < lo ? lo : (x > hi ? hi : x); }
};

template <typename T> struct Add { T operator()(T a, T b) const { return static_cast<T>(a + b); } };
template <typename T> struct Sub { T operator()(T a, T b) const { return static_cast<T>(a - b); } };
template <typename T> struct Mul { T operator()(T a, T b) const { return static_cast<T>(a * b); } };
template <typename T> struct Div { T operator()(T a, T b) const { return a / b; } };
template <typename T> struct PowTensor { T operator()(T a, T b) const { return std::pow(a, b); } };
// NaN propagates, as in PyTorch's maximum/minimum.
template <typename T> struct Maximum {
  T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) { if (std::isnan(a) || std::isnan(b)) return a + b; }
    return a > b ? a : b;
  }
};
template <typename T> struct Minimum {
  T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) { if (std::isnan(a) || std::isnan(b)) return a + b; }
    return a < b ? a : b;
  }
};
// threshold_backward(grad, self): relu's gradient, 0 where self ≤ 0 (also at
// the kink, as PyTorch). One pass instead of a comparison, a mask and a where.
template <typename T> struct ThresholdBackward {
  T operator()(T grad, T self) const { return self <= T(0) ? T(0) : grad; }  // NaN self keeps grad
};
template <typename T> struct Eq { uint8_t operator()(T a, T b) const { return a == b; } };
template <typename T> struct Ne { uint8_t operator()(T a, T b) const { return a != b; } };
template <typename T> struct Lt { uint8_t operator()(T a, T b) const { return a < b; } };
template <typename T> struct Le { uint8_t operator()(T a, T b) const { return a <= b; } };
template <typename T> struct Gt { uint8_t operator()(T a, T b) const { return a > b; } };
template <typename T> struct Ge { uint8_t operator()(T a, T b) const { return a >= b; } };

// A clamp bound in T: floats keep ±inf (so clamp(inf, max=0) = 0 and clamp(-inf, max=0) = -inf);
// integers saturate at their range (without the undefined cast of 2^63 to int64).
template <typename T> T clamp_bound(double bound) {
  if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(bound);
  } else {
    if (bound <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
    if (bound >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
    return static_cast<T>(bound);
  }
}

// Calls loop(functor) with the functor for `op` (element type T). Ops that make no sense for
// integers (exp, log, …) are rejected by the op front-end before a kernel is reached.
template <typename T, typename Loop>
void apply_unary(OpKind op, const OpAttrs& attrs, Loop&& loop) {
  switch (op) {
    case OpKind::neg: return loop(Neg<T>{});
    case OpKind::abs: return loop(Abs<T>{});
    case OpKind::relu: return loop(Relu<T>{});
    case OpKind::clamp: return loop(Clamp<T>{clamp_bound<T>(attrs.scalar), clamp_bound<T>(attrs.scalar2)});
    default: break;
  }
  if constexpr (std::is_floating_point_v<T>) {
    switch (op) {
      case OpKind::exp: return loop(Exp<T>{});
      case OpKind::log: return loop(Log<T>{});
      case OpKind::log1p: return loop(Log1p<T>{});
      case OpKind::sqrt: return loop(Sqrt<T>{});
      case OpKind::sigmoid: return loop(Sigmoid<T>{});
      case OpKind::tanh: return loop(Tanh<T>{});
      case OpKind::erf: return loop(Erf<T>{});
      case OpKind::softplus:
        return loop(Softplus<T>{static_cast<T>(attrs.scalar), static_cast<T>(attrs.scalar2)});
      case OpKind::pow: return loop(PowScalar<T>{static_cast<T>(attrs.scalar)});
      default: break;
    }
  }
  FULCRUM_FAIL("cpu unary kernel: op " << op_name(op) << " not supported for this dtype");
}

// Arithmetic ops: the output has the inputs' dtype.
template <typename T, typename Loop> void apply_arithmetic(OpKind op, Loop&& loop) {
  switch (op) {
    case OpKind::add: return loop(Add<T>{});
    case OpKind::sub: return loop(Sub<T>{});
    case OpKind::mul: return loop(Mul<T>{});
    case OpKind::maximum: return loop(Maximum<T>{});
    case OpKind::minimum: return loop(Minimum<T>{});
    case OpKind::threshold_backward: return loop(ThresholdBackward<T>{});
    default: break;
  }
  if constexpr (std::is_floating_point_v<T>) {
    switch (op) {
      case OpKind::div: return loop(Div<T>{});
      case OpKind::pow_tensor: return loop(PowTensor<T>{});
      default: break;
    }
  }
  FULCRUM_FAIL("cpu binary kernel: op " << op_name(op) << " not supported for this dtype");
}

// Comparisons: the output is u8.
template <typename T, typename Loop> void apply_comparison(OpKind op, Loop&& loop) {
  switch (op) {
    case OpKind::eq: return loop(Eq<T>{});
    case OpKind::ne: return loop(Ne<T>{});
    case OpKind::lt: return loop(Lt<T>{});
    case OpKind::le: return loop(Le<T>{});
    case OpKind::gt: return loop(Gt<T>{});
    case OpKind::ge: return loop(Ge<T>{});
    default: FULCRUM_FAIL("cpu comparison kernel: op " << op_name(op) << " is not a comparison");
  }
}

inline bool is_comparison(OpKind op) {
  return op == OpKind::eq || op == OpKind::ne || op == OpKind::lt || op == OpKind::le ||
         op == OpKind::gt || op == OpKind::ge;
}

}  // namespace fulcrum::cpu
