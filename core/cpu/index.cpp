// core/cpu/index.cpp — index_select, gather and scatter_add: plain loops (the indices were
// range-checked by the op front-end, ops_index.cpp). x is viewed as [outer, size, inner] around
// `dim` where that helps; gather/scatter walk the index tensor's multi-index.
#include <algorithm>

#include "core/cpu/kernels.hpp"
#include "core/cpu/strided.hpp"

namespace fulcrum::cpu {

// out[o, i, r] = x[o, index[i], r]; x contiguous, out contiguous, index 1-D i64.
void index_select(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& out) {
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < dim; ++d) outer *= x.size(d);
  for (int64_t d = dim + 1; d < x.dim(); ++d) inner *= x.size(d);
  const int64_t size = x.size(dim), count = index.numel();
  const int64_t* indices = index.data_ptr<int64_t>();
  dispatch_all(x.dtype(), "index_select", [&]<typename T>() {
    const T* source = x.data_ptr<T>();
    T* target = out.data_ptr<T>();
    // A row gather is a memory copy: threads pay off only for big outputs. The loop runs over
    // (o, i) rows so that dim 0 (outer = 1: the DataLoader's batch gather) can still be split.
    const int64_t rows = outer * count;
#pragma omp parallel for schedule(static) if (out.numel() > (int64_t{1} << 20))
    for (int64_t row = 0; row < rows; ++row) {
      const int64_t o = row / count, i = row % count;
      const T* from = source + (o * size + indices[i]) * inner;
      std::copy(from, from + inner, target + row * inner);
    }
  });
}

// out[j…] = x[j… with j_dim replaced by index[j…]]; out and index have the same shape.
void gather(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& out) {
  const int64_t* indices = index.data_ptr<int64_t>();
  dispatch_all(x.dtype(), "gather", [&]<typename T>() {
    const T* source = x.data_ptr<T>();
    T* target = out.data_ptr<T>();
    Shape x_strides = x.strides();
    x_strides[dim] = 0;  // the position along dim comes from the index instead
#pragma omp parallel for schedule(static) if (out.numel() > kParallelGrain)
    for (int64_t j = 0; j < out.numel(); ++j) {
      const int64_t k = indices[strided_offset(j, index.shape(), index.strides())];
      target[j] = source[strided_offset(j, index.shape(), x_strides) + k * x.stride(dim)];
    }
  });
}

// out[j… with j_dim replaced by index[j…]] += src[j…]; serial, as several j may hit one slot.
void scatter_add(const Tensor& out, int64_t dim, const Tensor& index, const Tensor& src) {
  const int64_t* indices = index.data_ptr<int64_t>();
  dispatch_all(out.dtype(), "scatter_add", [&]<typename T>() {
    const T* source = src.data_ptr<T>();
    T* target = out.data_ptr<T>();
    Shape out_strides = out.strides();
    out_strides[dim] = 0;
    for (int64_t j = 0; j < index.numel(); ++j) {
      const int64_t k = indices[strided_offset(j, index.shape(), index.strides())];
      target[strided_offset(j, index.shape(), out_strides) + k * out.stride(dim)] +=
          source[strided_offset(j, index.shape(), src.strides())];
    }
  });
}

}  // namespace fulcrum::cpu
