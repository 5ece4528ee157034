// nn/functional.cpp — the functional forms of the layers. conv2d, the poolings and batch_norm
// with batch statistics (training) are primitive ops (shape checks, the backend kernel, an
// autograd record; their backward is in autograd/derivatives.cpp); batch_norm in eval mode,
// linear, dropout, embedding, leaky_relu and gelu are derived from core ops, so autograd
// differentiates them without a formula of their own.
//
// Why primitive ops have their front-ends here rather than in core/ops_*.cpp: they are called as
// PyTorch's torch.nn.functional.conv2d / max_pool2d / avg_pool2d, with nn's argument structs
// (Conv2dArgs, Pool2dArgs, Pair in functional.hpp). This file validates those arguments and
// resolves them into Conv2dGeometry / Pool2dGeometry (core/geometry.hpp); from there on, only core
// types are involved: Backend::conv2d / max_pool2d / avg_pool2d and their backward kernels, the
// OpKind lines in core/op_list.def, the Node that record() makes. core/ops.hpp, the tensor API,
// does not learn the layer vocabulary. The helpers used below (backend_of, new_output,
// check_floating) come from core/ops_common.hpp, the same ones core's own front-ends use.
#include "nn/functional.hpp"

#include <cmath>

#include "core/ops_common.hpp"

namespace fulcrum::nn::functional {
namespace {

Tensor dense(const Tensor& t) { return t.defined() ? t.detach().contiguous() : Tensor(); }

}  // namespace

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  detail::check_defined("linear", x);
  detail::check_defined("linear", weight);
  FULCRUM_CHECK(weight.dim() == 2, "linear: weight must be [out_features, in_features], got "
                                       << shape_str(weight.shape()));
  FULCRUM_CHECK(x.dim() >= 1 && x.size(-1) == weight.size(1),
                "linear: input " << shape_str(x.shape()) << " has " << (x.dim() ? x.size(-1) : 0)
                                 << " features in its last dim, weight " << shape_str(weight.shape())
                                 << " expects " << weight.size(1));
  Tensor y = matmul(x, weight.t());
  if (!bias.defined()) return y;
  FULCRUM_CHECK(bias.dim() == 1 && bias.size(0) == weight.size(0),
                "linear: bias " << shape_str(bias.shape()) << " must be [" << weight.size(0) << "]");
  return y + bias;
}

Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, Conv2dArgs args) {
  Backend& backend = detail::backend_of("conv2d", {&x, &weight});
  detail::check_floating("conv2d", x);
  detail::check_same_dtype("conv2d", x, weight);
  FULCRUM_CHECK(x.dim() == 4, "conv2d: input must be [N, C, H, W], got " << shape_str(x.shape()));
  FULCRUM_CHECK(weight.dim() == 4, "conv2d: weight must be [out_channels, in_channels / groups, kh, kw], got "
                                       << shape_str(weight.shape()));
  FULCRUM_CHECK(weight.size(1) >= 1 && weight.size(2) >= 1 && weight.size(3) >= 1 && weight.size(0) >= 1,
                "conv2d: weight " << shape_str(weight.shape()) << " has a zero size; channels and kernel "
                                     "sizes must be ≥ 1");
  const int64_t groups = args.groups;
  FULCRUM_CHECK(groups >= 1 && x.size(1) % groups == 0 && weight.size(0) % groups == 0,
                "conv2d: groups = " << groups << " must divide the input channels " << x.size(1)
                                    << " and the output channels " << weight.size(0));
  FULCRUM_CHECK(weight.size(1) * groups == x.size(1),
                "conv2d: input " << shape_str(x.shape()) << " has " << x.size(1) << " channels, weight "
                                 << shape_str(weight.shape()) << " expects " << weight.size(1) * groups
                                 << " (in_channels / groups = " << weight.size(1) << ")");
  for (int a = 0; a < 2; ++a) {
    FULCRUM_CHECK(args.stride[a] >= 1 && args.dilation[a] >= 1 && args.padding[a] >= 0,
                  "conv2d: stride and dilation must be ≥ 1 and padding ≥ 0");
  }
  if (bias.defined()) {
    detail::check_same_dtype("conv2d", x, bias);
    FULCRUM_CHECK(bias.dim() == 1 && bias.size(0) == weight.size(0),
                  "conv2d: bias " << shape_str(bias.shape()) << " must be [" << weight.size(0) << "]");
  }
  Conv2dGeometry g;
  g.batch = x.size(0);
  g.in_channels = x.size(1);
  g.in_h = x.size(2);
  g.in_w = x.size(3);
  g.out_channels = weight.size(0);
  g.groups = groups;
  g.window = {weight.size(2), weight.size(3), args.stride[0], args.stride[1],
              args.padding[0], args.padding[1], args.dilation[0], args.dilation[1]};
  g.out_h = window_output_size(g.in_h, g.window.kernel_h, g.window.stride_h, g.window.pad_h, g.window.dilation_h, false);
  g.out_w = window_output_size(g.in_w, g.window.kernel_w, g.window.stride_w, g.window.pad_w, g.window.dilation_w, false);
  FULCRUM_CHECK(g.out_h > 0 && g.out_w > 0,
                "conv2d: input " << shape_str(x.shape()) << " is smaller than the (dilated) kernel "
                                 << shape_str(weight.shape()) << " with padding " << args.padding[0] << ", "
                                 << args.padding[1]);
  Tensor out = detail::new_output({g.batch, g.out_channels, g.out_h, g.out_w}, x.dtype(), x.device());
  const Tensor input = dense(x), kernel = dense(weight);
  backend.conv2d(input, kernel, dense(bias), g, out);
  if (any_requires_grad({&x, &weight, &bias})) {
    OpAttrs attrs;
    attrs.conv = g;
    auto node = record(OpKind::conv2d, {&x, &weight, &bias}, out, attrs);
    node->save(input);
    node->save(kernel);
  }
  return out;
}

