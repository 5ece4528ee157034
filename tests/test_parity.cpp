// tests/test_parity.cpp — the parity suite: every op of core/op_list.def, on every registered
// device (available_devices(): "cpu" today, "cuda" in a CUDA build), against the reference
// device "ref" (core/cpu/ref_backend.cpp, one element at a time). The cases are the rows of
// tests/op_cases.hpp — grad_cases() and derived_grad_cases() (forward and backward) and
// value_cases() (the ops without a gradient) — not a list kept here, and a primitive with no row
// fails the suite. Each row runs in f32 and f64 and on five layouts of its inputs: contiguous,
// transposed (the last two dims of a base swapped back), broadcast (dim 0 expanded from 1),
// sliced (every other row of a base, from an offset) and zero-size (dim 0 = 0). Both devices get
// the same values; the outputs and the gradients of a fixed random upstream gradient must agree
// to a tolerance that fits the dtype, or both must refuse the inputs with an Error.
// A new backend is tested by registering it: this file does not change.
#include <doctest/doctest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/backend.hpp"
#include "fulcrum.hpp"
#include "op_cases.hpp"
#include "test_support.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;

namespace {

enum class Layout { contiguous, transposed, broadcast, sliced, zero_size };
constexpr Layout kLayouts[] = {Layout::contiguous, Layout::transposed, Layout::broadcast, Layout::sliced,
                               Layout::zero_size};
const char* layout_name(Layout layout) {
  switch (layout) {
    case Layout::contiguous: return "contiguous";
    case Layout::transposed: return "transposed";
    case Layout::broadcast: return "broadcast";
    case Layout::sliced: return "sliced";
    case Layout::zero_size: return "zero-size";
  }
  return "?";
}

std::vector<GradCase> all_cases() {
  std::vector<GradCase> cases = grad_cases();
  for (const GradCase& c : derived_grad_cases()) cases.push_back(c);
  for (const GradCase& c : value_cases()) cases.push_back(c);
  return cases;
}

// Values for one input of `shape`, drawn on the host from `generator` (so every device gets the
// same ones), as tests/test_gradcheck.cpp draws them: reals uniform in [low, high] (±[0.2, 1]
// when kept away from zero), indices in [0, high), u8 masks.
Tensor host_values(const InputSpec& spec, const Shape& shape, DType dtype, Generator& generator) {
  switch (spec.kind) {
    case InputSpec::index: return randint(0, static_cast<int64_t>(spec.high), shape, {.dtype = DType::i64}, &generator);
    case InputSpec::mask: return randint(0, 2, shape, {.dtype = DType::u8}, &generator);
    case InputSpec::real:
    case InputSpec::constant: break;
  }
  Tensor x = uniform(shape, spec.low, spec.high, {.dtype = DType::f64}, &generator);
  if (spec.away_from_zero) x = where(x >= 0.0, x * 0.8 + 0.2, x * 0.8 - 0.2);
  return x.to(dtype);
}

// The shape of the base tensor a layout is cut from, and the cut (done on the device).
Shape base_shape(const Shape& shape, Layout layout) {
  Shape base = shape;
  const size_t rank = shape.size();
  if (layout == Layout::transposed && rank >= 2) std::swap(base[rank - 1], base[rank - 2]);
  if (layout == Layout::broadcast && rank >= 1) base[0] = 1;
  if (layout == Layout::sliced && rank >= 1) base[0] = 2 * shape[0] + 1;
  return base;
}
Tensor cut(const Tensor& base, const Shape& shape, Layout layout) {
  const int64_t rank = static_cast<int64_t>(shape.size());
  if (layout == Layout::transposed && rank >= 2) return base.transpose(rank - 1, rank - 2);
  if (layout == Layout::broadcast && rank >= 1) return base.expand(shape);
  if (layout == Layout::sliced && rank >= 1) return base.slice(0, 1, 2 * shape[0] + 1, 2);
  return base;
}

// What one device computed: the output and the gradient of every real input (on the host), or
// the Error it raised.
struct Outcome {
  Tensor output;
  std::vector<Tensor> grads;
  std::string error;
};

Outcome run_case(const GradCase& c, Layout layout, DType dtype, Device device) {
  Generator values(1234), upstream(99);
  std::vector<Shape> shapes;
  for (const InputSpec& spec : c.inputs) shapes.push_back(spec.shape);
  if (layout == Layout::zero_size) {  // dim 0 = 0 wherever it matches the first input's dim 0
    const int64_t first = shapes[0].empty() ? -1 : shapes[0][0];
    for (Shape& shape : shapes)
      if (!shape.empty() && shape[0] == first) shape[0] = 0;
  }
  std::vector<Tensor> leaves, inputs;
  for (size_t k = 0; k < c.inputs.size(); ++k) {
    const InputSpec& spec = c.inputs[k];
    Tensor base = host_values(spec, base_shape(shapes[k], layout), dtype, values).to(device);
    if (spec.kind == InputSpec::real) base.set_requires_grad(true);
    leaves.push_back(base);
    inputs.push_back(cut(base, shapes[k], layout));
  }
  Outcome outcome;
  Tensor out;
  try {
    out = c.fn(inputs);
    if (out.requires_grad() && out.numel() > 0) {
      const Tensor v = uniform(out.shape(), -1.0, 1.0, {.dtype = out.dtype()}, &upstream).to(device);
      (out * v).sum().backward();
    }
  } catch (const Error& error) {
    outcome.error = error.what();
    return outcome;
  }
  CHECK_MESSAGE(out.device() == device, c.label << ": the output is on " << out.device() << ", not " << device);
  outcome.output = out.detach().to(Device::cpu());
  for (size_t k = 0; k < leaves.size(); ++k) {
    if (c.inputs[k].kind != InputSpec::real) continue;
    const Tensor& grad = leaves[k].grad();
    outcome.grads.push_back(grad.defined() ? grad.to(Device::cpu()) : Tensor());
  }
  return outcome;
}

// |a − b| ≤ atol + rtol·|b| elementwise, exact for integer dtypes; NaN matches NaN.
bool agree(const Tensor& a, const Tensor& b, double rtol, double atol, std::string& why) {
  if (a.defined() != b.defined()) {
    why = a.defined() ? "the reference has no gradient" : "no gradient where the reference has one";
    return false;
  }
  if (!a.defined()) return true;
  if (a.shape() != b.shape() || a.dtype() != b.dtype()) {
    why = "shape/dtype " + shape_str(a.shape()) + " " + dtype_name(a.dtype()) + " vs the reference's " +
          shape_str(b.shape()) + " " + dtype_name(b.dtype());
    return false;
  }
  const std::vector<double> x = a.to_vector(), y = b.to_vector();
  const bool exact = !is_floating(a.dtype());
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i]) && std::isnan(y[i])) continue;
    const bool ok = exact ? x[i] == y[i] : std::abs(x[i] - y[i]) <= atol + rtol * std::abs(y[i]);
    if (!ok) {
      std::ostringstream text;
      text.precision(17);
      text << "element " << i << ": " << x[i] << " vs the reference's " << y[i];
      why = text.str();
      return false;
    }
  }
  return true;
}

}  // namespace

