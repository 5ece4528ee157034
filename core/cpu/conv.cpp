// core/cpu/conv.cpp — 2-D convolution, forward and the two backward kernels.
//   Reference: the direct 7-deep loop, out[n,o,i,j] = b[o] + Σ_{c,ki,kj} w[o,c,ki,kj] ·
//              x[n, g·C/G + c, i·s − p + ki·d, j·s − p + kj·d]  (zero outside the input).
//   Fast:      im2col + GEMM over a chunk of images. im2col (core/cpu/im2col.hpp) lays every
//              receptive field out as a column, cols[(c,ki,kj), (n,i,j)], so the convolution of a
//              group is one matrix product W_g [O/G, C/G·kh·kw] @ cols [C/G·kh·kw, images·OH·OW].
//              Backward: dW_gᵀ = cols @ dYᵀ; dx of a stride-1 conv is itself a convolution (of dy
//              with the flipped kernel), otherwise dcols = W_gᵀ @ dY and col2im adds dcols back
//              into dX (the adjoint of im2col). Chunks are split across threads; no result
//              depends on the number of threads.
#include <cblas.h>

#include <algorithm>
#include <cstring>

#include "core/cpu/blas_threads.hpp"
#include "core/cpu/im2col.hpp"
#include "core/cpu/kernels.hpp"
#include "core/cpu/strided.hpp"

