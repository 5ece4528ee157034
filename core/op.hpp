// core/op.hpp — OpKind (generated from op_list.def), the op name table, and OpAttrs: the
// non-tensor arguments of an op (dims, scalars, shapes) that the kernels and the backward need.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/dtype.hpp"
#include "core/geometry.hpp"
#include "core/shape.hpp"

namespace fulcrum {

enum class OpKind : uint8_t {
#define FULCRUM_OP(kind, arity, differentiable) kind,
#include "core/op_list.def"
#undef FULCRUM_OP
};

struct OpInfo {
  OpKind kind;
  const char* name;
  int arity;  // -1: any number of inputs
  bool differentiable;
};

inline constexpr std::array kOpInfos = {
#define FULCRUM_OP(kind, arity, differentiable) OpInfo{OpKind::kind, #kind, arity, differentiable},
#include "core/op_list.def"
#undef FULCRUM_OP
};

inline const char* op_name(OpKind kind) { return kOpInfos[static_cast<size_t>(kind)].name; }

// The name PyTorch prints for a tensor's grad_fn, "MulBackward" (Node::name). Declared here, on
// the op table core already includes, so core (print.cpp) can ask the tape for it through this
// one function instead of including autograd/node.hpp; defined in autograd/node.cpp.
struct Node;
std::string grad_fn_name(const Node& node);

// The non-tensor arguments of one op call. Each op uses the fields it needs and says which.
struct OpAttrs {
  double scalar = 0.0;           // pow: exponent; clamp: lo; softplus: beta
  double scalar2 = 0.0;          // clamp: hi; softplus: threshold
  std::vector<int64_t> dims = {};  // reductions: reduced dims (normalised); permute: the order
  bool keepdim = false;          // reductions
  int64_t dim = 0;               // softmax, index ops, cat, slice
  int64_t start = 0, end = 0, step = 1;  // slice
  Shape shape = {};              // reshape / expand: the input shape (for backward)
  std::vector<int64_t> sizes = {};  // cat: the size of each input along dim
  Conv2dGeometry conv = {};      // conv2d
  Pool2dGeometry pool = {};      // max_pool2d / avg_pool2d
};

}  // namespace fulcrum
