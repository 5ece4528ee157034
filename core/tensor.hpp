// core/tensor.hpp — Tensor, a cheap handle (shared_ptr) to a TensorImpl: storage + shape +
// strides + offset + dtype, and the autograd fields (requires_grad, grad, grad_fn).
// Views share storage. The functional API (add, sum, matmul, …) is in ops.hpp; the member
// functions here forward to it so that PyTorch code reads the same: x.sum(1, true).
#pragma once
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "core/device.hpp"
#include "core/dtype.hpp"
#include "core/shape.hpp"
#include "core/storage.hpp"

namespace fulcrum {

struct TensorImpl;
struct Node;

class Tensor {
public:
  Tensor() = default;  // undefined: defined() is false (e.g. .grad() before any backward)
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  // A new, uninitialised, contiguous tensor.
  static Tensor empty(const Shape& shape, DType dtype = DType::f32, Device device = Device::cpu());

  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const;
  const Shape& sizes() const { return shape(); }
  int64_t size(int64_t dim) const;
  const Shape& strides() const;
  int64_t stride(int64_t dim) const;
  int64_t offset() const;
  int64_t dim() const { return static_cast<int64_t>(shape().size()); }
  int64_t numel() const;
  DType dtype() const;
  Device device() const;
  bool is_contiguous() const;
  const std::shared_ptr<Storage>& storage() const;

  // Pointer to element [0, 0, …] (storage data + offset). T must match dtype().
  template <typename T> T* data_ptr() const;
  void* raw_data() const;

  // The single value of a one-element tensor, converted to T.
  template <typename T = double> T item() const;
  // Element access for tests and printing: at({i, j}) converted to double.
  double at(std::initializer_list<int64_t> index) const;
  double at(const std::vector<int64_t>& index) const;
  // All elements in row-major order, converted to T (copies).
  template <typename T = double> std::vector<T> to_vector() const;

  // ---- autograd ----
  bool requires_grad() const;
  Tensor& set_requires_grad(bool value = true);  // leaves only, floating dtypes only
  Tensor& requires_grad_(bool value = true) { return set_requires_grad(value); }
  bool is_leaf() const;
  const Tensor& grad() const;                    // undefined until a backward reaches it
  void set_grad(const Tensor& grad) const;  // handles share the impl: const like a pointer
  const std::shared_ptr<Node>& grad_fn() const;
  void retain_grad() const;                           // keep .grad() on a non-leaf, like PyTorch
  // backward() on a one-element tensor, or backward(gradient) with gradient of the same shape.
  void backward(const Tensor& gradient = Tensor(), bool retain_graph = false) const;
  Tensor detach() const;                         // shares storage, no history

  // ---- views and copies (ops.hpp has the full list) ----
  Tensor view(const Shape& shape) const;
  Tensor reshape(const Shape& shape) const;
  Tensor permute(const std::vector<int64_t>& dims) const;
  Tensor transpose(int64_t dim0, int64_t dim1) const;
  Tensor t() const;
  Tensor slice(int64_t dim, int64_t start, int64_t end, int64_t step = 1) const;
  Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
  Tensor select(int64_t dim, int64_t index) const;
  Tensor expand(const Shape& shape) const;
  Tensor squeeze() const;
  Tensor squeeze(int64_t dim) const;
  Tensor unsqueeze(int64_t dim) const;
  Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1) const;
  Tensor contiguous() const;
  Tensor clone() const;
  Tensor to(DType dtype) const;
  Tensor to(Device device) const;  // also x.to("ref"), x.to("cuda:0")
  Tensor to(const char* device) const { return to(Device(device)); }

  // ---- reductions ----
  Tensor sum() const;
  Tensor sum(int64_t dim, bool keepdim = false) const;
  Tensor mean() const;
  Tensor mean(int64_t dim, bool keepdim = false) const;
  Tensor max() const;
  Tensor max(int64_t dim, bool keepdim = false) const;
  Tensor min() const;
  Tensor argmax() const;
  Tensor argmax(int64_t dim, bool keepdim = false) const;

  // ---- element-wise shorthands ----
  Tensor exp() const;
  Tensor log() const;
  Tensor pow(double exponent) const;
  Tensor relu() const;
  Tensor sigmoid() const;
  Tensor tanh() const;
  Tensor abs() const;
  Tensor sqrt() const;
  Tensor matmul(const Tensor& other) const;

  // ---- in place. No autograd history is recorded, so any tensor that requires grad (leaf or
  //      not) may be modified in place only under NoGradGuard; otherwise it is an Error.
  //      Each bumps the storage version that autograd checks. ----
  // In-place methods are const like LibTorch's: they change the data, not the handle.
  const Tensor& zero_() const;
  const Tensor& fill_(double value) const;
  const Tensor& copy_(const Tensor& source) const;  // broadcasts source, converts dtype
  const Tensor& add_(const Tensor& other, double alpha = 1.0) const;  // this += alpha · other
  const Tensor& sub_(const Tensor& other) const { return add_(other, -1.0); }
  const Tensor& mul_(const Tensor& other) const;
  const Tensor& mul_(double value) const;
  const Tensor& add_(double value) const;

  std::string str() const;  // PyTorch-style printing
  TensorImpl* impl() const { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }
  bool is_same(const Tensor& other) const { return impl_ == other.impl_; }

private:
  std::shared_ptr<TensorImpl> impl_;
  TensorImpl& checked_impl(const char* what) const;
};

struct TensorImpl {
  std::shared_ptr<Storage> storage;
  Shape shape;
  Shape strides;  // in elements
  int64_t offset = 0;  // in elements
  DType dtype = DType::f32;

  bool requires_grad = false;
  bool retains_grad = false;
  Tensor grad;
  std::shared_ptr<Node> grad_fn;
};

std::ostream& operator<<(std::ostream& os, const Tensor& tensor);

}  // namespace fulcrum