TEST_CASE("parity: every primitive of op_list.def has a row in op_cases.hpp") {
  std::set<OpKind> covered;
  for (const GradCase& c : all_cases()) covered.insert(c.op);
  for (const OpInfo& info : kOpInfos) {
    CHECK_MESSAGE(covered.count(info.kind) == 1, "op '" << std::string(info.name) << "' has no row in tests/op_cases.hpp, "
                                                 "so no device is checked on it");
  }
}

TEST_CASE("parity: the reference device and at least one other are registered") {
  const std::vector<Device> devices = available_devices();
  CHECK(std::find(devices.begin(), devices.end(), Device::ref()) != devices.end());
  CHECK(std::find(devices.begin(), devices.end(), Device::cpu()) != devices.end());
}

TEST_CASE("parity: every op, forward and backward, on every device against ref") {
  int compared = 0, both_refused = 0;
  for (const Device& device : available_devices()) {
    if (device == Device::ref()) continue;
    for (const GradCase& c : all_cases()) {
      for (const DType dtype : {DType::f32, DType::f64}) {
        // f32 sums and products round differently in the fast kernels (blocked, vectorised,
        // other orders) than in the loops: a few ulps of the largest intermediate.
        const double rtol = dtype == DType::f32 ? 2e-5 : 1e-11, atol = dtype == DType::f32 ? 2e-6 : 1e-12;
        for (const Layout layout : kLayouts) {
          const std::string context = device.str() + " vs ref, " + std::string(op_name(c.op)) + " \"" + c.label +
                                      "\", " + std::string(dtype_name(dtype)) + ", " + std::string(layout_name(layout));
          INFO(context);
          const Outcome ref = run_case(c, layout, dtype, Device::ref());
          const Outcome got = run_case(c, layout, dtype, device);
          if (!ref.error.empty() || !got.error.empty()) {
            CHECK_MESSAGE(ref.error.empty() == got.error.empty(),
                          "only one device refused: ref \"" << ref.error << "\", " << device << " \"" << got.error << "\"");
            ++both_refused;
            continue;
          }
          std::string why;
          CHECK_MESSAGE(agree(got.output, ref.output, rtol, atol, why), "output: " << why);
          REQUIRE(got.grads.size() == ref.grads.size());
          for (size_t k = 0; k < got.grads.size(); ++k) {
            CHECK_MESSAGE(agree(got.grads[k], ref.grads[k], 10 * rtol, 10 * atol, why), "gradient of input " << k << ": " << why);
          }
          ++compared;
        }
      }
    }
  }
  MESSAGE(compared << " (case, dtype, layout) runs compared, " << both_refused << " refused by both devices");
  // The zero-size layout is refused by some rows (a reduction of nothing, a reshape to a fixed
  // shape): that must stay the exception, or the suite would compare little.
  CHECK(compared > 4 * both_refused);
  CHECK(compared >= static_cast<int>(all_cases().size()) * 2 * 4);
}
