// core/ops_index.cpp — index_select, gather, scatter_add and cat: argument and index-range
// checks (an out-of-range index is an Error naming the op, the value and the size, never a
// read out of bounds), then the backend kernel, then the autograd record.
#include <algorithm>

#include "core/ops_common.hpp"

namespace fulcrum {
namespace {

// Every value of `index` in [0, size); else an Error. Read on the host (to_host): on a GPU this
// check is a synchronisation, the price of an Error instead of a device-side fault.
void check_index_range(const char* op, const Tensor& index, int64_t size, int64_t dim) {
  if (detail::IndicesAlreadyChecked::active) return;
  Tensor dense = to_host(index).contiguous();
  const int64_t* values = dense.data_ptr<int64_t>();
  for (int64_t i = 0; i < dense.numel(); ++i) {
    FULCRUM_CHECK(values[i] >= 0 && values[i] < size,
                  op << ": index " << values[i] << " is out of range for dim " << dim << " of size "
                     << size << " (at position " << i << " of the index)");
  }
}

}  // namespace

Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index) {
  Backend& backend = detail::backend_of("index_select", {&x, &index});
  detail::check_dtype("index_select", "the index", index, DType::i64);
  FULCRUM_CHECK(index.dim() <= 1, "index_select: the index must be 1-D, got shape " << shape_str(index.shape()));
  FULCRUM_CHECK(x.dim() > 0, "index_select: cannot index a 0-d tensor");
  dim = normalize_dim("index_select", dim, x.dim());
  check_index_range("index_select", index, x.size(dim), dim);
  Shape shape = x.shape();
  shape[dim] = index.numel();
  Tensor out = detail::new_output(shape, x.dtype(), x.device());
  backend.index_select(x.detach().contiguous(), dim, index.detach().contiguous().reshape({-1}), out);
  if (any_requires_grad({&x})) {
    auto node = record(OpKind::index_select, {&x, &index}, out, {.dim = dim});
    node->save(index.reshape({-1}));
  }
  return out;
}

// gather / scatter_add share PyTorch's shape rule: the index has the tensor's number of dims
// and is no larger than it in every dim (other than `dim` for the indexed tensor).
static void check_scatter_shapes(const char* op, const Tensor& indexed, const Tensor& index,
                                 int64_t dim, const Tensor* src) {
  FULCRUM_CHECK(indexed.dim() > 0, op << ": 0-d tensors are not supported; reshape to [1] first");
  FULCRUM_CHECK(index.dim() == indexed.dim(), op << ": the index " << shape_str(index.shape())
                                                 << " must have as many dims as the tensor "
                                                 << shape_str(indexed.shape()));
  for (int64_t d = 0; d < index.dim(); ++d) {
    FULCRUM_CHECK(d == dim || index.size(d) <= indexed.size(d),
                  op << ": index " << shape_str(index.shape()) << " is larger than the tensor "
                     << shape_str(indexed.shape()) << " in dim " << d);
    if (src) {
      FULCRUM_CHECK(index.size(d) <= src->size(d), op << ": index " << shape_str(index.shape())
                                                      << " is larger than src " << shape_str(src->shape())
                                                      << " in dim " << d);
    }
  }
}

Tensor gather(const Tensor& x, int64_t dim, const Tensor& index) {
  Backend& backend = detail::backend_of("gather", {&x, &index});
  detail::check_dtype("gather", "the index", index, DType::i64);
  dim = normalize_dim("gather", dim, x.dim());
  check_scatter_shapes("gather", x, index, dim, nullptr);
  check_index_range("gather", index, x.size(dim), dim);
  Tensor out = detail::new_output(index.shape(), x.dtype(), x.device());
  backend.gather(x.detach(), dim, index.detach(), out);
  if (any_requires_grad({&x})) {
    auto node = record(OpKind::gather, {&x, &index}, out, {.dim = dim});
    node->save(index);
  }
  return out;
}

Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  Backend& backend = detail::backend_of("scatter_add", {&self, &index, &src});
  detail::check_dtype("scatter_add", "the index", index, DType::i64);
  detail::check_same_dtype("scatter_add", self, src);
  FULCRUM_CHECK(src.dim() == self.dim(), "scatter_add: src " << shape_str(src.shape())
                                         << " must have as many dims as self " << shape_str(self.shape()));
  dim = normalize_dim("scatter_add", dim, self.dim());
  check_scatter_shapes("scatter_add", self, index, dim, &src);
  check_index_range("scatter_add", index, self.size(dim), dim);
  // As in PyTorch, the gradient w.r.t. src is only defined when src and index have one shape.
  FULCRUM_CHECK(!(src.requires_grad() && grad_mode_enabled()) || src.shape() == index.shape(),
                "scatter_add: src " << shape_str(src.shape()) << " requires grad, which needs it to have the "
                                       "index's shape " << shape_str(index.shape()) << " (slice src first)");
  Tensor out = self.detach().clone();
  backend.scatter_add(out, dim, index.detach(), src.detach());
  if (any_requires_grad({&self, &src})) {
    auto node = record(OpKind::scatter_add, {&self, &index, &src}, out, {.dim = dim});
    node->save(index);
  }
  return out;
}

Tensor cat(const std::vector<Tensor>& tensors, int64_t dim) {
  FULCRUM_CHECK(!tensors.empty(), "cat: expected a non-empty list of tensors");
  const Tensor& first = tensors[0];
  for (size_t i = 0; i < tensors.size(); ++i) {
    FULCRUM_CHECK(tensors[i].defined(), "cat: tensor " << i << " of the list is undefined");
  }
  FULCRUM_CHECK(first.dim() > 0, "cat: zero-dimensional tensors cannot be concatenated");
  dim = normalize_dim("cat", dim, first.dim());
  Shape shape = first.shape();
  shape[dim] = 0;
  std::vector<int64_t> sizes;
  std::vector<const Tensor*> inputs;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    detail::backend_of("cat", {&first, &t});
    detail::check_same_dtype("cat", first, t);
    FULCRUM_CHECK(t.dim() == first.dim(), "cat: tensor " << i << " has shape " << shape_str(t.shape())
                                                         << ", tensor 0 has " << shape_str(first.shape())
                                                         << " (same number of dims expected)");
    for (int64_t d = 0; d < t.dim(); ++d) {
      FULCRUM_CHECK(d == dim || t.size(d) == first.size(d),
                    "cat: tensor " << i << " has shape " << shape_str(t.shape()) << ", tensor 0 has "
                                   << shape_str(first.shape()) << " (sizes must match except in dim "
                                   << dim << ")");
    }
    shape[dim] += t.size(dim);
    sizes.push_back(t.size(dim));
    inputs.push_back(&t);
  }
  Tensor out = detail::new_output(shape, first.dtype(), first.device());
  Backend& backend = backend_for(first.device());
  int64_t start = 0;
  for (const Tensor& t : tensors) {
    backend.copy(t.detach(), out.detach().slice(dim, start, start + t.size(dim)));
    start += t.size(dim);
  }
  if (any_requires_grad(tensors)) record(OpKind::cat, inputs, out, {.dim = dim, .sizes = sizes});
  return out;
}

}  // namespace fulcrum
