// core/cpu/conv.cpp — 2-D convolution, forward and the two backward kernels.
//   Reference: the direct 7-deep loop, out[n,o,i,j] = b[o] + Σ_{c,ki,kj} w[o,c,ki,kj] ·
//              x[n, g·C/G + c, i·s − p + ki·d, j·s − p + kj·d]  (zero outside the input).
//   Fast:      im2col + GEMM. im2col lays every receptive field of the batch out as a column:
//              cols[(c,ki,kj), (n,i,j)], so the convolution of a group is one matrix product
//              W_g [O/G, C/G·kh·kw] @ cols_g [C/G·kh·kw, N·OH·OW]. Backward: dW_g = dY_g @ cols_gᵀ,
//              dcols_g = W_gᵀ @ dY_g, and col2im adds dcols back into dX (the adjoint of im2col).
#include <cblas.h>

#include <cstring>
#include <vector>

#include "core/cpu/kernels.hpp"
#include "core/cpu/strided.hpp"

namespace fulcrum::cpu {
namespace {

// cols[(c, ki, kj), (n, i, j)] for the channels [c0, c0 + C/G) of x (contiguous NCHW).
template <typename T>
void im2col(const T* x, const Conv2dGeometry& g, int64_t c0, T* cols) {
  const Window2d& w = g.window;
  const int64_t kernel = w.kernel_h * w.kernel_w, columns = g.batch * g.out_plane();
  const int64_t rows = g.in_per_group() * kernel;
#pragma omp parallel for schedule(static) if (rows * columns > kParallelGrain)
  for (int64_t row = 0; row < rows; ++row) {
    const int64_t c = row / kernel, ki = (row % kernel) / w.kernel_w, kj = row % w.kernel_w;
    T* out = cols + row * columns;
    for (int64_t n = 0; n < g.batch; ++n) {
      const T* plane = x + ((n * g.in_channels) + c0 + c) * g.in_h * g.in_w;
      for (int64_t i = 0; i < g.out_h; ++i) {
        const int64_t y = i * w.stride_h - w.pad_h + ki * w.dilation_h;
        T* line = out + (n * g.out_h + i) * g.out_w;
        if (y < 0 || y >= g.in_h) {
          std::fill(line, line + g.out_w, T(0));
          continue;
        }
        const T* source = plane + y * g.in_w;
        for (int64_t j = 0; j < g.out_w; ++j) {
          const int64_t xx = j * w.stride_w - w.pad_w + kj * w.dilation_w;
          line[j] = (xx >= 0 && xx < g.in_w) ? source[xx] : T(0);
        }
      }
    }
  }
}

// dx[n, c0 + c, y, x] += dcols[(c, ki, kj), (n, i, j)]: the adjoint of im2col. Parallel over
// channels: each channel's plane receives only from its own rows, so threads never collide.
template <typename T>
void col2im(const T* dcols, const Conv2dGeometry& g, int64_t c0, T* dx) {
  const Window2d& w = g.window;
  const int64_t kernel = w.kernel_h * w.kernel_w, columns = g.batch * g.out_plane();
#pragma omp parallel for schedule(static) if (g.in_per_group() * kernel * columns > kParallelGrain)
  for (int64_t c = 0; c < g.in_per_group(); ++c) {
    for (int64_t k = 0; k < kernel; ++k) {
      const int64_t ki = k / w.kernel_w, kj = k % w.kernel_w;
      const T* in = dcols + (c * kernel + k) * columns;
      for (int64_t n = 0; n < g.batch; ++n) {
        T* plane = dx + ((n * g.in_channels) + c0 + c) * g.in_h * g.in_w;
        for (int64_t i = 0; i < g.out_h; ++i) {
          const int64_t y = i * w.stride_h - w.pad_h + ki * w.dilation_h;
          if (y < 0 || y >= g.in_h) continue;
          const T* line = in + (n * g.out_h + i) * g.out_w;
          for (int64_t j = 0; j < g.out_w; ++j) {
            const int64_t xx = j * w.stride_w - w.pad_w + kj * w.dilation_w;
            if (xx >= 0 && xx < g.in_w) plane[y * g.in_w + xx] += line[j];
          }
        }
      }
    }
  }
}

// C [m, n] = op(A) @ op(B) (+ beta·C), row-major, contiguous.
void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, const float* b,
          float beta, float* c) {
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k,
              1.0f, a, ta ? m : k, b, tb ? k : n, beta, c, n);
}
void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double* a, const double* b,
          double beta, double* c) {
  cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k,
              1.0, a, ta ? m : k, b, tb ? k : n, beta, c, n);
}

}  // namespace

