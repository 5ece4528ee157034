// core/ops_reduce.cpp — front-ends of sum, max, min, argmax, argmin: normalise the dims,
// compute the keepdim shape, run the kernel, drop the reduced dims unless keepdim.
#include <algorithm>

#include "core/ops_common.hpp"

namespace fulcrum {
namespace {

Shape kept_shape(const Shape& shape, const std::vector<int64_t>& dims, bool keepdim) {
  Shape result;
  for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d) {
    const bool reduced = std::find(dims.begin(), dims.end(), d) != dims.end();
    if (!reduced) result.push_back(shape[d]);
    else if (keepdim) result.push_back(1);
  }
  return result;
}

// Runs a reduction; `out_dtype` is the result's dtype.
Tensor reduce_op(OpKind op, const Tensor& x, const std::vector<int64_t>& dims_in, bool keepdim,
                 DType out_dtype) {
  Backend& backend = detail::backend_of(op_name(op), {&x});
  // A 0-d tensor accepts dim 0 / -1 (as in PyTorch) but has nothing to reduce.
  std::vector<int64_t> dims = normalize_dims(op_name(op), dims_in, x.dim());
  if (x.dim() == 0) dims.clear();
  if (op != OpKind::sum) {
    for (int64_t d : dims) {
      FULCRUM_CHECK(x.size(d) > 0, op_name(op) << ": cannot reduce over dim " << d << " of size 0 (shape "
                                               << shape_str(x.shape()) << "); the result is undefined");
    }
    FULCRUM_CHECK(x.numel() > 0 || !dims.empty(), op_name(op) << ": empty tensor");
  }
  Tensor out = detail::new_output(kept_shape(x.shape(), dims, true), out_dtype, x.device());
  if (dims.empty()) {  // a 0-d tensor: nothing to reduce
    backend.copy(op == OpKind::argmax || op == OpKind::argmin ? zeros({}, {.dtype = DType::i64}) : x, out);
  } else {
    backend.reduce(op, x.detach(), dims, out);
  }
  if (!keepdim) out = out.detach().reshape(kept_shape(x.shape(), dims, false));
  if ((op == OpKind::sum || op == OpKind::max || op == OpKind::min) && any_requires_grad({&x})) {
    auto node = record(op, {&x}, out, {.dims = dims, .keepdim = keepdim});
    if (op != OpKind::sum) {
      node->save(x);
      node->save(out);
    }
  }
  return out;
}

}  // namespace

Tensor sum(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim) {
  FULCRUM_CHECK(x.defined(), "sum: the input tensor is undefined");
  return reduce_op(OpKind::sum, x, dims, keepdim, is_floating(x.dtype()) ? x.dtype() : DType::i64);
}
Tensor max(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim) {
  FULCRUM_CHECK(x.defined(), "max: the input tensor is undefined");
  return reduce_op(OpKind::max, x, dims, keepdim, x.dtype());
}
Tensor min(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim) {
  FULCRUM_CHECK(x.defined(), "min: the input tensor is undefined");
  return reduce_op(OpKind::min, x, dims, keepdim, x.dtype());
}

namespace {
Tensor arg_op(OpKind op, const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
  FULCRUM_CHECK(x.defined(), op_name(op) << ": the input tensor is undefined");
  if (!dim) {  // over the flattened tensor, like PyTorch's argmax(x)
    Tensor flat = x.detach().reshape({-1});
    Tensor result = reduce_op(op, flat, {0}, false, DType::i64);
    return keepdim ? result.reshape(Shape(x.dim(), 1)) : result;
  }
  return reduce_op(op, x, {*dim}, keepdim, DType::i64);
}
}  // namespace

Tensor argmax(const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
  return arg_op(OpKind::argmax, x, dim, keepdim);
}
Tensor argmin(const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
  return arg_op(OpKind::argmin, x, dim, keepdim);
}

}  // namespace fulcrum
