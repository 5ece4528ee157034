// tests/test_anomaly.cpp — finding the first non-finite value (core/anomaly.hpp): anomaly mode
// naming the forward op, or the backward node and its forward op, with shapes and the first bad
// index; check_finite_loss for training loops; and exact printing of i64 values above 2^53.
#include <doctest/doctest.h>

#include <limits>
#include <string>

#include "fulcrum.hpp"
#include "test_support.hpp"

using namespace fulcrum;

TEST_CASE("anomaly mode is off by default; the guard turns it on for a scope and restores it") {
  CHECK_FALSE(is_anomaly_enabled());
  const Tensor x = tensor({1.0, -1.0});
  CHECK(std::isnan(log(x).at({1})));  // off: NaN flows on silently, as in PyTorch
  {
    DetectAnomalyGuard guard;
    CHECK(is_anomaly_enabled());
    {
      DetectAnomalyGuard off(false);
      CHECK_FALSE(is_anomaly_enabled());
      CHECK(std::isnan(log(x).at({1})));
    }
    CHECK(is_anomaly_enabled());
  }
  CHECK_FALSE(is_anomaly_enabled());
}

TEST_CASE("anomaly mode: a forward op producing NaN is named with its shapes and the first bad index") {
  DetectAnomalyGuard guard;
  const Tensor x = tensor({{1.0, 2.0, 3.0}, {4.0, -5.0, -6.0}});
  CHECK_ERROR_CONTAINS(log(x), "detect_anomaly: forward op log produced nan at index [1, 1] (element 4 of shape [2, 3])",
                       "input shapes: [2, 3]");
  CHECK_ERROR_CONTAINS(tensor({1.0, 0.0}) / tensor({0.0, 0.0}), "forward op div produced inf at index [0]");
  CHECK_ERROR_CONTAINS(matmul(full({2, 2}, 1e200, {.dtype = DType::f64}), full({2, 2}, 1e200, {.dtype = DType::f64})),
                       // shapes as the kernel sees them: matmul runs batched, [B, M, K] @ [B, K, N]
                       "forward op matmul produced inf at index [0, 0, 0] (element 0 of shape [1, 2, 2])",
                       "input shapes: [1, 2, 2], [1, 2, 2]");
  CHECK_ERROR_CONTAINS(tensor({1.0, 1e300}, {.dtype = DType::f64}).to(DType::f32),
                       "forward op to_dtype produced inf at index [1]");
  // A value that was already non-finite (a fill, data) is reported as coming from outside.
  CHECK_ERROR_CONTAINS(exp(full({3}, std::numeric_limits<double>::infinity())), "forward op exp produced inf",
                       "input 0 already held inf at index [0]", "came from outside the checked ops");
  // Integer outputs (argmax, comparisons) and finite work pass.
  CHECK(argmax(tensor({1.0, 3.0, 2.0})).item<int64_t>() == 1);
  CHECK(equal(exp(tensor({0.0})), tensor({1.0})));
}

TEST_CASE("anomaly mode: a backward producing inf names the node, its forward op, shapes and index") {
  Tensor x = tensor({4.0, 0.0, 1.0}, {.requires_grad = true});
  Tensor y = (sqrt(x) * 3.0).sum();  // forward is finite: sqrt(0) = 0
  {
    DetectAnomalyGuard guard;
    CHECK_ERROR_CONTAINS(y.backward(),
                         "detect_anomaly: SqrtBackward (the backward of forward op sqrt with input shapes [3])",
                         "returned inf at index [1] (element 1 of shape [3]) in the gradient for input 0",
                         "the incoming gradient [3] was finite");
  }
  // The same graph without the mode: the inf goes into .grad silently.
  Tensor x2 = tensor({4.0, 0.0, 1.0}, {.requires_grad = true});
  (sqrt(x2) * 3.0).sum().backward();
  CHECK(std::isinf(x2.grad().at({1})));
}

TEST_CASE("anomaly mode: a backward producing NaN (0 · inf: a zero gradient through sqrt at 0)") {
  // y = Σ sqrt(x) · w with w = [0, 1], at x = [0, 1]: the forward is finite (0 · 0), but sqrt's
  // backward multiplies the incoming gradient w_0 = 0 by 1 / (2 sqrt 0) = inf: nan.
  Tensor x = tensor({0.0, 1.0}, {.requires_grad = true});
  Tensor y = (sqrt(x) * tensor({0.0, 1.0})).sum();
  DetectAnomalyGuard guard;
  CHECK_ERROR_CONTAINS(y.backward(), "SqrtBackward (the backward of forward op sqrt with input shapes [2])",
                       "returned nan at index [0] (element 0 of shape [2]) in the gradient for input 0",
                       "the incoming gradient [2] was finite");
}

TEST_CASE("anomaly mode: a finite training step passes and gives the same gradients as without it") {
  manual_seed(5);
  nn::Linear layer({.in_features = 4, .out_features = 3});
  const Tensor input = randn({8, 4});
  const Tensor target = tensor({0, 1, 2, 0, 1, 2, 0, 1}, {.dtype = DType::i64});
  cross_entropy(layer(input), target).backward();
  const Tensor plain = layer.weight.grad().clone();
  layer.zero_grad();
  {
    DetectAnomalyGuard guard;
    cross_entropy(layer(input), target).backward();
  }
  CHECK(equal(layer.weight.grad(), plain));
}

TEST_CASE("check_finite_loss names the epoch, the step and the first non-finite value") {
  check_finite_loss(tensor({0.5}).sum(), 1, 1);  // finite: nothing happens
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_ERROR_CONTAINS(check_finite_loss(scalar_tensor(nan), 3, 17),
                       "training diverged: the loss is nan at epoch 3, step 17",
                       "set_detect_anomaly(true)");
  CHECK_ERROR_CONTAINS(check_finite_loss(tensor({1.0, 2.0, -std::numeric_limits<double>::infinity()}), 0, 2),
                       "the loss is -inf at epoch 0, step 2 (first non-finite element: -inf at index [2]");
  CHECK_ERROR_CONTAINS(check_finite_loss(Tensor(), 0, 0), "check_finite_loss: the loss tensor is undefined");
}

TEST_CASE("i64 values print and read exactly, also above 2^53") {
  const int64_t big = (int64_t{1} << 62) + 1;  // 4611686018427387905: not a double
  const Tensor t = full({2}, 0.0, {.dtype = DType::i64});
  t.data_ptr<int64_t>()[0] = big;
  t.data_ptr<int64_t>()[1] = std::numeric_limits<int64_t>::min();
  CHECK(t.str() == "tensor([ 4611686018427387905, -9223372036854775808])");
  const Tensor one = t.slice(0, 0, 1).reshape({});
  CHECK(one.str() == "tensor(4611686018427387905)");
  CHECK(one.item<int64_t>() == big);
  CHECK(t.to_vector<int64_t>()[0] == big);
  CHECK(tensor({3, -12}, {.dtype = DType::i64}).str() == "tensor([  3, -12])");
}
