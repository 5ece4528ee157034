// core/ops_common.hpp — helpers shared by the op front-ends (ops_*.cpp), not part of the public
// API: argument checks that produce the standard error messages, and the backend lookup.
#pragma once
#include <initializer_list>

#include "autograd/node.hpp"
#include "core/backend.hpp"
#include "core/ops.hpp"

namespace fulcrum::detail {

// All tensors defined and on one device; returns that device's backend.
// Error: "add: tensors are on cpu and cuda:0".
Backend& backend_of(const char* op, std::initializer_list<const Tensor*> tensors);
// "add: dtypes f32 and f64 differ; convert one with .to(...) (no implicit promotion)".
void check_same_dtype(const char* op, const Tensor& a, const Tensor& b);
void check_floating(const char* op, const Tensor& x);
// "transpose: the input tensor is undefined".
inline void check_defined(const char* op, const Tensor& x) {
  FULCRUM_CHECK(x.defined(), op << ": the input tensor is undefined (default-constructed Tensor)");
}
void check_dtype(const char* op, const char* what, const Tensor& x, DType expected);

// A fresh contiguous output.
inline Tensor new_output(const Shape& shape, DType dtype, Device device) {
  return Tensor::empty(shape, dtype, device);
}

}  // namespace fulcrum::detail
