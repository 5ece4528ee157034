// tests/fuzz/fuzz_support.hpp — what every harness in tests/fuzz/ shares: a scratch file for the
// readers that take a path, and the one rule of these harnesses: a fulcrum::Error is how a
// reader refuses a bad input; anything else (another exception, a crash, a sanitizer report, a
// timeout) is a finding. The harnesses run under libFuzzer (build.sh) or replay_main.cpp.
#pragma once
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "core/error.hpp"

namespace fulcrum::fuzz {

// One scratch file per process and suffix (libFuzzer's -jobs run several processes), removed
// at exit.
class ScratchFile {
public:
  explicit ScratchFile(const std::string& suffix)
      : path_(std::filesystem::temp_directory_path() /
              ("fulcrum-fuzz-" + std::to_string(::getpid()) + suffix)) {}
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  // Replaces the file's contents with the input and returns its path.
  const std::filesystem::path& write(const uint8_t* data, size_t size) {
    std::FILE* file = std::fopen(path_.c_str(), "wb");
    if (file == nullptr) std::abort();  // the harness itself is broken, not the reader
    if (size > 0 && std::fwrite(data, 1, size, file) != size) std::abort();
    std::fclose(file);
    return path_;
  }

private:
  std::filesystem::path path_;
};

// Runs `read`; a fulcrum::Error is an accepted outcome, every other exception escapes.
template <typename F> void refuse_or_read(F&& read) {
  try {
    read();
  } catch (const fulcrum::Error&) {
  }
}

}  // namespace fulcrum::fuzz
