// core/anomaly.cpp — the anomaly-detection switch, the search for the first non-finite element,
// check_finite_loss, and AnomalyCheckingBackend: a Backend that forwards every call to the real
// one and, after each compute kernel, checks its output. backend_for() hands it out only while
// the mode is on, so with the mode off not one extra instruction runs per element.
#include "core/anomaly.hpp"

#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

#include "core/backend.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

namespace fulcrum {

void set_detect_anomaly(bool enabled) { detail::detect_anomaly_enabled.store(enabled); }

DetectAnomalyGuard::DetectAnomalyGuard(bool enabled) : previous_(is_anomaly_enabled()) {
  set_detect_anomaly(enabled);
}
DetectAnomalyGuard::~DetectAnomalyGuard() { set_detect_anomaly(previous_); }

namespace {

template <typename T> std::optional<int64_t> first_bad(const T* data, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    if (!std::isfinite(data[i])) return i;
  }
  return std::nullopt;
}

thread_local bool forward_checks_suspended = false;

}  // namespace

std::optional<NonFinite> first_non_finite(const Tensor& tensor) {
  if (!tensor.defined() || !is_floating(tensor.dtype())) return std::nullopt;
  const Tensor dense = to_host(tensor).contiguous();  // row-major, so flat = row-major position
  const std::optional<int64_t> flat = dense.dtype() == DType::f32
                                          ? first_bad(dense.data_ptr<float>(), dense.numel())
                                          : first_bad(dense.data_ptr<double>(), dense.numel());
  if (!flat) return std::nullopt;
  NonFinite bad{.flat_index = *flat, .index = std::vector<int64_t>(dense.shape().size())};
  int64_t rest = *flat;
  for (size_t d = dense.shape().size(); d-- > 0;) {
    bad.index[d] = rest % dense.shape()[d];
    rest /= dense.shape()[d];
  }
  bad.value = dense.dtype() == DType::f32 ? static_cast<double>(dense.data_ptr<float>()[*flat])
                                          : dense.data_ptr<double>()[*flat];
  return bad;
}

// "nan", "inf" or "-inf": the sign of a NaN carries no meaning, so it is not printed.
std::string non_finite_name(double value) {
  return std::isnan(value) ? "nan" : value > 0 ? "inf" : "-inf";
}

std::string describe(const NonFinite& bad, const Shape& shape) {
  std::ostringstream out;
  out << non_finite_name(bad.value) << " at index " << shape_str(bad.index) << " (element " << bad.flat_index << " of shape "
      << shape_str(shape) << ")";
  return out.str();
}

void check_finite_loss(const Tensor& loss, int64_t epoch, int64_t step) {
  FULCRUM_CHECK(loss.defined(), "check_finite_loss: the loss tensor is undefined");
  const std::optional<NonFinite> bad = first_non_finite(loss);
  if (!bad) return;
  std::ostringstream where;
  if (loss.numel() > 1) where << " (first non-finite element: " << describe(*bad, loss.shape()) << ")";
  FULCRUM_FAIL("training diverged: the loss is " << non_finite_name(bad->value) << " at epoch " << epoch << ", step " << step
               << where.str() << ". Lower the learning rate (or clip gradients); to find the op that "
               "first produced a non-finite value, rerun with fulcrum::set_detect_anomaly(true)");
}

namespace detail {

SuspendForwardChecks::SuspendForwardChecks() : previous_(forward_checks_suspended) {
  forward_checks_suspended = true;
}
SuspendForwardChecks::~SuspendForwardChecks() { forward_checks_suspended = previous_; }

namespace {

// Throws when `out` of forward op `op` holds a non-finite value, naming the inputs' shapes and
// saying whether an input already held one (then the op only passed it on).
void check_output(const char* op, const Tensor& out, std::initializer_list<const Tensor*> inputs) {
  if (forward_checks_suspended) return;
  const std::optional<NonFinite> bad = first_non_finite(out);
  if (!bad) return;
  std::ostringstream shapes, note;
  int k = 0;
  for (const Tensor* input : inputs) {
    if (!input->defined()) continue;
    shapes << (k ? ", " : "") << shape_str(input->shape());
    const std::optional<NonFinite> already = first_non_finite(*input);
    if (already && note.str().empty()) {
      note << "; input " << k << " already held " << describe(*already, input->shape())
           << ", so it came from outside the checked ops (data, a fill, or a tensor made before the mode was on)";
    }
    ++k;
  }
  FULCRUM_FAIL("detect_anomaly: forward op " << op << " produced " << describe(*bad, out.shape())
               << " in its output; input shapes: " << shapes.str() << note.str());
}

struct AnomalyCheckingBackend : Backend {
  explicit AnomalyCheckingBackend(Backend& backend) : inner(backend) {}
  Backend& inner;

