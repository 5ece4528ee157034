// core/profiler.cpp — the profile table behind core/profiler.hpp.
#include "core/profiler.hpp"

#include <atomic>
#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <vector>

namespace fulcrum::profiler {
namespace {

struct Entry {
  long calls = 0;
  double seconds = 0;
};
bool on = false;
std::mutex lock;
std::map<std::string, Entry>& table() {
  static std::map<std::string, Entry> entries;
  return entries;
}

}  // namespace

void enable(bool value) { on = value; }
bool enabled() { return on; }
void reset() {
  std::lock_guard<std::mutex> guard(lock);
  table().clear();
}
void add(const std::string& name, double seconds) {
  std::lock_guard<std::mutex> guard(lock);
  Entry& entry = table()[name];
  ++entry.calls;
  entry.seconds += seconds;
}

std::string report() {
  std::lock_guard<std::mutex> guard(lock);
  std::vector<std::pair<std::string, Entry>> rows(table().begin(), table().end());
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.seconds > b.second.seconds; });
  double total = 0;
  for (const auto& row : rows) total += row.second.seconds;
  std::string text;
  char line[160];
  std::snprintf(line, sizeof line, "%-34s %8s %10s %10s %7s\n", "op", "calls", "total ms", "ms/call", "share");
  text.append(line);
  for (const auto& [name, entry] : rows) {
    std::snprintf(line, sizeof line, "%-34s %8ld %10.2f %10.4f %6.1f%%\n", name.c_str(), entry.calls,
                  1000 * entry.seconds, 1000 * entry.seconds / entry.calls, 100 * entry.seconds / std::max(total, 1e-12));
    text.append(line);
  }
  return text;
}

namespace {
std::atomic<uint64_t> host_read_count{0};
}  // namespace

uint64_t host_reads() { return host_read_count.load(std::memory_order_relaxed); }
void count_host_read() { host_read_count.fetch_add(1, std::memory_order_relaxed); }

}  // namespace fulcrum::profiler
