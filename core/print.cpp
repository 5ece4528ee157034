// core/print.cpp — printing in PyTorch's style:
//   tensor([[18., 24.],
//           [30., 36.]], dtype=f64, grad_fn=<MulBackward>)
// One format for all elements: integers-valued floats as "18.", otherwise 4 decimals, or
// scientific notation when the magnitudes span too much. Large tensors show 3 items each end.
#include <cmath>
#include <cstdio>
#include <sstream>

#include "autograd/node.hpp"
#include "core/ops.hpp"

namespace fulcrum {
namespace {

constexpr int64_t kSummarizeAbove = 1000;  // PyTorch's threshold
constexpr int64_t kEdgeItems = 3;

struct Format {
  enum Kind { integer, whole_float, fixed, scientific } kind = fixed;
  int width = 1;
  std::string operator()(double v) const {
    char buffer[64];
    switch (kind) {
      case integer: std::snprintf(buffer, sizeof buffer, "%.0f", v); break;
      case whole_float:
        if (std::isfinite(v)) std::snprintf(buffer, sizeof buffer, "%.0f.", v);
        else std::snprintf(buffer, sizeof buffer, "%s", std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf"));
        break;
      case fixed: std::snprintf(buffer, sizeof buffer, "%.4f", v); break;
      case scientific: std::snprintf(buffer, sizeof buffer, "%.4e", v); break;
    }
    return buffer;
  }
};

Format choose_format(const std::vector<double>& values, DType dtype) {
  Format format;
  if (!is_floating(dtype)) {
    format.kind = Format::integer;
  } else {
    bool whole = true;
    double max_abs = 0, min_abs = INFINITY;
    for (double v : values) {
      if (!std::isfinite(v)) continue;
      whole = whole && v == std::nearbyint(v);
      max_abs = std::max(max_abs, std::abs(v));
      if (v != 0) min_abs = std::min(min_abs, std::abs(v));
    }
    if (whole && max_abs < 1e8) format.kind = Format::whole_float;
    else if (max_abs >= 1e8 || (min_abs < 1e-4) || max_abs / min_abs > 1000) format.kind = Format::scientific;
    else format.kind = Format::fixed;
  }
  for (double v : values) format.width = std::max<int>(format.width, format(v).size());
  return format;
}

// Prints dims [d, ndim) of `t` starting at offset; indent = column of the opening bracket.
void print_block(std::ostream& os, const Tensor& t, int64_t d, int64_t offset, const Format& format,
                 int indent, bool summarize) {
  if (t.dim() == 0) {
    std::string s = format(t.at(std::vector<int64_t>{}));
    os << s;
    return;
  }
  os << "[";
  const int64_t size = t.size(d);
  for (int64_t i = 0; i < size; ++i) {
    if (summarize && size > 2 * kEdgeItems && i == kEdgeItems) {
      os << (d + 1 == t.dim() ? "..., " : "...,\n" + std::string(indent + 1, ' '));
      i = size - kEdgeItems;
    }
    const int64_t at = offset + i * t.stride(d);
    if (d + 1 == t.dim()) {
      std::string s = dispatch_all(t.dtype(), "print", [&]<typename T>() {
        return format(static_cast<double>(static_cast<const T*>(t.storage()->data)[at]));
      });
      os << std::string(std::max<int>(0, format.width - static_cast<int>(s.size())), ' ') << s;
    } else {
      print_block(os, t, d + 1, at, format, indent + 1, summarize);
    }
    if (i + 1 < size) {
      if (d + 1 == t.dim()) os << ", ";
      else os << "," << std::string(t.dim() - d - 1, '\n') << std::string(indent + 1, ' ');
    }
  }
  os << "]";
}

}  // namespace

std::string Tensor::str() const {
  if (!defined()) return "tensor(undefined)";
  std::ostringstream os;
  const bool summarize = numel() > kSummarizeAbove;
  // Collect the values that will be shown (all, or the edges) to choose one format.
  std::vector<double> values;
  if (summarize) {
    std::vector<int64_t> index(dim(), 0);
    Tensor flat = detach().reshape({-1});
    for (int64_t i = 0; i < kEdgeItems; ++i) values.push_back(flat.at({i}));
    for (int64_t i = numel() - kEdgeItems; i < numel(); ++i) values.push_back(flat.at({i}));
  } else if (numel() > 0) {
    values = to_vector<double>();
  }
  Format format = choose_format(values, dtype());
  os << "tensor(";
  if (numel() == 0) {
    os << "[]";
  } else {
    print_block(os, *this, 0, offset(), format, 7, summarize);
  }
  if (numel() == 0 && dim() != 1) os << ", size=" << shape_str(shape());
  if (dtype() != DType::f32 && dtype() != DType::i64) os << ", dtype=" << dtype_name(dtype());
  if (!device().is_cpu()) os << ", device='" << device().str() << "'";
  if (grad_fn()) os << ", grad_fn=<" << grad_fn()->name() << ">";
  else if (requires_grad()) os << ", requires_grad=True";
  os << ")";
  return os.str();
}

std::ostream& operator<<(std::ostream& os, const Tensor& tensor) { return os << tensor.str(); }

}  // namespace fulcrum