  const char* name() const override { return inner.name(); }
  std::shared_ptr<Storage> allocate(int64_t nbytes, Device device) override { return inner.allocate(nbytes, device); }
  void copy_to_host(const void* src, void* host_dst, int64_t nbytes) override { inner.copy_to_host(src, host_dst, nbytes); }
  void copy_from_host(const void* host_src, void* dst, int64_t nbytes) override {
    inner.copy_from_host(host_src, dst, nbytes);
  }
  // Moving and filling values creates nothing new: not checked (full(NaN) is allowed). A copy
  // that converts can: f64 → f32 turns 1e300 into inf.
  void copy(const Tensor& src, const Tensor& dst) override {
    inner.copy(src, dst);
    if (src.dtype() != dst.dtype()) check_output("to_dtype", dst, {&src});
  }
  void fill(const Tensor& dst, double value) override { inner.fill(dst, value); }
  void unary(OpKind op, const Tensor& x, const Tensor& out, const OpAttrs& attrs) override {
    inner.unary(op, x, out, attrs);
    check_output(op_name(op), out, {&x});
  }
  void binary(OpKind op, const Tensor& a, const Tensor& b, const Tensor& out) override {
    inner.binary(op, a, b, out);
    check_output(op_name(op), out, {&a, &b});
  }
  void where(const Tensor& condition, const Tensor& a, const Tensor& b, const Tensor& out) override {
    inner.where(condition, a, b, out);
    check_output("where", out, {&condition, &a, &b});
  }
  void reduce(OpKind op, const Tensor& x, const std::vector<int64_t>& dims, const Tensor& out) override {
    inner.reduce(op, x, dims, out);
    check_output(op_name(op), out, {&x});
  }
  void matmul(const Tensor& a, const Tensor& b, const Tensor& out) override {
    inner.matmul(a, b, out);
    check_output("matmul", out, {&a, &b});
  }
  void softmax(const Tensor& x, int64_t dim, bool log, const Tensor& out) override {
    inner.softmax(x, dim, log, out);
    check_output(log ? "log_softmax" : "softmax", out, {&x});
  }
  void index_select(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& out) override {
    inner.index_select(x, dim, index, out);
    check_output("index_select", out, {&x, &index});
  }
  void gather(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& out) override {
    inner.gather(x, dim, index, out);
    check_output("gather", out, {&x, &index});
  }
  void scatter_add(const Tensor& out, int64_t dim, const Tensor& index, const Tensor& src) override {
    inner.scatter_add(out, dim, index, src);
    check_output("scatter_add", out, {&index, &src});
  }
  void conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Conv2dGeometry& geometry,
              const Tensor& out) override {
    inner.conv2d(x, weight, bias, geometry, out);
    check_output("conv2d", out, {&x, &weight, &bias});
  }
  // Backward kernels run inside backward formulas; the engine checks what those return.
  void conv2d_backward(const Tensor& dy, const Tensor& x, const Tensor& weight, const Conv2dGeometry& geometry,
                       const Tensor& dx, const Tensor& dweight, const Tensor& dbias) override {
    inner.conv2d_backward(dy, x, weight, geometry, dx, dweight, dbias);
  }
  void max_pool2d(const Tensor& x, const Pool2dGeometry& geometry, const Tensor& out,
                  const Tensor& indices) override {
    inner.max_pool2d(x, geometry, out, indices);
    check_output("max_pool2d", out, {&x});
  }
  void max_pool2d_backward(const Tensor& dy, const Tensor& indices, const Pool2dGeometry& geometry,
                           const Tensor& dx) override {
    inner.max_pool2d_backward(dy, indices, geometry, dx);
  }
  void avg_pool2d(const Tensor& x, const Pool2dGeometry& geometry, const Tensor& out) override {
    inner.avg_pool2d(x, geometry, out);
    check_output("avg_pool2d", out, {&x});
  }
  void avg_pool2d_backward(const Tensor& dy, const Pool2dGeometry& geometry, const Tensor& dx) override {
    inner.avg_pool2d_backward(dy, geometry, dx);
  }
  void batch_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, const Tensor& out,
                  const Tensor& mean, const Tensor& var) override {
    inner.batch_norm(x, weight, bias, eps, out, mean, var);
    check_output("batch_norm", out, {&x, &weight, &bias});
  }
  void batch_norm_backward(const Tensor& dy, const Tensor& x, const Tensor& weight, const Tensor& mean,
                           const Tensor& var, double eps, const Tensor& dx, const Tensor& dweight,
                           const Tensor& dbias) override {
    inner.batch_norm_backward(dy, x, weight, mean, var, eps, dx, dweight, dbias);
  }
  // Random fills are finite by construction.
  void uniform(const Tensor& out, uint64_t seed, uint64_t first_block, double low, double high) override {
    inner.uniform(out, seed, first_block, low, high);
  }
  void normal(const Tensor& out, uint64_t seed, uint64_t first_block, double mean, double std) override {
    inner.normal(out, seed, first_block, mean, std);
  }
  void randint(const Tensor& out, uint64_t seed, uint64_t first_block, int64_t low, int64_t high) override {
    inner.randint(out, seed, first_block, low, high);
  }
};

}  // namespace

Backend& anomaly_checking_backend(Backend& inner) {
  static std::mutex mutex;
  static std::map<Backend*, std::unique_ptr<AnomalyCheckingBackend>> wrappers;  // one per device backend
  std::lock_guard<std::mutex> lock(mutex);
  std::unique_ptr<AnomalyCheckingBackend>& wrapper = wrappers[&inner];
  if (!wrapper) wrapper = std::make_unique<AnomalyCheckingBackend>(inner);
  return *wrapper;
}

}  // namespace detail
}  // namespace fulcrum
