// core/print.cpp — printing in PyTorch's style (torch/_tensor_str.py, default print options):
//   tensor([[18., 24.],
//           [30., 36.]], dtype=f64, grad_fn=<MulBackward>)
// One formatter for all printed values: floats that are all whole print as "18."; otherwise 4
// decimals; scientific ("1.0000e+03") when the non-zero magnitudes span more than 1000×, exceed
// 1e8 or (with fractions) go below 1e-4. Values are right-aligned to a common width, rows wrap at
// 80 columns, and tensors of more than 1000 elements show 3 items at each end of every dim.
#include <cmath>
#include <cstdio>
#include <sstream>
#include <type_traits>

#include "core/op.hpp"  // grad_fn_name: the Node is asked through it, not through autograd/node.hpp
#include "core/ops.hpp"

namespace fulcrum {
namespace {

constexpr int64_t kSummarizeAbove = 1000;
constexpr int64_t kEdgeItems = 3;
constexpr int kLineWidth = 80;

std::string printf_string(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

// One printed element. Integer dtypes keep their exact value: an i64 above 2^53 has no exact
// double (2^62 + 1 would print as 4611686018427387904).
struct Element {
  double real = 0.0;
  int64_t integer = 0;
};

struct Formatter {
  bool floating = true, int_mode = true, sci_mode = false;
  int width = 1;

  Formatter(const std::vector<Element>& values, DType dtype) : floating(is_floating(dtype)) {
    if (!floating) {
      for (const Element& e : values) width = std::max<int>(width, std::to_string(e.integer).size());
      return;
    }
    std::vector<double> finite;  // the non-zero finite values decide the format
    for (const Element& e : values) {
      if (std::isfinite(e.real) && e.real != 0) finite.push_back(e.real);
    }
    if (finite.empty()) return;
    double lo = INFINITY, hi = 0;
    for (double v : finite) {
      lo = std::min(lo, std::abs(v));
      hi = std::max(hi, std::abs(v));
      int_mode = int_mode && v == std::ceil(v);
    }
    sci_mode = hi / lo > 1000.0 || hi > 1e8 || (!int_mode && lo < 1e-4);
    for (double v : finite) {
      const int length = sci_mode ? printf_string("%.4e", v).size()
                         : int_mode ? printf_string("%.0f", v).size() + 1  // the trailing "."
                                    : printf_string("%.4f", v).size();
      width = std::max(width, length);
    }
  }

  std::string operator()(const Element& e) const {
    const double v = e.real;
    std::string text;
    if (!floating) text = std::to_string(e.integer);
    else if (std::isnan(v)) text = "nan";
    else if (std::isinf(v)) text = v > 0 ? "inf" : "-inf";
    else if (sci_mode) text = printf_string("%.4e", v);
    else if (int_mode) text = printf_string("%.0f.", v);
    else text = printf_string("%.4f", v);
    std::string padded(std::max<int>(0, width - static_cast<int>(text.size())), ' ');
    padded.append(text);
    return padded;
  }
};

Element value_at(const Tensor& t, int64_t offset) {
  return dispatch_all(t.dtype(), "print", [&]<typename T>() {
    const T value = static_cast<const T*>(t.storage()->data)[offset];
    if constexpr (std::is_integral_v<T>) return Element{static_cast<double>(value), static_cast<int64_t>(value)};
    else return Element{static_cast<double>(value), 0};
  });
}

// The indices of dim d that are shown: all, or the first and last kEdgeItems.
std::vector<int64_t> shown(int64_t size, bool summarize) {
  std::vector<int64_t> indices;
  for (int64_t i = 0; i < size; ++i) {
    if (summarize && size > 2 * kEdgeItems && i == kEdgeItems) i = size - kEdgeItems;
    indices.push_back(i);
  }
  return indices;
}

// Every value that will be printed (PyTorch's get_summarized_data), to choose the format.
void collect(const Tensor& t, int64_t d, int64_t offset, bool summarize, std::vector<Element>& values) {
  if (d == t.dim()) { values.push_back(value_at(t, offset)); return; }
  for (int64_t i : shown(t.size(d), summarize)) collect(t, d + 1, offset + i * t.stride(d), summarize, values);
}

bool elided(int64_t size, bool summarize, size_t position) {
  return summarize && size > 2 * kEdgeItems && position == static_cast<size_t>(kEdgeItems);
}

// Dims [d, ndim) starting at offset; indent = the column of this bracket.
std::string block(const Tensor& t, int64_t d, int64_t offset, const Formatter& format, int indent, bool summarize) {
  const int64_t size = t.size(d);
  const std::vector<int64_t> indices = shown(size, summarize);
  std::vector<std::string> items;
  for (size_t k = 0; k < indices.size(); ++k) {
    if (elided(size, summarize, k)) items.push_back(d + 1 == t.dim() ? " ..." : "...");
    const int64_t at = offset + indices[k] * t.stride(d);
    items.push_back(d + 1 == t.dim() ? format(value_at(t, at)) : block(t, d + 1, at, format, indent + 1, summarize));
  }
  // Rows wrap after as many items as fit in 80 columns; inner blocks are separated by a comma
  // and one newline per remaining dim; continuation lines align under the bracket.
  const bool row = d + 1 == t.dim();
  const int per_line = std::max(1, (kLineWidth - indent) / (format.width + 2));
  std::string text = "[";
  for (size_t k = 0; k < items.size(); ++k) {
    if (k > 0) {
      text.append(",");
      if (!row || k % per_line == 0) {
        text.append(row ? 1 : static_cast<size_t>(t.dim() - d - 1), '\n');
        text.append(static_cast<size_t>(indent + 1), ' ');
      } else {
        text.append(" ");
      }
    }
    text.append(items[k]);
  }
  text.append("]");
  return text;
}

}  // namespace

std::string Tensor::str() const {
  if (!defined()) return "tensor(undefined)";
  std::ostringstream os;
  os << "tensor(";
  if (numel() == 0) {
    os << "[]";
    if (dim() != 1) {  // PyTorch prints the size as a Python tuple
      os << ", size=(";
      for (int64_t d = 0; d < dim(); ++d) os << (d ? ", " : "") << size(d);
      os << (dim() == 1 ? ",)" : ")");
    }
  } else {
    const bool summarize = numel() > kSummarizeAbove;
    std::vector<Element> values;
    collect(*this, 0, offset(), summarize, values);
    const Formatter format(values, dtype());
    if (dim() == 0) {
      Formatter scalar = format;
      scalar.width = 1;  // a 0-d tensor is printed without padding
      os << scalar(values[0]);
    } else {
      os << block(*this, 0, offset(), format, 7, summarize);
    }
  }
  const bool show_dtype = dtype() != DType::f32 && (dtype() != DType::i64 || numel() == 0);
  if (show_dtype) os << ", dtype=" << dtype_name(dtype());
  if (!device().is_cpu()) os << ", device='" << device().str() << "'";
  if (grad_fn()) os << ", grad_fn=<" << grad_fn_name(*grad_fn()) << ">";
  else if (requires_grad()) os << ", requires_grad=True";
  os << ")";
  return os.str();
}

std::ostream& operator<<(std::ostream& os, const Tensor& tensor) { return os << tensor.str(); }

}  // namespace fulcrum
