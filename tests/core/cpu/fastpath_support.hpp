// tests/core/cpu/fastpath_support.hpp — the shared machinery of the fastpath suite (tests/core/cpu/
// *.cpp), which tests the fast CPU kernels (cpu::unary, binary, where, reduce, matmul, softmax, copy,
// fill) against the reference kernels (cpu::ref::*) on the same inputs, at kernel level: odd sizes,
// sizes above the OpenMP grain, zero-size and 0-d tensors, broadcast (stride 0) and non-contiguous
// (transposed, permuted, step-2, offset) operands, strided destinations, NaN propagation and
// hand-computed values. Integer results and copies must agree exactly; floating results to a
// tolerance that fits how each kernel accumulates. Elements are read back through this header's
// own stride walk (element_offsets, read_as), not through library copies. The test main NaN-fills
// new storage, so an output element a kernel skips shows up as NaN. (The op-level comparison of
// every op on every device lives in tests/test_parity.cpp, driven by the op table.)
// Here: the stride walk, Tolerance and expect_match, the input data kinds and layouts, the shapes
// swept, runners of the fast and reference kernels, and the element-wise op cases.
#pragma once
#include <doctest/doctest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/cpu/kernels.hpp"
#include "core/cpu/strided.hpp"
#include "core/ops.hpp"

