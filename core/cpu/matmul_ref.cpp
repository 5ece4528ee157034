// core/cpu/matmul_ref.cpp — reference batched matrix product: the triple loop, accumulated in
// double, reading a and b through their strides. out[b, i, j] = Σ_k a[b, i, k] · b[b, k, j].
#include "core/cpu/kernels.hpp"

namespace fulcrum::cpu::ref {

// a [B, M, K], b [B, K, N] (any strides, batch stride may be 0), out [B, M, N] contiguous.
void matmul(const Tensor& a, const Tensor& b, const Tensor& out) {
  const int64_t batch = out.size(0), m = out.size(1), n = out.size(2), k_size = a.size(2);
  dispatch_float(a.dtype(), "matmul", [&]<typename T>() {
    const T* left = a.data_ptr<T>();
    const T* right = b.data_ptr<T>();
    T* target = out.data_ptr<T>();
    for (int64_t p = 0; p < batch; ++p) {
      for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < n; ++j) {
          double total = 0.0;
          for (int64_t k = 0; k < k_size; ++k) {
            total += static_cast<double>(left[p * a.stride(0) + i * a.stride(1) + k * a.stride(2)]) *
                     right[p * b.stride(0) + k * b.stride(1) + j * b.stride(2)];
          }
          target[(p * m + i) * n + j] = static_cast<T>(total);
        }
      }
    }
  });
}

}  // namespace fulcrum::cpu::ref
