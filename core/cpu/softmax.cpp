// core/cpu/softmax.cpp — softmax and log-softmax over one dim of a contiguous tensor viewed as
// [outer, D, inner]. Stable form: with m = max_d x_d,
//   softmax_d = e^{x_d − m} / Σ_j e^{x_j − m},   log_softmax_d = x_d − m − log Σ_j e^{x_j − m},
// so no exponential overflows. The reference walks the same formula one element at a time in
// double; the fast version works in T and splits the (outer, inner) positions across threads.
#include <cmath>

#include "core/cpu/kernels.hpp"
#include "core/cpu/strided.hpp"

namespace fulcrum::cpu {
namespace {

struct SoftmaxGeometry {
  int64_t outer = 1, length = 1, inner = 1;
};
SoftmaxGeometry geometry(const Tensor& x, int64_t dim) {
  SoftmaxGeometry g;
  for (int64_t d = 0; d < dim; ++d) g.outer *= x.size(d);
  g.length = x.size(dim);
  for (int64_t d = dim + 1; d < x.dim(); ++d) g.inner *= x.size(d);
  return g;
}

}  // namespace

namespace ref {
void softmax(const Tensor& x, int64_t dim, bool log, const Tensor& out) {
  const SoftmaxGeometry g = geometry(x, dim);
  dispatch_float(x.dtype(), "softmax", [&]<typename T>() {
    const T* source = x.data_ptr<T>();
    T* target = out.data_ptr<T>();
    for (int64_t o = 0; o < g.outer; ++o) {
      for (int64_t i = 0; i < g.inner; ++i) {
        auto at = [&](int64_t d) { return (o * g.length + d) * g.inner + i; };
        double m = -INFINITY;
        for (int64_t d = 0; d < g.length; ++d) m = std::max<double>(m, source[at(d)]);
        double total = 0.0;
        for (int64_t d = 0; d < g.length; ++d) total += std::exp(source[at(d)] - m);
        for (int64_t d = 0; d < g.length; ++d) {
          target[at(d)] = static_cast<T>(log ? source[at(d)] - m - std::log(total)
                                             : std::exp(source[at(d)] - m) / total);
        }
      }
    }
  });
}
}  // namespace ref

void softmax(const Tensor& x, int64_t dim, bool log, const Tensor& out) {
  const SoftmaxGeometry g = geometry(x, dim);
  dispatch_float(x.dtype(), "softmax", [&]<typename T>() {
    const T* source = x.data_ptr<T>();
    T* target = out.data_ptr<T>();
    const int64_t positions = g.outer * g.inner, length = g.length, inner = g.inner;
#pragma omp parallel for schedule(static) if (positions * length > kParallelGrain && positions > 1)
    for (int64_t p = 0; p < positions; ++p) {
      const int64_t o = p / inner, i = p % inner;
      const T* in = source + o * length * inner + i;
      T* result = target + o * length * inner + i;
      T m = -INFINITY;
      for (int64_t d = 0; d < length; ++d) m = std::max(m, in[d * inner]);
      if (std::isinf(m) && m < 0) m = 0;  // all −inf: avoid −inf − (−inf) = NaN in the shift
      T total = 0;
      for (int64_t d = 0; d < length; ++d) {
        T e = std::exp(in[d * inner] - m);
        total += e;
        if (!log) result[d * inner] = e;
      }
      if (log) {
        // (x − m) − log Σ: subtracting m first keeps large logits exact in f32.
        const T log_total = std::log(total);
        for (int64_t d = 0; d < length; ++d) result[d * inner] = (in[d * inner] - m) - log_total;
      } else {
        const T scale = T(1) / total;
        for (int64_t d = 0; d < length; ++d) result[d * inner] *= scale;
      }
    }
  });
}

}  // namespace fulcrum::cpu
