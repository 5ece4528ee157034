// tests/shared_data.hpp — find_shared_data: the project's shared test data (../shared/data from
// the repository root, see its README) seen from the current dir or the test executable, so both
// `./build/tests/test_x` from the root and `meson test` (run in the build dir) find it. Suites
// skip their real-data cases with a visible MESSAGE("SKIPPED: ...") when it returns nullopt.
#pragma once
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

}  // namespace fulcrum::testing
