// core/cpu/conv.cpp — 2-D convolution, forward and the two backward kernels.
//   Reference: the direct 7-deep loop, out[n,o,i,j] = b[o] + Σ_{c,ki,kj} w[o,c,ki,kj] ·
//              x[n, g·C/G + c, i·s − p + ki·d, j·s − p + kj·d]  (zero outside the input).
//   Fast:      im2col + GEMM, one image at a time. im2col lays every receptive field of an image
//              out as a column, cols[(c,ki,kj), (i,j)], so the convolution of a group is one matrix
//              product W_g [O/G, C/G·kh·kw] @ cols [C/G·kh·kw, OH·OW] written straight into the
//              output. Backward: dW_g += dY @ colsᵀ, dcols = W_gᵀ @ dY, and col2im adds dcols back
//              into dX (the adjoint of im2col). Images are split across threads.
#include <cblas.h>

#include <cstring>
#include <vector>

#include "core/cpu/kernels.hpp"
#include "core/cpu/strided.hpp"

namespace fulcrum::cpu {
namespace {

// cols[(c, ki, kj), (i, j)] for one image: the channels [c0, c0 + C/G) of `image` (C × H × W).
template <typename T>
void im2col(const T* image, const Conv2dGeometry& g, int64_t c0, T* cols) {
  const Window2d& w = g.window;
  const int64_t kernel = w.kernel_h * w.kernel_w, plane = g.out_plane();
  for (int64_t row = 0; row < g.in_per_group() * kernel; ++row) {
    const int64_t c = row / kernel, ki = (row % kernel) / w.kernel_w, kj = row % w.kernel_w;
    const T* channel = image + (c0 + c) * g.in_h * g.in_w;
    T* out = cols + row * plane;
    for (int64_t i = 0; i < g.out_h; ++i) {
      const int64_t y = i * w.stride_h - w.pad_h + ki * w.dilation_h;
      T* line = out + i * g.out_w;
      if (y < 0 || y >= g.in_h) {
        std::fill(line, line + g.out_w, T(0));
        continue;
      }
      const T* source = channel + y * g.in_w;
      const int64_t shift = kj * w.dilation_w - w.pad_w;
      if (w.stride_w == 1 && shift >= 0 && shift + g.out_w <= g.in_w) {
        std::copy(source + shift, source + shift + g.out_w, line);  // the common, unpadded case
        continue;
      }
      for (int64_t j = 0; j < g.out_w; ++j) {
        const int64_t xx = j * w.stride_w + shift;
        line[j] = (xx >= 0 && xx < g.in_w) ? source[xx] : T(0);
      }
    }
  }
}

// image_grad[c0 + c, y, x] += dcols[(c, ki, kj), (i, j)]: the adjoint of im2col, for one image.
template <typename T>
void col2im(const T* dcols, const Conv2dGeometry& g, int64_t c0, T* image_grad) {
  const Window2d& w = g.window;
  const int64_t kernel = w.kernel_h * w.kernel_w, plane = g.out_plane();
  for (int64_t row = 0; row < g.in_per_group() * kernel; ++row) {
    const int64_t c = row / kernel, ki = (row % kernel) / w.kernel_w, kj = row % w.kernel_w;
    T* channel = image_grad + (c0 + c) * g.in_h * g.in_w;
    const T* in = dcols + row * plane;
    for (int64_t i = 0; i < g.out_h; ++i) {
      const int64_t y = i * w.stride_h - w.pad_h + ki * w.dilation_h;
      if (y < 0 || y >= g.in_h) continue;
      const T* line = in + i * g.out_w;
      T* target = channel + y * g.in_w;
      for (int64_t j = 0; j < g.out_w; ++j) {
        const int64_t xx = j * w.stride_w - w.pad_w + kj * w.dilation_w;
        if (xx >= 0 && xx < g.in_w) target[xx] += line[j];
      }
    }
  }
}

// C [m, n] = op(A) @ op(B) + beta·C, row-major, contiguous, leading dims given.
void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
          int64_t ldb, float beta, float* c, int64_t ldc) {
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k,
              1.0f, a, lda, b, ldb, beta, c, ldc);
}
void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double* a, int64_t lda, const double* b,
          int64_t ldb, double beta, double* c, int64_t ldc) {
  cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k,
              1.0, a, lda, b, ldb, beta, c, ldc);
}

// Samples are split across threads when the batch has work enough for it. Inside the parallel
// region GEMM runs on the calling thread (Debian's OpenMP build of OpenBLAS does so by itself).
bool parallel_over_batch(const Conv2dGeometry& g) {
  return g.batch > 1 && g.batch * g.out_channels * g.out_plane() * g.patch_size() > (1 << 18);
}

}  // namespace

