// core/cpu/matmul.cpp — fast batched matrix product through OpenBLAS GEMM (sgemm / dgemm).
// GEMM reads a matrix in place when its rows or its columns are contiguous (a transposed view
// is just "Trans" with the other leading dimension), so x.t() or a sliced batch costs no copy;
// any other layout is first copied into a contiguous buffer.
// Threads: the output is cut into tiles whose size depends only on the shape, each tile is one
// single-threaded GEMM call, and the tiles are shared among the threads (see matmul below).
#include <cblas.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include <algorithm>

#include "core/cpu/blas_threads.hpp"
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
          const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
}
void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int64_t m, int64_t n, int64_t k,
          const double* a, int64_t lda, const double* b, int64_t ldb, double* c, int64_t ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, a, lda, b, ldb, 0.0, c, ldc);
}

// Tiles of C. OpenBLAS's own threading splits C by the number of threads, and with some of its
// kernels an element's rounding depends on where the split falls: measured with OpenBLAS 0.3.21,
// sgemm of [64, 320] × [320, 50] gives different bits on 1 and 2 threads with the Haswell and
// Prescott kernels (the SkylakeX ones happened to agree). So C is cut here instead, into tiles
// fixed by the shape alone, and every tile is computed by one single-threaded call: an element
// is always the same call on the same operands, on any thread count. Tiles are large enough to
// keep OpenBLAS's packing worthwhile.
constexpr int64_t kTileRows = 128, kTileCols = 512;

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
  const int64_t row_tiles = (m + kTileRows - 1) / kTileRows, col_tiles = (n + kTileCols - 1) / kTileCols;
  const int64_t tiles = batch * row_tiles * col_tiles;
  dispatch_float(a.dtype(), "matmul", [&]<typename T>() {
    // Tile t = (batch p, rows r0.., columns c0..) of C = op(A) · op(B): rows r0.. of op(A) start
    // r0 rows down A (NoTrans) or r0 columns across it (Trans); columns c0.. of op(B) likewise.
    auto run_tile = [&](int64_t t) {
      const int64_t p = t / (row_tiles * col_tiles), r0 = (t / col_tiles) % row_tiles * kTileRows,
                    c0 = t % col_tiles * kTileCols;
      const T* a_tile = a.data_ptr<T>() + p * a.stride(0) + r0 * (la.transpose == CblasNoTrans ? la.leading : 1);
      const T* b_tile = b.data_ptr<T>() + p * b.stride(0) + c0 * (lb.transpose == CblasNoTrans ? 1 : lb.leading);
      gemm(la.transpose, lb.transpose, std::min(kTileRows, m - r0), std::min(kTileCols, n - c0), k, a_tile,
           la.leading, b_tile, lb.leading, out.data_ptr<T>() + p * m * n + r0 * n + c0, n);
    };
    // Small products run their tiles on this thread: waking a second thread (tens of µs once it
    // sleeps) costs more than a GEMM of under ~2 million multiply-adds (the MLP's [256, 30] @
    // [30, 16] trained 2× slower on 2 threads than on 1 when every product opened a region).
    // The tiles are the same either way, so the result does not change.
    if (tiles == 1 || batch * m * n * k < (int64_t{1} << 21)) {
      SingleThreadedBlas single;
      for (int64_t t = 0; t < tiles; ++t) run_tile(t);
      return;
    }
    // Inside the region OpenBLAS sees it is nested and runs single-threaded; with one thread in
    // the team it is single-threaded anyway.
#pragma omp parallel for schedule(static)
    for (int64_t t = 0; t < tiles; ++t) run_tile(t);
  });
}

}  // namespace fulcrum::cpu
