// core/tensor.cpp — the Tensor handle: accessors, element access, the autograd fields and the
// member shorthands that forward to ops.hpp. In-place ops live here too, since they are
// methods in PyTorch (x.add_(y)) and must bump the storage version that autograd checks.
#include "core/tensor.hpp"

#include <algorithm>

#include "autograd/engine.hpp"
#include "autograd/node.hpp"
#include "core/backend.hpp"
#include "core/ops.hpp"

namespace fulcrum {

Tensor Tensor::empty(const Shape& shape, DType dtype, Device device) {
  // The sizes times the element size must fit in int64 — with zeros counted as 1, since the
  // strides multiply the other sizes anyway: a file's header can promise [0, 2^32, 2^32, 2^32].
  int64_t bytes = static_cast<int64_t>(dtype_size(dtype));
  for (int64_t size : shape) {
    FULCRUM_CHECK(size >= 0, "empty: negative size in shape " << shape_str(shape));
    FULCRUM_CHECK(!__builtin_mul_overflow(bytes, std::max<int64_t>(size, 1), &bytes),
                  "empty: shape " << shape_str(shape) << " needs more than 2^63 bytes");
  }
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = Storage::allocate(fulcrum::numel(shape) * dtype_size(dtype), device);
  impl->shape = shape;
  impl->strides = contiguous_strides(shape);
  impl->dtype = dtype;
  return Tensor(std::move(impl));
}

TensorImpl& Tensor::checked_impl(const char* what) const {
  FULCRUM_CHECK(impl_ != nullptr, what << ": the tensor is undefined (default-constructed, or a "
                                          "gradient that was never computed)");
  return *impl_;
}

const Shape& Tensor::shape() const { return checked_impl("shape").shape; }
int64_t Tensor::size(int64_t d) const {
  FULCRUM_CHECK(dim() > 0, "size: dim " << d << " out of range for a tensor with 0 dims (a 0-d tensor has no dims)");
  return shape()[normalize_dim("size", d, dim())];
}
const Shape& Tensor::strides() const { return checked_impl("strides").strides; }
int64_t Tensor::stride(int64_t d) const {
  FULCRUM_CHECK(dim() > 0, "stride: dim " << d << " out of range for a tensor with 0 dims (a 0-d tensor has no dims)");
  return strides()[normalize_dim("stride", d, dim())];
}
int64_t Tensor::offset() const { return checked_impl("offset").offset; }
int64_t Tensor::numel() const { return fulcrum::numel(shape()); }
DType Tensor::dtype() const { return checked_impl("dtype").dtype; }
Device Tensor::device() const { return checked_impl("device").storage->device; }
const std::shared_ptr<Storage>& Tensor::storage() const { return checked_impl("storage").storage; }

bool Tensor::is_contiguous() const {
  const TensorImpl& t = checked_impl("is_contiguous");
  if (fulcrum::numel(t.shape) == 0) return true;  // nothing to lay out (PyTorch agrees)
  int64_t expected = 1;
  for (int64_t d = static_cast<int64_t>(t.shape.size()) - 1; d >= 0; --d) {
    if (t.shape[d] == 1) continue;  // the stride of a size-1 dim never matters
    if (t.strides[d] != expected) return false;
    expected *= t.shape[d];
  }
  return true;
}

void* Tensor::raw_data() const {
  const TensorImpl& t = checked_impl("data_ptr");
  return static_cast<std::byte*>(t.storage->data) + t.offset * dtype_size(t.dtype);
}

template <typename T> T* Tensor::data_ptr() const {
  FULCRUM_CHECK(dtype() == dtype_of<T>(), "data_ptr: the tensor is " << dtype() << ", asked for "
                                                                     << dtype_of<T>());
  return static_cast<T*>(raw_data());
}
template float* Tensor::data_ptr<float>() const;
template double* Tensor::data_ptr<double>() const;
template int64_t* Tensor::data_ptr<int64_t>() const;
template uint8_t* Tensor::data_ptr<uint8_t>() const;

double Tensor::at(const std::vector<int64_t>& index) const {
  checked_impl("at");
  FULCRUM_CHECK(static_cast<int64_t>(index.size()) == dim(),
                "at: " << index.size() << " indices for a tensor with " << dim() << " dims");
  Tensor element = detach();  // narrowed to the one element, so a device copies only it
  for (int64_t d = 0; d < dim(); ++d) {
    const int64_t i = index[d] < 0 ? index[d] + size(d) : index[d];
    FULCRUM_CHECK(i >= 0 && i < size(d), "at: index " << index[d] << " out of range for dim " << d
                                                      << " of size " << size(d));
    element = element.narrow(d, i, 1);
  }
  const Tensor host = to_host(element);
  return dispatch_all(dtype(), "at", [&]<typename T>() { return static_cast<double>(host.data_ptr<T>()[0]); });
}
double Tensor::at(std::initializer_list<int64_t> index) const {
  return at(std::vector<int64_t>(index));
}

template <typename T> std::vector<T> Tensor::to_vector() const {
  Tensor dense = to_host(detach()).to(dtype_of<T>()).contiguous();
  const T* data = dense.data_ptr<T>();
  return std::vector<T>(data, data + dense.numel());
}
template std::vector<double> Tensor::to_vector<double>() const;
template std::vector<float> Tensor::to_vector<float>() const;
template std::vector<int64_t> Tensor::to_vector<int64_t>() const;
template std::vector<uint8_t> Tensor::to_vector<uint8_t>() const;

template <typename T> T Tensor::item() const {
  checked_impl("item");
  FULCRUM_CHECK(numel() == 1, "item: the tensor has " << numel() << " elements, shape "
                                                      << shape_str(shape()) << "; expected exactly one");
  // Read in the tensor's own type, then converted once: item<int64_t>() of an i64 is exact
  // (going through double, as at() does, would round 2^62 + 1).
  const Tensor host = to_host(*this);
  return dispatch_all(dtype(), "item", [&]<typename S>() { return static_cast<T>(host.data_ptr<S>()[0]); });
}
template double Tensor::item<double>() const;
template float Tensor::item<float>() const;
template int64_t Tensor::item<int64_t>() const;
template uint8_t Tensor::item<uint8_t>() const;

// ---- autograd ----
bool Tensor::requires_grad() const { return checked_impl("requires_grad").requires_grad; }

Tensor& Tensor::set_requires_grad(bool value) {
  TensorImpl& t = checked_impl("requires_grad_");
  FULCRUM_CHECK(t.grad_fn == nullptr, "requires_grad_: only leaf tensors can change requires_grad; "
                                      "this one is the output of " << op_name(t.grad_fn->op)
                                      << " (use detach() to make a leaf)");
  FULCRUM_CHECK(!value || is_floating(t.dtype), "requires_grad_: only floating tensors can require "
                                                "gradients, this one is " << t.dtype);
  t.requires_grad = value;
  return *this;
}

bool Tensor::is_leaf() const { return checked_impl("is_leaf").grad_fn == nullptr; }
const Tensor& Tensor::grad() const { return checked_impl("grad").grad; }
void Tensor::set_grad(const Tensor& grad) const {
  if (grad.defined()) {
    FULCRUM_CHECK(grad.shape() == shape() && grad.dtype() == dtype(),
                  "set_grad: gradient " << shape_str(grad.shape()) << " " << grad.dtype()
                  << " does not match the tensor " << shape_str(shape()) << " " << dtype());
  }
  checked_impl("set_grad").grad = grad;
}
const std::shared_ptr<Node>& Tensor::grad_fn() const { return checked_impl("grad_fn").grad_fn; }

void Tensor::retain_grad() const {
  TensorImpl& t = checked_impl("retain_grad");
  FULCRUM_CHECK(t.requires_grad, "retain_grad: the tensor does not require grad");
  t.retains_grad = true;
}

void Tensor::backward(const Tensor& gradient, bool retain_graph) const {
  fulcrum::backward(*this, gradient, retain_graph);
}

Tensor Tensor::detach() const {
  const TensorImpl& t = checked_impl("detach");
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = t.storage;
  impl->shape = t.shape;
  impl->strides = t.strides;
  impl->offset = t.offset;
  impl->dtype = t.dtype;
  return Tensor(std::move(impl));
}

// ---- member shorthands ----
Tensor Tensor::view(const Shape& s) const { return fulcrum::view(*this, s); }
Tensor Tensor::reshape(const Shape& s) const { return fulcrum::reshape(*this, s); }
Tensor Tensor::permute(const std::vector<int64_t>& dims) const { return fulcrum::permute(*this, dims); }
Tensor Tensor::transpose(int64_t d0, int64_t d1) const { return fulcrum::transpose(*this, d0, d1); }
Tensor Tensor::t() const {
  FULCRUM_CHECK(dim() <= 2, "t: expects a tensor with ≤ 2 dims, got " << shape_str(shape())
                                                                      << " (use transpose)");
  return dim() < 2 ? *this : transpose(0, 1);
}
Tensor Tensor::slice(int64_t d, int64_t start, int64_t end, int64_t step) const {
  return fulcrum::slice(*this, d, start, end, step);
}
Tensor Tensor::narrow(int64_t d, int64_t start, int64_t length) const {
  return fulcrum::narrow(*this, d, start, length);
}
Tensor Tensor::select(int64_t d, int64_t index) const { return fulcrum::select(*this, d, index); }
Tensor Tensor::expand(const Shape& s) const { return fulcrum::expand(*this, s); }
Tensor Tensor::squeeze() const { return fulcrum::squeeze(*this); }
Tensor Tensor::squeeze(int64_t d) const { return fulcrum::squeeze(*this, d); }
Tensor Tensor::unsqueeze(int64_t d) const { return fulcrum::unsqueeze(*this, d); }
Tensor Tensor::flatten(int64_t start, int64_t end) const { return fulcrum::flatten(*this, start, end); }
Tensor Tensor::contiguous() const { return fulcrum::contiguous(*this); }
Tensor Tensor::clone() const { return fulcrum::clone(*this); }
Tensor Tensor::to(DType d) const { return fulcrum::to_dtype(*this, d); }
Tensor Tensor::to(Device d) const { return fulcrum::to_device(*this, d); }
Tensor Tensor::sum() const { return fulcrum::sum(*this); }
Tensor Tensor::sum(int64_t d, bool keepdim) const { return fulcrum::sum(*this, {d}, keepdim); }
Tensor Tensor::mean() const { return fulcrum::mean(*this); }
Tensor Tensor::mean(int64_t d, bool keepdim) const { return fulcrum::mean(*this, {d}, keepdim); }
Tensor Tensor::max() const { return fulcrum::max(*this); }
Tensor Tensor::max(int64_t d, bool keepdim) const { return fulcrum::max(*this, {d}, keepdim); }
Tensor Tensor::min() const { return fulcrum::min(*this); }
Tensor Tensor::argmax() const { return fulcrum::argmax(*this); }
Tensor Tensor::argmax(int64_t d, bool keepdim) const { return fulcrum::argmax(*this, d, keepdim); }
Tensor Tensor::exp() const { return fulcrum::exp(*this); }
Tensor Tensor::log() const { return fulcrum::log(*this); }
Tensor Tensor::pow(double e) const { return fulcrum::pow(*this, e); }
Tensor Tensor::relu() const { return fulcrum::relu(*this); }
Tensor Tensor::sigmoid() const { return fulcrum::sigmoid(*this); }
Tensor Tensor::tanh() const { return fulcrum::tanh(*this); }
Tensor Tensor::abs() const { return fulcrum::abs(*this); }
Tensor Tensor::sqrt() const { return fulcrum::sqrt(*this); }
Tensor Tensor::matmul(const Tensor& other) const { return fulcrum::matmul(*this, other); }

// ---- in place ----
namespace {
// PyTorch's rule: a leaf that requires grad cannot be modified in place while grad mode is on
// (the modification would be invisible to autograd). Under NoGradGuard it is allowed (SGD).
void check_in_place(const Tensor& t, const char* op) {
  FULCRUM_CHECK(!(t.requires_grad() && grad_mode_enabled()),
                op << ": in-place change of a tensor that requires grad, shape " << shape_str(t.shape())
                   << "; wrap the update in NoGradGuard (as optimisers do) or use the "
                      "out-of-place op");
}
}  // namespace

const Tensor& Tensor::copy_(const Tensor& source) const {
  checked_impl("copy_");
  FULCRUM_CHECK(source.defined(), "copy_: the source tensor is undefined");
  check_in_place(*this, "copy_");
  FULCRUM_CHECK(source.device() == device(), "copy_: tensors are on " << source.device().str()
                                                                     << " and " << device().str());
  Shape target = broadcast_shapes("copy_", source.shape(), shape());
  FULCRUM_CHECK(target == shape(), "copy_: source " << shape_str(source.shape())
                                   << " cannot broadcast to the destination " << shape_str(shape()));
  backend_for(device()).copy(source.detach().expand(shape()), *this);
  ++storage()->version;
  return *this;
}

const Tensor& Tensor::fill_(double value) const {
  checked_impl("fill_");
  check_in_place(*this, "fill_");
  backend_for(device()).fill(*this, value);
  ++storage()->version;
  return *this;
}
const Tensor& Tensor::zero_() const { return fill_(0.0); }

const Tensor& Tensor::add_(const Tensor& other, double alpha) const {
  checked_impl("add_");
  check_in_place(*this, "add_");
  NoGradGuard no_grad_inside;  // the result is written back; no history either way
  return copy_(alpha == 1.0 ? fulcrum::add(detach(), other.detach())
                            : fulcrum::add(detach(), other.detach(), alpha));
}
const Tensor& Tensor::add_(double value) const {
  return add_(full({}, value, {.dtype = dtype(), .device = device()}));
}
const Tensor& Tensor::mul_(const Tensor& other) const {
  checked_impl("mul_");
  check_in_place(*this, "mul_");
  NoGradGuard no_grad_inside;
  return copy_(fulcrum::mul(detach(), other.detach()));
}
const Tensor& Tensor::mul_(double value) const {
  return mul_(full({}, value, {.dtype = dtype(), .device = device()}));
}

}  // namespace fulcrum
