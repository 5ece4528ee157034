// tests/fuzz/fuzz_json.cpp — libFuzzer harness for the strict JSON reader of the safetensors
// header (nn/serialization/json.hpp): parse, and the UTF-8 check and quoting it relies on.
#include "nn/serialization/json.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fulcrum::fuzz::refuse_or_read([&] { fulcrum::nn::json::parse(text, "fuzz-input", 8); });
  fulcrum::nn::json::invalid_utf8_position(text);
  fulcrum::nn::json::quote(text);
  return 0;
}
