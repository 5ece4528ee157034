// core/cpu/im2col.hpp — im2col and its adjoint col2im for the conv kernels of core/cpu/conv.cpp,
// and scratch<T>(), the per-thread buffers they fill. The column matrix of a group of one image is
// cols[(c, ki, kj), (i, j)] = x[c0 + c, i·s − p + ki·d, j·s − p + kj·d] (zero outside the input);
// several images sit side by side in one matrix of `ld` columns, image k at column k·OH·OW.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "core/geometry.hpp"

namespace fulcrum::cpu {

// A buffer of at least `size` elements owned by the calling thread, one per `slot`. It keeps its
// capacity from call to call (OpenMP's threads live as long as the program), so the conv kernels
// allocate only when a layer larger than any before comes along. Not to be held across calls.
template <typename T>
T* scratch(int slot, int64_t size) {
  thread_local std::array<std::vector<T>, 4> buffers;
  std::vector<T>& buffer = buffers.at(static_cast<size_t>(slot));
  if (static_cast<int64_t>(buffer.size()) < size) buffer.resize(static_cast<size_t>(size));
  return buffer.data();
}

// The output columns j ∈ [first, last) whose input column j·stride + shift is inside [0, in_w):
// j ≥ ⌈−shift / stride⌉ and j < ⌈(in_w − shift) / stride⌉, clipped to [0, out_w). Computing the
// range once per row replaces a bounds test per element (the padding is only at the two ends).
struct ColumnRange {
  int64_t first, last;
};
inline ColumnRange valid_columns(int64_t shift, int64_t stride, int64_t in_w, int64_t out_w) {
  // (A 64-bit division costs some 40 cycles, more than copying a row of an 8×8 image: stride 1,
  // the common case, does without.)
  const int64_t first = shift >= 0 ? 0 : stride == 1 ? -shift : (-shift + stride - 1) / stride;
  const int64_t last = in_w - shift <= 0 ? 0 : stride == 1 ? in_w - shift : (in_w - shift + stride - 1) / stride;
  const int64_t clipped_first = std::min(first, out_w);
  return {clipped_first, std::clamp(last, clipped_first, out_w)};
}

// The output rows i ∈ [first, last) whose input row i·stride_h − pad_h + ki·dilation_h is inside
// [0, in_h) (the same arithmetic as valid_columns, along the other axis).
inline ColumnRange valid_rows(const Conv2dGeometry& g, int64_t ki) {
  const Window2d& w = g.window;
  return valid_columns(ki * w.dilation_h - w.pad_h, w.stride_h, g.in_h, g.out_h);
}

// With stride 1 and an output as wide as the input ("same" padding along the width, the 3×3 pad 1
// convs of ResNet), output pixel (i, j) of a row (c, ki, kj) reads input pixel (i, j) shifted by
// the constant offset (ki·d − p)·W + (kj·d − p): the valid rows of the row are one contiguous run
// of the input. One long copy then does the work of OH short ones, and only the columns the
// shift pushed across the left or right edge (which wrapped into the neighbouring input row)
// are set to zero afterwards.
inline bool rows_are_contiguous(const Conv2dGeometry& g) {
  return g.window.stride_w == 1 && g.window.stride_h == 1 && g.out_w == g.in_w;
}

// Zero the columns [0, valid.first) and [valid.last, OW) of the rows [rows.first, rows.last) of
// one OH × OW plane. Column by column: they are one or two columns wide, and a memset per image row
// would cost more than the stores.
template <typename T>
void zero_edge_columns(T* plane, const Conv2dGeometry& g, ColumnRange rows, ColumnRange valid) {
  for (int64_t j = 0; j < valid.first; ++j)
    for (int64_t i = rows.first; i < rows.last; ++i) plane[i * g.out_w + j] = T(0);
  for (int64_t j = valid.last; j < g.out_w; ++j)
    for (int64_t i = rows.first; i < rows.last; ++i) plane[i * g.out_w + j] = T(0);
}

// cols[(c, ki, kj), (i, j)] (row length ld) from the channels [c0, c0 + C/G) of `image` (C × H × W).
// Every element of the OH·OW columns is written: the padding as zeros, the rest copied.
template <typename T>
void im2col(const T* image, const Conv2dGeometry& g, int64_t c0, T* cols, int64_t ld) {
  const Window2d& w = g.window;
  const bool contiguous = rows_are_contiguous(g);
  for (int64_t c = 0; c < g.in_per_group(); ++c)
  for (int64_t ki = 0; ki < w.kernel_h; ++ki)
  for (int64_t kj = 0; kj < w.kernel_w; ++kj) {
    const int64_t row = (c * w.kernel_h + ki) * w.kernel_w + kj;
    const int64_t shift = kj * w.dilation_w - w.pad_w;  // input column of output column j: j·s + shift
    const ColumnRange valid = valid_columns(shift, w.stride_w, g.in_w, g.out_w), rows = valid_rows(g, ki);
    const T* channel = image + (c0 + c) * g.in_h * g.in_w;
    T* out = cols + row * ld;
    std::fill(out, out + rows.first * g.out_w, T(0));  // rows above and below the input
    std::fill(out + rows.last * g.out_w, out + g.out_h * g.out_w, T(0));
    if (contiguous && rows.first < rows.last && valid.first < valid.last) {  // else the run is empty
      const int64_t begin = rows.first * g.out_w + valid.first, end = (rows.last - 1) * g.out_w + valid.last;
      const int64_t offset = (ki * w.dilation_h - w.pad_h) * g.in_w + shift;  // input index of output pixel 0
      std::copy(channel + (offset + begin), channel + (offset + end), out + begin);
      zero_edge_columns(out, g, rows, valid);
      continue;
    }
    for (int64_t i = rows.first; i < rows.last; ++i) {
      T* line = out + i * g.out_w;
      const T* source = channel + (i * w.stride_h - w.pad_h + ki * w.dilation_h) * g.in_w;
      if (w.stride_w == 2) {  // the stage transitions of ResNet; a constant stride vectorises
        for (int64_t j = valid.first; j < valid.last; ++j) line[j] = source[2 * j + shift];
      } else {
        for (int64_t j = valid.first; j < valid.last; ++j) line[j] = source[j * w.stride_w + shift];
      }
    }
    zero_edge_columns(out, g, rows, valid);
  }
}

// image_grad[c0 + c, y, x] += dcols[(c, ki, kj), (i, j)] (row length ld): the adjoint of im2col.
// Padding positions receive nothing; each input pixel sums the kh·kw columns that copied it. In
// the contiguous case the entries of dcols that stand for padding are zeroed first (dcols is a
// scratch buffer), so that one long add over the run carries nothing into a wrong pixel.
template <typename T>
void col2im(T* dcols, const Conv2dGeometry& g, int64_t c0, int64_t ld, T* image_grad) {
  const Window2d& w = g.window;
  const bool contiguous = rows_are_contiguous(g);
  for (int64_t c = 0; c < g.in_per_group(); ++c)
  for (int64_t ki = 0; ki < w.kernel_h; ++ki)
  for (int64_t kj = 0; kj < w.kernel_w; ++kj) {
    const int64_t row = (c * w.kernel_h + ki) * w.kernel_w + kj;
    const int64_t shift = kj * w.dilation_w - w.pad_w;
    const ColumnRange valid = valid_columns(shift, w.stride_w, g.in_w, g.out_w), rows = valid_rows(g, ki);
    T* channel = image_grad + (c0 + c) * g.in_h * g.in_w;
    T* in = dcols + row * ld;
    if (contiguous && rows.first < rows.last && valid.first < valid.last) {  // else the run is empty
      zero_edge_columns(in, g, rows, valid);
      const int64_t begin = rows.first * g.out_w + valid.first, end = (rows.last - 1) * g.out_w + valid.last;
      const int64_t offset = (ki * w.dilation_h - w.pad_h) * g.in_w + shift;
      for (int64_t p = begin; p < end; ++p) channel[offset + p] += in[p];
      continue;
    }
    for (int64_t i = rows.first; i < rows.last; ++i) {
      const T* line = in + i * g.out_w;
      T* target = channel + (i * w.stride_h - w.pad_h + ki * w.dilation_h) * g.in_w;
      if (w.stride_w == 2) {
        for (int64_t j = valid.first; j < valid.last; ++j) target[2 * j + shift] += line[j];
      } else {
        for (int64_t j = valid.first; j < valid.last; ++j) target[j * w.stride_w + shift] += line[j];
      }
    }
  }
}

}  // namespace fulcrum::cpu
