// bench/bench_args.hpp — strict parsing of the benchmarks' count arguments (steps, batches,
// repeats): the whole argument must be a decimal integer in [min, max]. atoi() took "--help",
// "abc" and "" as 0 and "-5" as -5, and the benchmarks then printed negative or NaN throughput.
#pragma once
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace fulcrum::bench {

// The value of `text` if it is a decimal integer in [min, max]; otherwise prints what was
// expected, and `usage`, to stderr and exits with status 2 (the usual "bad usage" status).
inline int64_t parse_count(const char* text, const char* what, int64_t min, int64_t max, const char* usage) {
  int64_t value = 0;
  const char* end = text + std::strlen(text);
  const auto [ptr, error] = std::from_chars(text, end, value);
  if (error != std::errc() || ptr != end || end == text || value < min || value > max) {
    std::fprintf(stderr, "%s: expected an integer from %lld to %lld, got \"%.40s\"\nusage: %s\n", what,
                 static_cast<long long>(min), static_cast<long long>(max), text, usage);
    std::exit(2);
  }
  return value;
}

}  // namespace fulcrum::bench
