// tests/test_backward_rules.cpp — the gradients gradcheck cannot see: at kinks and ties a central
// difference straddles two branches, so op_cases.hpp keeps its inputs away from them. The rules
// autograd/derivatives.cpp documents there (PyTorch's) are checked here by hand, one backward each;
// and layers' reset_parameters / reset_running_stats re-initialise in place.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "fulcrum.hpp"

using namespace fulcrum;

namespace {

Tensor leaf(std::vector<double> values) {
  return from_vector(values, {static_cast<int64_t>(values.size())}, {.dtype = DType::f64, .requires_grad = true});
}

// The gradient of sum(f(x)) (ones as the incoming gradient), as a vector.
std::vector<double> grad_of_sum(const Tensor& x, const Tensor& y) {
  sum(y).backward();
  REQUIRE(x.grad().defined());
  return x.grad().to_vector<double>();
}

using Values = std::vector<double>;

}  // namespace

TEST_CASE("relu'(0) = 0 (PyTorch), 1 above, 0 below") {
  Tensor x = leaf({-1.0, 0.0, 2.0});
  CHECK(grad_of_sum(x, relu(x)) == Values{0.0, 0.0, 1.0});
}

TEST_CASE("clamp passes the gradient at its bounds, blocks it outside") {
  Tensor x = leaf({-2.0, -1.0, 0.0, 1.0, 2.0});
  CHECK(grad_of_sum(x, clamp(x, -1.0, 1.0)) == Values{0.0, 1.0, 1.0, 1.0, 0.0});
  Tensor y = leaf({0.2, 0.3, 0.5});
  CHECK(grad_of_sum(y, clamp_min(y, 0.3)) == Values{0.0, 1.0, 1.0});
  Tensor z = leaf({0.2, 0.3, 0.5});
  CHECK(grad_of_sum(z, clamp_max(z, 0.3)) == Values{1.0, 1.0, 0.0});
}

TEST_CASE("max/min reductions share the gradient evenly among tied elements (amax/amin)") {
  Tensor x = leaf({1.0, 4.0, 4.0, 4.0});
  const Values third(3, 1.0 / 3.0);
  CHECK(grad_of_sum(x, max(x)) == Values{0.0, third[0], third[1], third[2]});
  Tensor y = leaf({1.0, 1.0, 4.0, 2.0});
  CHECK(grad_of_sum(y, min(y)) == Values{0.5, 0.5, 0.0, 0.0});
  // Along a dim, each row shares its own gradient: [[2, 2, 1], [0, 5, 5]].
  Tensor z = from_vector({2, 2, 1, 0, 5, 5}, {2, 3}, {.dtype = DType::f64, .requires_grad = true});
  CHECK(grad_of_sum(z, max(z, {1})) == Values{0.5, 0.5, 0.0, 0.0, 0.5, 0.5});
}

TEST_CASE("maximum/minimum split a tie 0.5 / 0.5 between the two inputs (PyTorch)") {
  Tensor a = leaf({1.0, 2.0, 3.0}), b = leaf({1.0, 0.0, 5.0});
  sum(maximum(a, b)).backward();
  CHECK(a.grad().to_vector<double>() == Values{0.5, 1.0, 0.0});
  CHECK(b.grad().to_vector<double>() == Values{0.5, 0.0, 1.0});
  Tensor c = leaf({1.0, 2.0, 3.0}), d = leaf({1.0, 0.0, 5.0});
  sum(minimum(c, d)).backward();
  CHECK(c.grad().to_vector<double>() == Values{0.5, 0.0, 1.0});
  CHECK(d.grad().to_vector<double>() == Values{0.5, 1.0, 0.0});
  // Broadcast: a [1, 2] against b [2, 2] = [[2, 1], [2, 3]]; a's share is summed over the rows.
  Tensor e = from_vector({2, 2}, {1, 2}, {.dtype = DType::f64, .requires_grad = true});
  Tensor f = from_vector({2, 1, 2, 3}, {2, 2}, {.dtype = DType::f64, .requires_grad = true});
  sum(maximum(e, f)).backward();
  CHECK(e.grad().to_vector<double>() == Values{1.0, 1.0});  // 0.5 + 0.5, 1 + 0
  CHECK(f.grad().to_vector<double>() == Values{0.5, 0.0, 0.5, 1.0});
}