// x [N, C, H, W], weight [O, C/G, kh, kw], bias [O] or undefined; out [N, O, OH, OW]. All contiguous.
// Per image and group: out[n, group] (O/G × OH·OW, contiguous) = W_g @ im2col(x[n], group).
void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Conv2dGeometry& g,
            const Tensor& out) {
  dispatch_float(x.dtype(), "conv2d", [&]<typename T>() {
    const int64_t plane = g.out_plane(), patch = g.patch_size(), opg = g.out_per_group();
    const T *input = x.data_ptr<T>(), *kernel = weight.data_ptr<T>();
    const T* b = bias.defined() ? bias.data_ptr<T>() : nullptr;
    T* y = out.data_ptr<T>();
#pragma omp parallel if (parallel_over_batch(g))
    {
      std::vector<T> cols(patch * plane);  // one image's patches: fits in L2 for the Net's layers
#pragma omp for schedule(static)
      for (int64_t n = 0; n < g.batch; ++n) {
        const T* image = input + n * g.in_channels * g.in_h * g.in_w;
        for (int64_t group = 0; group < g.groups; ++group) {
          im2col(image, g, group * g.in_per_group(), cols.data());
          T* result = y + (n * g.out_channels + group * opg) * plane;
          gemm(false, false, opg, plane, patch, kernel + group * opg * patch, patch, cols.data(), plane, T(0),
               result, plane);
          if (!b) continue;
          for (int64_t o = 0; o < opg; ++o) {
            const T bias_value = b[group * opg + o];
            for (int64_t p = 0; p < plane; ++p) result[o * plane + p] += bias_value;
          }
        }
      }
    }
  });
}

// From dy [N, O, OH, OW]: dx [N, C, H, W] (if defined), dweight (if defined), dbias (if defined).
// Per image and group, with dY_n = dy[n, group] (O/G × OH·OW, contiguous):
//   dW_g += dY_n @ im2col(x[n])ᵀ   (each thread sums its own images, then the partial sums add up)
//   dx[n] = col2im(W_gᵀ @ dY_n)    (images are disjoint: no two threads write the same dx)
void conv2d_backward(const Tensor& dy, const Tensor& x, const Tensor& weight, const Conv2dGeometry& g,
                     const Tensor& dx, const Tensor& dweight, const Tensor& dbias) {
  dispatch_float(dy.dtype(), "conv2d_backward", [&]<typename T>() {
    const int64_t plane = g.out_plane(), patch = g.patch_size(), opg = g.out_per_group();
    const int64_t image_size = g.in_channels * g.in_h * g.in_w;
    const T *grad = dy.data_ptr<T>(), *input = x.data_ptr<T>(), *kernel = weight.data_ptr<T>();
    if (dx.defined()) std::memset(dx.raw_data(), 0, dx.numel() * sizeof(T));
    std::vector<std::vector<T>> partial_dw;  // one per thread
#pragma omp parallel if (parallel_over_batch(g))
    {
      std::vector<T> cols(patch * plane), dw;
      if (dweight.defined()) dw.assign(weight.numel(), T(0));
#pragma omp for schedule(static)
      for (int64_t n = 0; n < g.batch; ++n) {
        for (int64_t group = 0; group < g.groups; ++group) {
          const T* dy_n = grad + (n * g.out_channels + group * opg) * plane;
          const T* w_g = kernel + group * opg * patch;
          if (dweight.defined()) {
            im2col(input + n * image_size, g, group * g.in_per_group(), cols.data());
            gemm(false, true, opg, patch, plane, dy_n, plane, cols.data(), plane, T(1),
                 dw.data() + group * opg * patch, patch);
          }
          if (dx.defined()) {
            gemm(true, false, patch, plane, opg, w_g, patch, dy_n, plane, T(0), cols.data(), plane);
            col2im(cols.data(), g, group * g.in_per_group(), dx.data_ptr<T>() + n * image_size);
          }
        }
      }
      if (dweight.defined()) {
#pragma omp critical
        partial_dw.push_back(std::move(dw));
      }
    }
    if (dweight.defined()) {
      T* target = dweight.data_ptr<T>();
      std::fill(target, target + weight.numel(), T(0));
      for (const std::vector<T>& part : partial_dw) {
        for (int64_t i = 0; i < weight.numel(); ++i) target[i] += part[i];
      }
    }
    if (dbias.defined()) {
      T* db = dbias.data_ptr<T>();
      for (int64_t o = 0; o < g.out_channels; ++o) {
        double total = 0;
        for (int64_t n = 0; n < g.batch; ++n) {
          const T* values = grad + (n * g.out_channels + o) * plane;
          for (int64_t p = 0; p < plane; ++p) total += values[p];
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
