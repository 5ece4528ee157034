// bench/profile_step.cpp — times training steps of the functional Net (bench/net_functional.hpp)
// at a batch size, on random data, and prints samples/s. Used while tuning the core.
//   profile_step [batch=64] [steps=200]
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "bench/net_functional.hpp"
#include "core/profiler.hpp"

using namespace fulcrum;

int main(int argc, char** argv) {
  const int64_t batch = argc > 1 ? std::atoll(argv[1]) : 64;
  const int steps = argc > 2 ? std::atoi(argv[2]) : 200;
  Generator gen(0);
  bench::FunctionalNet net(gen);
  Tensor x = randn({batch, 1, 28, 28}, {}, &gen);
  Tensor y = randint(0, 10, {batch}, {}, &gen);
  auto step = [&] {
    Tensor log_probs = net.forward(x, true, gen);
    Tensor loss = -mean(gather(log_probs, 1, y.unsqueeze(1)));
    for (Tensor* p : net.parameters()) p->set_grad(Tensor());
    loss.backward();
    NoGradGuard no_grad;
    for (Tensor* p : net.parameters()) p->sub_(p->grad() * 0.01);
  };
  for (int i = 0; i < 10; ++i) step();  // warm-up
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < steps; ++i) step();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (std::getenv("FULCRUM_PROFILE")) {
    profiler::enable(true);
    for (int i = 0; i < 20; ++i) step();
    profiler::enable(false);
    std::printf("%s", profiler::report().c_str());
  }
  std::printf("batch %lld: %.1f samples/s (%.3f ms/step)\n", static_cast<long long>(batch),
              batch * steps / seconds, 1000.0 * seconds / steps);
  return 0;
}
