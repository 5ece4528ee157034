// core/profiler.hpp — a per-op wall-clock profile: every backend kernel call and every backward
// formula is timed under its name when profiling is on (one branch when off). For finding where
// a training step spends its time: profiler::enable(true); …; std::cout << profiler::report().
#pragma once
#include <chrono>
#include <string>

namespace fulcrum::profiler {

void enable(bool on);
bool enabled();
void reset();
void add(const std::string& name, double seconds);
// A table: name, calls, total ms, ms per call, share of the profiled time; sorted by total.
// "to_host" is the host reading tensor values (item, to_vector, index and label checks).
std::string report();

// Host reads (to_host calls), counted whether or not profiling is on: on a GPU each is a
// synchronisation, so a training step should make few (tests/test_devices.cpp counts them).
uint64_t host_reads();
void count_host_read();

// Times its own lifetime under `name` (the name is built only when profiling is on).
class Scope {
public:
  template <typename NameFn>
  explicit Scope(NameFn&& make_name) {
    if (enabled()) {
      name_ = make_name();
      start_ = std::chrono::steady_clock::now();
      active_ = true;
    }
  }
  ~Scope() {
    if (active_) add(name_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

private:
  bool active_ = false;
  std::string name_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace fulcrum::profiler