namespace {

Pool2dGeometry pool_geometry(const char* op, const Tensor& x, const Pool2dArgs& args, bool is_max) {
  FULCRUM_CHECK(x.dim() == 4, op << ": input must be [N, C, H, W], got " << shape_str(x.shape()));
  const Pair stride = args.stride.value_or(args.kernel_size);
  for (int a = 0; a < 2; ++a) {
    FULCRUM_CHECK(args.kernel_size[a] >= 1 && stride[a] >= 1 && args.dilation[a] >= 1,
                  op << ": kernel_size, stride and dilation must be ≥ 1");
    FULCRUM_CHECK(args.padding[a] >= 0 && args.padding[a] * 2 <= args.kernel_size[a],
                  op << ": padding " << args.padding[a] << " must be ≥ 0 and at most half the kernel size "
                     << args.kernel_size[a]);
  }
  FULCRUM_CHECK(is_max || (args.dilation[0] == 1 && args.dilation[1] == 1),
                op << ": dilation is only supported by max_pool2d");
  Pool2dGeometry g;
  g.batch = x.size(0);
  g.channels = x.size(1);
  g.in_h = x.size(2);
  g.in_w = x.size(3);
  g.window = {args.kernel_size[0], args.kernel_size[1], stride[0], stride[1],
              args.padding[0], args.padding[1], args.dilation[0], args.dilation[1]};
  g.count_include_pad = args.count_include_pad;
  g.out_h = window_output_size(g.in_h, g.window.kernel_h, stride[0], args.padding[0], args.dilation[0], args.ceil_mode);
  g.out_w = window_output_size(g.in_w, g.window.kernel_w, stride[1], args.padding[1], args.dilation[1], args.ceil_mode);
  FULCRUM_CHECK(g.out_h > 0 && g.out_w > 0, op << ": input " << shape_str(x.shape())
                                               << " is too small for kernel " << args.kernel_size[0] << "×"
                                               << args.kernel_size[1]);
  return g;
}

Tensor avg_pool_op(const Tensor& x, const Pool2dGeometry& g) {
  Backend& backend = detail::backend_of("avg_pool2d", {&x});
  Tensor out = detail::new_output({g.batch, g.channels, g.out_h, g.out_w}, x.dtype(), x.device());
  backend.avg_pool2d(dense(x), g, out);
  if (any_requires_grad({&x})) {
    OpAttrs attrs;
    attrs.pool = g;
    record(OpKind::avg_pool2d, {&x}, out, attrs);
  }
  return out;
}

}  // namespace

