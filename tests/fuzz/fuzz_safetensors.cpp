// tests/fuzz/fuzz_safetensors.cpp — libFuzzer harness for load_safetensors_with_metadata
// (io/safetensors.hpp): the 8-byte header length, the JSON header's schema, the
// dtypes, shapes and data offsets, read from a file as a user's checkpoint would be.
#include "io/safetensors.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static fulcrum::fuzz::ScratchFile scratch(".safetensors");
  const auto& path = scratch.write(data, size);
  fulcrum::fuzz::refuse_or_read([&] { fulcrum::io::load_safetensors_with_metadata(path.string()); });
  return 0;
}
