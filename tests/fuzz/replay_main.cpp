// tests/fuzz/replay_main.cpp — runs one harness's LLVMFuzzerTestOneInput on every file of the
// folders (or files) given, without libFuzzer or clang: `meson test` builds one replay per
// harness with the normal compiler and runs it on tests/fuzz/corpus/<harness> and on every input
// that ever crashed it, tests/fuzz/regressions/<harness> (a missing folder is skipped). Files
// whose names start with '.' are ignored. A crash, a sanitizer report or an exception other
// than fulcrum::Error fails the test; so does finding no input at all.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  std::vector<fs::path> inputs;
  for (int a = 1; a < argc; ++a) {
    const fs::path root = argv[a];
    std::error_code error;
    if (fs::is_regular_file(root, error)) {
      inputs.push_back(root);
    } else if (fs::is_directory(root, error)) {
      for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (entry.is_regular_file() && entry.path().filename().string().front() != '.') inputs.push_back(entry.path());
      }
    } else {
      std::printf("replay: %s does not exist, skipped\n", root.c_str());
    }
  }
  std::sort(inputs.begin(), inputs.end());
  for (const fs::path& input : inputs) {
    std::printf("replay: %s\n", input.c_str());
    std::fflush(stdout);  // if it crashes, the log names the input
    std::ifstream in(input, std::ios::binary);
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // A copy of exactly `size` bytes, as libFuzzer passes: ASan sees any read past the end.
    const std::vector<uint8_t> copy(bytes);
    LLVMFuzzerTestOneInput(copy.data(), copy.size());
  }
  std::printf("replay: %zu inputs, no finding\n", inputs.size());
  return inputs.empty() ? 1 : 0;
}
