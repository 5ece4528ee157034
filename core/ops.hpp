// core/ops.hpp — the public functional API, in PyTorch's names and argument order.
// Primitive ops (op_list.def) run a kernel and record an autograd Node; the rest are derived
// from them in a line or two (ops_derived.cpp). Dims may be negative; reductions take
// keepdim; binary ops broadcast (NumPy rules); mixing dtypes is an Error, never a silent cast.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "core/rng.hpp"
#include "core/tensor.hpp"

namespace fulcrum {

// ---- factories ----
// dtype unset means the factory's PyTorch default: f32 for floating factories, i64 for randint,
// randperm, and arange over integers (f32 when any argument has a fraction).
struct TensorOptions {
  std::optional<DType> dtype = std::nullopt;
  Device device = Device::cpu();
  bool requires_grad = false;
  DType dtype_or(DType fallback) const { return dtype.value_or(fallback); }
};
Tensor empty(const Shape& shape, TensorOptions options = {});
Tensor zeros(const Shape& shape, TensorOptions options = {});
Tensor ones(const Shape& shape, TensorOptions options = {});
Tensor full(const Shape& shape, double value, TensorOptions options = {});
Tensor empty_like(const Tensor& like);  // uninitialised, like's shape, dtype and device
Tensor zeros_like(const Tensor& like);
Tensor ones_like(const Tensor& like);
Tensor full_like(const Tensor& like, double value);
Tensor scalar_tensor(double value, TensorOptions options = {});  // 0-d
// arange(end), arange(start, end, step): like PyTorch, [start, end); i64 when every argument is
// integral, f32 otherwise, unless options give a dtype.
Tensor arange(double end, TensorOptions options = {});
Tensor arange(double start, double end, double step = 1.0, TensorOptions options = {});
Tensor linspace(double start, double end, int64_t steps, TensorOptions options = {});
Tensor eye(int64_t n, TensorOptions options = {});
Tensor eye(int64_t n, int64_t m, TensorOptions options = {});
// Random, from `generator` (the global default one when null): U[low, high), N(mean, std²),
// integers in [low, high). Counter-based: same seed → same numbers, on every device.
Tensor rand(const Shape& shape, TensorOptions options = {}, Generator* generator = nullptr);
Tensor uniform(const Shape& shape, double low, double high, TensorOptions options = {},
               Generator* generator = nullptr);
Tensor randn(const Shape& shape, TensorOptions options = {}, Generator* generator = nullptr);
Tensor normal(const Shape& shape, double mean, double std, TensorOptions options = {},
              Generator* generator = nullptr);
Tensor randint(int64_t low, int64_t high, const Shape& shape,
               TensorOptions options = {}, Generator* generator = nullptr);
Tensor randperm(int64_t n, Generator* generator = nullptr);  // i64

// Construction from values: tensor({1, 2, 3}), tensor({{1, 2}, {3, 4}}, {.dtype = f64}),
// or from a flat vector and a shape.
// One value of a 1-D literal. A class rather than double on purpose: converting to it is a
// user-defined conversion, so tensor({{1}, {2}}) (a column) picks the 2-D overload instead of
// being ambiguous with a 1-D list of single-element braces.
struct ListValue {
  double value;
  ListValue(double v) : value(v) {}  // NOLINT: implicit by design
};
using NestedList1 = std::initializer_list<ListValue>;
using NestedList2 = std::initializer_list<std::initializer_list<double>>;
using NestedList3 = std::initializer_list<NestedList2>;
Tensor tensor(NestedList1 values, TensorOptions options = {});
Tensor tensor(NestedList2 values, TensorOptions options = {});
Tensor tensor(NestedList3 values, TensorOptions options = {});
Tensor from_vector(const std::vector<double>& values, const Shape& shape, TensorOptions options = {});
template <typename T> Tensor from_data(const std::vector<T>& values, const Shape& shape);

// ---- element-wise, one input (floating dtypes; neg/abs/relu/clamp also integers) ----
Tensor neg(const Tensor& x);
Tensor abs(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor log1p(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor relu(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor softplus(const Tensor& x, double beta = 1.0, double threshold = 20.0);
Tensor erf(const Tensor& x);
Tensor pow(const Tensor& x, double exponent);
Tensor pow(const Tensor& base, const Tensor& exponent);
Tensor square(const Tensor& x);  // derived: x * x
Tensor rsqrt(const Tensor& x);   // derived
// clamp(x, lo, hi); a missing bound is std::nullopt. Gradient 1 inside [lo, hi], else 0.
Tensor clamp(const Tensor& x, std::optional<double> min, std::optional<double> max);
Tensor clamp_min(const Tensor& x, double min);
Tensor clamp_max(const Tensor& x, double max);

// ---- element-wise, broadcasting ----
Tensor add(const Tensor& a, const Tensor& b);
Tensor add(const Tensor& a, const Tensor& b, double alpha);  // a + alpha·b
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor maximum(const Tensor& a, const Tensor& b);  // gradient split evenly on ties
Tensor minimum(const Tensor& a, const Tensor& b);
// relu's gradient: grad where self > 0, else 0 (PyTorch's threshold_backward with threshold 0).
// Differentiable in grad (its own gradient is threshold_backward again); self gets none.
Tensor threshold_backward(const Tensor& grad, const Tensor& self);
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b);  // condition: u8
Tensor masked_fill(const Tensor& x, const Tensor& mask, double value);   // derived from where
Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);

// A scalar on either side becomes a 0-d tensor of the other operand's dtype.
Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& x);
Tensor operator+(const Tensor& a, double b);
Tensor operator-(const Tensor& a, double b);
Tensor operator*(const Tensor& a, double b);
Tensor operator/(const Tensor& a, double b);
Tensor operator+(double a, const Tensor& b);
Tensor operator-(double a, const Tensor& b);
Tensor operator*(double a, const Tensor& b);
Tensor operator/(double a, const Tensor& b);
Tensor operator==(const Tensor& a, const Tensor& b);
Tensor operator!=(const Tensor& a, const Tensor& b);
Tensor operator<(const Tensor& a, const Tensor& b);
Tensor operator<=(const Tensor& a, const Tensor& b);
Tensor operator>(const Tensor& a, const Tensor& b);
Tensor operator>=(const Tensor& a, const Tensor& b);
Tensor operator==(const Tensor& a, double b);
Tensor operator!=(const Tensor& a, double b);
Tensor operator<(const Tensor& a, double b);
Tensor operator<=(const Tensor& a, double b);
Tensor operator>(const Tensor& a, double b);
Tensor operator>=(const Tensor& a, double b);

// ---- reductions: dims empty = all dims ----
// sum of i64/u8 gives i64 (as PyTorch); float sums accumulate in double.
Tensor sum(const Tensor& x, const std::vector<int64_t>& dims = {}, bool keepdim = false);
Tensor mean(const Tensor& x, const std::vector<int64_t>& dims = {}, bool keepdim = false);
// max/min return values (PyTorch's amax/amin); on ties the gradient is shared evenly.
Tensor max(const Tensor& x, const std::vector<int64_t>& dims = {}, bool keepdim = false);
Tensor min(const Tensor& x, const std::vector<int64_t>& dims = {}, bool keepdim = false);
// argmax/argmin over one dim (or the flattened tensor when dim is nullopt); first index on ties.
Tensor argmax(const Tensor& x, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
Tensor argmin(const Tensor& x, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
// var/std with PyTorch's `correction` (1 = unbiased, the default; 0 = population).
Tensor var(const Tensor& x, const std::vector<int64_t>& dims = {}, int64_t correction = 1,
           bool keepdim = false);
Tensor std(const Tensor& x, const std::vector<int64_t>& dims = {}, int64_t correction = 1,
           bool keepdim = false);
Tensor logsumexp(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim = false);

// ---- linear algebra, softmax ----
// matmul like torch.matmul: 1-D·1-D → 0-d, 2-D, and batched [..., M, K] @ [..., K, N].
Tensor matmul(const Tensor& a, const Tensor& b);
Tensor softmax(const Tensor& x, int64_t dim);
Tensor log_softmax(const Tensor& x, int64_t dim);

// ---- indexing and joining (index tensors are i64) ----
Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index);
Tensor gather(const Tensor& x, int64_t dim, const Tensor& index);
// out = self with out[..., index[i, j], ...] += src[i, j] along dim (out-of-place).
Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
Tensor one_hot(const Tensor& labels, int64_t num_classes = -1);  // i64 [..., num_classes]
Tensor cat(const std::vector<Tensor>& tensors, int64_t dim = 0);
Tensor stack(const std::vector<Tensor>& tensors, int64_t dim = 0);

// ---- shape (views share storage; reshape copies only when it must) ----
Tensor view(const Tensor& x, const Shape& shape);  // -1 infers one size; needs contiguous x
Tensor reshape(const Tensor& x, const Shape& shape);
Tensor permute(const Tensor& x, const std::vector<int64_t>& dims);
Tensor transpose(const Tensor& x, int64_t dim0, int64_t dim1);
// x[start:end:step] along dim; start/end clamp to the size like Python slicing.
Tensor slice(const Tensor& x, int64_t dim, int64_t start, int64_t end, int64_t step = 1);
Tensor narrow(const Tensor& x, int64_t dim, int64_t start, int64_t length);
Tensor select(const Tensor& x, int64_t dim, int64_t index);  // removes dim
Tensor expand(const Tensor& x, const Shape& shape);  // -1 keeps a size
Tensor squeeze(const Tensor& x);
Tensor squeeze(const Tensor& x, int64_t dim);
Tensor unsqueeze(const Tensor& x, int64_t dim);
Tensor flatten(const Tensor& x, int64_t start_dim = 0, int64_t end_dim = -1);
Tensor contiguous(const Tensor& x);
Tensor clone(const Tensor& x);
Tensor to_dtype(const Tensor& x, DType dtype);
Tensor to_device(const Tensor& x, Device device);  // x.to("ref"), x.to(Device::cpu())
// The one path by which the host reads tensor values (item, to_vector, at, index and label
// checks): x itself (any layout) when its storage is host memory (cpu, ref), else a contiguous
// copy on cpu — on a GPU, a synchronisation. Counted by profiler::host_reads().
Tensor to_host(const Tensor& x);
// Sum `x` down to `shape` (the reverse of broadcasting): used by every broadcasting backward.
Tensor sum_to(const Tensor& x, const Shape& shape);

bool allclose(const Tensor& a, const Tensor& b, double rtol = 1e-5, double atol = 1e-8);
bool equal(const Tensor& a, const Tensor& b);  // same shape and identical values

}  // namespace fulcrum
