// tests/fuzz/fuzz_trec.cpp — libFuzzer harness for read_trec (data/text.hpp, "COARSE:fine question"
// lines in Latin-1) with coarse and fine labels, and the tokenizer on every question read.
#include "data/text.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fulcrum::data;
  static fulcrum::fuzz::ScratchFile scratch(".label");
  const auto& path = scratch.write(data, size);
  fulcrum::fuzz::refuse_or_read([&] {
    const TextSplit split = read_trec(path, TrecLabels::coarse);
    tokenize_all(split.texts);
  });
  fulcrum::fuzz::refuse_or_read([&] { read_trec(path, TrecLabels::fine); });
  return 0;
}
