// core/cpu/cpu_backend.cpp — the CPU Backend ("cpu"): forwards each kernel family to the fast
// CPU kernels (core/cpu/*.cpp), timing each call under its name when the profiler is on. Its
// twin with the reference loops is ref_backend.cpp; the registry is core/backend_registry.cpp.
#include <string>

#include "core/backend.hpp"
#include "core/cpu/host_memory.hpp"
#include "core/cpu/kernels.hpp"
#include "core/profiler.hpp"

namespace fulcrum {
namespace {

// profiler::Scope with a fixed name, or "family:op" for kernels that serve several ops.
#define PROFILE(name) profiler::Scope profile_scope([&] { return std::string(name); })
#define PROFILE_OP(name, op) profiler::Scope profile_scope([&] { return std::string(name ":") + op_name(op); })

struct CpuBackend final : cpu::HostMemoryBackend {
  const char* name() const override { return "cpu"; }
  void copy(const Tensor& src, const Tensor& dst) override {
    PROFILE("copy");
    cpu::copy(src, dst);
  }
  void fill(const Tensor& dst, double value) override {
    PROFILE("fill");
    cpu::fill(dst, value);
  }
  void unary(OpKind op, const Tensor& x, const Tensor& out, const OpAttrs& attrs) override {
    PROFILE_OP("unary", op);
    cpu::unary(op, x, out, attrs);
  }
  void binary(OpKind op, const Tensor& a, const Tensor& b, const Tensor& out) override {
    PROFILE_OP("binary", op);
    cpu::binary(op, a, b, out);
  }
  void where(const Tensor& c, const Tensor& a, const Tensor& b, const Tensor& out) override {
    PROFILE("where");
    cpu::where(c, a, b, out);
  }
  void reduce(OpKind op, const Tensor& x, const std::vector<int64_t>& dims, const Tensor& out) override {
    PROFILE_OP("reduce", op);
    cpu::reduce(op, x, dims, out);
  }
  void matmul(const Tensor& a, const Tensor& b, const Tensor& out) override {
    PROFILE("matmul");
    cpu::matmul(a, b, out);
  }
  void softmax(const Tensor& x, int64_t dim, bool log, const Tensor& out) override {
    PROFILE(log ? "log_softmax" : "softmax");
    cpu::softmax(x, dim, log, out);
  }
  void index_select(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& out) override {
    PROFILE("index_select");
    cpu::index_select(x, dim, index, out);
  }
  void gather(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& out) override {
    PROFILE("gather");
    cpu::gather(x, dim, index, out);
  }
  void scatter_add(const Tensor& out, int64_t dim, const Tensor& index, const Tensor& src) override {
    PROFILE("scatter_add");
    cpu::scatter_add(out, dim, index, src);
  }
  void conv2d(const Tensor& x, const Tensor& w, const Tensor& b, const Conv2dGeometry& g,
              const Tensor& out) override {
    PROFILE("conv2d");
    cpu::conv2d(x, w, b, g, out);
  }
  void conv2d_backward(const Tensor& dy, const Tensor& x, const Tensor& w, const Conv2dGeometry& g,
                       const Tensor& dx, const Tensor& dw, const Tensor& db) override {
    PROFILE("conv2d_backward");
    cpu::conv2d_backward(dy, x, w, g, dx, dw, db);
  }
  void max_pool2d(const Tensor& x, const Pool2dGeometry& g, const Tensor& out, const Tensor& indices) override {
    PROFILE("max_pool2d");
    cpu::max_pool2d(x, g, out, indices);
  }
  void max_pool2d_backward(const Tensor& dy, const Tensor& indices, const Pool2dGeometry& g,
                           const Tensor& dx) override {
    PROFILE("max_pool2d_backward");
    cpu::max_pool2d_backward(dy, indices, g, dx);
  }
  void avg_pool2d(const Tensor& x, const Pool2dGeometry& g, const Tensor& out) override {
    PROFILE("avg_pool2d");
    cpu::avg_pool2d(x, g, out);
  }
  void avg_pool2d_backward(const Tensor& dy, const Pool2dGeometry& g, const Tensor& dx) override {
    PROFILE("avg_pool2d_backward");
    cpu::avg_pool2d_backward(dy, g, dx);
  }
  void batch_norm(const Tensor& x, const Tensor& w, const Tensor& b, double eps, const Tensor& out,
                  const Tensor& mean, const Tensor& var) override {
    PROFILE("batch_norm");
    cpu::batch_norm(x, w, b, eps, out, mean, var);
  }
  void batch_norm_backward(const Tensor& dy, const Tensor& x, const Tensor& w, const Tensor& mean,
                           const Tensor& var, double eps, const Tensor& dx, const Tensor& dw,
                           const Tensor& db) override {
    PROFILE("batch_norm_backward");
    cpu::batch_norm_backward(dy, x, w, mean, var, eps, dx, dw, db);
  }
  void uniform(const Tensor& out, uint64_t seed, uint64_t first, double low, double high) override {
    PROFILE("uniform");
    cpu::uniform(out, seed, first, low, high);
  }
  void normal(const Tensor& out, uint64_t seed, uint64_t first, double mean, double std) override {
    PROFILE("normal");
    cpu::normal(out, seed, first, mean, std);
  }
  void randint(const Tensor& out, uint64_t seed, uint64_t first, int64_t low, int64_t high) override {
    PROFILE("randint");
    cpu::randint(out, seed, first, low, high);
  }
};

#undef PROFILE
#undef PROFILE_OP

}  // namespace

Backend& cpu_backend() {
  static CpuBackend backend;
  return backend;
}

}  // namespace fulcrum
