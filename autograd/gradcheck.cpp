// autograd/gradcheck.cpp — compares autograd's gradient with central differences, in f64.
// With a fixed random v, L(x) = Σ v ⊙ f(x); analytic ∂L/∂x comes from one backward, numeric
// ∂L/∂x_i = (L(x + ε e_i) − L(x − ε e_i)) / 2ε from two forward passes per element.
#include "autograd/gradcheck.hpp"

#include <cmath>
#include <sstream>

#include "autograd/node.hpp"
#include "core/cpu/strided.hpp"
#include "core/ops.hpp"

namespace fulcrum {
namespace {

std::string index_str(int64_t linear, const Shape& shape) {
  Shape index(shape.size());
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    index[d] = linear % shape[d];
    linear /= shape[d];
  }
  return shape_str(index);
}

// L = Σ v ⊙ f(inputs), evaluated without recording.
double projected(const std::function<Tensor(const std::vector<Tensor>&)>& fn,
                 const std::vector<Tensor>& inputs, const Tensor& v) {
  NoGradGuard no_grad;
  return sum(fn(inputs) * v).item<double>();
}

// Checks every input element against the projection v; fills result on the first failure.
void check_projection(const std::function<Tensor(const std::vector<Tensor>&)>& fn,
                      const std::vector<Tensor>& inputs, const Tensor& v, const GradcheckOptions& options,
                      const std::string& projection_name, GradcheckResult& result) {
  for (const Tensor& x : inputs) {
    if (x.requires_grad()) x.set_grad(Tensor());
  }
  Tensor y = fn(inputs);
  FULCRUM_CHECK(y.dtype() == DType::f64, "gradcheck: the function must return f64, got " << y.dtype());
  FULCRUM_CHECK(y.requires_grad(), "gradcheck: the output does not depend on any input that requires grad");
  sum(y * v).backward();

  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& x = inputs[i];
    if (!x.requires_grad()) continue;
    // An input that requires grad but never receives one is not part of the graph: the function
    // ignores it (or detaches it). Reading that as "gradient 0" would let a function that drops
    // an input pass wherever the true gradient happens to be small; say so instead.
    if (!x.grad().defined()) {
      result.ok = false;
      result.message = "gradcheck failed for " + (options.name.empty() ? std::string("the function") : options.name) +
                       projection_name + ": input " + std::to_string(i) + " (shape " + shape_str(x.shape()) +
                       ") requires grad but the function never reaches it (no gradient flowed back to it)";
      return;
    }
    const std::vector<double> analytic = x.grad().to_vector<double>();
    double* data = x.data_ptr<double>();
    for (int64_t j = 0; j < x.numel(); ++j) {
      const double original = data[j];
      data[j] = original + options.eps;
      const double plus = projected(fn, inputs, v);
      data[j] = original - options.eps;
      const double minus = projected(fn, inputs, v);
      data[j] = original;
      const double numeric = (plus - minus) / (2.0 * options.eps);
      const double error = std::abs(numeric - analytic[j]);
      result.max_abs_error = std::max(result.max_abs_error, error);
      if (!(error <= options.atol + options.rtol * std::abs(numeric))) {
        std::ostringstream message;
        message << "gradcheck failed for " << (options.name.empty() ? "the function" : options.name)
                << projection_name << ": input " << i << " (shape " << shape_str(x.shape())
                << "), element " << index_str(j, x.shape()) << ": numeric " << numeric
                << " vs analytic " << analytic[j] << " (abs error " << error << ", rel error "
                << error / std::max(std::abs(numeric), 1e-300) << ")";
        result.ok = false;
        result.message = message.str();
        return;
      }
    }
  }
}

}  // namespace

GradcheckResult gradcheck(const std::function<Tensor(const std::vector<Tensor>&)>& fn,
                          const std::vector<Tensor>& inputs_in, GradcheckOptions options) {
  // Work on contiguous f64 copies so elements can be nudged in place.
  std::vector<Tensor> inputs;
  bool any = false;
  for (size_t i = 0; i < inputs_in.size(); ++i) {
    const Tensor& x = inputs_in[i];
    if (is_floating(x.dtype())) {
      FULCRUM_CHECK(x.dtype() == DType::f64, "gradcheck: input " << i << " is " << x.dtype()
                                                                 << "; gradients are checked in f64");
    }
    Tensor copy = x.detach().clone();
    if (x.requires_grad()) {
      copy.set_requires_grad(true);
      any = true;
    }
    inputs.push_back(copy);
  }
  FULCRUM_CHECK(any, "gradcheck: no input requires grad");

  GradcheckResult result;
  Generator generator(options.seed);
  Tensor y_shape_probe;
  {
    NoGradGuard no_grad;
    y_shape_probe = fn(inputs);
  }
  if (!options.per_element) {
    Tensor v = randn(y_shape_probe.shape(), {.dtype = DType::f64}, &generator);
    check_projection(fn, inputs, v, options, "", result);
    return result;
  }
  for (int64_t k = 0; k < y_shape_probe.numel() && result.ok; ++k) {
    Tensor v = zeros(y_shape_probe.shape(), {.dtype = DType::f64});
    v.data_ptr<double>()[k] = 1.0;
    check_projection(fn, inputs, v, options, " (output element " + index_str(k, y_shape_probe.shape()) + ")",
                     result);
  }
  return result;
}

}  // namespace fulcrum
