// core/ops_elementwise.cpp — front-ends of the element-wise ops: check arguments, broadcast,
// run the backend kernel, record the autograd node with what its backward needs.
// The backward formulas themselves are in autograd/derivatives.cpp.
#include <cmath>
#include <limits>

#include "core/cpu/scalar_ops.hpp"
#include "core/ops_common.hpp"

namespace fulcrum {

namespace detail {

Backend& backend_of(const char* op, std::initializer_list<const Tensor*> tensors) {
  const Tensor* first = nullptr;
  for (const Tensor* t : tensors) {
    FULCRUM_CHECK(t->defined(), op << ": an input tensor is undefined");
    if (!first) first = t;
    FULCRUM_CHECK(t->device() == first->device(), op << ": tensors are on " << first->device().str()
                                                     << " and " << t->device().str());
  }
  return backend_for(first->device());
}

void check_same_dtype(const char* op, const Tensor& a, const Tensor& b) {
  FULCRUM_CHECK(a.dtype() == b.dtype(), op << ": dtypes " << a.dtype() << " and " << b.dtype()
                                           << " differ; convert one with .to(...) "
                                              "(Fulcrum does no implicit type promotion)");
}

void check_floating(const char* op, const Tensor& x) {
  FULCRUM_CHECK(is_floating(x.dtype()), op << ": expected a floating tensor (f32 or f64), got "
                                           << x.dtype() << " with shape " << shape_str(x.shape()));
}

void check_dtype(const char* op, const char* what, const Tensor& x, DType expected) {
  FULCRUM_CHECK(x.dtype() == expected, op << ": " << what << " must be " << expected << ", got "
                                          << x.dtype() << " with shape " << shape_str(x.shape()));
}

}  // namespace detail

namespace {

using detail::backend_of;

// Ops that also accept integer tensors.
bool integer_ok(OpKind op) {
  return op == OpKind::neg || op == OpKind::abs || op == OpKind::relu || op == OpKind::clamp;
}

// What each one-input op keeps for its backward: the input x, or the output y.
enum class Keep { nothing, input, output };
Keep keep_for(OpKind op) {
  switch (op) {
    case OpKind::neg: return Keep::nothing;
    case OpKind::exp: case OpKind::sqrt: case OpKind::relu: case OpKind::sigmoid:
    case OpKind::tanh: return Keep::output;
    default: return Keep::input;  // abs, log, log1p, softplus, pow, clamp
  }
}

Tensor unary_op(OpKind op, const Tensor& x, const OpAttrs& attrs = {}) {
  Backend& backend = backend_of(op_name(op), {&x});
  if (!integer_ok(op)) detail::check_floating(op_name(op), x);
  FULCRUM_CHECK(x.dtype() != DType::u8 || op == OpKind::clamp,
                op_name(op) << ": not defined for u8 tensors; convert with .to(...) first");
  Tensor out = detail::new_output(x.shape(), x.dtype(), x.device());
  backend.unary(op, x, out, attrs);
  if (any_requires_grad({&x})) {
    auto node = record(op, {&x}, out, attrs);
    if (keep_for(op) == Keep::input) node->save(x);
    if (keep_for(op) == Keep::output) node->save(out);
  }
  return out;
}

Tensor binary_op(OpKind op, const Tensor& a, const Tensor& b) {
  Backend& backend = backend_of(op_name(op), {&a, &b});
  detail::check_same_dtype(op_name(op), a, b);
  if (op == OpKind::div || op == OpKind::pow_tensor) detail::check_floating(op_name(op), a);
  const Shape shape = broadcast_shapes(op_name(op), a.shape(), b.shape());
  const bool comparison = cpu::is_comparison(op);
  Tensor out = detail::new_output(shape, comparison ? DType::u8 : a.dtype(), a.device());
  backend.binary(op, a.detach().expand(shape), b.detach().expand(shape), out);
  if (!comparison && any_requires_grad({&a, &b})) {
    auto node = record(op, {&a, &b}, out);
    if (op == OpKind::mul || op == OpKind::div || op == OpKind::maximum ||
        op == OpKind::minimum || op == OpKind::pow_tensor) {
      node->save(a);
      node->save(b);
    }
    if (op == OpKind::pow_tensor) node->save(out);
    if (op == OpKind::threshold_backward) node->save(b);
  }
  return out;
}

// A scalar operand becomes a 0-d tensor of the tensor operand's dtype. For integer tensors the
// scalar must be integral (no silent truncation of 0.5).
Tensor scalar_like(const Tensor& like, double value, const char* op) {
  FULCRUM_CHECK(is_floating(like.dtype()) || value == std::nearbyint(value),
                op << ": scalar " << value << " with a " << like.dtype()
                   << " tensor would be truncated; convert the tensor with .to(f32) first");
  return full({}, value, {.dtype = like.dtype(), .device = like.device()});
}

}  // namespace

Tensor neg(const Tensor& x) { return unary_op(OpKind::neg, x); }
Tensor abs(const Tensor& x) { return unary_op(OpKind::abs, x); }
Tensor exp(const Tensor& x) { return unary_op(OpKind::exp, x); }
Tensor log(const Tensor& x) { return unary_op(OpKind::log, x); }
Tensor log1p(const Tensor& x) { return unary_op(OpKind::log1p, x); }
Tensor sqrt(const Tensor& x) { return unary_op(OpKind::sqrt, x); }
Tensor relu(const Tensor& x) { return unary_op(OpKind::relu, x); }
Tensor sigmoid(const Tensor& x) { return unary_op(OpKind::sigmoid, x); }
Tensor tanh(const Tensor& x) { return unary_op(OpKind::tanh, x); }
Tensor erf(const Tensor& x) { return unary_op(OpKind::erf, x); }

Tensor softplus(const Tensor& x, double beta, double threshold) {
  FULCRUM_CHECK(beta > 0, "softplus: beta must be > 0, got " << beta);
  return unary_op(OpKind::softplus, x, {.scalar = beta, .scalar2 = threshold});
}

Tensor pow(const Tensor& x, double exponent) {
  return unary_op(OpKind::pow, x, {.scalar = exponent});
}

Tensor clamp(const Tensor& x, std::optional<double> min, std::optional<double> max) {
  FULCRUM_CHECK(min || max, "clamp: at least one of min and max must be given");
  const double lo = min.value_or(-std::numeric_limits<double>::infinity());
  const double hi = max.value_or(std::numeric_limits<double>::infinity());
  FULCRUM_CHECK(!(lo > hi), "clamp: min " << lo << " is greater than max " << hi);
  FULCRUM_CHECK(x.defined(), "clamp: the input tensor is undefined");
  FULCRUM_CHECK(is_floating(x.dtype()) || ((std::isinf(lo) || lo == std::nearbyint(lo)) &&
                                           (std::isinf(hi) || hi == std::nearbyint(hi))),
                "clamp: bounds " << lo << ", " << hi << " with a " << x.dtype()
                                 << " tensor would be truncated; use integral bounds or convert the tensor");
  return unary_op(OpKind::clamp, x, {.scalar = lo, .scalar2 = hi});
}
Tensor clamp_min(const Tensor& x, double min) { return clamp(x, min, std::nullopt); }
Tensor clamp_max(const Tensor& x, double max) { return clamp(x, std::nullopt, max); }

Tensor add(const Tensor& a, const Tensor& b) { return binary_op(OpKind::add, a, b); }
Tensor add(const Tensor& a, const Tensor& b, double alpha) {
  return alpha == 1.0 ? add(a, b) : add(a, mul(b, scalar_like(b, alpha, "add")));
}
Tensor sub(const Tensor& a, const Tensor& b) { return binary_op(OpKind::sub, a, b); }
Tensor mul(const Tensor& a, const Tensor& b) { return binary_op(OpKind::mul, a, b); }
Tensor div(const Tensor& a, const Tensor& b) { return binary_op(OpKind::div, a, b); }
Tensor pow(const Tensor& a, const Tensor& b) { return binary_op(OpKind::pow_tensor, a, b); }
Tensor maximum(const Tensor& a, const Tensor& b) { return binary_op(OpKind::maximum, a, b); }
Tensor minimum(const Tensor& a, const Tensor& b) { return binary_op(OpKind::minimum, a, b); }
Tensor threshold_backward(const Tensor& grad, const Tensor& self) {
  return binary_op(OpKind::threshold_backward, grad, self);
}
Tensor eq(const Tensor& a, const Tensor& b) { return binary_op(OpKind::eq, a, b); }
Tensor ne(const Tensor& a, const Tensor& b) { return binary_op(OpKind::ne, a, b); }
Tensor lt(const Tensor& a, const Tensor& b) { return binary_op(OpKind::lt, a, b); }
Tensor le(const Tensor& a, const Tensor& b) { return binary_op(OpKind::le, a, b); }
Tensor gt(const Tensor& a, const Tensor& b) { return binary_op(OpKind::gt, a, b); }
Tensor ge(const Tensor& a, const Tensor& b) { return binary_op(OpKind::ge, a, b); }

Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b) {
  Backend& backend = backend_of("where", {&condition, &a, &b});
  detail::check_dtype("where", "the condition", condition, DType::u8);
  detail::check_same_dtype("where", a, b);
  const Shape shape = broadcast_shapes("where", condition.shape(),
                                       broadcast_shapes("where", a.shape(), b.shape()));
  Tensor out = detail::new_output(shape, a.dtype(), a.device());
  backend.where(condition.detach().expand(shape), a.detach().expand(shape),
                b.detach().expand(shape), out);
  if (any_requires_grad({&a, &b})) {
    auto node = record(OpKind::where, {&condition, &a, &b}, out);
    node->save(condition);
  }
  return out;
}

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator-(const Tensor& x) { return neg(x); }
Tensor operator+(const Tensor& a, double b) { return add(a, scalar_like(a, b, "add")); }
Tensor operator-(const Tensor& a, double b) { return sub(a, scalar_like(a, b, "sub")); }
Tensor operator*(const Tensor& a, double b) { return mul(a, scalar_like(a, b, "mul")); }
Tensor operator/(const Tensor& a, double b) { return div(a, scalar_like(a, b, "div")); }
Tensor operator+(double a, const Tensor& b) { return add(scalar_like(b, a, "add"), b); }
Tensor operator-(double a, const Tensor& b) { return sub(scalar_like(b, a, "sub"), b); }
Tensor operator*(double a, const Tensor& b) { return mul(scalar_like(b, a, "mul"), b); }
Tensor operator/(double a, const Tensor& b) { return div(scalar_like(b, a, "div"), b); }
Tensor operator==(const Tensor& a, const Tensor& b) { return eq(a, b); }
Tensor operator!=(const Tensor& a, const Tensor& b) { return ne(a, b); }
Tensor operator<(const Tensor& a, const Tensor& b) { return lt(a, b); }
Tensor operator<=(const Tensor& a, const Tensor& b) { return le(a, b); }
Tensor operator>(const Tensor& a, const Tensor& b) { return gt(a, b); }
Tensor operator>=(const Tensor& a, const Tensor& b) { return ge(a, b); }
Tensor operator==(const Tensor& a, double b) { return eq(a, scalar_like(a, b, "eq")); }
Tensor operator!=(const Tensor& a, double b) { return ne(a, scalar_like(a, b, "ne")); }
Tensor operator<(const Tensor& a, double b) { return lt(a, scalar_like(a, b, "lt")); }
Tensor operator<=(const Tensor& a, double b) { return le(a, scalar_like(a, b, "le")); }
Tensor operator>(const Tensor& a, double b) { return gt(a, scalar_like(a, b, "gt")); }
Tensor operator>=(const Tensor& a, double b) { return ge(a, scalar_like(a, b, "ge")); }

}  // namespace fulcrum