namespace fulcrum::cpu {
namespace {

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

// The batch is cut into chunks of whole images, and one chunk's columns are one GEMM operand:
// wide enough that the GEMM runs near its peak (one 8×8 image gives only 64 columns; OpenBLAS's
// sgemm needs some 500+), small enough to stay in the L2 cache (2 MB a core here) between the
// im2col that writes them and the GEMM that reads them. Measured (bench/conv_bench, 1 thread,
// batch 64, f32): 512 KB / 2048 columns was as fast as any of 256 KB–2 MB × 1024–4096 columns on
// every shape class within noise (±5 %); 4 MB chunks were up to 2× slower on 32×32 images, and
// single images (the old kernel) up to 2× slower on 8×8 ones.
// The cut depends on the problem alone, never on the thread count, so the partial sums of dW
// (conv2d_backward) are the same at any number of threads.
constexpr int64_t kChunkBytes = 512 << 10, kChunkColumns = 2048;
struct Chunks {
  int64_t images = 0, count = 0;  // images per chunk (the last may have fewer), number of chunks
};
template <typename T>
Chunks plan_chunks(const Conv2dGeometry& g) {
  if (g.batch == 0) return {};
  const int64_t plane = std::max<int64_t>(1, g.out_plane());
  const int64_t image_bytes = g.patch_size() * plane * int64_t(sizeof(T));
  const int64_t images = std::clamp(std::min(kChunkBytes / image_bytes, (kChunkColumns + plane - 1) / plane),
                                    int64_t(1), g.batch);
  const int64_t count = (g.batch + images - 1) / images;
  return {(g.batch + count - 1) / count, count};  // evened out: chunks differ by at most one image
}

// Chunks are split across threads when there is work enough for it. Inside the parallel region
// GEMM runs on the calling thread (Debian's OpenMP build of OpenBLAS does so by itself); outside
// it GEMM is pinned to the calling thread too (SingleThreadedBlas), since OpenBLAS's own split of
// C can change an element's rounding with some of its kernels (blas_threads.hpp).
bool parallel_over_chunks(const Conv2dGeometry& g, const Chunks& chunks) {
  return chunks.count > 1 && g.batch * g.out_channels * g.out_plane() * g.patch_size() > (1 << 18);
}

// The column matrix [C/G·kh·kw, count·OH·OW] of a chunk's group: im2col into `cols`, except for a
// 1×1, stride-1, unpadded conv of a single image, whose input channels [c0, c0 + C/G) already are
// that matrix [C/G, H·W]: it is used where it lies, with no copy.
inline bool is_pointwise(const Conv2dGeometry& g) {
  const Window2d& w = g.window;
  return w.kernel_h == 1 && w.kernel_w == 1 && w.stride_h == 1 && w.stride_w == 1 && w.pad_h == 0 && w.pad_w == 0;
}
template <typename T>
const T* column_matrix(const T* input, const Conv2dGeometry& g, int64_t group, int64_t first, int64_t count,
                       T* cols) {
  const int64_t plane = g.out_plane(), image_size = g.in_channels * g.in_h * g.in_w, c0 = group * g.in_per_group();
  if (count == 1 && is_pointwise(g)) return input + first * image_size + c0 * plane;
  for (int64_t k = 0; k < count; ++k) im2col(input + (first + k) * image_size, g, c0, cols + k * plane, count * plane);
  return cols;
}

// out[first + k] for the `count` images of a chunk, all groups.
template <typename T>
void conv2d_chunk(const T* input, const T* kernel, const T* bias, const Conv2dGeometry& g, int64_t first,
                  int64_t count, T* y) {
  const int64_t plane = g.out_plane(), patch = g.patch_size(), opg = g.out_per_group();
  const int64_t columns = count * plane;
  T* cols = scratch<T>(0, patch * columns);
  T* result = count > 1 ? scratch<T>(1, opg * columns) : nullptr;
  for (int64_t group = 0; group < g.groups; ++group) {
    const T* matrix = column_matrix(input, g, group, first, count, cols);
    const T* w_g = kernel + group * opg * patch;
    if (count == 1) {  // a single image's result is y[first, group] itself: no copy
      T* y_g = y + (first * g.out_channels + group * opg) * plane;
      gemm(false, false, opg, plane, patch, w_g, patch, matrix, plane, T(0), y_g, plane);
      for (int64_t o = 0; bias && o < opg; ++o)
        for (int64_t p = 0; p < plane; ++p) y_g[o * plane + p] += bias[group * opg + o];
      continue;
    }
    gemm(false, false, opg, columns, patch, w_g, patch, matrix, columns, T(0), result, columns);
    // result[o, (k, p)] + b[o] → y[first + k, group·O/G + o, p] (the GEMM's rows are channels, the
    // output's outer dimension is the image; the bias rides along with the copy).
    for (int64_t k = 0; k < count; ++k)
      for (int64_t o = 0; o < opg; ++o) {
        const T* from = result + o * columns + k * plane;
        T* to = y + ((first + k) * g.out_channels + group * opg + o) * plane;
        const T bias_value = bias ? bias[group * opg + o] : T(0);
        for (int64_t p = 0; p < plane; ++p) to[p] = from[p] + bias_value;
      }
  }
}

// For the `count` images of a chunk: dx[first + k] by col2im (if dx) and this chunk's term of dW
// (if dw_t), transposed: dw_t[group][q][o] = dW[group·O/G + o][q], overwritten (accumulate = false)
// or added to (accumulate = true). The chunk's dy is
// gathered once per group, transposed, dY_gᵀ[(k, p), o] = dy[first + k, group·O/G + o, p], and
// serves both products: dW_gᵀ = cols @ dY_gᵀ (one GEMM, K = count·OH·OW) and dcols = W_gᵀ @ dY_g.
// (dW_gᵀ = cols @ dY_gᵀ rather than dW_g = dY_g @ colsᵀ: OpenBLAS runs the former 30–40 % faster
// when O/G is 16 or 32 — M = O/G is too short for its kernel — measured on 16×144×1024 and
// 32×288×768: 99 vs 71 and 136 vs 104 GFLOP/s.)
template <typename T>
void conv2d_backward_chunk(const T* grad, const T* input, const T* kernel, const Conv2dGeometry& g, int64_t first,
                           int64_t count, T* dx, T* dw_t, bool accumulate) {
  const int64_t plane = g.out_plane(), patch = g.patch_size(), opg = g.out_per_group();
  const int64_t columns = count * plane, image_size = g.in_channels * g.in_h * g.in_w;
  T* cols = scratch<T>(0, patch * columns);
  T* dy_t = scratch<T>(1, opg * columns);
  if (dx) std::fill(dx + first * image_size, dx + (first + count) * image_size, T(0));  // col2im adds
  for (int64_t group = 0; group < g.groups; ++group) {
    for (int64_t k = 0; k < count; ++k)
      for (int64_t o = 0; o < opg; ++o) {
        const T* from = grad + ((first + k) * g.out_channels + group * opg + o) * plane;
        T* to = dy_t + k * plane * opg + o;
        for (int64_t p = 0; p < plane; ++p) to[p * opg] = from[p];
      }
    if (dw_t) {
      const T* matrix = column_matrix(input, g, group, first, count, cols);
      gemm(false, false, patch, opg, columns, matrix, columns, dy_t, opg, accumulate ? T(1) : T(0),
           dw_t + group * patch * opg, opg);
    }
    if (dx) {
      gemm(true, true, patch, columns, opg, kernel + group * opg * patch, patch, dy_t, opg, T(0), cols, columns);
      for (int64_t k = 0; k < count; ++k)
        col2im(cols + k * plane, g, group * g.in_per_group(), columns, dx + (first + k) * image_size);
    }
  }
}

// x [N, C, H, W], weight [O, C/G, kh, kw], bias [O] or undefined; out [N, O, OH, OW]. All contiguous.
// Per chunk of images and group: out[chunk, group] = W_g @ im2col(x[chunk], group).
template <typename T>
void convolve(const T* input, const T* kernel, const T* bias, const Conv2dGeometry& g, T* y) {
  const Chunks chunks = plan_chunks<T>(g);
  const bool parallel = parallel_over_chunks(g, chunks);
  const SingleThreadedBlas serial_blas(!parallel);
#pragma omp parallel for schedule(dynamic) if (parallel)
  for (int64_t chunk = 0; chunk < chunks.count; ++chunk) {
    const int64_t first = chunk * chunks.images, count = std::min(chunks.images, g.batch - first);
    conv2d_chunk(input, kernel, bias, g, first, count, y);
  }
}

// The gradient of a stride-1 convolution with respect to its input is itself a stride-1
// convolution, of dy with the kernel flipped in space and with in/out channels swapped:
//   dx[n, c, y, x] = Σ_{o, ki, kj} w[o, c, ki, kj] · dy[n, o, y + p − ki·d, x + p − kj·d]
//                  = Σ_{o, ki', kj'} w'[c, o, ki', kj'] · dy[n, o, y − p' + ki'·d, x − p' + kj'·d]
// with w'[c, o, ki', kj'] = w[o, c, kh−1−ki', kw−1−kj'] and padding p' = d·(k − 1) − p (≥ 0 needed).
// Computed that way, dx needs no col2im (whose scattered adds cost as much as the GEMM) and no
// zero-fill, and its GEMM has K = O/G·kh·kw instead of O/G — but only C/G rows. Measured (1 thread,
// batch 64): 16 channels (res16) 5.2 ms against 5.8 ms by col2im; the Net's conv1 (C = 1) 3.9 ms
// against 1.0 ms, the stem (C = 3) 4.3 against 2.8 ms. Hence the threshold of 16 channels.
bool input_grad_is_a_convolution(const Conv2dGeometry& g) {
  const Window2d& w = g.window;
  return g.in_per_group() >= 16 && w.stride_h == 1 && w.stride_w == 1 && w.pad_h <= w.dilation_h * (w.kernel_h - 1) &&
         w.pad_w <= w.dilation_w * (w.kernel_w - 1);
}
Conv2dGeometry input_grad_geometry(const Conv2dGeometry& g) {
  const Window2d& w = g.window;
  Conv2dGeometry t = g;
  t.in_channels = g.out_channels;
  t.in_h = g.out_h;
  t.in_w = g.out_w;
  t.out_channels = g.in_channels;
  t.out_h = g.in_h;
  t.out_w = g.in_w;
  t.window.pad_h = w.dilation_h * (w.kernel_h - 1) - w.pad_h;
  t.window.pad_w = w.dilation_w * (w.kernel_w - 1) - w.pad_w;
  return t;
}
// w' [C, O/G, kh, kw] from w [O, C/G, kh, kw], group by group.
template <typename T>
void flip_kernel(const T* kernel, const Conv2dGeometry& g, T* flipped) {
  const int64_t kh = g.window.kernel_h, kw = g.window.kernel_w, opg = g.out_per_group(), ipg = g.in_per_group();
  for (int64_t group = 0; group < g.groups; ++group)
    for (int64_t o = 0; o < opg; ++o)
      for (int64_t c = 0; c < ipg; ++c)
        for (int64_t ki = 0; ki < kh; ++ki)
          for (int64_t kj = 0; kj < kw; ++kj)
            flipped[(((group * ipg + c) * opg + o) * kh + kh - 1 - ki) * kw + kw - 1 - kj] =
                kernel[(((group * opg + o) * ipg + c) * kh + ki) * kw + kj];
}

// Σ values[0, count) in double, in eight interleaved lanes (lane l takes the p ≡ l mod 8) added
// pairwise at the end: a fixed order, hence the same result at any thread count, and one the
// compiler can vectorise (a single running total is a chain of dependent adds, 4 cycles each).
template <typename T>
double sum_in_lanes(const T* values, int64_t count) {
  double lanes[8] = {};
  int64_t p = 0;
  for (; p + 8 <= count; p += 8)
    for (int lane = 0; lane < 8; ++lane) lanes[lane] += values[p + lane];
  for (int lane = 0; p < count; ++p, ++lane) lanes[lane] += values[p];
  return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
}

}  // namespace

void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Conv2dGeometry& g,
            const Tensor& out) {
  dispatch_float(x.dtype(), "conv2d", [&]<typename T>() {
    convolve(x.data_ptr<T>(), weight.data_ptr<T>(), bias.defined() ? bias.data_ptr<T>() : nullptr, g,
             out.data_ptr<T>());
  });
}