Tensor max_pool2d(const Tensor& x, Pool2dArgs args) {
  Backend& backend = detail::backend_of("max_pool2d", {&x});
  detail::check_floating("max_pool2d", x);
  const Pool2dGeometry g = pool_geometry("max_pool2d", x, args, true);
  Tensor out = detail::new_output({g.batch, g.channels, g.out_h, g.out_w}, x.dtype(), x.device());
  Tensor indices = detail::new_output(out.shape(), DType::i64, x.device());
  backend.max_pool2d(dense(x), g, out, indices);
  if (any_requires_grad({&x})) {
    OpAttrs attrs;
    attrs.pool = g;
    auto node = record(OpKind::max_pool2d, {&x}, out, attrs);
    node->save(indices);
  }
  return out;
}

Tensor avg_pool2d(const Tensor& x, Pool2dArgs args) {
  detail::check_defined("avg_pool2d", x);
  detail::check_floating("avg_pool2d", x);
  return avg_pool_op(x, pool_geometry("avg_pool2d", x, args, false));
}

Tensor adaptive_avg_pool2d(const Tensor& x, Pair output_size) {
  detail::check_defined("adaptive_avg_pool2d", x);
  detail::check_floating("adaptive_avg_pool2d", x);
  FULCRUM_CHECK(x.dim() == 4, "adaptive_avg_pool2d: input must be [N, C, H, W], got " << shape_str(x.shape()));
  FULCRUM_CHECK(output_size[0] >= 1 && output_size[1] >= 1,
                "adaptive_avg_pool2d: output size must be ≥ 1, got " << output_size[0] << "×" << output_size[1]);
  Pool2dGeometry g;
  g.batch = x.size(0);
  g.channels = x.size(1);
  g.in_h = x.size(2);
  g.in_w = x.size(3);
  g.out_h = output_size[0];
  g.out_w = output_size[1];
  g.adaptive = true;
  return avg_pool_op(x, g);
}

Tensor dropout(const Tensor& x, double p, bool training, Generator* generator) {
  detail::check_defined("dropout", x);
  FULCRUM_CHECK(p >= 0.0 && p <= 1.0, "dropout: probability has to be between 0 and 1, got " << p);
  if (!training || p == 0.0) return x;
  detail::check_floating("dropout", x);
  if (p == 1.0) return x * 0.0;
  // keep = (u ≥ p) with u ~ U[0, 1): kept with probability 1 − p, scaled by 1 / (1 − p).
  Tensor u = rand(x.shape(), {.dtype = x.dtype(), .device = x.device()}, generator);
  return x * ((u >= p).to(x.dtype()) * (1.0 / (1.0 - p)));
}

Tensor dropout2d(const Tensor& x, double p, bool training, Generator* generator) {
  detail::check_defined("dropout2d", x);
  FULCRUM_CHECK(p >= 0.0 && p <= 1.0, "dropout2d: probability has to be between 0 and 1, got " << p);
  FULCRUM_CHECK(x.dim() >= 3, "dropout2d: input must be [N, C, H, W] (or at least [N, C, L]), got "
                                  << shape_str(x.shape()));
  if (!training || p == 0.0) return x;
  detail::check_floating("dropout2d", x);
  if (p == 1.0) return x * 0.0;
  Shape mask_shape(x.dim(), 1);  // one draw per (n, c), broadcast over the spatial dims
  mask_shape[0] = x.size(0);
  mask_shape[1] = x.size(1);
  Tensor u = rand(mask_shape, {.dtype = x.dtype(), .device = x.device()}, generator);
  return x * ((u >= p).to(x.dtype()) * (1.0 / (1.0 - p)));
}

