// core/ops_shape.cpp — views (reshape, permute, slice, expand: new shape/strides/offset over the
// same storage, no copy) and the copies (contiguous, clone, to_dtype, to_device; to_host, the
// host's one way to read values). Every one is differentiable; the derived shape helpers
// (transpose, squeeze, flatten …) are in ops_derived.cpp.
#include <algorithm>
#include <cstddef>
#include <numeric>
#include <optional>

#include "core/ops_common.hpp"
#include "core/profiler.hpp"

namespace fulcrum {
namespace {

// A view of x's storage with a new geometry; records `op` for autograd.
Tensor make_view(const Tensor& x, Shape shape, Shape strides, int64_t offset, OpKind op,
                 OpAttrs attrs) {
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = x.storage();
  impl->shape = std::move(shape);
  impl->strides = std::move(strides);
  impl->offset = offset;
  impl->dtype = x.dtype();
  Tensor out(std::move(impl));
  if (any_requires_grad({&x})) record(op, {&x}, out, std::move(attrs));
  return out;
}

// Replaces one -1 in `shape` by the size that keeps numel; checks the total.
Shape infer_shape(const char* op, const Shape& input, Shape shape) {
  int64_t known = 1, infer_at = -1;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == -1) {
      FULCRUM_CHECK(infer_at < 0, op << ": only one dimension can be -1, got " << shape_str(shape));
      infer_at = static_cast<int64_t>(d);
    } else {
      FULCRUM_CHECK(shape[d] >= 0, op << ": invalid size " << shape[d] << " in " << shape_str(shape));
      known *= shape[d];
    }
  }
  const int64_t total = numel(input);
  if (infer_at >= 0) {
    FULCRUM_CHECK(known != 0 && total % known == 0,
                  op << ": shape " << shape_str(shape) << " is invalid for input of size " << total
                     << " (shape " << shape_str(input) << ")");
    shape[infer_at] = total / known;
  }
  FULCRUM_CHECK(numel(shape) == total, op << ": shape " << shape_str(shape) << " is invalid for input of size "
                                          << total << " (shape " << shape_str(input) << ")");
  return shape;
}

}  // namespace

// The strides that let `shape` view memory laid out as (old_shape, old_strides), if any
// (PyTorch's computeStride). Dims of the old shape that are contiguous with each other form
// "chunks"; a view is possible when the new dims split/merge within chunks only.
std::optional<Shape> view_strides(const Shape& old_shape, const Shape& old_strides, const Shape& shape) {
  if (old_shape.empty() || numel(old_shape) == 0) return contiguous_strides(shape);
  Shape strides(shape.size());
  int64_t view_d = static_cast<int64_t>(shape.size()) - 1;
  int64_t chunk_base_stride = old_strides.back();
  int64_t tensor_numel = 1, view_numel = 1;
  for (int64_t tensor_d = static_cast<int64_t>(old_shape.size()) - 1; tensor_d >= 0; --tensor_d) {
    tensor_numel *= old_shape[tensor_d];
    const bool chunk_ends = tensor_d == 0 || (old_shape[tensor_d - 1] != 1 &&
                                              old_strides[tensor_d - 1] != tensor_numel * chunk_base_stride);
    if (!chunk_ends) continue;
    while (view_d >= 0 && (view_numel < tensor_numel || shape[view_d] == 1)) {
      strides[view_d] = view_numel * chunk_base_stride;
      view_numel *= shape[view_d];
      --view_d;
    }
    if (view_numel != tensor_numel) return std::nullopt;
    if (tensor_d > 0) {
      chunk_base_stride = old_strides[tensor_d - 1];
      tensor_numel = 1;
      view_numel = 1;
    }
  }
  if (view_d != -1) return std::nullopt;
  return strides;
}

