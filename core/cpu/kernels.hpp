// core/cpu/kernels.hpp — the CPU kernels, in two versions where speed matters:
//   cpu::ref::*  the obvious loop, one element at a time through its multi-index: the oracle;
//   cpu::*       the fast path (contiguous runs, coalesced dims, OpenMP, OpenBLAS GEMM),
// tested against the reference on odd, broadcast and non-contiguous shapes (tests/test_fastpath).
// The CPU Backend (cpu_backend.cpp) calls the fast versions.
#pragma once
#include <vector>

#include "core/op.hpp"
#include "core/tensor.hpp"

namespace fulcrum::cpu {

namespace ref {
void copy(const Tensor& src, const Tensor& dst);
void unary(OpKind op, const Tensor& x, const Tensor& out, const OpAttrs& attrs);
void binary(OpKind op, const Tensor& a, const Tensor& b, const Tensor& out);
void where(const Tensor& condition, const Tensor& a, const Tensor& b, const Tensor& out);
void reduce(OpKind op, const Tensor& x, const std::vector<int64_t>& dims, const Tensor& out);
void matmul(const Tensor& a, const Tensor& b, const Tensor& out);
void softmax(const Tensor& x, int64_t dim, bool log, const Tensor& out);
void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Conv2dGeometry& g,
            const Tensor& out);
void conv2d_backward(const Tensor& dy, const Tensor& x, const Tensor& weight, const Conv2dGeometry& g,
                     const Tensor& dx, const Tensor& dweight, const Tensor& dbias);
void batch_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, const Tensor& out,
                const Tensor& mean, const Tensor& var);
void batch_norm_backward(const Tensor& dy, const Tensor& x, const Tensor& weight, const Tensor& mean,
                         const Tensor& var, double eps, const Tensor& dx, const Tensor& dweight,
                         const Tensor& dbias);
}  // namespace ref

void copy(const Tensor& src, const Tensor& dst);
void fill(const Tensor& dst, double value);
void unary(OpKind op, const Tensor& x, const Tensor& out, const OpAttrs& attrs);
void binary(OpKind op, const Tensor& a, const Tensor& b, const Tensor& out);
void where(const Tensor& condition, const Tensor& a, const Tensor& b, const Tensor& out);
void reduce(OpKind op, const Tensor& x, const std::vector<int64_t>& dims, const Tensor& out);
void matmul(const Tensor& a, const Tensor& b, const Tensor& out);
void softmax(const Tensor& x, int64_t dim, bool log, const Tensor& out);
void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Conv2dGeometry& g,
            const Tensor& out);
void conv2d_backward(const Tensor& dy, const Tensor& x, const Tensor& weight, const Conv2dGeometry& g,
                     const Tensor& dx, const Tensor& dweight, const Tensor& dbias);
void batch_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, const Tensor& out,
                const Tensor& mean, const Tensor& var);
void batch_norm_backward(const Tensor& dy, const Tensor& x, const Tensor& weight, const Tensor& mean,
                         const Tensor& var, double eps, const Tensor& dx, const Tensor& dweight,
                         const Tensor& dbias);
// Pooling, index kernels and random fills have a single (loop) version.
void max_pool2d(const Tensor& x, const Pool2dGeometry& g, const Tensor& out, const Tensor& indices);
void max_pool2d_backward(const Tensor& dy, const Tensor& indices, const Pool2dGeometry& g, const Tensor& dx);
void avg_pool2d(const Tensor& x, const Pool2dGeometry& g, const Tensor& out);
void avg_pool2d_backward(const Tensor& dy, const Pool2dGeometry& g, const Tensor& dx);
void index_select(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& out);
void gather(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& out);
void scatter_add(const Tensor& out, int64_t dim, const Tensor& index, const Tensor& src);
void uniform(const Tensor& out, uint64_t seed, uint64_t first_block, double low, double high);
void normal(const Tensor& out, uint64_t seed, uint64_t first_block, double mean, double std);
void randint(const Tensor& out, uint64_t seed, uint64_t first_block, int64_t low, int64_t high);

}  // namespace fulcrum::cpu