namespace {

// The batch_norm primitive (batch statistics): out, and the batch's mean and biased var [C],
// which the backward and the running statistics use.
Tensor batch_norm_op(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, Tensor& batch_mean,
                     Tensor& batch_var) {
  Backend& backend = detail::backend_of("batch_norm", {&x});
  for (const Tensor* t : {&weight, &bias}) {  // optional: checked against x when given
    if (!t->defined()) continue;
    detail::backend_of("batch_norm", {&x, t});
    detail::check_same_dtype("batch_norm", x, *t);
  }
  Tensor out = detail::new_output(x.shape(), x.dtype(), x.device());
  batch_mean = detail::new_output({x.size(1)}, x.dtype(), x.device());
  batch_var = detail::new_output({x.size(1)}, x.dtype(), x.device());
  const Tensor input = dense(x), scale = dense(weight);
  backend.batch_norm(input, scale, dense(bias), eps, out, batch_mean, batch_var);
  if (any_requires_grad({&x, &weight, &bias})) {
    OpAttrs attrs;
    attrs.scalar = eps;
    auto node = record(OpKind::batch_norm, {&x, &weight, &bias}, out, attrs);
    node->save(input);
    node->save(batch_mean);
    node->save(batch_var);
    if (scale.defined()) node->save(scale);
  }
  return out;
}

}  // namespace

Tensor batch_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var, const Tensor& weight,
                  const Tensor& bias, bool training, double momentum, double eps) {
  detail::check_defined("batch_norm", x);
  detail::check_floating("batch_norm", x);
  FULCRUM_CHECK(x.dim() >= 2 && x.size(1) > 0,
                "batch_norm: input must be [N, C] or [N, C, ...] with C ≥ 1, got " << shape_str(x.shape()));
  const int64_t channels = x.size(1);
  for (const Tensor* t : {&running_mean, &running_var, &weight, &bias}) {
    if (!t->defined()) continue;
    FULCRUM_CHECK(t->dim() == 1 && t->size(0) == channels,
                  "batch_norm: per-channel tensor " << shape_str(t->shape()) << " must be [" << channels
                                                    << "] for input " << shape_str(x.shape()));
  }
  FULCRUM_CHECK(training || (running_mean.defined() && running_var.defined()),
                "batch_norm: eval mode needs running_mean and running_var");
  Shape per_channel(x.dim(), 1);  // [1, C, 1, 1]
  per_channel[1] = channels;

  if (training) {
    const int64_t count = x.numel() / channels;
    FULCRUM_CHECK(count > 1, "batch_norm: expected more than 1 value per channel when training, got input "
                                 << shape_str(x.shape()));
    Tensor batch_mean, batch_var;
    Tensor y = batch_norm_op(x, weight, bias, eps, batch_mean, batch_var);
    if (running_mean.defined() && running_var.defined()) {
      NoGradGuard no_grad;  // running statistics are buffers, not part of the graph
      const double unbiased = static_cast<double>(count) / static_cast<double>(count - 1);
      running_mean.mul_(1.0 - momentum);
      running_mean.add_(batch_mean, momentum);
      running_var.mul_(1.0 - momentum);
      running_var.add_(batch_var, momentum * unbiased);  // the unbiased variance, as PyTorch
    }
    return y;
  }
  // Eval: a per-channel affine map of x from the running statistics, composed from core ops.
  Tensor y = (x - running_mean.reshape(per_channel)) * rsqrt(running_var.reshape(per_channel) + eps);
  if (weight.defined()) y = y * weight.reshape(per_channel);
  if (bias.defined()) y = y + bias.reshape(per_channel);
  return y;
}

Tensor embedding(const Tensor& indices, const Tensor& weight) {
  detail::check_defined("embedding", indices);
  detail::check_defined("embedding", weight);
  detail::check_dtype("embedding", "indices", indices, DType::i64);
  FULCRUM_CHECK(weight.dim() == 2, "embedding: weight must be [num_embeddings, embedding_dim], got "
                                       << shape_str(weight.shape()));
  Shape shape = indices.shape();
  shape.push_back(weight.size(1));
  return index_select(weight, 0, indices.reshape({-1})).reshape(shape);
}

Tensor leaky_relu(const Tensor& x, double negative_slope) {
  detail::check_defined("leaky_relu", x);
  return where(x > 0.0, x, x * negative_slope);
}

Tensor gelu(const Tensor& x, bool approximate) {
  detail::check_defined("gelu", x);
  if (approximate) {  // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
    return x * 0.5 * (1.0 + tanh((x + pow(x, 3.0) * 0.044715) * std::sqrt(2.0 / M_PI)));
  }
  return x * 0.5 * (1.0 + erf(x * M_SQRT1_2));  // 0.5·x·(1 + erf(x/√2))
}

}  // namespace fulcrum::nn::functional
