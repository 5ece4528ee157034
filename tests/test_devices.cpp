// tests/test_devices.cpp — devices and the seam between them: spelling devices, Tensor::to and
// Module::to, the Error an op gives for inputs on two devices, gradients flowing back across a
// move, optimiser state following its parameters, the host reads of a training step, and the
// book's Net trained a few steps on "ref" and on "cpu" to the same losses.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 8.
#include <doctest/doctest.h>

#include "core/backend.hpp"
#include "core/profiler.hpp"
#include "examples/book_net.hpp"
#include "fulcrum.hpp"
#include "test_support.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;

TEST_CASE("devices: PyTorch's spellings, and a clear Error for the others") {
  CHECK(Device("cpu") == Device::cpu());
  CHECK(Device("ref") == Device::ref());
  CHECK(Device("cuda") == Device::cuda(0));
  CHECK(Device("cuda:3") == Device::cuda(3));
  CHECK(Device::cuda(3).str() == "cuda:3");
  CHECK(Device::ref().is_host());
  CHECK_FALSE(Device::cuda().is_host());
  CHECK_ERROR_CONTAINS(Device("gpu"), "\"gpu\" is not a device; expected \"cpu\", \"ref\", \"cuda\" or \"cuda:N\"");
  CHECK_ERROR_CONTAINS(Device("cuda:x"), "is not a device");
  CHECK_ERROR_CONTAINS(Device("cuda:"), "is not a device");
}

TEST_CASE("devices: a device without a backend is an Error naming it and the available ones") {
  CHECK_ERROR_CONTAINS(zeros({2}, {.device = Device::cuda(0)}), "device cuda:0: no backend for it in this build (available: cpu, ref");
  CHECK_ERROR_CONTAINS(tensor({1.0}).to("cuda:1"), "device cuda:1: no backend");
}

TEST_CASE("devices: an op whose inputs live on two devices names the op and both devices") {
  const Tensor a = tensor({1.0, 2.0});
  const Tensor b = tensor({3.0, 4.0}).to("ref");
  CHECK_ERROR_CONTAINS(a + b, "add: tensors are on cpu and ref");
  CHECK_ERROR_CONTAINS(matmul(a.reshape({1, 2}), b.reshape({2, 1})), "matmul: tensors are on cpu and ref");
  CHECK_ERROR_CONTAINS(cat({a, b}, 0), "cat: tensors are on cpu and ref");
  CHECK_ERROR_CONTAINS(a.copy_(b), "copy_: tensors are on ref and cpu");
  CHECK_ERROR_CONTAINS(nll_loss(a.reshape({1, 2}), tensor({1}, {.dtype = DType::i64}).to("ref")), "on cpu and ref");
}

TEST_CASE("devices: every factory and scalar op makes its result on the requested device") {
  const Tensor r = tensor({1.5, -2.0}, {.device = Device::ref()});
  CHECK(r.device() == Device::ref());
  CHECK((r * 2.0 + 1.0).device() == Device::ref());
  CHECK(zeros_like(r).device() == Device::ref());
  CHECK(empty_like(r).device() == Device::ref());
  CHECK(randn({3}, {.device = Device::ref()}).device() == Device::ref());
  CHECK(arange(4.0, {.device = Device::ref()}).device() == Device::ref());
  const Tensor copy = r.clone();
  copy.add_(1.0).mul_(2.0);
  CHECK(copy.device() == Device::ref());
  CHECK(copy.to_vector() == std::vector<double>{5.0, -2.0});
  CHECK(r.at({1}) == -2.0);
  CHECK(r.sum().item() == -0.5);
}

TEST_CASE("devices: the gradient of a computation that crosses devices comes back to each leaf's device") {
  const Tensor w = tensor({{1.0, 2.0}, {3.0, 4.0}}, {.dtype = DType::f64}).set_requires_grad(true);
  const Tensor x = tensor({0.5, -1.0}, {.dtype = DType::f64, .device = Device::ref()}).set_requires_grad(true);
  const Tensor y = matmul(w.to("ref"), x.unsqueeze(1)).sum();  // Σ_i Σ_j w_ij x_j
  y.backward();
  CHECK(w.grad().device() == Device::cpu());
  CHECK(x.grad().device() == Device::ref());
  CHECK(w.grad().to_vector() == std::vector<double>{0.5, -1.0, 0.5, -1.0});  // ∂/∂w_ij = x_j
  CHECK(x.grad().to_vector() == std::vector<double>{4.0, 6.0});             // ∂/∂x_j = Σ_i w_ij
}