Tensor view(const Tensor& x, const Shape& shape_in) {
  FULCRUM_CHECK(x.defined(), "view: the input tensor is undefined");
  Shape shape = infer_shape("view", x.shape(), shape_in);
  std::optional<Shape> strides = view_strides(x.shape(), x.strides(), shape);
  FULCRUM_CHECK(strides.has_value(), "view: the tensor (shape " << shape_str(x.shape()) << ", strides "
                                     << shape_str(x.strides()) << ") is not contiguous and shape "
                                     << shape_str(shape) << " cannot view its layout; use reshape(), "
                                     "which copies when it must");
  return make_view(x, shape, *strides, x.offset(), OpKind::reshape, {.shape = x.shape()});
}

// A view when the layout allows one (always for contiguous tensors), otherwise a copy.
Tensor reshape(const Tensor& x, const Shape& shape) {
  FULCRUM_CHECK(x.defined(), "reshape: the input tensor is undefined");
  Shape target = infer_shape("reshape", x.shape(), shape);
  if (std::optional<Shape> strides = view_strides(x.shape(), x.strides(), target)) {
    return make_view(x, target, *strides, x.offset(), OpKind::reshape, {.shape = x.shape()});
  }
  const Tensor dense = contiguous(x);
  return make_view(dense, target, contiguous_strides(target), dense.offset(), OpKind::reshape,
                   {.shape = x.shape()});
}

Tensor permute(const Tensor& x, const std::vector<int64_t>& dims_in) {
  FULCRUM_CHECK(x.defined(), "permute: the input tensor is undefined");
  FULCRUM_CHECK(static_cast<int64_t>(dims_in.size()) == x.dim(),
                "permute: " << dims_in.size() << " dims given for a tensor with " << x.dim()
                            << " dims (shape " << shape_str(x.shape()) << ")");
  std::vector<int64_t> dims;
  std::vector<bool> seen(x.dim(), false);
  for (int64_t d : dims_in) {
    d = normalize_dim("permute", d, x.dim());
    FULCRUM_CHECK(!seen[d], "permute: dim " << d << " repeated in " << shape_str(dims_in));
    seen[d] = true;
    dims.push_back(d);
  }
  Shape shape, strides;
  for (int64_t d : dims) {
    shape.push_back(x.size(d));
    strides.push_back(x.stride(d));
  }
  return make_view(x, shape, strides, x.offset(), OpKind::permute, {.dims = dims});
}

Tensor slice(const Tensor& x, int64_t dim, int64_t start, int64_t end, int64_t step) {
  FULCRUM_CHECK(x.defined(), "slice: the input tensor is undefined");
  FULCRUM_CHECK(x.dim() > 0, "slice: cannot slice a 0-d tensor");
  dim = normalize_dim("slice", dim, x.dim());
  FULCRUM_CHECK(step > 0, "slice: step must be positive, got " << step);
  const int64_t size = x.size(dim);
  // Python slicing: negative bounds count from the end, then clamp into [0, size].
  if (start < 0) start += size;
  if (end < 0) end += size;
  start = std::clamp<int64_t>(start, 0, size);
  end = std::clamp<int64_t>(end, start, size);
  Shape shape = x.shape(), strides = x.strides();
  shape[dim] = (end - start + step - 1) / step;
  strides[dim] *= step;
  return make_view(x, shape, strides, x.offset() + start * x.stride(dim), OpKind::slice,
                   {.dim = dim, .start = start, .end = end, .step = step, .shape = x.shape()});
}

