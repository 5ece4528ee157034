// core/cpu/strided.hpp — walking strided tensors on the CPU. A multi-index maps to a memory
// offset through strides (offset = Σ index_d · stride_d); broadcasting is stride 0.
// RowPlan merges dims that are contiguous in every operand ("coalescing"), so an element-wise
// loop becomes rows × inner with a plain strided inner loop — the fast kernels' workhorse.
#pragma once
#include <cstdint>
#include <vector>

#include "core/shape.hpp"

namespace fulcrum::cpu {

// Element counts above which loops are split across threads (OpenMP); below, threads cost more
// than they save.
constexpr int64_t kParallelGrain = 32768;

// Offset of the element whose row-major linear index is `linear`.
inline int64_t strided_offset(int64_t linear, const Shape& shape, const Shape& strides) {
  int64_t offset = 0;
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    int64_t index = linear % shape[d];
    linear /= shape[d];
    offset += index * strides[d];
  }
  return offset;
}

struct RowPlan {
  Shape shape;                    // coalesced shape; the last dim is the inner loop
  std::vector<Shape> strides;     // one coalesced stride list per operand
  int64_t inner = 1;              // elements per row
  int64_t rows = 1;

  // Offset of the first element of `row` in operand k.
  int64_t row_offset(size_t k, int64_t row) const {
    int64_t offset = 0;
    for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d) {
      offset += (row % shape[d]) * strides[k][d];
      row /= shape[d];
    }
    return offset;
  }
  int64_t inner_stride(size_t k) const { return shape.empty() ? 0 : strides[k].back(); }
};

// Builds the plan for operands that all have `shape` (strides given per operand). Size-1 dims are
// dropped and neighbouring dims merged when, for every operand, stride[d] == stride[d+1]·size[d+1].
inline RowPlan make_row_plan(const Shape& shape, const std::vector<Shape>& strides) {
  RowPlan plan;
  plan.strides.resize(strides.size());
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1) continue;
    bool merge = !plan.shape.empty();
    for (size_t k = 0; merge && k < strides.size(); ++k) {
      merge = plan.strides[k].back() == strides[k][d] * shape[d];
    }
    if (merge) {
      plan.shape.back() *= shape[d];
      for (size_t k = 0; k < strides.size(); ++k) plan.strides[k].back() = strides[k][d];
    } else {
      plan.shape.push_back(shape[d]);
      for (size_t k = 0; k < strides.size(); ++k) plan.strides[k].push_back(strides[k][d]);
    }
  }
  plan.inner = plan.shape.empty() ? 1 : plan.shape.back();
  plan.rows = 1;
  for (size_t d = 0; d + 1 < plan.shape.size(); ++d) plan.rows *= plan.shape[d];
  if (numel(shape) == 0) plan.rows = 0;
  return plan;
}

}  // namespace fulcrum::cpu
