// core/ops_linalg.cpp — matmul (torch.matmul's rules) and the fused softmax / log_softmax.
#include "core/ops_common.hpp"

namespace fulcrum {

// A contiguous [..., rows, cols] tensor seen as [batch, rows, cols].
static Tensor fold_contiguous(const Tensor& t, int64_t batch, int64_t rows, int64_t cols) {
  return t.reshape({batch, rows, cols});
}

// The primitive: a [..., M, K] @ b [..., K, N] with ≥ 2 dims each; batch dims broadcast.
// `user_a`, `user_b`: the shapes the caller passed (before 1-D operands got a dim), for messages.
static Tensor matmul_batched(const Tensor& a, const Tensor& b, const Shape& user_a, const Shape& user_b) {
  Backend& backend = detail::backend_of("matmul", {&a, &b});
  detail::check_same_dtype("matmul", a, b);
  detail::check_floating("matmul", a);
  const int64_t m = a.size(-2), k = a.size(-1), n = b.size(-1);
  FULCRUM_CHECK(b.size(-2) == k, "matmul: shapes " << shape_str(user_a) << " and " << shape_str(user_b)
                                 << " cannot be multiplied (the inner sizes " << k << " and "
                                 << b.size(-2) << " must be equal)");
  const Shape batch_a(a.shape().begin(), a.shape().end() - 2);
  const Shape batch_b(b.shape().begin(), b.shape().end() - 2);
  Shape batch;
  try {
    batch = broadcast_shapes("matmul", batch_a, batch_b);
  } catch (const Error&) {
    FULCRUM_FAIL("matmul: shapes " << shape_str(user_a) << " and " << shape_str(user_b)
                 << " cannot be multiplied: the batch dims " << shape_str(batch_a) << " and "
                 << shape_str(batch_b) << " cannot broadcast");
  }
  const int64_t batch_count = numel(batch);
  // Expand both to the common batch, then fold the batch dims into one: [B, M, K], [B, K, N].
  auto fold = [&](const Tensor& t, int64_t rows, int64_t cols) {
    Shape full_shape = batch;
    full_shape.push_back(rows);
    full_shape.push_back(cols);
    Tensor expanded = t.detach().expand(full_shape);
    // The batch dims fold into one stride when each (non-size-1) dim steps over the next.
    Shape sizes, strides;
    for (size_t d = 0; d < batch.size(); ++d) {
      if (batch[d] != 1) { sizes.push_back(batch[d]); strides.push_back(expanded.stride(d)); }
    }
    bool foldable = true;
    for (size_t i = 0; i + 1 < sizes.size(); ++i) {
      foldable = foldable && strides[i] == strides[i + 1] * sizes[i + 1];
    }
    if (!foldable) return fold_contiguous(expanded.contiguous(), batch_count, rows, cols);
    const int64_t batch_stride = strides.empty() ? 0 : strides.back();
    auto impl = std::make_shared<TensorImpl>(*expanded.impl());
    impl->shape = {batch_count, rows, cols};
    impl->strides = {batch_stride, expanded.stride(-2), expanded.stride(-1)};
    return Tensor(impl);
  };
  Tensor out = detail::new_output({batch_count, m, n}, a.dtype(), a.device());
  backend.matmul(fold(a, m, k), fold(b, k, n), out);
  Shape out_shape = batch;
  out_shape.push_back(m);
  out_shape.push_back(n);
  out = out.reshape(out_shape);
  if (any_requires_grad({&a, &b})) {
    auto node = record(OpKind::matmul, {&a, &b}, out);
    node->save(a);
    node->save(b);
  }
  return out;
}

// torch.matmul: 1-D operands get a dim added (and removed from the result) so that
// vector·vector → 0-d, matrix·vector → vector, vector·matrix → vector.
Tensor matmul(const Tensor& a, const Tensor& b) {
  FULCRUM_CHECK(a.defined() && b.defined(), "matmul: an input tensor is undefined");
  FULCRUM_CHECK(a.dim() >= 1 && b.dim() >= 1, "matmul: both operands need at least 1 dim, got shapes "
                                              << shape_str(a.shape()) << " and " << shape_str(b.shape()));
  if (a.dim() == 1 && b.dim() == 1) {
    FULCRUM_CHECK(a.size(0) == b.size(0), "matmul: vectors of sizes " << a.size(0) << " and " << b.size(0)
                                                                      << " must have the same length");
    return matmul_batched(a.unsqueeze(0), b.unsqueeze(1), a.shape(), b.shape()).reshape({});
  }
  if (a.dim() == 1) return squeeze(matmul_batched(a.unsqueeze(0), b, a.shape(), b.shape()), -2);
  if (b.dim() == 1) return squeeze(matmul_batched(a, b.unsqueeze(1), a.shape(), b.shape()), -1);
  return matmul_batched(a, b, a.shape(), b.shape());
}

static Tensor softmax_op(OpKind op, const Tensor& x, int64_t dim) {
  Backend& backend = detail::backend_of(op_name(op), {&x});
  detail::check_floating(op_name(op), x);
  dim = normalize_dim(op_name(op), dim, x.dim());
  Tensor input = x.detach().contiguous();
  Tensor out = detail::new_output(x.shape(), x.dtype(), x.device());
  if (x.dim() == 0) {  // softmax of a single value is 1, its log 0
    backend.fill(out, op == OpKind::softmax ? 1.0 : 0.0);
  } else {
    backend.softmax(input, dim, op == OpKind::log_softmax, out);
  }
  if (any_requires_grad({&x})) {
    auto node = record(op, {&x}, out, {.dim = dim});
    node->save(out);
  }
  return out;
}

Tensor softmax(const Tensor& x, int64_t dim) { return softmax_op(OpKind::softmax, x, dim); }
Tensor log_softmax(const Tensor& x, int64_t dim) { return softmax_op(OpKind::log_softmax, x, dim); }

}  // namespace fulcrum
