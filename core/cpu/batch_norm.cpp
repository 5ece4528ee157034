// core/cpu/batch_norm.cpp — batch normalisation with batch statistics, forward and backward.
// x is contiguous [N, C, S] (S = the product of the spatial dims, 1 for [N, C]); channel c owns
// the M = N·S values x[n, c, s]. With the biased variance (÷ M, as PyTorch normalises):
//   mean_c = Σ x / M,   var_c = Σ (x − mean_c)² / M,   invstd_c = 1 / √(var_c + eps)
//   x̂ = (x − mean_c)·invstd_c,   y = x̂·w_c + b_c            (w = 1, b = 0 when undefined)
// Backward, from dy (the chain rule through mean and var, which depend on every x of the channel):
//   db_c = Σ dy,   dw_c = Σ dy·x̂,
//   dx   = w_c·invstd_c · (dy − db_c / M − x̂ · dw_c / M)
// The composed version (mean, sub, pow, sum, div, rsqrt, mul, add: ~10 passes over x forward and
// as many tensors saved for backward) made batch norm a quarter of a CIFAR ResNet's step; here it
// is three passes forward (sum, squared deviations, output) and two backward (sums, dx).
//   Reference: one element at a time through its (n, c, s) index, sums in double.
//   Fast:      channels split across threads; each channel is walked as N contiguous runs of S,
//              its sums kept in double, several lanes at a time (omp simd reductions). A channel's sums never depend on the thread count: one
//              thread owns the whole channel and adds in the same order every time.
#include <cmath>
#include <vector>

#include "core/cpu/kernels.hpp"
#include "core/cpu/strided.hpp"

namespace fulcrum::cpu {
namespace {

struct BatchNormShape {
  int64_t batch, channels, spatial;
  int64_t count() const { return batch * spatial; }  // M, the values per channel
};

BatchNormShape shape_of(const Tensor& x) {
  BatchNormShape s{x.size(0), x.size(1), 1};
  for (int64_t d = 2; d < x.dim(); ++d) s.spatial *= x.size(d);
  return s;
}

template <typename T> T weight_or_one(const Tensor& w, int64_t c) { return w.defined() ? w.data_ptr<T>()[c] : T(1); }
template <typename T> T bias_or_zero(const Tensor& b, int64_t c) { return b.defined() ? b.data_ptr<T>()[c] : T(0); }

// Threads pay off once there is enough work per call: every element is touched 3 times.
bool parallel_over_channels(const BatchNormShape& s) { return s.channels > 1 && s.batch * s.channels * s.spatial > kParallelGrain; }

}  // namespace

void batch_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, const Tensor& out,
                const Tensor& mean, const Tensor& var) {
  const BatchNormShape s = shape_of(x);
  dispatch_float(x.dtype(), "batch_norm", [&]<typename T>() {
    const T* input = x.data_ptr<T>();
    T* y = out.data_ptr<T>();
    T *mean_out = mean.data_ptr<T>(), *var_out = var.data_ptr<T>();
    const int64_t stride_n = s.channels * s.spatial;
#pragma omp parallel for schedule(static) if (parallel_over_channels(s))
    for (int64_t c = 0; c < s.channels; ++c) {
      // Two passes in double: the mean, then the squared deviations from it (no cancellation,
      // unlike E[x²] − E[x]²).
      double total = 0.0;
      for (int64_t n = 0; n < s.batch; ++n) {
        const T* run = input + n * stride_n + c * s.spatial;
#pragma omp simd reduction(+ : total)
        for (int64_t i = 0; i < s.spatial; ++i) total += run[i];
      }
      const double mu = total / static_cast<double>(s.count());
      double squares = 0.0;
      for (int64_t n = 0; n < s.batch; ++n) {
        const T* run = input + n * stride_n + c * s.spatial;
#pragma omp simd reduction(+ : squares)
        for (int64_t i = 0; i < s.spatial; ++i) {
          const double d = run[i] - mu;
          squares += d * d;
        }
      }
      const double variance = squares / static_cast<double>(s.count());
      mean_out[c] = static_cast<T>(mu);
      var_out[c] = static_cast<T>(variance);
      // y = (x − mean)·scale + b with scale = w·invstd, in double: x − mean is exact for a
      // constant channel (y = b, not b plus the rounding of x·scale with scale up to 1/√eps).
      const double scale = weight_or_one<T>(weight, c) / std::sqrt(variance + eps);
      const double shift = bias_or_zero<T>(bias, c);
      for (int64_t n = 0; n < s.batch; ++n) {
        const T* run = input + n * stride_n + c * s.spatial;
        T* target = y + n * stride_n + c * s.spatial;
        for (int64_t i = 0; i < s.spatial; ++i) target[i] = static_cast<T>((run[i] - mu) * scale + shift);
      }
    }
  });
}