// x [N, C, H, W], weight [O, C/G, kh, kw], bias [O] or undefined; out [N, O, OH, OW]. All contiguous.
void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Conv2dGeometry& g,
            const Tensor& out) {
  dispatch_float(x.dtype(), "conv2d", [&]<typename T>() {
    const int64_t columns = g.batch * g.out_plane(), patch = g.patch_size(), opg = g.out_per_group();
    std::vector<T> cols(patch * columns), result(opg * columns);
    T* y = out.data_ptr<T>();
    for (int64_t group = 0; group < g.groups; ++group) {
      im2col(x.data_ptr<T>(), g, group * g.in_per_group(), cols.data());
      gemm(false, false, opg, columns, patch, weight.data_ptr<T>() + group * opg * patch, cols.data(), T(0),
           result.data());
      // result [O/G, (n, p)] → y [n, o, p], adding the bias.
#pragma omp parallel for collapse(2) schedule(static) if (opg * columns > kParallelGrain)
      for (int64_t n = 0; n < g.batch; ++n) {
        for (int64_t o = 0; o < opg; ++o) {
          const int64_t channel = group * opg + o;
          const T b = bias.defined() ? bias.data_ptr<T>()[channel] : T(0);
          const T* from = result.data() + o * columns + n * g.out_plane();
          T* to = y + (n * g.out_channels + channel) * g.out_plane();
          for (int64_t p = 0; p < g.out_plane(); ++p) to[p] = from[p] + b;
        }
      }
    }
  });
}

// From dy [N, O, OH, OW]: dx [N, C, H, W] (if defined), dweight (if defined), dbias (if defined).
void conv2d_backward(const Tensor& dy, const Tensor& x, const Tensor& weight, const Conv2dGeometry& g,
                     const Tensor& dx, const Tensor& dweight, const Tensor& dbias) {
  dispatch_float(dy.dtype(), "conv2d_backward", [&]<typename T>() {
    const int64_t columns = g.batch * g.out_plane(), patch = g.patch_size(), opg = g.out_per_group();
    const T* grad = dy.data_ptr<T>();
    std::vector<T> dy_group(opg * columns), cols(patch * columns);
    if (dx.defined()) std::memset(dx.raw_data(), 0, dx.numel() * sizeof(T));
    for (int64_t group = 0; group < g.groups; ++group) {
      // dy [n, o, p] → dy_group [o, (n, p)] for this group's output channels.
#pragma omp parallel for collapse(2) schedule(static) if (opg * columns > kParallelGrain)
      for (int64_t o = 0; o < opg; ++o) {
        for (int64_t n = 0; n < g.batch; ++n) {
          const T* from = grad + (n * g.out_channels + group * opg + o) * g.out_plane();
          std::copy(from, from + g.out_plane(), dy_group.data() + o * columns + n * g.out_plane());
        }
      }
      if (dweight.defined()) {
        im2col(x.data_ptr<T>(), g, group * g.in_per_group(), cols.data());
        gemm(false, true, opg, patch, columns, dy_group.data(), cols.data(), T(0),
             dweight.data_ptr<T>() + group * opg * patch);
      }
      if (dx.defined()) {
        // dcols = W_gᵀ @ dy_group, into the cols buffer, then scattered back.
        gemm(true, false, patch, columns, opg, weight.data_ptr<T>() + group * opg * patch, dy_group.data(),
             T(0), cols.data());
        col2im(cols.data(), g, group * g.in_per_group(), dx.data_ptr<T>());
      }
    }
    if (dbias.defined()) {
      T* db = dbias.data_ptr<T>();
#pragma omp parallel for schedule(static) if (g.out_channels * columns > kParallelGrain)
      for (int64_t o = 0; o < g.out_channels; ++o) {
        double total = 0;
        for (int64_t n = 0; n < g.batch; ++n) {
          const T* plane = grad + (n * g.out_channels + o) * g.out_plane();
          for (int64_t p = 0; p < g.out_plane(); ++p) total += plane[p];
        }
        db[o] = static_cast<T>(total);
      }
    }
  });
}

