// core/geometry.hpp — the index arithmetic of 2-D convolution and pooling windows, shared by the
// op front-ends (nn/functional), the kernels (core/cpu/conv.cpp, pool.cpp) and the backward.
// Output size along one axis: out = floor_or_ceil((in + 2·pad − dil·(k − 1) − 1) / stride) + 1.
#pragma once
#include <algorithm>
#include <cstdint>

namespace fulcrum {

struct Window2d {
  int64_t kernel_h = 1, kernel_w = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_h = 0, pad_w = 0;
  int64_t dilation_h = 1, dilation_w = 1;
};

// x [N, C, H, W] * weight [O, C / groups, kh, kw] → out [N, O, OH, OW].
struct Conv2dGeometry {
  int64_t batch = 0, in_channels = 0, in_h = 0, in_w = 0;
  int64_t out_channels = 0, out_h = 0, out_w = 0;
  int64_t groups = 1;
  Window2d window;
  int64_t in_per_group() const { return in_channels / groups; }
  int64_t out_per_group() const { return out_channels / groups; }
  // Rows of the im2col matrix of one group: (c, ki, kj) for c in the group.
  int64_t patch_size() const { return in_per_group() * window.kernel_h * window.kernel_w; }
  int64_t out_plane() const { return out_h * out_w; }
};

// x [N, C, H, W] → out [N, C, OH, OW], one window per output element.
struct Pool2dGeometry {
  int64_t batch = 0, channels = 0, in_h = 0, in_w = 0, out_h = 0, out_w = 0;
  Window2d window;
  bool count_include_pad = true;  // avg: divide by the full window, padding included
  bool adaptive = false;          // adaptive pooling: windows [⌊iH/OH⌋, ⌈(i+1)H/OH⌉)
};

// The input rows [start, end) (step = dilation) that output row i of a pooling window reads,
// clipped to the input; `padded_end` is the end before clipping to the input (for PyTorch's
// count_include_pad divisor, which counts padding but not the overhang past it).
struct WindowSpan {
  int64_t start, end, padded_start, padded_end;
};
inline WindowSpan pool_span(int64_t i, int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t pad,
                            bool adaptive) {
  if (adaptive) {
    const int64_t start = (i * in) / out, end = ((i + 1) * in + out - 1) / out;
    return {start, end, start, end};
  }
  const int64_t padded_start = i * stride - pad;
  const int64_t padded_end = std::min(padded_start + kernel, in + pad);
  return {std::max<int64_t>(padded_start, 0), std::min(padded_end, in), padded_start, padded_end};
}

inline int64_t window_output_size(int64_t in, int64_t kernel, int64_t stride, int64_t pad,
                                  int64_t dilation, bool ceil_mode) {
  const int64_t span = in + 2 * pad - dilation * (kernel - 1) - 1;
  if (span < 0) return 0;
  int64_t out = (ceil_mode ? (span + stride - 1) / stride : span / stride) + 1;
  // PyTorch: with ceil_mode the last window must start inside the input or the left padding.
  if (ceil_mode && (out - 1) * stride >= in + pad) --out;
  return out;
}

}  // namespace fulcrum