void batch_norm_backward(const Tensor& dy, const Tensor& x, const Tensor& weight, const Tensor& mean,
                         const Tensor& var, double eps, const Tensor& dx, const Tensor& dweight,
                         const Tensor& dbias) {
  const BatchNormShape s = shape_of(x);
  dispatch_float(x.dtype(), "batch_norm_backward", [&]<typename T>() {
    const T *grad = dy.data_ptr<T>(), *input = x.data_ptr<T>();
    const int64_t stride_n = s.channels * s.spatial;
    const double m = static_cast<double>(s.count());
#pragma omp parallel for schedule(static) if (parallel_over_channels(s))
    for (int64_t c = 0; c < s.channels; ++c) {
      const double mu = mean.data_ptr<T>()[c];
      const double invstd = 1.0 / std::sqrt(static_cast<double>(var.data_ptr<T>()[c]) + eps);
      // Σ dy and Σ dy·(x − mean) in one pass; Σ dy·x̂ = invstd · Σ dy·(x − mean).
      double sum_dy = 0.0, sum_dy_centered = 0.0;
      for (int64_t n = 0; n < s.batch; ++n) {
        const T* g = grad + n * stride_n + c * s.spatial;
        const T* run = input + n * stride_n + c * s.spatial;
#pragma omp simd reduction(+ : sum_dy, sum_dy_centered)
        for (int64_t i = 0; i < s.spatial; ++i) {
          sum_dy += g[i];
          sum_dy_centered += g[i] * (run[i] - mu);
        }
      }
      const double sum_dy_xhat = sum_dy_centered * invstd;
      if (dbias.defined()) dbias.data_ptr<T>()[c] = static_cast<T>(sum_dy);
      if (dweight.defined()) dweight.data_ptr<T>()[c] = static_cast<T>(sum_dy_xhat);
      if (!dx.defined()) continue;
      // dx = k·(dy − Σdy/M − x̂·Σ(dy·x̂)/M) with k = w·invstd, written as
      // dx = k·(dy − mean_dy) + (x − mean)·a with a = −k·invstd²·Σ(dy·(x − mean))/M, in double:
      // dy − mean_dy cancels (k can be 1/√eps), so it is not left to float rounding.
      const double k = weight_or_one<T>(weight, c) * invstd;
      const double a = -k * invstd * invstd * sum_dy_centered / m;
      const double mean_dy = sum_dy / m;
      for (int64_t n = 0; n < s.batch; ++n) {
        const T* g = grad + n * stride_n + c * s.spatial;
        const T* run = input + n * stride_n + c * s.spatial;
        T* target = dx.data_ptr<T>() + n * stride_n + c * s.spatial;
        for (int64_t i = 0; i < s.spatial; ++i) target[i] = static_cast<T>(k * (g[i] - mean_dy) + (run[i] - mu) * a);
      }
    }
  });
}

namespace ref {

// The formulas of the header, one element at a time through its (n, c, s) index.
void batch_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, const Tensor& out,
                const Tensor& mean, const Tensor& var) {
  const BatchNormShape s = shape_of(x);
  auto at = [&](int64_t n, int64_t c, int64_t i) { return (n * s.channels + c) * s.spatial + i; };
  dispatch_float(x.dtype(), "batch_norm", [&]<typename T>() {
    const T* input = x.data_ptr<T>();
    for (int64_t c = 0; c < s.channels; ++c) {
      double total = 0.0, squares = 0.0;
      for (int64_t n = 0; n < s.batch; ++n)
        for (int64_t i = 0; i < s.spatial; ++i) total += input[at(n, c, i)];
      const double mu = total / static_cast<double>(s.count());
      for (int64_t n = 0; n < s.batch; ++n)
        for (int64_t i = 0; i < s.spatial; ++i) squares += (input[at(n, c, i)] - mu) * (input[at(n, c, i)] - mu);
      const double variance = squares / static_cast<double>(s.count());
      mean.data_ptr<T>()[c] = static_cast<T>(mu);
      var.data_ptr<T>()[c] = static_cast<T>(variance);
      const double invstd = 1.0 / std::sqrt(variance + eps);
      for (int64_t n = 0; n < s.batch; ++n)
        for (int64_t i = 0; i < s.spatial; ++i) {
          const double xhat = (input[at(n, c, i)] - mu) * invstd;
          out.data_ptr<T>()[at(n, c, i)] =
              static_cast<T>(xhat * weight_or_one<T>(weight, c) + bias_or_zero<T>(bias, c));
        }
    }
  });
}

void batch_norm_backward(const Tensor& dy, const Tensor& x, const Tensor& weight, const Tensor& mean,
                         const Tensor& var, double eps, const Tensor& dx, const Tensor& dweight,
                         const Tensor& dbias) {
  const BatchNormShape s = shape_of(x);
  auto at = [&](int64_t n, int64_t c, int64_t i) { return (n * s.channels + c) * s.spatial + i; };
  dispatch_float(x.dtype(), "batch_norm_backward", [&]<typename T>() {
    const T *grad = dy.data_ptr<T>(), *input = x.data_ptr<T>();
    const double m = static_cast<double>(s.count());
    for (int64_t c = 0; c < s.channels; ++c) {
      const double mu = mean.data_ptr<T>()[c];
      const double invstd = 1.0 / std::sqrt(static_cast<double>(var.data_ptr<T>()[c]) + eps);
      double sum_dy = 0.0, sum_dy_xhat = 0.0;
      for (int64_t n = 0; n < s.batch; ++n)
        for (int64_t i = 0; i < s.spatial; ++i) {
          sum_dy += grad[at(n, c, i)];
          sum_dy_xhat += grad[at(n, c, i)] * (input[at(n, c, i)] - mu) * invstd;
        }
      if (dbias.defined()) dbias.data_ptr<T>()[c] = static_cast<T>(sum_dy);
      if (dweight.defined()) dweight.data_ptr<T>()[c] = static_cast<T>(sum_dy_xhat);
      if (!dx.defined()) continue;
      const double w = weight_or_one<T>(weight, c);
      for (int64_t n = 0; n < s.batch; ++n)
        for (int64_t i = 0; i < s.spatial; ++i) {
          const double xhat = (input[at(n, c, i)] - mu) * invstd;
          dx.data_ptr<T>()[at(n, c, i)] =
              static_cast<T>(w * invstd * (grad[at(n, c, i)] - sum_dy / m - xhat * sum_dy_xhat / m));
        }
    }
  });
}

}  // namespace ref
}  // namespace fulcrum::cpu
