// core/factories.cpp — tensors made from nothing: zeros, ones, full, arange, linspace, eye,
// the random factories (from the counter-based generator), and tensors from C++ values.
#include <cmath>

#include "core/ops_common.hpp"

namespace fulcrum {
namespace {

// Sizes must be ≥ 0: "zeros: negative size -2 in shape [3, -2]".
void check_shape(const char* op, const Shape& shape) {
  for (int64_t size : shape) {
    FULCRUM_CHECK(size >= 0, op << ": negative size " << size << " in shape " << shape_str(shape));
  }
}

Tensor finish(Tensor t, const TensorOptions& options) {
  if (options.requires_grad) t.set_requires_grad(true);
  return t;
}

}  // namespace

static Tensor full_named(const char* op, const Shape& shape, double value, TensorOptions options);

Tensor empty(const Shape& shape, TensorOptions options) {
  check_shape("empty", shape);
  return finish(Tensor::empty(shape, options.dtype_or(DType::f32), options.device), options);
}

Tensor full(const Shape& shape, double value, TensorOptions options) {
  return full_named("full", shape, value, options);
}

static Tensor full_named(const char* op, const Shape& shape, double value, TensorOptions options) {
  check_shape(op, shape);
  Tensor t = Tensor::empty(shape, options.dtype_or(DType::f32), options.device);
  backend_for(options.device).fill(t, value);
  return finish(t, options);
}
Tensor zeros(const Shape& shape, TensorOptions options) { return full_named("zeros", shape, 0.0, options); }
Tensor ones(const Shape& shape, TensorOptions options) { return full_named("ones", shape, 1.0, options); }
Tensor scalar_tensor(double value, TensorOptions options) { return full({}, value, options); }
Tensor empty_like(const Tensor& like) { return Tensor::empty(like.shape(), like.dtype(), like.device()); }
Tensor zeros_like(const Tensor& like) {
  return zeros(like.shape(), {.dtype = like.dtype(), .device = like.device()});
}
Tensor ones_like(const Tensor& like) {
  return ones(like.shape(), {.dtype = like.dtype(), .device = like.device()});
}
Tensor full_like(const Tensor& like, double value) {
  return full(like.shape(), value, {.dtype = like.dtype(), .device = like.device()});
}

Tensor arange(double end, TensorOptions options) { return arange(0.0, end, 1.0, options); }
Tensor arange(double start, double end, double step, TensorOptions options) {
  FULCRUM_CHECK(step != 0, "arange: step must be non-zero");
  FULCRUM_CHECK(std::isfinite(start) && std::isfinite(end) && std::isfinite(step),
                "arange: start, end and step must be finite, got " << start << ", " << end << ", " << step);
  FULCRUM_CHECK((end - start) / step >= 0 || start == end,
                "arange: the range [" << start << ", " << end << ") cannot be walked with step " << step);
  const auto count = static_cast<int64_t>(std::ceil((end - start) / step));
  std::vector<double> values(std::max<int64_t>(count, 0));
  for (int64_t i = 0; i < count; ++i) values[i] = start + static_cast<double>(i) * step;
  const bool integral = start == std::nearbyint(start) && end == std::nearbyint(end) && step == std::nearbyint(step);
  if (!options.dtype) options.dtype = integral ? DType::i64 : DType::f32;
  return from_vector(values, {static_cast<int64_t>(values.size())}, options);
}

Tensor linspace(double start, double end, int64_t steps, TensorOptions options) {
  FULCRUM_CHECK(steps >= 0, "linspace: steps must be ≥ 0, got " << steps);
  std::vector<double> values(steps);
  const double step = steps > 1 ? (end - start) / static_cast<double>(steps - 1) : 0.0;
  // Like PyTorch, fill the second half from the end so that the last value is exactly `end`.
  for (int64_t i = 0; i < steps; ++i) {
    values[i] = (steps == 1 || i < steps / 2) ? start + step * static_cast<double>(i)
                              : end - step * static_cast<double>(steps - 1 - i);
  }
  return from_vector(values, {steps}, options);
}

Tensor eye(int64_t n, TensorOptions options) { return eye(n, n, options); }
Tensor eye(int64_t n, int64_t m, TensorOptions options) {
  FULCRUM_CHECK(n >= 0 && m >= 0, "eye: sizes must be ≥ 0, got " << n << " × " << m);
  std::vector<double> values(n * m, 0.0);
  for (int64_t i = 0; i < std::min(n, m); ++i) values[i * m + i] = 1.0;
  return from_vector(values, {n, m}, options);
}

Tensor uniform(const Shape& shape, double low, double high, TensorOptions options, Generator* generator) {
  const DType dtype = options.dtype_or(DType::f32);
  FULCRUM_CHECK(is_floating(dtype), "uniform: dtype must be f32 or f64, got " << dtype);
  FULCRUM_CHECK(low <= high, "uniform: low " << low << " > high " << high);
  check_shape("uniform", shape);
  Generator& gen = generator ? *generator : default_generator();
  Tensor t = Tensor::empty(shape, dtype, options.device);
  const uint64_t first = gen.reserve_blocks(uniform_blocks(t.numel(), dtype));
  backend_for(options.device).uniform(t, gen.seed(), first, low, high);
  return finish(t, options);
}
Tensor rand(const Shape& shape, TensorOptions options, Generator* generator) {
  return uniform(shape, 0.0, 1.0, options, generator);
}

Tensor normal(const Shape& shape, double mean, double std, TensorOptions options, Generator* generator) {
  const DType dtype = options.dtype_or(DType::f32);
  FULCRUM_CHECK(is_floating(dtype), "normal: dtype must be f32 or f64, got " << dtype);
  FULCRUM_CHECK(std >= 0, "normal: std must be ≥ 0, got " << std);
  check_shape("normal", shape);
  Generator& gen = generator ? *generator : default_generator();
  Tensor t = Tensor::empty(shape, dtype, options.device);
  const uint64_t first = gen.reserve_blocks(normal_blocks(t.numel()));
  backend_for(options.device).normal(t, gen.seed(), first, mean, std);
  return finish(t, options);
}
Tensor randn(const Shape& shape, TensorOptions options, Generator* generator) {
  return normal(shape, 0.0, 1.0, options, generator);
}

Tensor randint(int64_t low, int64_t high, const Shape& shape, TensorOptions options, Generator* generator) {
  FULCRUM_CHECK(low < high, "randint: low " << low << " must be < high " << high);
  FULCRUM_CHECK(!options.requires_grad, "randint: integer tensors cannot require grad");
  const DType dtype = options.dtype_or(DType::i64);
  FULCRUM_CHECK(dtype != DType::u8 || (low >= 0 && high <= 256),
                "randint: [" << low << ", " << high << ") does not fit in u8 (expected 0 ≤ low < high ≤ 256)");
  check_shape("randint", shape);
  Generator& gen = generator ? *generator : default_generator();
  Tensor t = Tensor::empty(shape, options.dtype_or(DType::i64), options.device);
  const uint64_t first = gen.reserve_blocks(randint_blocks(t.numel()));
  backend_for(options.device).randint(t, gen.seed(), first, low, high);
  return t;
}

// Fisher–Yates with draws from the generator.
Tensor randperm(int64_t n, Generator* generator) {
  FULCRUM_CHECK(n >= 0, "randperm: n must be ≥ 0, got " << n);
  Generator& gen = generator ? *generator : default_generator();
  std::vector<int64_t> values(n);
  for (int64_t i = 0; i < n; ++i) values[i] = i;
  for (int64_t i = n - 1; i > 0; --i) {
    std::swap(values[i], values[static_cast<int64_t>(gen.random_below(static_cast<uint64_t>(i) + 1))]);
  }
  return from_data(values, {n});
}

template <typename T> Tensor from_data(const std::vector<T>& values, const Shape& shape) {
  FULCRUM_CHECK(static_cast<int64_t>(values.size()) == numel(shape),
                "from_data: " << values.size() << " values for shape " << shape_str(shape) << " ("
                              << numel(shape) << " elements)");
  Tensor t = Tensor::empty(shape, dtype_of<T>());
  std::copy(values.begin(), values.end(), t.data_ptr<T>());
  return t;
}
template Tensor from_data(const std::vector<float>&, const Shape&);
template Tensor from_data(const std::vector<double>&, const Shape&);
template Tensor from_data(const std::vector<int64_t>&, const Shape&);
template Tensor from_data(const std::vector<uint8_t>&, const Shape&);

Tensor from_vector(const std::vector<double>& values, const Shape& shape, TensorOptions options) {
  Tensor t = from_data(values, shape);  // made in host memory, then moved where it is wanted
  t = t.to(options.dtype_or(DType::f32)).to(options.device);
  return finish(t, options);
}

Tensor tensor(NestedList1 values, TensorOptions options) {
  std::vector<double> flat;
  for (const ListValue& v : values) flat.push_back(v.value);
  return from_vector(flat, {static_cast<int64_t>(values.size())}, options);
}
Tensor tensor(NestedList2 values, TensorOptions options) {
  std::vector<double> flat;
  const int64_t cols = values.size() ? static_cast<int64_t>(values.begin()->size()) : 0;
  for (const auto& row : values) {
    FULCRUM_CHECK(static_cast<int64_t>(row.size()) == cols,
                  "tensor: ragged nested list (a row of " << row.size() << " after rows of " << cols << ")");
    flat.insert(flat.end(), row.begin(), row.end());
  }
  return from_vector(flat, {static_cast<int64_t>(values.size()), cols}, options);
}
Tensor tensor(NestedList3 values, TensorOptions options) {
  std::vector<double> flat;
  const int64_t rows = values.size() ? static_cast<int64_t>(values.begin()->size()) : 0;
  const int64_t cols = rows ? static_cast<int64_t>(values.begin()->begin()->size()) : 0;
  for (const auto& plane : values) {
    FULCRUM_CHECK(static_cast<int64_t>(plane.size()) == rows, "tensor: ragged nested list");
    for (const auto& row : plane) {
      FULCRUM_CHECK(static_cast<int64_t>(row.size()) == cols, "tensor: ragged nested list");
      flat.insert(flat.end(), row.begin(), row.end());
    }
  }
  return from_vector(flat, {static_cast<int64_t>(values.size()), rows, cols}, options);
}

}  // namespace fulcrum