namespace fulcrum::testing::fastpath {

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------
// Reading tensors back, independently of the library's copy kernels.

// Offsets (in elements, from raw_data()) of every element of t in row-major order.
inline std::vector<int64_t> element_offsets(const Tensor& t) {
  const int64_t n = t.numel(), ndim = t.dim();
  const Shape& shape = t.shape();
  const Shape& strides = t.strides();
  std::vector<int64_t> offsets;
  offsets.reserve(static_cast<size_t>(n));
  std::vector<int64_t> index(static_cast<size_t>(ndim), 0);
  for (int64_t e = 0; e < n; ++e) {
    int64_t offset = 0;
    for (int64_t d = 0; d < ndim; ++d) offset += index[d] * strides[d];
    offsets.push_back(offset);
    for (int64_t d = ndim - 1; d >= 0; --d) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return offsets;
}

template <typename T> std::vector<T> read_as(const Tensor& t) {
  const std::vector<int64_t> offsets = element_offsets(t);
  std::vector<T> values;
  values.reserve(offsets.size());
  dispatch_all(t.dtype(), "read", [&]<typename S>() {
    const S* data = static_cast<const S*>(t.raw_data());
    for (int64_t o : offsets) values.push_back(static_cast<T>(data[o]));
  });
  return values;
}

// ---------------------------------------------------------------------------------------------
// Comparing a fast result with the reference result.

struct Tolerance {
  double rtol = 0.0;
  double atol = 0.0;
  bool nan_equal = false;  // NaN in both at the same place counts as agreement
};

// The brief's element-wise tolerances: ~1e-5 relative for f32, ~1e-12 for f64.
inline Tolerance float_tolerance(DType dtype) {
  return dtype == DType::f32 ? Tolerance{1e-5, 1e-6} : Tolerance{1e-12, 1e-12};
}
inline Tolerance tolerance_for(DType dtype) {
  return is_floating(dtype) ? float_tolerance(dtype) : Tolerance{};
}

// How many fast-vs-reference comparisons expect_match has made: the sweeps below check it, so a
// filter that silently skips layouts (or an empty list) cannot turn a sweep into zero checks.
inline int64_t comparisons_made = 0;

// `atol_each`, when given, adds a per-element absolute allowance (accumulation-order bounds).
inline void expect_match(const Tensor& fast, const Tensor& ref, const std::string& what,
                  Tolerance tol = {}, const std::vector<double>& atol_each = {}) {
  INFO(what);
  ++comparisons_made;
  REQUIRE(fast.shape() == ref.shape());
  REQUIRE(fast.dtype() == ref.dtype());
  int64_t bad = 0, first = -1;
  std::string first_detail;
  if (!is_floating(ref.dtype())) {
    const std::vector<int64_t> f = read_as<int64_t>(fast), r = read_as<int64_t>(ref);
    for (size_t i = 0; i < r.size(); ++i) {
      if (f[i] != r[i]) {
        if (bad++ == 0) {
          first = static_cast<int64_t>(i);
          first_detail = "fast=" + std::to_string(f[i]) + " ref=" + std::to_string(r[i]);
        }
      }
    }
  } else {
    const std::vector<double> f = read_as<double>(fast), r = read_as<double>(ref);
    for (size_t i = 0; i < r.size(); ++i) {
      const double a = f[i], b = r[i];
      bool ok;
      if (std::isnan(a) || std::isnan(b)) ok = tol.nan_equal && std::isnan(a) && std::isnan(b);
      else if (a == b) ok = true;  // also equal infinities
      else {
        const double allowed = tol.atol + tol.rtol * std::abs(b) + (atol_each.empty() ? 0.0 : atol_each[i]);
        ok = std::abs(a - b) <= allowed;
      }
      if (!ok && bad++ == 0) {
        first = static_cast<int64_t>(i);
        std::ostringstream os;
        os.precision(17);
        os << "fast=" << a << " ref=" << b << " diff=" << std::abs(a - b);
        first_detail = os.str();
      }
    }
  }
  CHECK_MESSAGE(bad == 0, what << ": " << bad << " of " << ref.numel()
                               << " elements differ; first at flat index " << first << " ("
                               << first_detail << ")");
}

// ---------------------------------------------------------------------------------------------
// Inputs: random data of a few kinds, laid out in memory in several ways.

enum class Data { normal, positive, small_int, mask };

inline Tensor make_data(Data kind, const Shape& shape, DType dtype, Generator& gen) {
  if (kind == Data::mask) return randint(0, 2, shape, {.dtype = DType::u8}, &gen);
  if (!is_floating(dtype)) {
    switch (kind) {
      case Data::positive: return randint(1, 20, shape, {.dtype = dtype}, &gen);
      case Data::small_int: return randint(-3, 4, shape, {.dtype = dtype}, &gen);
      default: return randint(-50, 51, shape, {.dtype = dtype}, &gen);
    }
  }
  switch (kind) {
    case Data::positive: return uniform(shape, 0.1, 3.0, {.dtype = dtype}, &gen);
    // Few distinct values: ties for maximum/minimum/comparisons/argmax.
    case Data::small_int: return randint(-3, 4, shape, {.dtype = DType::i64}, &gen).to(dtype);
    default: return normal(shape, 0.0, 2.0, {.dtype = dtype}, &gen);
  }
}

enum class Layout {
  contiguous,   // a fresh row-major tensor
  offset,       // a contiguous narrow() of a larger tensor: non-zero storage offset
  transposed,   // the last two dims swapped (x.transpose(-1, -2) of a contiguous base)
  permuted,     // dims rotated (permute of a contiguous base), ≥ 3 dims
  step2_last,   // every other element of the last dim (slice step 2)
  step2_first,  // every other row of the first dim (slice step 2)
  bcast_row,    // all dims but the last broadcast (stride 0)
  bcast_col,    // the last dim broadcast (stride 0)
  scalar,       // a 0-d value expanded to the whole shape (every stride 0)
};
inline const std::vector<Layout> kLayouts = {Layout::contiguous, Layout::offset,    Layout::transposed,
                                      Layout::permuted,   Layout::step2_last, Layout::step2_first,
                                      Layout::bcast_row,  Layout::bcast_col, Layout::scalar};

inline const char* layout_name(Layout layout) {
  switch (layout) {
    case Layout::contiguous: return "contiguous";
    case Layout::offset: return "offset";
    case Layout::transposed: return "transposed";
    case Layout::permuted: return "permuted";
    case Layout::step2_last: return "step2_last";
    case Layout::step2_first: return "step2_first";
    case Layout::bcast_row: return "bcast_row";
    case Layout::bcast_col: return "bcast_col";
    case Layout::scalar: return "scalar";
  }
  return "?";
}

inline bool layout_applies(Layout layout, const Shape& shape) {
  const size_t n = shape.size();
  switch (layout) {
    case Layout::contiguous: case Layout::scalar: return true;
    case Layout::offset: case Layout::step2_last: case Layout::step2_first: return n >= 1;
    case Layout::transposed: case Layout::bcast_row: case Layout::bcast_col: return n >= 2;
    case Layout::permuted: return n >= 3;
  }
  return false;
}

using Maker = std::function<Tensor(const Shape&)>;

// A tensor of `shape` whose memory layout is `layout`; `make` creates the underlying storage.
inline Tensor with_layout(Layout layout, const Shape& shape, const Maker& make) {
  const int64_t n = static_cast<int64_t>(shape.size());
  Shape base = shape;
  switch (layout) {
    case Layout::contiguous: return make(shape);
    case Layout::offset:
      base[0] += 1;
      return make(base).narrow(0, 1, shape[0]);
    case Layout::transposed:
      std::swap(base[n - 1], base[n - 2]);
      return make(base).transpose(-1, -2);
    case Layout::permuted: {
      std::vector<int64_t> order(n);
      for (int64_t i = 0; i < n; ++i) {
        order[i] = (i + 1) % n;
        base[(i + 1) % n] = shape[i];
      }
      return make(base).permute(order);
    }
    case Layout::step2_last:
      base[n - 1] *= 2;
      return make(base).slice(-1, 0, base[n - 1], 2);
    case Layout::step2_first:
      base[0] *= 2;
      return make(base).slice(0, 0, base[0], 2);
    case Layout::bcast_row:
      for (int64_t d = 0; d + 1 < n; ++d) base[d] = 1;
      return make(base).expand(shape);
    case Layout::bcast_col:
      base[n - 1] = 1;
      return make(base).expand(shape);
    case Layout::scalar: return make({}).expand(shape);
  }
  return Tensor();
}

inline Tensor input(Layout layout, Data kind, const Shape& shape, DType dtype, Generator& gen) {
  return with_layout(layout, shape,
                     [&](const Shape& s) { return make_data(kind, s, dtype, gen); });
}

inline std::string describe(const std::string& what, const Shape& shape, DType dtype,
                     std::initializer_list<Layout> layouts) {
  std::string text = what + " " + shape_str(shape) + " " + dtype_name(dtype);
  for (Layout l : layouts) text += std::string(" ") + layout_name(l);
  return text;
}

// Element-wise shapes: 0-d, odd sizes, zero-size, and three above the OpenMP grain.
inline const std::vector<Shape> kShapes = {{},      {1},       {3},        {7},          {33},
                                    {1000},  {0},       {1, 1},     {3, 7},       {7, 33},
                                    {33, 7}, {0, 5},    {5, 0},     {2, 1, 9},    {3, 5, 7},
                                    {4, 0, 3}, {2, 3, 4, 5}, {40000}, {181, 183}, {40, 35, 30}};
inline bool is_large(const Shape& shape) { return numel(shape) > 5000; }

// How many of the layouts fit a shape, stated by rank without calling layout_applies (so a wrong
// filter shows as a count mismatch): 0-d takes contiguous and scalar; 1-D adds offset and both
// step-2 slices; 2-D adds transposed and both broadcasts; 3-D and up add permuted.
inline int64_t layouts_of_rank(size_t rank) { return rank == 0 ? 2 : rank == 1 ? 5 : rank == 2 ? 8 : 9; }
// The same for kLargeLayouts (1-D: contiguous, step2_last, scalar) and kLargePairs (1-D: the five
// pairs without a 2-D layout; 2-D: all but the two with permuted).
inline int64_t large_layouts_of_rank(size_t rank) { return rank == 1 ? 3 : 5; }
inline int64_t large_pairs_of_rank(size_t rank) { return rank == 1 ? 5 : rank == 2 ? 6 : 8; }
inline int64_t sweep_layouts(const Shape& shape) {
  return is_large(shape) ? large_layouts_of_rank(shape.size()) : layouts_of_rank(shape.size());
}
inline int64_t sweep_pairs(const Shape& shape) {
  const int64_t n = layouts_of_rank(shape.size());
  return is_large(shape) ? large_pairs_of_rank(shape.size()) : n * n;
}
template <typename F> int64_t sum_over_shapes(F per_shape) {
  int64_t total = 0;
  for (const Shape& shape : kShapes) total += per_shape(shape);
  return total;
}

// Layouts (and layout pairs) used for the large shapes; the small ones use all of them.
inline const std::vector<Layout> kLargeLayouts = {Layout::contiguous, Layout::transposed, Layout::step2_last,
                                           Layout::bcast_row, Layout::scalar};
// Layout pairs used for the large shapes (all pairs are used for the small ones).
inline const std::vector<std::pair<Layout, Layout>> kLargePairs = {
    {Layout::contiguous, Layout::contiguous}, {Layout::contiguous, Layout::scalar},
    {Layout::scalar, Layout::contiguous},     {Layout::transposed, Layout::bcast_row},
    {Layout::step2_last, Layout::contiguous}, {Layout::bcast_col, Layout::permuted},
    {Layout::offset, Layout::step2_first},    {Layout::permuted, Layout::transposed}};

// ---------------------------------------------------------------------------------------------
// Running one kernel both ways.

inline std::pair<Tensor, Tensor> run_unary(OpKind op, const Tensor& x, const OpAttrs& attrs) {
  Tensor fast = Tensor::empty(x.shape(), x.dtype());
  Tensor ref = Tensor::empty(x.shape(), x.dtype());
  cpu::unary(op, x, fast, attrs);
  cpu::ref::unary(op, x, ref, attrs);
  return {fast, ref};
}

inline bool is_comparison(OpKind op) {
  return op == OpKind::eq || op == OpKind::ne || op == OpKind::lt || op == OpKind::le ||
         op == OpKind::gt || op == OpKind::ge;
}

inline std::pair<Tensor, Tensor> run_binary(OpKind op, const Tensor& a, const Tensor& b) {
  const DType out_dtype = is_comparison(op) ? DType::u8 : a.dtype();
  Tensor fast = Tensor::empty(a.shape(), out_dtype);
  Tensor ref = Tensor::empty(a.shape(), out_dtype);
  cpu::binary(op, a, b, fast);
  cpu::ref::binary(op, a, b, ref);
  return {fast, ref};
}

inline Shape reduced_shape(const Shape& shape, const std::vector<int64_t>& dims) {
  Shape out = shape;
  for (int64_t d : dims) out[d] = 1;
  return out;
}

inline DType reduce_dtype(OpKind op, DType dtype) {
  if (op == OpKind::argmax || op == OpKind::argmin) return DType::i64;
  if (op == OpKind::sum && !is_floating(dtype)) return DType::i64;
  return dtype;
}

inline std::pair<Tensor, Tensor> run_reduce(OpKind op, const Tensor& x, const std::vector<int64_t>& dims) {
  const Shape shape = reduced_shape(x.shape(), dims);
  Tensor fast = Tensor::empty(shape, reduce_dtype(op, x.dtype()));
  Tensor ref = Tensor::empty(shape, reduce_dtype(op, x.dtype()));
  cpu::reduce(op, x, dims, fast);
  cpu::ref::reduce(op, x, dims, ref);
  return {fast, ref};
}

// Every non-empty sorted subset of {0, …, ndim-1}.
inline std::vector<std::vector<int64_t>> dim_subsets(int64_t ndim) {
  std::vector<std::vector<int64_t>> subsets;
  for (int64_t mask = 1; mask < (int64_t{1} << ndim); ++mask) {
    std::vector<int64_t> dims;
    for (int64_t d = 0; d < ndim; ++d) {
      if (mask & (int64_t{1} << d)) dims.push_back(d);
    }
    subsets.push_back(dims);
  }
  return subsets;
}

inline std::string dims_str(const std::vector<int64_t>& dims) { return "dims " + shape_str(dims); }

// Σ|x| over each reduced group, from the reference kernel: the scale of a sum's rounding error.
inline std::vector<double> abs_sums(const Tensor& x, const std::vector<int64_t>& dims) {
  Tensor magnitude = Tensor::empty(x.shape(), x.dtype());
  cpu::ref::unary(OpKind::abs, x, magnitude, {});
  Tensor total = Tensor::empty(reduced_shape(x.shape(), dims), x.dtype());
  cpu::ref::reduce(OpKind::sum, magnitude, dims, total);
  return read_as<double>(total);
}

// ---------------------------------------------------------------------------------------------
// The element-wise op lists.

struct UnaryCase {
  OpKind op;
  OpAttrs attrs;
  Data data;
  std::string label;
};

inline std::vector<UnaryCase> float_unary_cases() {
  return {
      {OpKind::neg, {}, Data::normal, "neg"},
      {OpKind::abs, {}, Data::normal, "abs"},
      {OpKind::exp, {}, Data::normal, "exp"},
      {OpKind::log, {}, Data::positive, "log"},
      {OpKind::log1p, {}, Data::positive, "log1p"},
      {OpKind::log1p, {}, Data::small_int, "log1p(ints ≥ -3: NaN/-inf where x ≤ -1)"},
      {OpKind::sqrt, {}, Data::positive, "sqrt"},
      {OpKind::relu, {}, Data::normal, "relu"},
      {OpKind::relu, {}, Data::small_int, "relu(ties at 0)"},
      {OpKind::sigmoid, {}, Data::normal, "sigmoid"},
      {OpKind::tanh, {}, Data::normal, "tanh"},
      {OpKind::softplus, {.scalar = 1.0, .scalar2 = 20.0}, Data::normal, "softplus(1, 20)"},
      {OpKind::softplus, {.scalar = 2.0, .scalar2 = 1.0}, Data::normal, "softplus(2, 1)"},
      {OpKind::pow, {.scalar = 2.0}, Data::normal, "pow 2"},
      {OpKind::pow, {.scalar = 1.0}, Data::normal, "pow 1"},
      {OpKind::pow, {.scalar = 3.0}, Data::normal, "pow 3"},
      {OpKind::pow, {.scalar = 0.5}, Data::positive, "pow 0.5"},
      {OpKind::pow, {.scalar = -1.5}, Data::positive, "pow -1.5"},
      {OpKind::clamp, {.scalar = -0.5, .scalar2 = 0.7}, Data::normal, "clamp(-0.5, 0.7)"},
      {OpKind::clamp, {.scalar = -kInf, .scalar2 = 0.3}, Data::normal, "clamp(max 0.3)"},
      {OpKind::clamp, {.scalar = -0.2, .scalar2 = kInf}, Data::normal, "clamp(min -0.2)"},
  };
}

inline std::vector<UnaryCase> integer_unary_cases() {
  return {
      {OpKind::neg, {}, Data::normal, "neg"},
      {OpKind::abs, {}, Data::normal, "abs"},
      {OpKind::relu, {}, Data::normal, "relu"},
      {OpKind::clamp, {.scalar = -3.0, .scalar2 = 5.0}, Data::normal, "clamp(-3, 5)"},
      {OpKind::clamp, {.scalar = -kInf, .scalar2 = 4.0}, Data::normal, "clamp(max 4)"},
      {OpKind::clamp, {.scalar = 0.0, .scalar2 = kInf}, Data::normal, "clamp(min 0)"},
  };
}

struct BinaryCase {
  OpKind op;
  Data left, right;
};

inline std::vector<BinaryCase> float_binary_cases() {
  return {
      {OpKind::add, Data::normal, Data::normal},       {OpKind::sub, Data::normal, Data::normal},
      {OpKind::mul, Data::normal, Data::normal},       {OpKind::div, Data::normal, Data::positive},
      {OpKind::pow_tensor, Data::positive, Data::normal},
      {OpKind::maximum, Data::small_int, Data::small_int},
      {OpKind::minimum, Data::small_int, Data::small_int},
      {OpKind::threshold_backward, Data::normal, Data::small_int},  // small ints: self = 0 occurs
      {OpKind::eq, Data::small_int, Data::small_int},  {OpKind::ne, Data::small_int, Data::small_int},
      {OpKind::lt, Data::small_int, Data::small_int},  {OpKind::le, Data::small_int, Data::small_int},
      {OpKind::gt, Data::small_int, Data::small_int},  {OpKind::ge, Data::small_int, Data::small_int},
  };
}

// The same ops on i64, without the two that need floats (div, pow_tensor).
inline std::vector<BinaryCase> integer_binary_cases() {
  std::vector<BinaryCase> cases;
  for (const BinaryCase& c : float_binary_cases()) {
    if (c.op != OpKind::div && c.op != OpKind::pow_tensor) cases.push_back(c);
  }
  return cases;
}

// The one-input element-wise kinds of op_list.def (neg … clamp) and the two-input ones (add … ge,
// without where), read from the generated table so that a new op is noticed here.
inline std::set<OpKind> op_range(OpKind first, OpKind last) {
  std::set<OpKind> kinds;
  for (const OpInfo& info : kOpInfos) {
    if (info.kind >= first && info.kind <= last && info.kind != OpKind::where) kinds.insert(info.kind);
  }
  return kinds;
}

}  // namespace fulcrum::testing::fastpath