TEST_CASE("devices: Module::to moves parameters and buffers in place; the optimiser's state follows") {
  manual_seed(4);
  nn::Sequential model(nn::Linear({.in_features = 3, .out_features = 2}), nn::BatchNorm1d({.num_features = 2}));
  const Tensor weight = model.parameters()[0];
  optim::SGD sgd(model.parameters(), {.lr = 0.1, .momentum = 0.9});
  const Tensor x = randn({4, 3});
  auto step = [&](const Tensor& input) {
    sgd.zero_grad();
    model(input).pow(2.0).sum().backward();
    sgd.step();
  };
  step(x);  // momentum buffers made on cpu
  CHECK(sgd.state(weight).at("momentum_buffer").device() == Device::cpu());
  model.to("ref");
  CHECK(weight.device() == Device::ref());  // the same handle, moved
  for (const Tensor& p : model.parameters()) CHECK(p.device() == Device::ref());
  for (const Tensor& b : model.buffers()) CHECK(b.device() == Device::ref());
  step(x.to("ref"));
  CHECK(sgd.state(weight).at("momentum_buffer").device() == Device::ref());
  CHECK_ERROR_CONTAINS(model(x), "tensors are on cpu and ref");  // the input must move too
}

namespace {

// The book's Net trained `steps` SGD steps on `device` from the same start: the losses.
std::vector<double> train_book_net(Device device, int steps) {
  manual_seed(7);
  examples::BookNet net;
  net.to(device);
  optim::SGD sgd(net.parameters(), {.lr = 0.05, .momentum = 0.5});
  Generator data(11);
  const Tensor images = randn({16, 1, 28, 28}, {}, &data).to(device);
  const Tensor labels = randint(0, 10, {16}, {.dtype = DType::i64}, &data).to(device);
  std::vector<double> losses;
  net.eval();  // no dropout: the two devices would draw the same masks, but eval keeps it simple
  for (int s = 0; s < steps; ++s) {
    sgd.zero_grad();
    Tensor loss = nll_loss(net(images), labels);
    loss.backward();
    sgd.step();
    losses.push_back(loss.item());
  }
  return losses;
}

}  // namespace

TEST_CASE("devices: the book's Net trains to the same losses on ref and on cpu (f32 tolerance)") {
  const std::vector<double> on_cpu = train_book_net(Device::cpu(), 5);
  const std::vector<double> on_ref = train_book_net(Device::ref(), 5);
  REQUIRE(on_cpu.size() == 5);
  CHECK(on_cpu.back() < on_cpu.front());  // it trains
  for (size_t s = 0; s < on_cpu.size(); ++s) {
    INFO("step " << s);
    CHECK(on_ref[s] == doctest::Approx(on_cpu[s]).epsilon(1e-4));
  }
}

TEST_CASE("devices: a training step of the book's Net reads the host a counted, small number of times") {
  manual_seed(3);
  examples::BookNet net;
  optim::SGD sgd(net.parameters(), {.lr = 0.01, .momentum = 0.5});
  const Tensor images = randn({8, 1, 28, 28});
  const Tensor labels = randint(0, 10, {8}, {.dtype = DType::i64});
  auto step = [&] {
    sgd.zero_grad();
    Tensor loss = nll_loss(net(images), labels);
    loss.backward();
    sgd.step();
    return loss.item();
  };
  step();
  const uint64_t before = profiler::host_reads();
  step();
  const uint64_t per_step = profiler::host_reads() - before;
  MESSAGE("host reads in one training step of the book's Net: " << per_step);
  // nll_loss's check of the labels, gather's check of the same indices, loss.item(): three. The
  // backward's scatter_add does not re-check gather's indices. Anything more is a new
  // synchronisation on a GPU, and this test names it.
  CHECK(per_step == 3);
  profiler::enable(true);
  profiler::reset();
  step();
  profiler::enable(false);
  CHECK(profiler::report().find("to_host") != std::string::npos);
}
