// core/ops_derived.cpp — ops built from the primitives in a line or two. Their gradients come
// for free from the primitives they call; the comment on each says how it is built.
#include <cmath>
#include <numeric>

#include <algorithm>

#include "core/ops_common.hpp"

namespace fulcrum {

Tensor square(const Tensor& x) { return mul(x, x); }
Tensor rsqrt(const Tensor& x) { return pow(x, -0.5); }

// masked_fill(x, mask, v) = where(mask, v, x)
Tensor masked_fill(const Tensor& x, const Tensor& mask, double value) {
  detail::check_defined("masked_fill", x);
  detail::check_defined("masked_fill", mask);
  return where(mask, full({}, value, {.dtype = x.dtype(), .device = x.device()}), x);
}

// mean = sum / (number of reduced elements)
Tensor mean(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim) {
  detail::check_defined("mean", x);
  detail::check_floating("mean", x);
  int64_t count = 1;
  for (int64_t d : normalize_dims("mean", dims, x.dim())) count *= x.size(d);
  return sum(x, dims, keepdim) / static_cast<double>(count);
}

// var = Σ (x − mean)² / (n − correction)
Tensor var(const Tensor& x, const std::vector<int64_t>& dims, int64_t correction, bool keepdim) {
  detail::check_defined("var", x);
  detail::check_floating("var", x);
  int64_t count = 1;
  for (int64_t d : normalize_dims("var", dims, x.dim())) count *= x.size(d);
  Tensor centered = x - mean(x, dims, true);
  return sum(centered * centered, dims, keepdim) / static_cast<double>(std::max<int64_t>(count - correction, 0));
}

Tensor std(const Tensor& x, const std::vector<int64_t>& dims, int64_t correction, bool keepdim) {
  detail::check_defined("std", x);
  return sqrt(var(x, dims, correction, keepdim));
}

// logsumexp = m + log Σ exp(x − m) with m = max(x) held constant: the shift cancels exactly in
// the value and in the gradient (softmax), and nothing overflows.
Tensor logsumexp(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim) {
  detail::check_defined("logsumexp", x);
  detail::check_floating("logsumexp", x);
  Tensor m = max(x, dims, true).detach();
  // An infinite max (all −inf, or a +inf) would make x − m NaN: shift by 0 there instead.
  m = where(maximum(m == INFINITY, m == -INFINITY), zeros_like(m), m);
  Tensor result = log(sum(exp(x - m), dims, true)) + m;
  if (keepdim) return result;
  return reshape(result, sum(x.detach(), dims, false).shape());
}

Tensor transpose(const Tensor& x, int64_t dim0, int64_t dim1) {
  detail::check_defined("transpose", x);
  std::vector<int64_t> order(x.dim());
  std::iota(order.begin(), order.end(), 0);
  if (x.dim() == 0) return x;
  std::swap(order[normalize_dim("transpose", dim0, x.dim())], order[normalize_dim("transpose", dim1, x.dim())]);
  return permute(x, order);
}

Tensor narrow(const Tensor& x, int64_t dim, int64_t start, int64_t length) {
  detail::check_defined("narrow", x);
  FULCRUM_CHECK(x.dim() > 0, "narrow: cannot narrow dim " << dim << " of a 0-d tensor (it has no dims)");
  dim = normalize_dim("narrow", dim, x.dim());
  if (start < 0) start += x.size(dim);
  FULCRUM_CHECK(start >= 0 && length >= 0 && start + length <= x.size(dim),
                "narrow: start " << start << " + length " << length << " exceeds dim " << dim << " of size "
                                 << x.size(dim));
  return slice(x, dim, start, start + length);
}

Tensor select(const Tensor& x, int64_t dim, int64_t index) {
  detail::check_defined("select", x);
  FULCRUM_CHECK(x.dim() > 0, "select: cannot select dim " << dim << " of a 0-d tensor (it has no dims)");
  dim = normalize_dim("select", dim, x.dim());
  const int64_t size = x.size(dim);
  FULCRUM_CHECK(index >= -size && index < size, "select: index " << index << " is out of range for dim "
                                                                  << dim << " of size " << size);
  if (index < 0) index += size;
  return squeeze(slice(x, dim, index, index + 1), dim);
}

Tensor squeeze(const Tensor& x) {
  detail::check_defined("squeeze", x);
  Shape shape;
  for (int64_t size : x.shape()) if (size != 1) shape.push_back(size);
  return reshape(x, shape);
}
Tensor squeeze(const Tensor& x, int64_t dim) {
  detail::check_defined("squeeze", x);
  dim = normalize_dim("squeeze", dim, x.dim());
  if (x.dim() == 0 || x.size(dim) != 1) return x;  // PyTorch: a no-op on a size > 1 dim
  Shape shape = x.shape();
  shape.erase(shape.begin() + dim);
  return reshape(x, shape);
}
Tensor unsqueeze(const Tensor& x, int64_t dim) {
  detail::check_defined("unsqueeze", x);
  dim = normalize_dim("unsqueeze", dim, x.dim() + 1);
  Shape shape = x.shape();
  shape.insert(shape.begin() + dim, 1);
  return reshape(x, shape);
}
Tensor flatten(const Tensor& x, int64_t start_dim, int64_t end_dim) {
  detail::check_defined("flatten", x);
  if (x.dim() == 0) return reshape(x, {1});
  start_dim = normalize_dim("flatten", start_dim, x.dim());
  end_dim = normalize_dim("flatten", end_dim, x.dim());
  FULCRUM_CHECK(start_dim <= end_dim, "flatten: start_dim " << start_dim << " is after end_dim " << end_dim);
  Shape shape(x.shape().begin(), x.shape().begin() + start_dim);
  int64_t merged = 1;
  for (int64_t d = start_dim; d <= end_dim; ++d) merged *= x.size(d);
  shape.push_back(merged);
  shape.insert(shape.end(), x.shape().begin() + end_dim + 1, x.shape().end());
  return reshape(x, shape);
}

// stack = cat of the tensors with a new dim inserted at `dim`.
Tensor stack(const std::vector<Tensor>& tensors, int64_t dim) {
  FULCRUM_CHECK(!tensors.empty(), "stack: expected a non-empty list of tensors");
  for (size_t i = 0; i < tensors.size(); ++i) {
    FULCRUM_CHECK(tensors[i].defined(), "stack: tensor " << i << " of the list is undefined");
  }
  dim = normalize_dim("stack", dim, tensors[0].dim() + 1);
  std::vector<Tensor> expanded;
  for (size_t i = 0; i < tensors.size(); ++i) {
    FULCRUM_CHECK(tensors[i].shape() == tensors[0].shape(),
                  "stack: tensor " << i << " has shape " << shape_str(tensors[i].shape()) << ", tensor 0 has "
                                   << shape_str(tensors[0].shape()) << " (all must be equal)");
    expanded.push_back(unsqueeze(tensors[i], dim));
  }
  return cat(expanded, dim);
}

// one_hot(labels)[..., c] = (labels[...] == c), as i64 like PyTorch.
Tensor one_hot(const Tensor& labels, int64_t num_classes) {
  detail::check_defined("one_hot", labels);
  detail::check_dtype("one_hot", "labels", labels, DType::i64);
  if (labels.numel() > 0) {
    const int64_t low = min(labels).item<int64_t>(), high = max(labels).item<int64_t>();
    FULCRUM_CHECK(low >= 0, "one_hot: labels must be ≥ 0, found " << low);
    if (num_classes < 0) num_classes = high + 1;
    FULCRUM_CHECK(high < num_classes, "one_hot: label " << high << " is out of range for num_classes = "
                                                        << num_classes);
  }
  FULCRUM_CHECK(num_classes >= 0, "one_hot: cannot infer num_classes from an empty tensor");
  Tensor classes = arange(static_cast<double>(num_classes), {.dtype = DType::i64, .device = labels.device()});
  return to_dtype(eq(unsqueeze(labels, -1), classes), DType::i64);
}

// The reverse of broadcasting: sum over the leading dims x has in excess, and over every dim
// where `shape` has size 1 but x does not; then reshape to `shape`.
Tensor sum_to(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  const int64_t lead = x.dim() - static_cast<int64_t>(shape.size());
  FULCRUM_CHECK(lead >= 0, "sum_to: cannot reduce " << shape_str(x.shape()) << " to " << shape_str(shape));
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (d < lead || (shape[d - lead] == 1 && x.size(d) != 1)) dims.push_back(d);
  }
  Tensor reduced = dims.empty() ? x : sum(x, dims, true);
  return reshape(reduced, shape);
}

bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol) {
  if (a.shape() != b.shape()) return false;
  const std::vector<double> x = a.to_vector<double>(), y = b.to_vector<double>();
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i]) || std::isnan(y[i])) return false;
    if (std::isinf(x[i]) || std::isinf(y[i])) {  // infinities must match exactly
      if (x[i] != y[i]) return false;
      continue;
    }
    if (std::abs(x[i] - y[i]) > atol + rtol * std::abs(y[i])) return false;
  }
  return true;
}

bool equal(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && a.dtype() == b.dtype() && a.to_vector<double>() == b.to_vector<double>();
}

}  // namespace fulcrum
