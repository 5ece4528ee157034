// tests/fuzz/fuzz_idx.cpp — libFuzzer harness for read_idx (data/idx.hpp): raw IDX and, since the
// reader sniffs the gzip magic, gzip'd IDX through ByteStream's inflater.
#include "data/idx.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static fulcrum::fuzz::ScratchFile scratch(".idx");
  const auto& path = scratch.write(data, size);
  fulcrum::fuzz::refuse_or_read([&] { fulcrum::data::read_idx(path); });
  return 0;
}
