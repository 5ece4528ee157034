// autograd/derivatives.cpp — every backward formula, one function per differentiable op, in
// op_list.def order. Each takes the node (saved tensors, attributes, input shapes) and g = ∂L/∂y
// and returns ∂L/∂x for each input (undefined where an input takes no gradient). Formulas use
// Tensor ops only, so they run on every device. Broadcasting ops end with sum_to(…, input shape).
#include "autograd/derivatives.hpp"

#include <cmath>
#include <numeric>

#include "core/backend.hpp"
#include "core/ops.hpp"

namespace fulcrum {
namespace {

using Grads = std::vector<Tensor>;

Tensor zeros_for(const Node& node, size_t input) {
  return zeros(node.input_shapes[input], {.dtype = node.input_dtypes[input], .device = node.input_devices[input]});
}
Tensor sign(const Tensor& x) { return (x > 0.0).to(x.dtype()) - (x < 0.0).to(x.dtype()); }

// ---- element-wise, one input.  x = saved input, y = saved output ----
Grads neg_backward(const Node&, const Tensor& g) { return {-g}; }
// d|x|/dx = sign(x) (0 at 0, as PyTorch)
Grads abs_backward(const Node& n, const Tensor& g) { return {g * sign(n.saved(0))}; }
// d e^x = e^x = y
Grads exp_backward(const Node& n, const Tensor& g) { return {g * n.saved(0)}; }
Grads log_backward(const Node& n, const Tensor& g) { return {g / n.saved(0)}; }
Grads log1p_backward(const Node& n, const Tensor& g) { return {g / (n.saved(0) + 1.0)}; }
// d √x = 1 / (2√x) = 1 / 2y
Grads sqrt_backward(const Node& n, const Tensor& g) { return {g / (n.saved(0) * 2.0)}; }
// relu' = 1 where y > 0 (0 at the kink, as PyTorch)
Grads relu_backward(const Node& n, const Tensor& g) { return {threshold_backward(g, n.saved(0))}; }
// σ' = σ(1 − σ) = y(1 − y)
Grads sigmoid_backward(const Node& n, const Tensor& g) {
  const Tensor& y = n.saved(0);
  return {g * y * (1.0 - y)};
}
// tanh' = 1 − y²
Grads tanh_backward(const Node& n, const Tensor& g) {
  const Tensor& y = n.saved(0);
  return {g * (1.0 - y * y)};
}
// erf' = 2/√π · e^{−x²}
Grads erf_backward(const Node& n, const Tensor& g) {
  const Tensor& x = n.saved(0);
  return {g * exp(-(x * x)) * (2.0 / std::sqrt(M_PI))};
}
// softplus' = σ(βx) below the threshold, 1 above (where the forward is linear)
Grads softplus_backward(const Node& n, const Tensor& g) {
  const Tensor& x = n.saved(0);
  const double beta = n.attrs.scalar, threshold = n.attrs.scalar2;
  return {where(x * beta > threshold, g, g * sigmoid(x * beta))};
}
// d xᵖ = p·xᵖ⁻¹ (and 0 for p = 0, avoiding 0·x⁻¹ = NaN at x = 0)
Grads pow_backward(const Node& n, const Tensor& g) {
  const double p = n.attrs.scalar;
  if (p == 0.0) return {zeros_like(g)};
  return {g * pow(n.saved(0), p - 1.0) * p};
}
// clamp passes the gradient where lo ≤ x ≤ hi (PyTorch's convention at the bounds)
Grads clamp_backward(const Node& n, const Tensor& g) {
  const Tensor& x = n.saved(0);
  Tensor outside = maximum(x < n.attrs.scalar, x > n.attrs.scalar2);
  return {masked_fill(g, outside, 0.0)};
}

// ---- element-wise, broadcasting.  a, b = saved inputs ----
Grads add_backward(const Node& n, const Tensor& g) {
  return {sum_to(g, n.input_shapes[0]), sum_to(g, n.input_shapes[1])};
}
Grads sub_backward(const Node& n, const Tensor& g) {
  return {sum_to(g, n.input_shapes[0]), sum_to(-g, n.input_shapes[1])};
}
Grads mul_backward(const Node& n, const Tensor& g) {
  const Tensor &a = n.saved(0), &b = n.saved(1);
  return {sum_to(g * b, n.input_shapes[0]), sum_to(g * a, n.input_shapes[1])};
}
// d(a/b) = da/b − a·db/b²
Grads div_backward(const Node& n, const Tensor& g) {
  const Tensor &a = n.saved(0), &b = n.saved(1);
  return {sum_to(g / b, n.input_shapes[0]), sum_to(-g * a / (b * b), n.input_shapes[1])};
}
// d aᵇ = b·aᵇ⁻¹ da + aᵇ·ln(a) db; the ln term is taken as 0 where a = 0 and b ≥ 0 (PyTorch)
Grads pow_tensor_backward(const Node& n, const Tensor& g) {
  const Tensor &a = n.saved(0), &b = n.saved(1), &y = n.saved(2);
  Tensor da = g * b * pow(a, b - 1.0);
  Tensor db = masked_fill(g * y * log(a), minimum(a == 0.0, b >= 0.0), 0.0);
  return {sum_to(da, n.input_shapes[0]), sum_to(db, n.input_shapes[1])};
}
// threshold_backward(grad, self) is linear in grad with the same mask; in self it is piecewise
// constant, so self's gradient is 0 (as PyTorch's)
Grads threshold_backward_backward(const Node& n, const Tensor& g) {
  Tensor dself;
  if (n.next[1].needs_grad()) dself = zeros(n.input_shapes[1], {.dtype = n.input_dtypes[1], .device = n.input_devices[1]});
  return {sum_to(threshold_backward(g, n.saved(0)), n.input_shapes[0]), dself};
}
// maximum: the gradient goes to the larger input, split in half on ties (PyTorch)
Grads maximum_backward(const Node& n, const Tensor& g) {
  const Tensor &a = n.saved(0), &b = n.saved(1);
  Tensor shared = where(a == b, g * 0.5, g);
  return {sum_to(masked_fill(shared, a < b, 0.0), n.input_shapes[0]),
          sum_to(masked_fill(shared, b < a, 0.0), n.input_shapes[1])};
}
Grads minimum_backward(const Node& n, const Tensor& g) {
  const Tensor &a = n.saved(0), &b = n.saved(1);
  Tensor shared = where(a == b, g * 0.5, g);
  return {sum_to(masked_fill(shared, a > b, 0.0), n.input_shapes[0]),
          sum_to(masked_fill(shared, b > a, 0.0), n.input_shapes[1])};
}
Grads where_backward(const Node& n, const Tensor& g) {
  const Tensor& condition = n.saved(0);
  return {Tensor(), sum_to(masked_fill(g, condition == 0.0, 0.0), n.input_shapes[1]),
          sum_to(masked_fill(g, condition, 0.0), n.input_shapes[2])};
}

// ---- reductions ----
// g has the kept shape; put the reduced dims back as size 1 when keepdim was false.
Tensor with_kept_dims(const Node& n, const Tensor& g) {
  if (n.attrs.keepdim) return g;
  Tensor result = g;
  for (int64_t d : n.attrs.dims) result = unsqueeze(result, d);  // dims are sorted ascending
  return result;
}
// d Σx / dx = 1: broadcast g back over the reduced dims
Grads sum_backward(const Node& n, const Tensor& g) {
  return {expand(with_kept_dims(n, g), n.input_shapes[0]).contiguous()};
}
// max/min (amax semantics): g goes to every element equal to the extreme, shared evenly
Grads extreme_backward(const Node& n, const Tensor& g) {
  const Tensor &x = n.saved(0), &y = n.saved(1);
  Tensor winners = (x == with_kept_dims(n, y)).to(x.dtype());
  Tensor count = sum(winners, n.attrs.dims, true);
  return {winners * (with_kept_dims(n, g) / count)};
}

// ---- linear algebra and softmax ----
// y = a @ b:  da = g @ bᵀ,  db = aᵀ @ g  (summed over broadcast batch dims)
Grads matmul_backward(const Node& n, const Tensor& g) {
  const Tensor &a = n.saved(0), &b = n.saved(1);
  return {sum_to(matmul(g, transpose(b, -1, -2)), n.input_shapes[0]),
          sum_to(matmul(transpose(a, -1, -2), g), n.input_shapes[1])};
}
// y = softmax(x):  dx = y ⊙ (g − Σ_d g⊙y)   (the Jacobian diag(y) − y yᵀ applied to g)
Grads softmax_backward(const Node& n, const Tensor& g) {
  const Tensor& y = n.saved(0);
  return {y * (g - sum(g * y, {n.attrs.dim}, true))};
}
// y = log_softmax(x):  dx = g − softmax(x) · Σ_d g = g − e^y · Σ_d g
Grads log_softmax_backward(const Node& n, const Tensor& g) {
  const Tensor& y = n.saved(0);
  return {g - exp(y) * sum(g, {n.attrs.dim}, true)};
}

// ---- indexing and joining ----
// index_select: every selected slice sends its gradient back to the row it came from (rows
// selected twice receive twice): scatter-add g into zeros along dim.
Grads index_select_backward(const Node& n, const Tensor& g) {
  const Tensor& index = n.saved(0);
  const int64_t dim = n.attrs.dim;
  Shape index_shape(g.dim(), 1);
  index_shape[dim] = index.numel();
  Tensor spread = expand(reshape(index, index_shape), g.shape()).contiguous();
  return {scatter_add(zeros_for(n, 0), dim, spread, g), Tensor()};
}
Grads gather_backward(const Node& n, const Tensor& g) {
  return {scatter_add(zeros_for(n, 0), n.attrs.dim, n.saved(0), g), Tensor()};
}
// out = self + scatter(src):  dself = g,  dsrc = g gathered at the same positions
Grads scatter_add_backward(const Node& n, const Tensor& g) {
  return {g, Tensor(), gather(g, n.attrs.dim, n.saved(0))};
}
// cat: each input gets its slice of g
Grads cat_backward(const Node& n, const Tensor& g) {
  Grads grads;
  int64_t start = 0;
  for (int64_t size : n.attrs.sizes) {
    grads.push_back(slice(g, n.attrs.dim, start, start + size).contiguous());
    start += size;
  }
  return grads;
}

// ---- shape ----
Grads reshape_backward(const Node& n, const Tensor& g) { return {reshape(g, n.input_shapes[0])}; }
// permute back with the inverse permutation
Grads permute_backward(const Node& n, const Tensor& g) {
  std::vector<int64_t> inverse(n.attrs.dims.size());
  for (size_t i = 0; i < inverse.size(); ++i) inverse[n.attrs.dims[i]] = static_cast<int64_t>(i);
  return {permute(g, inverse)};
}
// slice: g lands in its window of a zero tensor of the input's shape
Grads slice_backward(const Node& n, const Tensor& g) {
  Tensor dx = zeros_for(n, 0);
  slice(dx, n.attrs.dim, n.attrs.start, n.attrs.end, n.attrs.step).copy_(g);
  return {dx};
}
Grads expand_backward(const Node& n, const Tensor& g) { return {sum_to(g, n.input_shapes[0])}; }
Grads contiguous_backward(const Node&, const Tensor& g) { return {g}; }
Grads to_dtype_backward(const Node& n, const Tensor& g) { return {g.to(n.input_dtypes[0])}; }
Grads to_device_backward(const Node& n, const Tensor& g) { return {to_device(g, n.input_devices[0])}; }

// ---- layers: dedicated backward kernels (core/cpu/conv.cpp, pool.cpp) ----
// conv2d: dx = col2im(Wᵀ dY), dW = dY · im2col(x)ᵀ, db = Σ dY; each only if its input needs it.
Grads conv2d_backward(const Node& n, const Tensor& g) {
  const Tensor &x = n.saved(0), &weight = n.saved(1);
  const Tensor dy = g.contiguous();
  Tensor dx, dweight, dbias;
  if (n.next[0].needs_grad()) dx = empty_like(x);
  if (n.next[1].needs_grad()) dweight = empty_like(weight);
  if (n.next[2].needs_grad()) dbias = empty({weight.size(0)}, {.dtype = weight.dtype(), .device = weight.device()});
  backend_for(g.device()).conv2d_backward(dy, x, weight, n.attrs.conv, dx, dweight, dbias);
  return {dx, dweight, dbias};
}
// batch_norm: db = Σ dy, dw = Σ dy·x̂, dx = w·invstd·(dy − mean(dy) − x̂·mean(dy·x̂)) per channel
// (core/cpu/batch_norm.cpp derives it); saved: x, the batch mean and var, and the weight if any.
Grads batch_norm_backward(const Node& n, const Tensor& g) {
  const Tensor &x = n.saved(0), &mean = n.saved(1), &var = n.saved(2);
  const Tensor weight = n.saved_count() > 3 ? n.saved(3) : Tensor();
  Tensor dx, dweight, dbias;
  if (n.next[0].needs_grad()) dx = empty_like(x);
  if (n.next[1].needs_grad()) dweight = empty_like(mean);
  if (n.next[2].needs_grad()) dbias = empty_like(mean);
  backend_for(g.device()).batch_norm_backward(g.contiguous(), x, weight, mean, var, n.attrs.scalar, dx, dweight, dbias);
  return {dx, dweight, dbias};
}
// max_pool2d: each output's gradient goes to the element its window picked
Grads max_pool2d_backward(const Node& n, const Tensor& g) {
  Tensor dx = empty(n.input_shapes[0], {.dtype = n.input_dtypes[0], .device = n.input_devices[0]});
  backend_for(g.device()).max_pool2d_backward(g.contiguous(), n.saved(0), n.attrs.pool, dx);
  return {dx};
}
// avg_pool2d: each output's gradient is shared evenly by its window (÷ the same divisor)
Grads avg_pool2d_backward(const Node& n, const Tensor& g) {
  Tensor dx = empty(n.input_shapes[0], {.dtype = n.input_dtypes[0], .device = n.input_devices[0]});
  backend_for(g.device()).avg_pool2d_backward(g.contiguous(), n.attrs.pool, dx);
  return {dx};
}

}  // namespace

std::vector<Tensor> run_backward(const Node& node, const Tensor& g) {
  switch (node.op) {
    case OpKind::neg: return neg_backward(node, g);
    case OpKind::abs: return abs_backward(node, g);
    case OpKind::exp: return exp_backward(node, g);
    case OpKind::log: return log_backward(node, g);
    case OpKind::log1p: return log1p_backward(node, g);
    case OpKind::sqrt: return sqrt_backward(node, g);
    case OpKind::relu: return relu_backward(node, g);
    case OpKind::sigmoid: return sigmoid_backward(node, g);
    case OpKind::tanh: return tanh_backward(node, g);
    case OpKind::softplus: return softplus_backward(node, g);
    case OpKind::erf: return erf_backward(node, g);
    case OpKind::pow: return pow_backward(node, g);
    case OpKind::clamp: return clamp_backward(node, g);
    case OpKind::add: return add_backward(node, g);
    case OpKind::sub: return sub_backward(node, g);
    case OpKind::mul: return mul_backward(node, g);
    case OpKind::div: return div_backward(node, g);
    case OpKind::pow_tensor: return pow_tensor_backward(node, g);
    case OpKind::maximum: return maximum_backward(node, g);
    case OpKind::threshold_backward: return threshold_backward_backward(node, g);
    case OpKind::minimum: return minimum_backward(node, g);
    case OpKind::where: return where_backward(node, g);
    case OpKind::sum: return sum_backward(node, g);
    case OpKind::max: return extreme_backward(node, g);
    case OpKind::min: return extreme_backward(node, g);
    case OpKind::matmul: return matmul_backward(node, g);
    case OpKind::softmax: return softmax_backward(node, g);
    case OpKind::log_softmax: return log_softmax_backward(node, g);
    case OpKind::index_select: return index_select_backward(node, g);
    case OpKind::gather: return gather_backward(node, g);
    case OpKind::scatter_add: return scatter_add_backward(node, g);
    case OpKind::cat: return cat_backward(node, g);
    case OpKind::reshape: return reshape_backward(node, g);
    case OpKind::permute: return permute_backward(node, g);
    case OpKind::slice: return slice_backward(node, g);
    case OpKind::expand: return expand_backward(node, g);
    case OpKind::contiguous: return contiguous_backward(node, g);
    case OpKind::to_dtype: return to_dtype_backward(node, g);
    case OpKind::to_device: return to_device_backward(node, g);
    case OpKind::conv2d: return conv2d_backward(node, g);
    case OpKind::max_pool2d: return max_pool2d_backward(node, g);
    case OpKind::avg_pool2d: return avg_pool2d_backward(node, g);
    case OpKind::batch_norm: return batch_norm_backward(node, g);
    default: break;
  }
  FULCRUM_FAIL("backward: op " << op_name(node.op) << " is not differentiable");
}

}  // namespace fulcrum
