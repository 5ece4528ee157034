// tests/test_thread_determinism.cpp — a fixed seed trains the book's Net to bit-identical losses and
// parameters on 1 and 2 OpenMP threads. Every kernel on the way (conv, pool, relu, dropout,
// linear/GEMM, log_softmax, nll_loss, the sums of the backward pass, SGD) must split its work by
// the problem size alone; the per-kernel tests are in tests/core/cpu/threads.cpp.
#include <doctest/doctest.h>
#include <omp.h>

#include <cstring>
#include <string>
#include <vector>

#include "examples/book_net.hpp"

using namespace fulcrum;

namespace {

// The book's Net and a random batch of 64, from fixed seeds, at `threads` threads. Batch 64 puts
// conv, pool and the element-wise kernels above their parallel grain (conv1's output alone is
// 64·10·24·24 = 368,640 elements).
struct Setup {
  examples::BookNet net;
  Tensor images, labels;
};
Setup make_setup() {
  manual_seed(2026);
  Setup setup;
  Generator data(17);
  setup.images = randn({64, 1, 28, 28}, {}, &data);
  setup.labels = randint(0, 10, {64}, {.dtype = DType::i64}, &data);
  return setup;
}

// Runs `body` at `threads` OpenMP threads and puts the caller's setting back.
template <typename F> auto at_threads(int threads, F body) {
  const int saved = omp_get_max_threads();
  omp_set_num_threads(threads);
  auto result = body();
  omp_set_num_threads(saved);
  return result;
}

bool same_bits(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && std::memcmp(a.raw_data(), b.raw_data(), a.numel() * sizeof(float)) == 0;
}

struct Run {
  std::vector<float> losses;
  nn::Module::NamedTensors parameters;
  Tensor fc2_at_start;
};

// `steps` SGD steps in training mode (dropout on: its masks come from the seed).
Run train(int steps) {
  Setup s = make_setup();
  optim::SGD sgd(s.net.parameters(), {.lr = 0.05, .momentum = 0.5});
  Run run;
  run.fc2_at_start = s.net.fc2->weight.detach().clone();
  for (int step = 0; step < steps; ++step) {
    sgd.zero_grad();
    Tensor loss = nll_loss(s.net(s.images), s.labels);
    loss.backward();
    sgd.step();
    run.losses.push_back(loss.item<float>());
  }
  for (auto& [name, value] : s.net.named_parameters()) run.parameters.push_back({name, value.detach().contiguous()});
  return run;
}

// The gradients of one forward + backward pass.
nn::Module::NamedTensors gradients() {
  Setup s = make_setup();
  nll_loss(s.net(s.images), s.labels).backward();
  nn::Module::NamedTensors grads;
  for (auto& [name, value] : s.net.named_parameters()) grads.push_back({name, value.grad().contiguous()});
  return grads;
}

}  // namespace

// Before conv2d's weight gradient summed its chunks in a fixed order (core/cpu/conv.cpp), this
// case failed from the first step on the conv weights and, through them, everything after.
TEST_CASE("determinism: the book's Net trains bit-identically on 1 and 2 threads") {
  const Run one = at_threads(1, [] { return train(4); });
  const Run two = at_threads(2, [] { return train(4); });
  REQUIRE(one.losses.size() == 4);
  REQUIRE(one.parameters[6].first == "fc2.weight");
  CHECK_FALSE(same_bits(one.parameters[6].second, one.fc2_at_start));  // the steps changed the weights
  for (size_t s = 0; s < one.losses.size(); ++s) {
    INFO("step " << s << ": " << one.losses[s] << " on 1 thread, " << two.losses[s] << " on 2");
    CHECK(std::memcmp(&one.losses[s], &two.losses[s], sizeof(float)) == 0);
  }
  REQUIRE(one.parameters.size() == two.parameters.size());
  for (size_t p = 0; p < one.parameters.size(); ++p) {
    INFO("parameter " << one.parameters[p].first);
    CHECK(same_bits(one.parameters[p].second, two.parameters[p].second));
  }
}

TEST_CASE("determinism: one backward pass of the Net gives bit-identical gradients on 1 and 2 threads") {
  const nn::Module::NamedTensors one = at_threads(1, gradients), two = at_threads(2, gradients);
  REQUIRE(one.size() == 8);
  for (size_t p = 0; p < one.size(); ++p) {
    INFO("gradient of " << one[p].first);
    CHECK(same_bits(one[p].second, two[p].second));
  }
}
