// tests/fuzz/fuzz_json.cpp — libFuzzer harness for the strict JSON reader of the safetensors
// header (io/json.hpp): parse, and the UTF-8 check and quoting it relies on.
#include "io/json.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fulcrum::fuzz::refuse_or_read([&] { fulcrum::io::json::parse(text, "fuzz-input", 8); });
  fulcrum::io::json::invalid_utf8_position(text);
  fulcrum::io::json::quote(text);
  return 0;
}