constexpr int64_t kMaxTerms = 16;

// From dy [N, O, OH, OW]: dx [N, C, H, W] (if defined), dweight (if defined), dbias (if defined).
//   dx:  a convolution of dy (input_grad_is_a_convolution), else per chunk col2im(W_gᵀ @ dY);
//        chunks are disjoint images, so no two threads write the same dx.
//   dW = Σ_chunk dY_chunk @ im2col(x[chunk])ᵀ: the chunks are dealt, in runs of consecutive
//        chunks, to at most kMaxTerms terms of their own; a term adds its chunks in order (GEMM
//        with beta = 1), and the terms are added in order.
//   db[o] = Σ_{n,p} dy[n, o, p], one channel per thread, in a fixed order (sum_in_lanes).
// No sum depends on the number of threads, so no result does (tests/test_conv.cpp checks 1–4).
// The terms take at most kMaxTerms × |W| values: 2.4 MB for ResNet-32's 64-channel conv in f32.
void conv2d_backward(const Tensor& dy, const Tensor& x, const Tensor& weight, const Conv2dGeometry& g,
                     const Tensor& dx, const Tensor& dweight, const Tensor& dbias) {
  dispatch_float(dy.dtype(), "conv2d_backward", [&]<typename T>() {
    const T *grad = dy.data_ptr<T>(), *input = x.data_ptr<T>(), *kernel = weight.data_ptr<T>();
    const int64_t weight_size = weight.numel(), plane = g.out_plane();
    T* dx_by_col2im = dx.defined() ? dx.data_ptr<T>() : nullptr;
    if (dx.defined() && input_grad_is_a_convolution(g)) {
      T* flipped = scratch<T>(2, weight_size);
      flip_kernel(kernel, g, flipped);
      convolve<T>(grad, flipped, nullptr, input_grad_geometry(g), dx.data_ptr<T>());
      dx_by_col2im = nullptr;
    }
    T* dw = dweight.defined() ? dweight.data_ptr<T>() : nullptr;
    const Chunks chunks = plan_chunks<T>(g);
    const int64_t per_term = std::max<int64_t>(1, (chunks.count + kMaxTerms - 1) / kMaxTerms);
    const int64_t term_count = (chunks.count + per_term - 1) / per_term;
    T* terms = dw ? scratch<T>(3, std::max<int64_t>(1, term_count) * weight_size) : nullptr;  // dW transposed per group
    if (dx_by_col2im || dw) {
      const bool parallel = parallel_over_chunks(g, chunks);
      const SingleThreadedBlas serial_blas(!parallel);
#pragma omp parallel for schedule(dynamic) if (parallel)
      for (int64_t term = 0; term < term_count; ++term)
        for (int64_t chunk = term * per_term; chunk < std::min((term + 1) * per_term, chunks.count); ++chunk) {
          const int64_t first = chunk * chunks.images, count = std::min(chunks.images, g.batch - first);
          conv2d_backward_chunk(grad, input, kernel, g, first, count, dx_by_col2im,
                                terms ? terms + term * weight_size : nullptr, chunk > term * per_term);
        }
    }
    if (dw) {
      // terms[0] += terms[1] + … in order (element by element: the same sum at any thread count),
      // then dW[group·O/G + o][q] = terms[0][group][q][o].
      if (term_count == 0) std::fill(terms, terms + weight_size, T(0));  // an empty batch
#pragma omp parallel for schedule(static) if (weight_size * term_count > (1 << 16))
      for (int64_t i = 0; i < weight_size; ++i)
        for (int64_t term = 1; term < term_count; ++term) terms[i] += terms[term * weight_size + i];
      const int64_t patch = g.patch_size(), opg = g.out_per_group();
      for (int64_t group = 0; group < g.groups; ++group)
        for (int64_t o = 0; o < opg; ++o)
          for (int64_t q = 0; q < patch; ++q) dw[(group * opg + o) * patch + q] = terms[(group * patch + q) * opg + o];
    }
    if (dbias.defined()) {
      T* db = dbias.data_ptr<T>();
#pragma omp parallel for schedule(static) if (g.batch * g.out_channels * plane > (1 << 16))
      for (int64_t o = 0; o < g.out_channels; ++o) {
        double total = 0;
        for (int64_t n = 0; n < g.batch; ++n) total += sum_in_lanes(grad + (n * g.out_channels + o) * plane, plane);
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