Tensor expand(const Tensor& x, const Shape& shape_in) {
  FULCRUM_CHECK(x.defined(), "expand: the input tensor is undefined");
  const int64_t ndim = static_cast<int64_t>(shape_in.size());
  FULCRUM_CHECK(ndim >= x.dim(), "expand: the target " << shape_str(shape_in) << " has fewer dims than the "
                                                       << "tensor " << shape_str(x.shape()));
  Shape shape(ndim), strides(ndim);
  const int64_t lead = ndim - x.dim();  // new leading dims, stride 0
  for (int64_t d = 0; d < ndim; ++d) {
    const int64_t size = d < lead ? 1 : x.size(d - lead);
    const int64_t target = shape_in[d] == -1 ? size : shape_in[d];
    FULCRUM_CHECK(!(d < lead && shape_in[d] == -1), "expand: -1 is not allowed in a new leading dim ("
                                                      << shape_str(shape_in) << ")");
    FULCRUM_CHECK(size == target || size == 1,
                  "expand: the tensor " << shape_str(x.shape()) << " cannot expand to " << shape_str(shape_in)
                                        << " (dim " << d << ": " << size
                                        << " vs " << target << "; only size-1 dims can expand)");
    shape[d] = target;
    strides[d] = (d < lead || (size == 1 && target != 1)) ? 0 : x.stride(d - lead);
  }
  if (shape == x.shape()) return x;
  return make_view(x, shape, strides, x.offset(), OpKind::expand, {.shape = x.shape()});
}

// contiguous / clone / to_dtype: copy into a new row-major tensor (converting the dtype).
static Tensor copy_op(const Tensor& x, DType dtype, OpKind op) {
  Backend& backend = detail::backend_of(op_name(op), {&x});
  Tensor out = detail::new_output(x.shape(), dtype, x.device());
  backend.copy(x.detach(), out);
  const bool differentiable = is_floating(x.dtype()) && is_floating(dtype);
  if (differentiable && any_requires_grad({&x})) record(op, {&x}, out);
  return out;
}

Tensor contiguous(const Tensor& x) {
  FULCRUM_CHECK(x.defined(), "contiguous: the input tensor is undefined");
  return x.is_contiguous() ? x : copy_op(x, x.dtype(), OpKind::contiguous);
}
Tensor clone(const Tensor& x) {
  FULCRUM_CHECK(x.defined(), "clone: the input tensor is undefined");
  return copy_op(x, x.dtype(), OpKind::contiguous);
}
Tensor to_dtype(const Tensor& x, DType dtype) {
  FULCRUM_CHECK(x.defined(), "to: the input tensor is undefined");
  return x.dtype() == dtype ? x : copy_op(x, dtype, OpKind::to_dtype);
}

Tensor to_host(const Tensor& x) {
  FULCRUM_CHECK(x.defined(), "to_host: the input tensor is undefined");
  profiler::count_host_read();
  profiler::Scope scope([] { return std::string("to_host"); });
  return x.device().is_host() ? x.detach() : to_device(x.detach(), Device::cpu());
}

// to_device: the same values in a new contiguous tensor on `device` (the input itself when it
// is there already, as PyTorch). Bytes move through the Backends' host copies: from a host
// device straight into the target, to a host device straight out of the source, between two
// other devices through a host buffer. Differentiable: the gradient goes back to x's device.
Tensor to_device(const Tensor& x, Device device) {
  FULCRUM_CHECK(x.defined(), "to: the input tensor is undefined");
  if (x.device() == device) return x;
  Backend& target = backend_for(device);
  const Tensor source = contiguous(x.detach());
  Tensor out = detail::new_output(x.shape(), x.dtype(), device);
  const int64_t nbytes = x.numel() * static_cast<int64_t>(dtype_size(x.dtype()));
  if (x.device().is_host()) {
    target.copy_from_host(source.raw_data(), out.raw_data(), nbytes);
  } else if (device.is_host()) {
    backend_for(x.device()).copy_to_host(source.raw_data(), out.raw_data(), nbytes);
  } else {
    std::vector<std::byte> staging(static_cast<size_t>(nbytes));
    backend_for(x.device()).copy_to_host(source.raw_data(), staging.data(), nbytes);
    target.copy_from_host(staging.data(), out.raw_data(), nbytes);
  }
  if (is_floating(x.dtype()) && any_requires_grad({&x})) record(OpKind::to_device, {&x}, out);
  return out;
}

}  // namespace fulcrum
