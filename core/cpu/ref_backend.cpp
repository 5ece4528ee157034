// core/cpu/ref_backend.cpp — the reference Backend ("ref"): every kernel family through the
// obvious loop, one element at a time via its multi-index (cpu::ref::*), and the kernels that
// have a single version (fill, pooling, index, random) shared with "cpu". It is the oracle:
// x.to("ref") runs any computation through it, and the parity suite (tests/test_parity.cpp)
// checks every other backend's ops against it. Memory is host memory, like "cpu".
#include "core/backend.hpp"
#include "core/cpu/host_memory.hpp"
#include "core/cpu/kernels.hpp"

namespace fulcrum {
namespace {

struct RefBackend final : cpu::HostMemoryBackend {
  const char* name() const override { return "ref"; }
  void copy(const Tensor& src, const Tensor& dst) override { cpu::ref::copy(src, dst); }
  void fill(const Tensor& dst, double value) override { cpu::fill(dst, value); }
  void unary(OpKind op, const Tensor& x, const Tensor& out, const OpAttrs& attrs) override {
    cpu::ref::unary(op, x, out, attrs);
  }
  void binary(OpKind op, const Tensor& a, const Tensor& b, const Tensor& out) override {
    cpu::ref::binary(op, a, b, out);
  }
  void where(const Tensor& c, const Tensor& a, const Tensor& b, const Tensor& out) override {
    cpu::ref::where(c, a, b, out);
  }
  void reduce(OpKind op, const Tensor& x, const std::vector<int64_t>& dims, const Tensor& out) override {
    cpu::ref::reduce(op, x, dims, out);
  }
  void matmul(const Tensor& a, const Tensor& b, const Tensor& out) override { cpu::ref::matmul(a, b, out); }
  void softmax(const Tensor& x, int64_t dim, bool log, const Tensor& out) override {
    cpu::ref::softmax(x, dim, log, out);
  }
  void index_select(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& out) override {
    cpu::index_select(x, dim, index, out);
  }
  void gather(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& out) override {
    cpu::gather(x, dim, index, out);
  }
  void scatter_add(const Tensor& out, int64_t dim, const Tensor& index, const Tensor& src) override {
    cpu::scatter_add(out, dim, index, src);
  }
  void conv2d(const Tensor& x, const Tensor& w, const Tensor& b, const Conv2dGeometry& g, const Tensor& out) override {
    cpu::ref::conv2d(x, w, b, g, out);
  }
  void conv2d_backward(const Tensor& dy, const Tensor& x, const Tensor& w, const Conv2dGeometry& g,
                       const Tensor& dx, const Tensor& dw, const Tensor& db) override {
    cpu::ref::conv2d_backward(dy, x, w, g, dx, dw, db);
  }
  void batch_norm(const Tensor& x, const Tensor& w, const Tensor& b, double eps, const Tensor& out,
                  const Tensor& mean, const Tensor& var) override {
    cpu::ref::batch_norm(x, w, b, eps, out, mean, var);
  }
  void batch_norm_backward(const Tensor& dy, const Tensor& x, const Tensor& w, const Tensor& mean,
                           const Tensor& var, double eps, const Tensor& dx, const Tensor& dw,
                           const Tensor& db) override {
    cpu::ref::batch_norm_backward(dy, x, w, mean, var, eps, dx, dw, db);
  }
  void max_pool2d(const Tensor& x, const Pool2dGeometry& g, const Tensor& out, const Tensor& indices) override {
    cpu::max_pool2d(x, g, out, indices);
  }
  void max_pool2d_backward(const Tensor& dy, const Tensor& indices, const Pool2dGeometry& g,
                           const Tensor& dx) override {
    cpu::max_pool2d_backward(dy, indices, g, dx);
  }
  void avg_pool2d(const Tensor& x, const Pool2dGeometry& g, const Tensor& out) override {
    cpu::avg_pool2d(x, g, out);
  }
  void avg_pool2d_backward(const Tensor& dy, const Pool2dGeometry& g, const Tensor& dx) override {
    cpu::avg_pool2d_backward(dy, g, dx);
  }
  void uniform(const Tensor& out, uint64_t seed, uint64_t first, double low, double high) override {
    cpu::uniform(out, seed, first, low, high);
  }
  void normal(const Tensor& out, uint64_t seed, uint64_t first, double mean, double std) override {
    cpu::normal(out, seed, first, mean, std);
  }
  void randint(const Tensor& out, uint64_t seed, uint64_t first, int64_t low, int64_t high) override {
    cpu::randint(out, seed, first, low, high);
  }
};

}  // namespace

Backend& ref_backend() {
  static RefBackend backend;
  return backend;
}

}  // namespace fulcrum
