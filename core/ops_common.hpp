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

// While a backward formula runs, the index ops it calls (gather's backward is a scatter_add,
// index_select's too) get indices that their forward op already range-checked and saved under a
// version check: the engine sets this so they skip the host read of a second check.
struct IndicesAlreadyChecked {
  IndicesAlreadyChecked() : previous_(active) { active = true; }
  ~IndicesAlreadyChecked() { active = previous_; }
  IndicesAlreadyChecked(const IndicesAlreadyChecked&) = delete;
  IndicesAlreadyChecked& operator=(const IndicesAlreadyChecked&) = delete;
  static inline thread_local bool active = false;

private:
  bool previous_;
};

// A fresh contiguous output.
inline Tensor new_output(const Shape& shape, DType dtype, Device device) {
  return Tensor::empty(shape, dtype, device);
}

}  // namespace fulcrum::detail