namespace ref {

// The direct loop; the oracle for conv2d and (through gradcheck) for its backward.
void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Conv2dGeometry& g,
            const Tensor& out) {
  const Window2d& w = g.window;
  dispatch_float(x.dtype(), "conv2d", [&]<typename T>() {
    const T *input = x.data_ptr<T>(), *kernel = weight.data_ptr<T>();
    T* y = out.data_ptr<T>();
    for (int64_t n = 0; n < g.batch; ++n)
      for (int64_t o = 0; o < g.out_channels; ++o) {
        const int64_t group = o / g.out_per_group();
        for (int64_t i = 0; i < g.out_h; ++i)
          for (int64_t j = 0; j < g.out_w; ++j) {
            double total = bias.defined() ? static_cast<double>(bias.data_ptr<T>()[o]) : 0.0;
            for (int64_t c = 0; c < g.in_per_group(); ++c)
              for (int64_t ki = 0; ki < w.kernel_h; ++ki)
                for (int64_t kj = 0; kj < w.kernel_w; ++kj) {
                  const int64_t yy = i * w.stride_h - w.pad_h + ki * w.dilation_h;
                  const int64_t xx = j * w.stride_w - w.pad_w + kj * w.dilation_w;
                  if (yy < 0 || yy >= g.in_h || xx < 0 || xx >= g.in_w) continue;
                  const int64_t channel = group * g.in_per_group() + c;
                  total += static_cast<double>(
                               kernel[((o * g.in_per_group() + c) * w.kernel_h + ki) * w.kernel_w + kj]) *
                           input[((n * g.in_channels + channel) * g.in_h + yy) * g.in_w + xx];
                }
            y[((n * g.out_channels + o) * g.out_h + i) * g.out_w + j] = static_cast<T>(total);
          }
      }
  });
}

// The direct loops of the backward: the oracle the im2col backward is compared with.
void conv2d_backward(const Tensor& dy, const Tensor& x, const Tensor& weight, const Conv2dGeometry& g,
                     const Tensor& dx, const Tensor& dweight, const Tensor& dbias) {
  const Window2d& w = g.window;
  dispatch_float(dy.dtype(), "conv2d_backward", [&]<typename T>() {
    const T *grad = dy.data_ptr<T>(), *input = x.data_ptr<T>(), *kernel = weight.data_ptr<T>();
    std::vector<double> gx(x.numel(), 0.0), gw(weight.numel(), 0.0), gb(g.out_channels, 0.0);
    for (int64_t n = 0; n < g.batch; ++n)
      for (int64_t o = 0; o < g.out_channels; ++o) {
        const int64_t group = o / g.out_per_group();
        for (int64_t i = 0; i < g.out_h; ++i)
          for (int64_t j = 0; j < g.out_w; ++j) {
            const double d = grad[((n * g.out_channels + o) * g.out_h + i) * g.out_w + j];
            gb[o] += d;
            for (int64_t c = 0; c < g.in_per_group(); ++c)
              for (int64_t ki = 0; ki < w.kernel_h; ++ki)
                for (int64_t kj = 0; kj < w.kernel_w; ++kj) {
                  const int64_t yy = i * w.stride_h - w.pad_h + ki * w.dilation_h;
                  const int64_t xx = j * w.stride_w - w.pad_w + kj * w.dilation_w;
                  if (yy < 0 || yy >= g.in_h || xx < 0 || xx >= g.in_w) continue;
                  const int64_t at_x = ((n * g.in_channels + group * g.in_per_group() + c) * g.in_h + yy) * g.in_w + xx;
                  const int64_t at_w = ((o * g.in_per_group() + c) * w.kernel_h + ki) * w.kernel_w + kj;
                  gx[at_x] += d * kernel[at_w];
                  gw[at_w] += d * input[at_x];
                }
          }
      }
    if (dx.defined()) std::copy(gx.begin(), gx.end(), dx.data_ptr<T>());
    if (dweight.defined()) std::copy(gw.begin(), gw.end(), dweight.data_ptr<T>());
    if (dbias.defined()) std::copy(gb.begin(), gb.end(), dbias.data_ptr<T>());
  });
}

}  // namespace ref
}  // namespace fulcrum::cpu
