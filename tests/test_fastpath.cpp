// tests/test_fastpath.cpp — the fast CPU kernels (cpu::unary, binary, where, reduce, matmul,
// softmax, copy, fill) against the reference kernels (cpu::ref::*) on the same inputs: odd sizes,
// sizes above the OpenMP grain, zero-size and 0-d tensors, broadcast (stride 0) and
// non-contiguous (transposed, permuted, step-2, offset) operands. Integer results and copies
// must agree exactly; floating results to a tolerance that fits how each kernel accumulates.
// Elements are read back through this file's own stride walk, not through library copies.
// The test main NaN-fills new storage, so an output element a kernel skips shows up as NaN.
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

using namespace fulcrum;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------
// Reading tensors back, independently of the library's copy kernels.

// Offsets (in elements, from raw_data()) of every element of t in row-major order.
std::vector<int64_t> element_offsets(const Tensor& t) {
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
Tolerance float_tolerance(DType dtype) {
  return dtype == DType::f32 ? Tolerance{1e-5, 1e-6} : Tolerance{1e-12, 1e-12};
}
Tolerance tolerance_for(DType dtype) {
  return is_floating(dtype) ? float_tolerance(dtype) : Tolerance{};
}

// How many fast-vs-reference comparisons expect_match has made: the sweeps below check it, so a
// filter that silently skips layouts (or an empty list) cannot turn a sweep into zero checks.
int64_t comparisons_made = 0;

// `atol_each`, when given, adds a per-element absolute allowance (accumulation-order bounds).
void expect_match(const Tensor& fast, const Tensor& ref, const std::string& what,
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

Tensor make_data(Data kind, const Shape& shape, DType dtype, Generator& gen) {
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
const std::vector<Layout> kLayouts = {Layout::contiguous, Layout::offset,    Layout::transposed,
                                      Layout::permuted,   Layout::step2_last, Layout::step2_first,
                                      Layout::bcast_row,  Layout::bcast_col, Layout::scalar};

const char* layout_name(Layout layout) {
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

bool layout_applies(Layout layout, const Shape& shape) {
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
Tensor with_layout(Layout layout, const Shape& shape, const Maker& make) {
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

Tensor input(Layout layout, Data kind, const Shape& shape, DType dtype, Generator& gen) {
  return with_layout(layout, shape,
                     [&](const Shape& s) { return make_data(kind, s, dtype, gen); });
}

std::string describe(const std::string& what, const Shape& shape, DType dtype,
                     std::initializer_list<Layout> layouts) {
  std::string text = what + " " + shape_str(shape) + " " + dtype_name(dtype);
  for (Layout l : layouts) text += std::string(" ") + layout_name(l);
  return text;
}

// Element-wise shapes: 0-d, odd sizes, zero-size, and three above the OpenMP grain.
const std::vector<Shape> kShapes = {{},      {1},       {3},        {7},          {33},
                                    {1000},  {0},       {1, 1},     {3, 7},       {7, 33},
                                    {33, 7}, {0, 5},    {5, 0},     {2, 1, 9},    {3, 5, 7},
                                    {4, 0, 3}, {2, 3, 4, 5}, {40000}, {181, 183}, {40, 35, 30}};
bool is_large(const Shape& shape) { return numel(shape) > 5000; }

// How many of the layouts fit a shape, stated by rank without calling layout_applies (so a wrong
// filter shows as a count mismatch): 0-d takes contiguous and scalar; 1-D adds offset and both
// step-2 slices; 2-D adds transposed and both broadcasts; 3-D and up add permuted.
int64_t layouts_of_rank(size_t rank) { return rank == 0 ? 2 : rank == 1 ? 5 : rank == 2 ? 8 : 9; }
// The same for kLargeLayouts (1-D: contiguous, step2_last, scalar) and kLargePairs (1-D: the five
// pairs without a 2-D layout; 2-D: all but the two with permuted).
int64_t large_layouts_of_rank(size_t rank) { return rank == 1 ? 3 : 5; }
int64_t large_pairs_of_rank(size_t rank) { return rank == 1 ? 5 : rank == 2 ? 6 : 8; }
int64_t sweep_layouts(const Shape& shape) {
  return is_large(shape) ? large_layouts_of_rank(shape.size()) : layouts_of_rank(shape.size());
}
int64_t sweep_pairs(const Shape& shape) {
  const int64_t n = layouts_of_rank(shape.size());
  return is_large(shape) ? large_pairs_of_rank(shape.size()) : n * n;
}
template <typename F> int64_t sum_over_shapes(F per_shape) {
  int64_t total = 0;
  for (const Shape& shape : kShapes) total += per_shape(shape);
  return total;
}

// Layouts (and layout pairs) used for the large shapes; the small ones use all of them.
const std::vector<Layout> kLargeLayouts = {Layout::contiguous, Layout::transposed, Layout::step2_last,
                                           Layout::bcast_row, Layout::scalar};
// Layout pairs used for the large shapes (all pairs are used for the small ones).
const std::vector<std::pair<Layout, Layout>> kLargePairs = {
    {Layout::contiguous, Layout::contiguous}, {Layout::contiguous, Layout::scalar},
    {Layout::scalar, Layout::contiguous},     {Layout::transposed, Layout::bcast_row},
    {Layout::step2_last, Layout::contiguous}, {Layout::bcast_col, Layout::permuted},
    {Layout::offset, Layout::step2_first},    {Layout::permuted, Layout::transposed}};

// ---------------------------------------------------------------------------------------------
// Running one kernel both ways.

std::pair<Tensor, Tensor> run_unary(OpKind op, const Tensor& x, const OpAttrs& attrs) {
  Tensor fast = Tensor::empty(x.shape(), x.dtype());
  Tensor ref = Tensor::empty(x.shape(), x.dtype());
  cpu::unary(op, x, fast, attrs);
  cpu::ref::unary(op, x, ref, attrs);
  return {fast, ref};
}

bool is_comparison(OpKind op) {
  return op == OpKind::eq || op == OpKind::ne || op == OpKind::lt || op == OpKind::le ||
         op == OpKind::gt || op == OpKind::ge;
}

std::pair<Tensor, Tensor> run_binary(OpKind op, const Tensor& a, const Tensor& b) {
  const DType out_dtype = is_comparison(op) ? DType::u8 : a.dtype();
  Tensor fast = Tensor::empty(a.shape(), out_dtype);
  Tensor ref = Tensor::empty(a.shape(), out_dtype);
  cpu::binary(op, a, b, fast);
  cpu::ref::binary(op, a, b, ref);
  return {fast, ref};
}

Shape reduced_shape(const Shape& shape, const std::vector<int64_t>& dims) {
  Shape out = shape;
  for (int64_t d : dims) out[d] = 1;
  return out;
}

DType reduce_dtype(OpKind op, DType dtype) {
  if (op == OpKind::argmax || op == OpKind::argmin) return DType::i64;
  if (op == OpKind::sum && !is_floating(dtype)) return DType::i64;
  return dtype;
}

std::pair<Tensor, Tensor> run_reduce(OpKind op, const Tensor& x, const std::vector<int64_t>& dims) {
  const Shape shape = reduced_shape(x.shape(), dims);
  Tensor fast = Tensor::empty(shape, reduce_dtype(op, x.dtype()));
  Tensor ref = Tensor::empty(shape, reduce_dtype(op, x.dtype()));
  cpu::reduce(op, x, dims, fast);
  cpu::ref::reduce(op, x, dims, ref);
  return {fast, ref};
}

// Every non-empty sorted subset of {0, …, ndim-1}.
std::vector<std::vector<int64_t>> dim_subsets(int64_t ndim) {
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

std::string dims_str(const std::vector<int64_t>& dims) { return "dims " + shape_str(dims); }

// Σ|x| over each reduced group, from the reference kernel: the scale of a sum's rounding error.
std::vector<double> abs_sums(const Tensor& x, const std::vector<int64_t>& dims) {
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

std::vector<UnaryCase> float_unary_cases() {
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

std::vector<UnaryCase> integer_unary_cases() {
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

std::vector<BinaryCase> float_binary_cases() {
  return {
      {OpKind::add, Data::normal, Data::normal},       {OpKind::sub, Data::normal, Data::normal},
      {OpKind::mul, Data::normal, Data::normal},       {OpKind::div, Data::normal, Data::positive},
      {OpKind::pow_tensor, Data::positive, Data::normal},
      {OpKind::maximum, Data::small_int, Data::small_int},
      {OpKind::minimum, Data::small_int, Data::small_int},
      {OpKind::eq, Data::small_int, Data::small_int},  {OpKind::ne, Data::small_int, Data::small_int},
      {OpKind::lt, Data::small_int, Data::small_int},  {OpKind::le, Data::small_int, Data::small_int},
      {OpKind::gt, Data::small_int, Data::small_int},  {OpKind::ge, Data::small_int, Data::small_int},
  };
}

std::vector<BinaryCase> integer_binary_cases() {
  return {
      {OpKind::add, Data::normal, Data::normal},       {OpKind::sub, Data::normal, Data::normal},
      {OpKind::mul, Data::normal, Data::normal},
      {OpKind::maximum, Data::small_int, Data::small_int},
      {OpKind::minimum, Data::small_int, Data::small_int},
      {OpKind::eq, Data::small_int, Data::small_int},  {OpKind::ne, Data::small_int, Data::small_int},
      {OpKind::lt, Data::small_int, Data::small_int},  {OpKind::le, Data::small_int, Data::small_int},
      {OpKind::gt, Data::small_int, Data::small_int},  {OpKind::ge, Data::small_int, Data::small_int},
  };
}

// The one-input element-wise kinds of op_list.def (neg … clamp) and the two-input ones (add … ge,
// without where), read from the generated table so that a new op is noticed here.
std::set<OpKind> op_range(OpKind first, OpKind last) {
  std::set<OpKind> kinds;
  for (const OpInfo& info : kOpInfos) {
    if (info.kind >= first && info.kind <= last && info.kind != OpKind::where) kinds.insert(info.kind);
  }
  return kinds;
}

}  // namespace

// =============================================================================================
TEST_CASE("fastpath: the test layouts have the geometry they claim") {
  Generator gen(1);
  const Shape shape = {7, 33, 5};
  auto make = [&](const Shape& s) { return make_data(Data::normal, s, DType::f32, gen); };
  for (Layout layout : kLayouts) {
    INFO(layout_name(layout));
    Tensor t = with_layout(layout, shape, make);
    CHECK(t.shape() == shape);
    const bool contiguous = layout == Layout::contiguous || layout == Layout::offset;
    CHECK(t.is_contiguous() == contiguous);
  }
  CHECK(with_layout(Layout::offset, shape, make).offset() == 33 * 5);
  CHECK(with_layout(Layout::bcast_row, shape, make).strides() == Shape{0, 0, 1});
  CHECK(with_layout(Layout::bcast_col, shape, make).strides() == Shape{33, 1, 0});
  CHECK(with_layout(Layout::bcast_col, {7, 33}, make).strides() == Shape{1, 0});
  CHECK(with_layout(Layout::scalar, shape, make).strides() == Shape{0, 0, 0});
  CHECK(with_layout(Layout::transposed, shape, make).strides() == Shape{165, 1, 33});
  CHECK(with_layout(Layout::step2_last, shape, make).strides() == Shape{330, 10, 2});
  CHECK(with_layout(Layout::step2_first, shape, make).strides() == Shape{330, 5, 1});
  // permuted: base [5, 7, 33] viewed as [7, 33, 5]
  CHECK(with_layout(Layout::permuted, shape, make).strides() == Shape{33, 1, 231});
  CHECK(numel({40000}) > cpu::kParallelGrain);
  CHECK(numel({181, 183}) > cpu::kParallelGrain);
  CHECK(numel({40, 35, 30}) > cpu::kParallelGrain);
}

TEST_CASE("fastpath: the op lists here cover every element-wise op of op_list.def") {
  std::set<OpKind> unary_tested, binary_tested;
  for (const UnaryCase& c : float_unary_cases()) unary_tested.insert(c.op);
  for (const BinaryCase& c : float_binary_cases()) binary_tested.insert(c.op);
  CHECK(unary_tested == op_range(OpKind::neg, OpKind::clamp));
  CHECK(binary_tested == op_range(OpKind::add, OpKind::ge));
  std::set<OpKind> integer_unary, integer_binary;
  for (const UnaryCase& c : integer_unary_cases()) integer_unary.insert(c.op);
  for (const BinaryCase& c : integer_binary_cases()) integer_binary.insert(c.op);
  CHECK(integer_unary == std::set<OpKind>{OpKind::neg, OpKind::abs, OpKind::relu, OpKind::clamp});
  CHECK(integer_binary.size() == 11u);
}

// ---- unary ----------------------------------------------------------------------------------
TEST_CASE("fastpath: unary ops, f32 and f64, every layout and shape") {
  Generator gen(11);
  const int64_t before = comparisons_made;
  for (DType dtype : {DType::f32, DType::f64}) {
    for (const UnaryCase& c : float_unary_cases()) {
      // log1p of small ints hits -1 (→ -inf) and < -1 (→ NaN): both kernels must agree.
      Tolerance tol = float_tolerance(dtype);
      tol.nan_equal = c.data == Data::small_int;
      for (const Shape& shape : kShapes) {
        for (Layout layout : is_large(shape) ? kLargeLayouts : kLayouts) {
          if (!layout_applies(layout, shape)) continue;
          Tensor x = input(layout, c.data, shape, dtype, gen);
          auto [fast, ref] = run_unary(c.op, x, c.attrs);
          expect_match(fast, ref, describe(c.label, shape, dtype, {layout}), tol);
        }
      }
    }
  }
  CHECK(comparisons_made - before ==
        2 * static_cast<int64_t>(float_unary_cases().size()) * sum_over_shapes(sweep_layouts));
}

TEST_CASE("fastpath: unary ops on i64 (neg, abs, relu, clamp) agree exactly") {
  Generator gen(12);
  const int64_t before = comparisons_made;
  for (const UnaryCase& c : integer_unary_cases()) {
    for (const Shape& shape : kShapes) {
      for (Layout layout : kLayouts) {
        if (!layout_applies(layout, shape)) continue;
        Tensor x = input(layout, c.data, shape, DType::i64, gen);
        auto [fast, ref] = run_unary(c.op, x, c.attrs);
        expect_match(fast, ref, describe(c.label, shape, DType::i64, {layout}));
      }
    }
  }
  CHECK(comparisons_made - before == static_cast<int64_t>(integer_unary_cases().size()) *
                                         sum_over_shapes([](const Shape& s) { return layouts_of_rank(s.size()); }));
}

TEST_CASE("fastpath: unary kernels give the hand-computed values (incl. open clamp bounds)") {
  // Both versions share scalar_ops.hpp, so agreement alone cannot catch a wrong formula:
  // check a few values by hand, on a contiguous and on a strided input.
  Tensor x = tensor({-5, -1, 0, 2, 9}, {.dtype = DType::i64});
  Tensor strided = from_data<int64_t>({-5, 100, -1, 100, 0, 100, 2, 100, 9, 100}, {10}).slice(0, 0, 10, 2);
  for (const Tensor& input_tensor : {x, strided}) {
    auto [lo_fast, lo_ref] = run_unary(OpKind::clamp, input_tensor, {.scalar = 0.0, .scalar2 = kInf});
    CHECK(read_as<int64_t>(lo_fast) == std::vector<int64_t>{0, 0, 0, 2, 9});
    CHECK(read_as<int64_t>(lo_ref) == std::vector<int64_t>{0, 0, 0, 2, 9});
    auto [hi_fast, hi_ref] = run_unary(OpKind::clamp, input_tensor, {.scalar = -kInf, .scalar2 = 1.0});
    CHECK(read_as<int64_t>(hi_fast) == std::vector<int64_t>{-5, -1, 0, 1, 1});
    CHECK(read_as<int64_t>(hi_ref) == std::vector<int64_t>{-5, -1, 0, 1, 1});
    auto [abs_fast, abs_ref] = run_unary(OpKind::abs, input_tensor, {});
    CHECK(read_as<int64_t>(abs_fast) == std::vector<int64_t>{5, 1, 0, 2, 9});
    auto [relu_fast, relu_ref] = run_unary(OpKind::relu, input_tensor, {});
    CHECK(read_as<int64_t>(relu_fast) == std::vector<int64_t>{0, 0, 0, 2, 9});
  }
  Tensor f = tensor({-2.0, 0.0, 1.0, 4.0});
  auto [sq_fast, sq_ref] = run_unary(OpKind::pow, f, {.scalar = 2.0});
  CHECK(read_as<double>(sq_fast) == std::vector<double>{4.0, 0.0, 1.0, 16.0});
  auto [sp_fast, sp_ref] = run_unary(OpKind::softplus, f, {.scalar = 1.0, .scalar2 = 0.5});
  const std::vector<double> sp = read_as<double>(sp_fast);
  CHECK(sp[0] == doctest::Approx(std::log1p(std::exp(-2.0))).epsilon(1e-6));
  CHECK(sp[1] == doctest::Approx(std::log(2.0)).epsilon(1e-6));
  CHECK(sp[2] == 1.0);  // above the threshold: x itself
  CHECK(sp[3] == 4.0);
}

// ---- binary ---------------------------------------------------------------------------------
namespace {
void binary_sweep(const std::vector<BinaryCase>& cases, DType dtype, Generator& gen) {
  const Tolerance tol = tolerance_for(dtype);
  const int64_t before = comparisons_made;
  for (const BinaryCase& c : cases) {
    for (const Shape& shape : kShapes) {
      std::vector<std::pair<Layout, Layout>> pairs;
      if (is_large(shape)) {
        pairs = kLargePairs;
      } else {
        for (Layout a : kLayouts) {
          for (Layout b : kLayouts) pairs.emplace_back(a, b);
        }
      }
      for (auto [la, lb] : pairs) {
        if (!layout_applies(la, shape) || !layout_applies(lb, shape)) continue;
        Tensor a = input(la, c.left, shape, dtype, gen);
        Tensor b = input(lb, c.right, shape, dtype, gen);
        auto [fast, ref] = run_binary(c.op, a, b);
        expect_match(fast, ref, describe(op_name(c.op), shape, dtype, {la, lb}), tol);
      }
    }
  }
  CHECK(comparisons_made - before == static_cast<int64_t>(cases.size()) * sum_over_shapes(sweep_pairs));
}
}  // namespace

TEST_CASE("fastpath: binary ops f32, every pair of layouts") {
  Generator gen(21);
  binary_sweep(float_binary_cases(), DType::f32, gen);
}

TEST_CASE("fastpath: binary ops f64, every pair of layouts") {
  Generator gen(22);
  binary_sweep(float_binary_cases(), DType::f64, gen);
}

TEST_CASE("fastpath: binary ops i64 (add, sub, mul, maximum, minimum, comparisons) agree exactly") {
  Generator gen(23);
  binary_sweep(integer_binary_cases(), DType::i64, gen);
}

TEST_CASE("fastpath: binary broadcasts of different ranks (expanded as the op front-end does)") {
  Generator gen(24);
  struct Broadcast { Shape a, b; };
  const std::vector<Broadcast> cases = {
      {{7, 33}, {33}}, {{7, 33}, {7, 1}}, {{7, 1}, {1, 33}}, {{3, 1, 5}, {4, 1}},
      {{}, {5, 3}},    {{2, 3, 4}, {}},   {{200, 201}, {201}}, {{200, 1}, {1, 201}},
      {{0, 5}, {5}},   {{3, 0}, {3, 1}},  {{1}, {40000}}};
  for (DType dtype : {DType::f32, DType::f64, DType::i64}) {
    for (const BinaryCase& c : is_floating(dtype) ? float_binary_cases() : integer_binary_cases()) {
      for (const Broadcast& bc : cases) {
        const Shape shape = broadcast_shapes("test", bc.a, bc.b);
        Tensor a = make_data(c.left, bc.a, dtype, gen).expand(shape);
        Tensor b = make_data(c.right, bc.b, dtype, gen).expand(shape);
        auto [fast, ref] = run_binary(c.op, a, b);
        expect_match(fast, ref, std::string(op_name(c.op)) + " " + shape_str(bc.a) + " with " +
                                    shape_str(bc.b) + " " + dtype_name(dtype),
                     tolerance_for(dtype));
      }
    }
  }
}

TEST_CASE("fastpath: NaN propagates the same way through maximum/minimum and comparisons") {
  Tensor a = from_vector({1.0, kNaN, 3.0, kNaN, -2.0, 0.0, 5.0}, {7});
  Tensor b = from_vector({kNaN, 2.0, 1.0, kNaN, -2.0, -0.5, 6.0}, {7});
  for (OpKind op : {OpKind::maximum, OpKind::minimum, OpKind::add, OpKind::eq, OpKind::ne,
                    OpKind::lt, OpKind::ge}) {
    auto [fast, ref] = run_binary(op, a, b);
    expect_match(fast, ref, op_name(op), Tolerance{0, 0, true});
  }
  auto [mx, mx_ref] = run_binary(OpKind::maximum, a, b);
  const std::vector<double> v = read_as<double>(mx);
  CHECK(std::isnan(v[0]));
  CHECK(std::isnan(v[1]));
  CHECK(v[2] == 3.0);
  CHECK(std::isnan(v[3]));
  CHECK(v[4] == -2.0);
  CHECK(v[5] == 0.0);
  CHECK(v[6] == 6.0);
  auto [ne, ne_ref] = run_binary(OpKind::ne, a, b);
  CHECK(read_as<int64_t>(ne) == std::vector<int64_t>{1, 1, 1, 1, 0, 1, 1});
}

// ---- where ----------------------------------------------------------------------------------
TEST_CASE("fastpath: where, every triple of layouts on small shapes") {
  Generator gen(31);
  const std::vector<Shape> shapes = {{}, {1}, {7}, {0}, {3, 7}, {5, 0}, {2, 1, 9}, {3, 5, 7}};
  const int64_t before = comparisons_made;
  for (DType dtype : {DType::f32, DType::f64, DType::i64}) {
    for (const Shape& shape : shapes) {
      for (Layout lc : kLayouts) {
        for (Layout la : kLayouts) {
          for (Layout lb : kLayouts) {
            if (!layout_applies(lc, shape) || !layout_applies(la, shape) || !layout_applies(lb, shape)) continue;
            Tensor cond = input(lc, Data::mask, shape, DType::u8, gen);
            Tensor a = input(la, Data::normal, shape, dtype, gen);
            Tensor b = input(lb, Data::normal, shape, dtype, gen);
            Tensor fast = Tensor::empty(shape, dtype), ref = Tensor::empty(shape, dtype);
            cpu::where(cond, a, b, fast);
            cpu::ref::where(cond, a, b, ref);
            expect_match(fast, ref, describe("where", shape, dtype, {lc, la, lb}));
          }
        }
      }
    }
  }
  int64_t triples = 0;
  for (const Shape& shape : shapes) {
    const int64_t n = layouts_of_rank(shape.size());
    triples += n * n * n;
  }
  CHECK(comparisons_made - before == 3 * triples);  // three dtypes
}

TEST_CASE("fastpath: where on large shapes (OpenMP path)") {
  Generator gen(32);
  const std::vector<std::tuple<Layout, Layout, Layout>> triples = {
      {Layout::contiguous, Layout::contiguous, Layout::contiguous},
      {Layout::bcast_row, Layout::contiguous, Layout::scalar},
      {Layout::contiguous, Layout::transposed, Layout::step2_last},
      {Layout::step2_first, Layout::bcast_col, Layout::offset},
      {Layout::transposed, Layout::scalar, Layout::transposed}};
  for (DType dtype : {DType::f32, DType::f64, DType::i64}) {
    for (const Shape& shape : {Shape{181, 183}, Shape{40, 35, 30}}) {
      for (auto [lc, la, lb] : triples) {
        Tensor cond = input(lc, Data::mask, shape, DType::u8, gen);
        Tensor a = input(la, Data::normal, shape, dtype, gen);
        Tensor b = input(lb, Data::normal, shape, dtype, gen);
        Tensor fast = Tensor::empty(shape, dtype), ref = Tensor::empty(shape, dtype);
        cpu::where(cond, a, b, fast);
        cpu::ref::where(cond, a, b, ref);
        expect_match(fast, ref, describe("where", shape, dtype, {lc, la, lb}));
      }
    }
  }
}

// ---- copy and fill --------------------------------------------------------------------------
namespace {
// Source data suited to a conversion src → dst (no out-of-range float → integer casts).
Tensor copy_source(DType src, DType dst, const Shape& shape, Generator& gen) {
  if (src == DType::u8) return randint(0, 256, shape, {.dtype = DType::u8}, &gen);
  if (dst == DType::u8) {
    return is_floating(src) ? uniform(shape, 0.0, 255.0, {.dtype = src}, &gen)
                            : randint(0, 256, shape, {.dtype = src}, &gen);
  }
  return is_floating(src) ? normal(shape, 0.0, 100.0, {.dtype = src}, &gen)
                          : randint(-100000, 100000, shape, {.dtype = src}, &gen);
}

bool same_bytes(const Tensor& a, const Tensor& b) {
  return a.storage()->nbytes == b.storage()->nbytes &&
         (a.storage()->nbytes == 0 ||
          std::memcmp(a.storage()->data, b.storage()->data, static_cast<size_t>(a.storage()->nbytes)) == 0);
}
}  // namespace

TEST_CASE("fastpath: copy between every pair of dtypes, every source layout") {
  Generator gen(41);
  const std::vector<DType> dtypes = {DType::f32, DType::f64, DType::i64, DType::u8};
  for (DType src : dtypes) {
    for (DType dst : dtypes) {
      for (const Shape& shape : kShapes) {
        for (Layout layout : kLayouts) {
          if (!layout_applies(layout, shape)) continue;
          if (is_large(shape) && layout != Layout::contiguous && layout != Layout::transposed &&
              layout != Layout::bcast_row) {
            continue;
          }
          Tensor x = with_layout(layout, shape, [&](const Shape& s) { return copy_source(src, dst, s, gen); });
          Tensor fast = Tensor::empty(shape, dst), ref = Tensor::empty(shape, dst);
          cpu::copy(x, fast);
          cpu::ref::copy(x, ref);
          expect_match(fast, ref, describe(std::string("copy to ") + dtype_name(dst), shape, src, {layout}));
        }
      }
    }
  }
}

TEST_CASE("fastpath: copy into strided destinations writes exactly the view's elements") {
  // Both destinations start NaN-filled (0xFF bytes); after the copy the whole storages must be
  // byte-identical: same elements written, and nothing outside the view touched.
  Generator gen(42);
  const std::vector<Shape> shapes = {{1}, {7}, {3, 7}, {7, 33}, {0, 5}, {2, 3, 4, 5}, {181, 183}};
  const std::vector<Layout> dst_layouts = {Layout::offset, Layout::transposed, Layout::permuted,
                                           Layout::step2_last, Layout::step2_first};
  for (DType dtype : {DType::f32, DType::f64, DType::i64}) {
    for (const Shape& shape : shapes) {
      for (Layout ld : dst_layouts) {
        for (Layout ls : {Layout::contiguous, Layout::transposed, Layout::bcast_col, Layout::scalar}) {
          if (!layout_applies(ld, shape) || !layout_applies(ls, shape)) continue;
          Tensor x = input(ls, Data::normal, shape, dtype, gen);
          auto empty = [&](const Shape& s) { return Tensor::empty(s, dtype); };
          Tensor fast = with_layout(ld, shape, empty), ref = with_layout(ld, shape, empty);
          cpu::copy(x, fast);
          cpu::ref::copy(x, ref);
          INFO(describe("copy into", shape, dtype, {ld, ls}));
          expect_match(fast, ref, "copied values");
          CHECK(same_bytes(fast, ref));
          CHECK(read_as<double>(fast) == read_as<double>(x));
        }
      }
    }
  }
}

TEST_CASE("fastpath: fill writes every element of a strided view and nothing else") {
  for (DType dtype : {DType::f32, DType::f64, DType::i64}) {
    for (const Shape& shape : {Shape{}, Shape{7}, Shape{3, 7}, Shape{181, 183}, Shape{40, 35, 30}}) {
      for (Layout layout : {Layout::contiguous, Layout::offset, Layout::transposed, Layout::step2_last,
                            Layout::step2_first, Layout::permuted}) {
        if (!layout_applies(layout, shape)) continue;
        INFO(describe("fill", shape, dtype, {layout}));
        Tensor view = with_layout(layout, shape, [&](const Shape& s) { return Tensor::empty(s, dtype); });
        cpu::fill(view, 3.0);
        const std::vector<double> inside = read_as<double>(view);
        CHECK(std::all_of(inside.begin(), inside.end(), [](double v) { return v == 3.0; }));
        // Count the written elements in the whole storage: exactly numel of them are 3.
        Tensor whole = Tensor(std::make_shared<TensorImpl>(*view.impl()));
        whole.impl()->shape = {whole.storage()->nbytes / dtype_size(dtype)};
        whole.impl()->strides = {1};
        whole.impl()->offset = 0;
        const std::vector<double> all = read_as<double>(whole);
        CHECK(std::count(all.begin(), all.end(), 3.0) == view.numel());
      }
    }
  }
}

// ---- reductions -----------------------------------------------------------------------------
namespace {
void reduce_sweep(const std::vector<Shape>& shapes, const std::vector<Layout>& layouts,
                  const std::vector<DType>& dtypes, Generator& gen) {
  const std::vector<OpKind> ops = {OpKind::sum, OpKind::max, OpKind::min, OpKind::argmax, OpKind::argmin};
  for (DType dtype : dtypes) {
    for (const Shape& shape : shapes) {
      for (const std::vector<int64_t>& dims : dim_subsets(static_cast<int64_t>(shape.size()))) {
        bool empty_reduction = false;
        for (int64_t d : dims) empty_reduction = empty_reduction || shape[d] == 0;
        for (Layout layout : layouts) {
          if (!layout_applies(layout, shape)) continue;
          for (OpKind op : ops) {
            if (op != OpKind::sum && empty_reduction) continue;  // rejected by the front-end
            if (op != OpKind::sum && dtype == DType::u8) continue;
            // Sums of normal data; ties (small ints) for max/min/arg*.
            const Data kind = op == OpKind::sum ? Data::normal : Data::small_int;
            Tensor x = dtype == DType::u8 ? with_layout(layout, shape, [&](const Shape& s) {
                                              return randint(0, 256, s, {.dtype = DType::u8}, &gen);
                                            })
                                          : input(layout, kind, shape, dtype, gen);
            auto [fast, ref] = run_reduce(op, x, dims);
            const std::string what = describe(op_name(op), shape, dtype, {layout}) + " " + dims_str(dims);
            if (op == OpKind::sum && is_floating(dtype)) {
              // Both accumulate in double, in different orders: allow n·2u·Σ|x| for the double
              // sums, plus the final rounding to T.
              int64_t count = 1;
              for (int64_t d : dims) count *= shape[d];
              std::vector<double> allowance = abs_sums(x, dims);
              for (double& a : allowance) a *= static_cast<double>(count) * 4.5e-16;
              const Tolerance tol = dtype == DType::f32 ? Tolerance{1e-6, 0} : Tolerance{1e-12, 0};
              expect_match(fast, ref, what, tol, allowance);
            } else {
              expect_match(fast, ref, what);  // max/min/arg*, integer sums: exact
            }
          }
        }
      }
    }
  }
}
}  // namespace

TEST_CASE("fastpath: reductions over every dim subset, small shapes, every layout") {
  Generator gen(51);
  reduce_sweep({{1}, {7}, {33}, {1000}, {0}, {7, 33}, {3, 5, 7}, {4, 1, 6}, {0, 5}, {5, 0}, {2, 3, 4, 5}},
               kLayouts, {DType::f32, DType::f64, DType::i64, DType::u8}, gen);
}

TEST_CASE("fastpath: reductions over every dim subset, large shapes (OpenMP paths)") {
  Generator gen(52);
  // [40000]: one long row (parallel full sum); [300, 150]: many rows / wide columns;
  // [40, 35, 30]: leading, middle, trailing and all dims.
  reduce_sweep({{40000}, {300, 150}, {40, 35, 30}},
               {Layout::contiguous, Layout::transposed, Layout::permuted, Layout::step2_last, Layout::bcast_row},
               {DType::f32, DType::i64}, gen);
  reduce_sweep({{40000}, {300, 150}, {40, 35, 30}}, {Layout::contiguous, Layout::permuted}, {DType::f64}, gen);
}

TEST_CASE("fastpath: reductions give the hand-computed values, NaN propagation, first index on ties") {
  // x = [[1, NaN, 3], [4, 6, 6]]: max over dim 1 = [NaN, 6]; argmax = [1, 1] (NaN wins; first
  // of the tied 6s); min over dim 0 = [1, NaN, 3]; argmin over dim 0 = [0, 0, 0].
  for (bool transposed : {false, true}) {
    Tensor x = from_vector({1.0, kNaN, 3.0, 4.0, 6.0, 6.0}, {2, 3});
    if (transposed) x = from_vector({1.0, 4.0, kNaN, 6.0, 3.0, 6.0}, {3, 2}).t();
    INFO("transposed: " << transposed);
    for (OpKind op : {OpKind::max, OpKind::min, OpKind::argmax, OpKind::argmin, OpKind::sum}) {
      for (std::vector<int64_t> dims : {std::vector<int64_t>{0}, std::vector<int64_t>{1}, std::vector<int64_t>{0, 1}}) {
        auto [fast, ref] = run_reduce(op, x, dims);
        expect_match(fast, ref, std::string(op_name(op)) + " " + dims_str(dims), Tolerance{0, 0, true});
      }
    }
    auto [mx, mx_ref] = run_reduce(OpKind::max, x, {1});
    const std::vector<double> m = read_as<double>(mx);
    CHECK(std::isnan(m[0]));
    CHECK(m[1] == 6.0);
    auto [amx, amx_ref] = run_reduce(OpKind::argmax, x, {1});
    CHECK(read_as<int64_t>(amx) == std::vector<int64_t>{1, 1});
    auto [mn, mn_ref] = run_reduce(OpKind::min, x, {0});
    const std::vector<double> n = read_as<double>(mn);
    CHECK(n[0] == 1.0);
    CHECK(std::isnan(n[1]));
    CHECK(n[2] == 3.0);
  }
  // Ties: argmax/argmin return the first index, in every layout.
  Tensor ties = from_vector({2, 5, 5, 1, 1, 5, 2, 1}, {2, 4});
  auto [a1, a1_ref] = run_reduce(OpKind::argmax, ties, {1});
  CHECK(read_as<int64_t>(a1) == std::vector<int64_t>{1, 1});
  auto [a2, a2_ref] = run_reduce(OpKind::argmin, ties, {1});
  CHECK(read_as<int64_t>(a2) == std::vector<int64_t>{3, 0});
  auto [a3, a3_ref] = run_reduce(OpKind::argmax, ties.t(), {0});
  CHECK(read_as<int64_t>(a3) == std::vector<int64_t>{1, 1});  // = argmax of ties over dim 1
  // Integer sums are exact and i64; u8 sums do not wrap at 256.
  Tensor bytes = from_data<uint8_t>({200, 100, 255, 1}, {4});
  auto [s, s_ref] = run_reduce(OpKind::sum, bytes, {0});
  CHECK(s.dtype() == DType::i64);
  CHECK(read_as<int64_t>(s) == std::vector<int64_t>{556});
}

// ---- matmul ---------------------------------------------------------------------------------
namespace {
enum class MatLayout {
  contiguous,         // [B, R, C] row-major
  transposed,         // a [B, C, R] base viewed through transpose(1, 2): GEMM's Trans path
  batch_broadcast,    // one [1, R, C] matrix expanded over the batch: batch stride 0
  transposed_bcast,   // both of the above
  rows_step2,         // every other row: row stride 2C, still GEMM-readable (lda = 2C)
  cols_step2,         // every other column: not GEMM-readable, copied first
  batch_permuted,     // a [R, B, C] base permuted to [B, R, C]: batch stride C
};
const std::vector<MatLayout> kMatLayouts = {MatLayout::contiguous,     MatLayout::transposed,
                                            MatLayout::batch_broadcast, MatLayout::transposed_bcast,
                                            MatLayout::rows_step2,     MatLayout::cols_step2,
                                            MatLayout::batch_permuted};
const char* mat_layout_name(MatLayout l) {
  switch (l) {
    case MatLayout::contiguous: return "contiguous";
    case MatLayout::transposed: return "transposed";
    case MatLayout::batch_broadcast: return "batch_broadcast";
    case MatLayout::transposed_bcast: return "transposed_bcast";
    case MatLayout::rows_step2: return "rows_step2";
    case MatLayout::cols_step2: return "cols_step2";
    case MatLayout::batch_permuted: return "batch_permuted";
  }
  return "?";
}

Tensor matrix(MatLayout layout, int64_t batch, int64_t rows, int64_t cols, DType dtype, Generator& gen) {
  auto make = [&](const Shape& s) { return normal(s, 0.0, 1.0, {.dtype = dtype}, &gen); };
  switch (layout) {
    case MatLayout::contiguous: return make({batch, rows, cols});
    case MatLayout::transposed: return make({batch, cols, rows}).transpose(1, 2);
    case MatLayout::batch_broadcast: return make({1, rows, cols}).expand({batch, rows, cols});
    case MatLayout::transposed_bcast: return make({1, cols, rows}).transpose(1, 2).expand({batch, rows, cols});
    case MatLayout::rows_step2: return make({batch, 2 * rows, cols}).slice(1, 0, 2 * rows, 2);
    case MatLayout::cols_step2: return make({batch, rows, 2 * cols}).slice(2, 0, 2 * cols, 2);
    case MatLayout::batch_permuted: return make({rows, batch, cols}).permute({1, 0, 2});
  }
  return Tensor();
}

// out = a @ b both ways; allowance (K+2)·u·(|a| @ |b|) for the different accumulation (GEMM in T,
// blocked, maybe FMA; the reference in double), u the unit roundoff of T.
void check_matmul(const Tensor& a, const Tensor& b, const std::string& what) {
  const int64_t batch = a.size(0), m = a.size(1), k = a.size(2), n = b.size(2);
  Tensor fast = Tensor::empty({batch, m, n}, a.dtype()), ref = Tensor::empty({batch, m, n}, a.dtype());
  cpu::matmul(a, b, fast);
  cpu::ref::matmul(a, b, ref);
  Tensor abs_a = Tensor::empty(a.shape(), a.dtype()), abs_b = Tensor::empty(b.shape(), b.dtype());
  cpu::ref::unary(OpKind::abs, a, abs_a, {});
  cpu::ref::unary(OpKind::abs, b, abs_b, {});
  Tensor scale = Tensor::empty({batch, m, n}, a.dtype());
  cpu::ref::matmul(abs_a, abs_b, scale);
  const double u = a.dtype() == DType::f32 ? 0x1.0p-24 : 0x1.0p-53;
  std::vector<double> allowance = read_as<double>(scale);
  for (double& v : allowance) v *= static_cast<double>(k + 2) * u;
  expect_match(fast, ref, what, Tolerance{}, allowance);
}
}  // namespace

TEST_CASE("fastpath: matmul, every pair of operand layouts, odd and degenerate sizes") {
  Generator gen(61);
  struct Size { int64_t b, m, k, n; };
  const std::vector<Size> sizes = {
      {1, 1, 1, 1},  {1, 3, 7, 5},   {2, 33, 17, 9}, {3, 1, 8, 6},  // M = 1
      {2, 5, 8, 1},  {2, 5, 1, 6},   {1, 1, 9, 1},                   // N = 1, K = 1, vector·vector
      {2, 4, 0, 3},  {0, 4, 5, 3},   {2, 0, 3, 4},  {2, 4, 3, 0},    // K = 0, B = 0, M = 0, N = 0
      {2, 24, 40, 30}};
  for (DType dtype : {DType::f32, DType::f64}) {
    for (const Size& s : sizes) {
      for (MatLayout la : kMatLayouts) {
        for (MatLayout lb : kMatLayouts) {
          Tensor a = matrix(la, s.b, s.m, s.k, dtype, gen);
          Tensor b = matrix(lb, s.b, s.k, s.n, dtype, gen);
          std::ostringstream what;
          what << "matmul B=" << s.b << " M=" << s.m << " K=" << s.k << " N=" << s.n << " "
               << dtype_name(dtype) << " a " << mat_layout_name(la) << " b " << mat_layout_name(lb);
          check_matmul(a, b, what.str());
        }
      }
    }
  }
}

TEST_CASE("fastpath: matmul of 2-D x.t() views through the public op uses the same values") {
  Generator gen(62);
  for (DType dtype : {DType::f32, DType::f64}) {
    // (M, K, N) = (7, 33, 5): a = x.t() with x [33, 7]; b = y.t() with y [5, 33].
    Tensor x = randn({33, 7}, {.dtype = dtype}, &gen), y = randn({5, 33}, {.dtype = dtype}, &gen);
    Tensor a = x.t(), b = y.t();
    REQUIRE_FALSE(a.is_contiguous());
    REQUIRE_FALSE(b.is_contiguous());
    // The kernel on [1, M, K] views of the transposed operands (strides kept, no copy).
    auto as_batch = [](const Tensor& t) {
      auto impl = std::make_shared<TensorImpl>(*t.impl());
      impl->shape = {1, t.size(0), t.size(1)};
      impl->strides = {0, t.stride(0), t.stride(1)};
      return Tensor(impl);
    };
    check_matmul(as_batch(a), as_batch(b), std::string("matmul x.t() @ y.t() ") + dtype_name(dtype));
    // The public op agrees with the reference kernel on the same views.
    Tensor out = matmul(a, b);
    Tensor ref = Tensor::empty({1, 7, 5}, dtype);
    cpu::ref::matmul(as_batch(a), as_batch(b), ref);
    expect_match(out, ref.reshape({7, 5}), "public matmul",
                 dtype == DType::f32 ? Tolerance{1e-5, 1e-5} : Tolerance{1e-12, 1e-12});
  }
}

TEST_CASE("fastpath: matmul hand-computed values") {
  // [[1, 2], [3, 4]] @ [[5, 6], [7, 8]] = [[19, 22], [43, 50]], with b given transposed.
  Tensor a = from_vector({1, 2, 3, 4}, {1, 2, 2});
  Tensor b = from_vector({5, 7, 6, 8}, {1, 2, 2}).transpose(1, 2);
  Tensor out = Tensor::empty({1, 2, 2}, DType::f32);
  cpu::matmul(a, b, out);
  CHECK(read_as<double>(out) == std::vector<double>{19, 22, 43, 50});
  // K = 0: the empty sum is 0.
  Tensor empty_out = Tensor::empty({2, 3, 4}, DType::f32);
  cpu::matmul(zeros({2, 3, 0}), zeros({2, 0, 4}), empty_out);
  const std::vector<double> zero = read_as<double>(empty_out);
  CHECK(std::all_of(zero.begin(), zero.end(), [](double v) { return v == 0.0; }));
}

// ---- softmax --------------------------------------------------------------------------------
namespace {
// The fast kernel works in T (it sums the L exponentials in T), the reference in double: the
// brief's 1e-5 / 1e-12, plus a random-walk allowance 10·√L·u for the length-L sum in T (measured
// ≈ 3·√L·u on these data). The same value serves as the absolute allowance for log_softmax,
// whose error is the relative error of the sum.
Tolerance softmax_tolerance(DType dtype, int64_t length) {
  const double u = dtype == DType::f32 ? 0x1.0p-24 : 0x1.0p-53;
  const double rel = (dtype == DType::f32 ? 1e-5 : 1e-12) + 10.0 * std::sqrt(static_cast<double>(length)) * u;
  return Tolerance{rel, rel};
}
}  // namespace

TEST_CASE("fastpath: softmax and log_softmax over first, middle and last dims") {
  Generator gen(71);
  struct Case { Shape shape; std::vector<int64_t> dims; };
  const std::vector<Case> cases = {
      {{1}, {0}},           {{7}, {0}},           {{1000}, {0}},          {{40000}, {0}},
      {{3, 5, 7}, {0, 1, 2}}, {{5, 1, 4}, {0, 1, 2}}, {{40, 1001}, {0, 1}}, {{200, 3, 70}, {0, 1, 2}},
      {{0, 5}, {0, 1}},     {{3, 0}, {0, 1}},     {{2, 3, 4, 5}, {0, 1, 2, 3}}};
  for (DType dtype : {DType::f32, DType::f64}) {
    for (const Case& c : cases) {
      for (int64_t dim : c.dims) {
        for (bool log : {false, true}) {
          Tensor x = normal(c.shape, 0.0, 3.0, {.dtype = dtype}, &gen);
          Tensor fast = Tensor::empty(c.shape, dtype), ref = Tensor::empty(c.shape, dtype);
          cpu::softmax(x, dim, log, fast);
          cpu::ref::softmax(x, dim, log, ref);
          expect_match(fast, ref,
                       std::string(log ? "log_softmax " : "softmax ") + shape_str(c.shape) + " dim " +
                           std::to_string(dim) + " " + dtype_name(dtype),
                       softmax_tolerance(dtype, c.shape[dim]));
        }
      }
    }
  }
}

TEST_CASE("fastpath: softmax with large and -inf entries, hand-computed values") {
  // Row [-inf, s, -inf, s + 1] → softmax [0, 1/(1+e), 0, e/(1+e)] for any shift s; s = 1000
  // checks the stable form (e^1000 overflows) and that the shift costs no precision.
  const double e = std::exp(1.0);
  for (double shift : {0.0, 1000.0}) {
    for (DType dtype : {DType::f32, DType::f64}) {
      INFO("shift " << shift << " " << std::string(dtype_name(dtype)));
      Tensor x = from_vector({-kInf, shift, -kInf, shift + 1.0}, {1, 4}, {.dtype = dtype});
      Tensor fast = Tensor::empty({1, 4}, dtype), ref = Tensor::empty({1, 4}, dtype);
      cpu::softmax(x, 1, false, fast);
      cpu::ref::softmax(x, 1, false, ref);
      expect_match(fast, ref, "softmax with -inf", softmax_tolerance(dtype, 4));
      const std::vector<double> p = read_as<double>(fast);
      CHECK(p[0] == 0.0);
      CHECK(p[1] == doctest::Approx(1.0 / (1.0 + e)).epsilon(1e-6));
      CHECK(p[2] == 0.0);
      CHECK(p[3] == doctest::Approx(e / (1.0 + e)).epsilon(1e-6));
      Tensor lfast = Tensor::empty({1, 4}, dtype), lref = Tensor::empty({1, 4}, dtype);
      cpu::softmax(x, 1, true, lfast);
      cpu::ref::softmax(x, 1, true, lref);
      expect_match(lfast, lref, "log_softmax with -inf", softmax_tolerance(dtype, 4));
      const std::vector<double> l = read_as<double>(lfast);
      CHECK(l[0] == -kInf);
      CHECK(l[1] == doctest::Approx(-std::log1p(e)).epsilon(1e-6));
      CHECK(l[2] == -kInf);
      CHECK(l[3] == doctest::Approx(1.0 - std::log1p(e)).epsilon(1e-6));
    }
  }
}

// ---- thread count ---------------------------------------------------------------------------
TEST_CASE("fastpath: public ops give the same results with 1 and 2 OpenMP threads") {
  const int saved = omp_get_max_threads();
  struct Result { std::string name; Tensor value; bool order_dependent; };
  auto run = [](int threads) {
    omp_set_num_threads(threads);
    REQUIRE(omp_get_max_threads() == threads);
    Generator gen(2024);
    std::vector<Result> r;
    Tensor x = randn({300, 200}, {}, &gen);  // 60000 elements, above the grain
    Tensor y = randn({200}, {}, &gen);
    Tensor z = randn({300, 200}, {.dtype = DType::f64}, &gen);
    r.push_back({"randn", x, false});
    r.push_back({"rand", rand({50001}, {}, &gen), false});
    r.push_back({"rand f64", rand({50001}, {.dtype = DType::f64}, &gen), false});
    r.push_back({"randint", randint(-7, 100, {50001}, {.dtype = DType::i64}, &gen), false});
    r.push_back({"add broadcast", add(x, y), false});
    r.push_back({"mul scalar", x * 0.5, false});
    r.push_back({"exp", exp(x), false});
    r.push_back({"tanh of transposed", tanh(x.t()), false});
    r.push_back({"relu f64", relu(z), false});
    r.push_back({"where", where(x > 0.0, x, zeros({}, {})), false});
    r.push_back({"clamp", clamp(x, -0.5, 0.5), false});
    r.push_back({"gt", gt(x, y), false});
    r.push_back({"contiguous of transposed", x.t().contiguous(), false});
    r.push_back({"to f64", x.to(DType::f64), false});
    r.push_back({"sum rows", sum(x, {1}), false});
    r.push_back({"sum columns", sum(x, {0}), false});
    r.push_back({"sum of transposed", sum(x.t(), {1}), false});
    r.push_back({"max rows", max(x, {1}), false});
    r.push_back({"min columns", min(z, {0}), false});
    r.push_back({"argmax rows", argmax(x, 1), false});
    r.push_back({"argmin columns", argmin(x, 0), false});
    r.push_back({"softmax last", softmax(x, 1), false});
    r.push_back({"log_softmax first", log_softmax(z, 0), false});
    r.push_back({"sum all", sum(x), true});        // OpenMP reduction: the order depends on threads
    r.push_back({"sum all f64", sum(z), true});
    r.push_back({"matmul", matmul(x, x.t()), true});  // OpenBLAS (OpenMP build) blocks by thread count
    return r;
  };
  const std::vector<Result> one = run(1);
  const std::vector<Result> two = run(2);
  omp_set_num_threads(saved);
  REQUIRE(one.size() == two.size());
  for (size_t i = 0; i < one.size(); ++i) {
    // Order-dependent results are f32 sums whose grouping changes with the thread count: allow
    // a few ulps per term (the inputs are O(1), K ≤ a few hundred).
    const Tolerance tol = one[i].order_dependent ? Tolerance{2e-5, 2e-5} : Tolerance{};
    expect_match(two[i].value, one[i].value, one[i].name + " (2 threads vs 1)", tol);
  }
}
