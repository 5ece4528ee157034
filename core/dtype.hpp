// core/dtype.hpp — the four element types (f32, f64, i64, u8), their sizes and names, and
// dispatch_float / dispatch_all, which turn a runtime DType into a compile-time C++ type for a kernel template.
// Kernels are instantiated only for the dtypes they support; anything else is a clear Error.
#pragma once
#include <cstdint>
#include <ostream>

#include "core/error.hpp"

namespace fulcrum {

enum class DType : uint8_t { f32, f64, i64, u8 };

constexpr int64_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::f32: return 4;
    case DType::f64: return 8;
    case DType::i64: return 8;
    case DType::u8: return 1;
  }
  return 0;
}
constexpr const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::f32: return "f32";
    case DType::f64: return "f64";
    case DType::i64: return "i64";
    case DType::u8: return "u8";
  }
  return "?";
}
constexpr bool is_floating(DType dtype) { return dtype == DType::f32 || dtype == DType::f64; }
inline std::ostream& operator<<(std::ostream& os, DType dtype) { return os << dtype_name(dtype); }

// The C++ type of each DType, and back.
template <typename T> constexpr DType dtype_of();
template <> constexpr DType dtype_of<float>() { return DType::f32; }
template <> constexpr DType dtype_of<double>() { return DType::f64; }
template <> constexpr DType dtype_of<int64_t>() { return DType::i64; }
template <> constexpr DType dtype_of<uint8_t>() { return DType::u8; }

// dispatch_float(dtype, "exp", [&]<typename T>() { kernel<T>(...); });
// Calls the lambda with T = float or double; any other dtype throws naming the op.
template <typename F> decltype(auto) dispatch_float(DType dtype, const char* op, F&& fn) {
  switch (dtype) {
    case DType::f32: return fn.template operator()<float>();
    case DType::f64: return fn.template operator()<double>();
    default: break;
  }
  FULCRUM_FAIL(op << ": expected a floating tensor (f32 or f64), got " << dtype_name(dtype));
}

// Same, for every dtype (f32, f64, i64, u8).
template <typename F> decltype(auto) dispatch_all(DType dtype, const char* op, F&& fn) {
  switch (dtype) {
    case DType::f32: return fn.template operator()<float>();
    case DType::f64: return fn.template operator()<double>();
    case DType::i64: return fn.template operator()<int64_t>();
    case DType::u8: return fn.template operator()<uint8_t>();
  }
  FULCRUM_FAIL(op << ": unknown dtype");
}

}  // namespace fulcrum
