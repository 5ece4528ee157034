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

// True, with `value` set, when all of `text` is a decimal integer in [min, max] (no sign '+',
// no spaces, no trailing characters).
inline bool parse_integer(const char* text, int64_t min, int64_t max, int64_t& value) {
  const char* end = text + std::strlen(text);
  int64_t parsed = 0;
  const auto [ptr, error] = std::from_chars(text, end, parsed);
  if (error != std::errc() || ptr != end || end == text || parsed < min || parsed > max) return false;
  value = parsed;
  return true;
}

// The value of `text` if it is a decimal integer in [min, max]; otherwise prints what was
// expected, and `usage`, to stderr and exits with status 2 (the usual "bad usage" status).
inline int64_t parse_count(const char* text, const char* what, int64_t min, int64_t max, const char* usage) {
  int64_t value = 0;
  if (!parse_integer(text, min, max, value)) {
    std::fprintf(stderr, "%s: expected an integer from %lld to %lld, got \"%.40s\"\nusage: %s\n", what,
                 static_cast<long long>(min), static_cast<long long>(max), text, usage);
    std::exit(2);
  }
  return value;
}

}  // namespace fulcrum::bench
