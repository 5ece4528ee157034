// bench/bench_measure.hpp — what the training benchmarks measure: the wall time of timed steps
// after untimed warm-up steps, and the process's peak resident memory (getrusage's ru_maxrss,
// in KiB on Linux; Python's resource.getrusage reports the same number). Argument parsing:
// bench_args.hpp.
#pragma once
#include <sys/resource.h>

#include <chrono>
#include <functional>

namespace fulcrum::bench {

// Seconds taken by `steps` calls of step, after `warmup` calls that are not timed.
inline double time_steps(const std::function<void()>& step, int steps, int warmup) {
  for (int i = 0; i < warmup; ++i) step();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < steps; ++i) step();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The largest resident set the process has had so far, in MiB.
inline double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace fulcrum::bench