TEST_CASE("pow at a = 0: p·0^(p−1), with p = 0 giving 0 (not 0·0⁻¹ = NaN)") {
  const double inf = std::numeric_limits<double>::infinity();
  for (const auto& [exponent, expected] : std::vector<std::pair<double, double>>{
           {2.0, 0.0}, {3.0, 0.0}, {1.0, 1.0}, {0.0, 0.0}, {0.5, inf}}) {
    CAPTURE(exponent);
    Tensor x = leaf({0.0});
    CHECK(grad_of_sum(x, pow(x, exponent)) == Values{expected});
  }
  // Tensor exponent: d/db aᵇ = aᵇ·ln a is taken as 0 at a = 0, b ≥ 0 (ln 0 = −inf times 0).
  Tensor a = leaf({0.0, 0.0}), b = leaf({2.0, 0.0});
  sum(pow(a, b)).backward();
  CHECK(b.grad().to_vector<double>() == Values{0.0, 0.0});
  CHECK(a.grad().to_vector<double>()[0] == 0.0);  // 2·0¹
}

// ---- re-initialisation: in place (the registered tensor keeps its storage), same draw as a
// fresh layer made after the same seed, and within PyTorch's bounds ----

TEST_CASE("Linear and Conv2d reset_parameters redraw in place, as a fresh layer would") {
  manual_seed(11);
  nn::Linear fresh({.in_features = 4, .out_features = 3});
  nn::Linear linear({.in_features = 4, .out_features = 3});
  {
    NoGradGuard no_grad;
    linear.weight.fill_(7.0);
    linear.bias.fill_(7.0);
  }
  const void* weight_storage = linear.weight.data_ptr<float>();
  manual_seed(11);
  linear.reset_parameters();
  CHECK(linear.weight.data_ptr<float>() == weight_storage);
  CHECK(equal(linear.weight, fresh.weight));
  CHECK(equal(linear.bias, fresh.bias));
  CHECK(max(abs(linear.weight)).item() <= 0.5);  // bound 1/√in = 1/2
  CHECK(max(abs(linear.bias)).item() <= 0.5);

  manual_seed(5);
  nn::Conv2d fresh_conv({.in_channels = 2, .out_channels = 3, .kernel_size = 3});
  nn::Conv2d conv({.in_channels = 2, .out_channels = 3, .kernel_size = 3});
  {
    NoGradGuard no_grad;
    conv.weight.fill_(7.0);
    conv.bias.fill_(7.0);
  }
  manual_seed(5);
  conv.reset_parameters();
  CHECK(equal(conv.weight, fresh_conv.weight));
  CHECK(equal(conv.bias, fresh_conv.bias));
  CHECK(max(abs(conv.weight)).item() <= 1.0 / std::sqrt(18.0));  // fan_in = 2·3·3
}

TEST_CASE("Embedding reset_parameters redraws N(0, 1) and zeroes the padding row again") {
  nn::Embedding embedding({.num_embeddings = 4, .embedding_dim = 3, .padding_idx = 1});
  {
    NoGradGuard no_grad;
    embedding.weight.fill_(7.0);
  }
  embedding.reset_parameters();
  CHECK(equal(embedding.weight.select(0, 1), zeros({3})));
  CHECK(max(abs(embedding.weight)).item() < 7.0);
  CHECK(sum(embedding.weight != 0.0).item() == 9);  // the other three rows are drawn
}

TEST_CASE("BatchNorm reset_running_stats clears the buffers only; reset_parameters also the affine part") {
  nn::BatchNorm1d bn({.num_features = 2});
  bn.train();
  bn.forward(tensor({{1.0, 10.0}, {3.0, 30.0}}));
  CHECK(allclose(bn.running_mean, tensor({0.2, 2.0}), 1e-6, 0.0));  // 0.9·0 + 0.1·mean
  CHECK(bn.num_batches_tracked.item<int64_t>() == 1);
  {
    NoGradGuard no_grad;
    bn.weight.fill_(3.0);
    bn.bias.fill_(-1.0);
  }
  bn.reset_running_stats();
  CHECK(equal(bn.running_mean, zeros({2})));
  CHECK(equal(bn.running_var, ones({2})));
  CHECK(bn.num_batches_tracked.item<int64_t>() == 0);
  CHECK(equal(bn.weight, full({2}, 3.0)));  // untouched
  bn.forward(tensor({{1.0, 10.0}, {3.0, 30.0}}));
  bn.reset_parameters();
  CHECK(equal(bn.running_mean, zeros({2})));
  CHECK(bn.num_batches_tracked.item<int64_t>() == 0);
  CHECK(equal(bn.weight, ones({2})));
  CHECK(equal(bn.bias, zeros({2})));
}
