// core/backend.hpp — the Backend interface: the kernel families every device implements, its
// memory, and the registry that maps a device to its backend.
// Ops (ops_*.cpp) check shapes, dtypes and devices, allocate the output, then call
// backend_for(device). Calls are per tensor, never per element. Built in: "cpu" (core/cpu/, the
// fast kernels) and "ref" (core/cpu/ref_backend.cpp, the reference loops: the oracle); a CUDA
// build registers "cuda" (register_backend). A new device = implement Backend, register it, and
// the parity suite (tests/test_parity.cpp) checks every op on it against "ref".
// Contract for every kernel: inputs may be strided views (broadcast = stride 0); outputs are
// freshly allocated contiguous tensors of the right shape and dtype unless said otherwise. All
// tensors of one call live on the backend's device.
#pragma once
#include <memory>
#include <vector>

#include "core/op.hpp"
#include "core/rng.hpp"
#include "core/tensor.hpp"

namespace fulcrum {

struct Backend {
  virtual ~Backend() = default;
  virtual const char* name() const = 0;

  // ---- memory ----
  // nbytes of uninitialised storage on `device` (of this backend's type), 64-byte aligned.
  virtual std::shared_ptr<Storage> allocate(int64_t nbytes, Device device) = 0;
  // nbytes between this device's memory and host memory (both contiguous). Host devices: memcpy;
  // a GPU: a synchronous copy (the host reads what it asked for).
  virtual void copy_to_host(const void* src, void* host_dst, int64_t nbytes) = 0;
  virtual void copy_from_host(const void* host_src, void* dst, int64_t nbytes) = 0;

  // ---- kernels ----

  // dst = src element by element (same shape; dst may be a strided view; dtypes may differ).
  virtual void copy(const Tensor& src, const Tensor& dst) = 0;
  // Every element of dst (may be a strided view) = value.
  virtual void fill(const Tensor& dst, double value) = 0;
  // out = op(x) for one-input element-wise ops (neg … clamp); x has out's shape.
  virtual void unary(OpKind op, const Tensor& x, const Tensor& out, const OpAttrs& attrs) = 0;
  // out = op(a, b) for add … ge; a and b are already expanded to out's shape.
  virtual void binary(OpKind op, const Tensor& a, const Tensor& b, const Tensor& out) = 0;
  // out = condition ? a : b, all expanded to out's shape.
  virtual void where(const Tensor& condition, const Tensor& a, const Tensor& b,
                     const Tensor& out) = 0;
  // sum / max / min / argmax / argmin of x over `dims` (sorted, non-empty); out has x's
  // shape with those dims set to 1.
  virtual void reduce(OpKind op, const Tensor& x, const std::vector<int64_t>& dims,
                      const Tensor& out) = 0;
  // out[b] = a[b] @ b[b]: a [B, M, K], b [B, K, N] (any strides), out [B, M, N] contiguous.
  virtual void matmul(const Tensor& a, const Tensor& b, const Tensor& out) = 0;
  // Softmax (or log-softmax) of contiguous x over `dim`.
  virtual void softmax(const Tensor& x, int64_t dim, bool log, const Tensor& out) = 0;
  // out = x with dim replaced by index (contiguous x, i64 index, indices already validated).
  virtual void index_select(const Tensor& x, int64_t dim, const Tensor& index,
                            const Tensor& out) = 0;
  virtual void gather(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& out) = 0;
  // out (already holding self) += src scattered along dim by index.
  virtual void scatter_add(const Tensor& out, int64_t dim, const Tensor& index,
                           const Tensor& src) = 0;
  // Layers (contiguous NCHW tensors). conv2d_backward computes whichever of dx, dweight,
  // dbias are defined. Pooling: max saves the flat argmax (h·W + w) of each window in indices.
  virtual void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias,
                      const Conv2dGeometry& geometry, const Tensor& out) = 0;
  virtual void conv2d_backward(const Tensor& dy, const Tensor& x, const Tensor& weight,
                               const Conv2dGeometry& geometry, const Tensor& dx,
                               const Tensor& dweight, const Tensor& dbias) = 0;
  virtual void max_pool2d(const Tensor& x, const Pool2dGeometry& geometry, const Tensor& out,
                          const Tensor& indices) = 0;
  virtual void max_pool2d_backward(const Tensor& dy, const Tensor& indices,
                                   const Pool2dGeometry& geometry, const Tensor& dx) = 0;
  virtual void avg_pool2d(const Tensor& x, const Pool2dGeometry& geometry, const Tensor& out) = 0;
  virtual void avg_pool2d_backward(const Tensor& dy, const Pool2dGeometry& geometry,
                                   const Tensor& dx) = 0;

  // Batch norm with batch statistics of contiguous x [N, C, *]: per channel, over its N·∏* values,
  // mean and the biased var (÷ N·∏*); out = (x − mean) / √(var + eps) · weight + bias (weight and
  // bias [C] may be undefined: 1 and 0). The backward computes whichever of dx, dweight, dbias
  // are defined from dy and what the forward saved (x, mean, var).
  virtual void batch_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps,
                          const Tensor& out, const Tensor& mean, const Tensor& var) = 0;
  virtual void batch_norm_backward(const Tensor& dy, const Tensor& x, const Tensor& weight,
                                   const Tensor& mean, const Tensor& var, double eps, const Tensor& dx,
                                   const Tensor& dweight, const Tensor& dbias) = 0;

  // Random fills of a contiguous out from the generator's blocks starting at first_block.
  virtual void uniform(const Tensor& out, uint64_t seed, uint64_t first_block, double low,
                       double high) = 0;
  virtual void normal(const Tensor& out, uint64_t seed, uint64_t first_block, double mean,
                      double std) = 0;
  virtual void randint(const Tensor& out, uint64_t seed, uint64_t first_block, int64_t low,
                       int64_t high) = 0;
};

// The registry. backend_for: the backend of `device`'s type (an Error naming the device and
// the registered ones when there is none); in anomaly mode, the same wrapped in output checks.
Backend& backend_for(Device device);
// Makes `backend` the one for `type` (a CUDA build calls it at start-up). Not thread-safe
// against concurrent backend_for calls: register before running ops.
void register_backend(DeviceType type, Backend* backend);
// Every device with a registered backend (index 0 of each type): "cpu", "ref", …
std::vector<Device> available_devices();

// Storage in host memory for the host backends (cpu, ref): aligned_alloc, freed with the last
// reference; filled with 0xFF bytes when Storage::fill_new_with_nan is set.
std::shared_ptr<Storage> allocate_host(int64_t nbytes, Device device);

// The built-in backends (the registry holds these; tests may call kernels on them directly).
Backend& cpu_backend();
Backend& ref_backend();

// How many Philox blocks each random fill of n elements uses (so the generator advances by it).
inline uint64_t uniform_blocks(int64_t n, DType dtype) {
  return dtype == DType::f32 ? (n + 3) / 4 : (n + 1) / 2;
}
inline uint64_t normal_blocks(int64_t n) { return (n + 1) / 2; }
inline uint64_t randint_blocks(int64_t n) { return (n + 1) / 2; }

}  // namespace fulcrum
