// tests/shared_data.hpp — find_shared_data: the project's shared test data (../shared/data from
// the repository root, see its README) seen from the current dir or the test executable, so both
// `./build/tests/test_x` from the root and `meson test` (run in the build dir) find it.
// A real-data test case is declared TEST_CASE("…" * skip_unless_data("mnist")) and opens with
// REQUIRE_DATA: on a user's fresh clone without the data it is skipped (counted as skipped in
// doctest's summary, with a line on stderr saying why), never passed; under CI=true the data must
// be there, so a missing file is a failure.
#pragma once
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fulcrum::testing {

// The folder shared/data (not the entry) found by walking up to 5 levels from the current dir
// and from the executable's folder, such that shared/data/<entry> exists; `entry` is a sub-folder
// ("mnist", "trec") or a file ("tabular/caravan.csv").
inline std::optional<std::filesystem::path> find_shared_data(const std::string& entry) {
  namespace fs = std::filesystem;
  std::vector<fs::path> starts = {fs::current_path()};
  std::error_code error;
  const fs::path executable = fs::read_symlink("/proc/self/exe", error);
  if (!error) starts.push_back(executable.parent_path());
  for (fs::path base : starts) {
    for (int level = 0; level < 5 && !base.empty(); ++level, base = base.parent_path()) {
      const fs::path root = base / "shared" / "data";
      if (fs::exists(root / entry, error)) return root;
    }
  }
  return std::nullopt;
}

// CI sets CI=true (and always has the data beside the clone).
inline bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

// Whether `entry` is there: under shared/data (a relative entry) or at an absolute path.
inline bool data_present(const std::string& entry) {
  std::error_code error;
  if (std::filesystem::path(entry).is_absolute()) return std::filesystem::exists(entry, error);
  return find_shared_data(entry).has_value();
}

// The doctest decorator of a real-data test case: skip it when the data is missing, except in CI.
// Evaluated when the test case registers (before main), hence the line on stderr.
inline doctest::skip skip_unless_data(const std::string& entry) {
  const bool skip = !running_in_ci() && !data_present(entry);
  if (skip) std::fprintf(stderr, "SKIPPED: %s is not there; its real-data test case is skipped\n", entry.c_str());
  return doctest::skip(skip);
}

}  // namespace fulcrum::testing

// Inside a real-data test case: fail (the case only runs without the data under CI=true) unless
// `entry` is there.
#define REQUIRE_DATA(entry)                                                                        \
  REQUIRE_MESSAGE(::fulcrum::testing::data_present(entry),                                         \
                  "the test data " << (entry) << " is missing (under CI=true a missing file is a failure)")
