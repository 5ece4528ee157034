// core/cpu/matmul.cpp — fast batched matrix product through OpenBLAS GEMM (sgemm / dgemm).
// GEMM reads a matrix in place when its rows or its columns are contiguous (a transposed view
// is just "Trans" with the other leading dimension), so x.t() or a sliced batch costs no copy;
// any other layout is first copied into a contiguous buffer.
#include <cblas.h>

#include <algorithm>

#include "core/cpu/kernels.hpp"

namespace fulcrum::cpu {
namespace {

// How GEMM should read one operand with `rows` × `cols` and the given strides.
struct GemmOperand {
  bool usable = false;
  CBLAS_TRANSPOSE transpose = CblasNoTrans;
  int64_t leading = 1;  // lda: distance between consecutive rows (NoTrans) or columns (Trans)
};

GemmOperand gemm_layout(int64_t rows, int64_t cols, int64_t row_stride, int64_t col_stride) {
  if ((cols == 1 || col_stride == 1) && (rows == 1 || row_stride >= std::max<int64_t>(cols, 1))) {
    return {true, CblasNoTrans, rows == 1 ? std::max<int64_t>(cols, 1) : row_stride};
  }
  if ((rows == 1 || row_stride == 1) && (cols == 1 || col_stride >= std::max<int64_t>(rows, 1))) {
    return {true, CblasTrans, cols == 1 ? std::max<int64_t>(rows, 1) : col_stride};
  }
  return {};
}

void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int64_t m, int64_t n, int64_t k,
          const float* a, int64_t lda, const float* b, int64_t ldb, float* c) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, n);
}
void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int64_t m, int64_t n, int64_t k,
          const double* a, int64_t lda, const double* b, int64_t ldb, double* c) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, a, lda, b, ldb, 0.0, c, n);
}

}  // namespace

void matmul(const Tensor& a_in, const Tensor& b_in, const Tensor& out) {
  const int64_t batch = out.size(0), m = out.size(1), n = out.size(2), k = a_in.size(2);
  if (out.numel() == 0) return;
  if (k == 0) { fill(out, 0.0); return; }
  Tensor a = a_in, b = b_in;
  GemmOperand la = gemm_layout(m, k, a.stride(1), a.stride(2));
  if (!la.usable) { a = a.detach().contiguous(); la = gemm_layout(m, k, a.stride(1), a.stride(2)); }
  GemmOperand lb = gemm_layout(k, n, b.stride(1), b.stride(2));
  if (!lb.usable) { b = b.detach().contiguous(); lb = gemm_layout(k, n, b.stride(1), b.stride(2)); }
  dispatch_float(a.dtype(), "matmul", [&]<typename T>() {
    for (int64_t p = 0; p < batch; ++p) {
      gemm(la.transpose, lb.transpose, m, n, k, a.data_ptr<T>() + p * a.stride(0), la.leading,
           b.data_ptr<T>() + p * b.stride(0), lb.leading, out.data_ptr<T>() + p * m * n);
    }
  });
}

}  // namespace fulcrum::cpu
