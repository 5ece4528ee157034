// tests/fuzz/fuzz_image.cpp — libFuzzer harness for decode_image_bytes (data/image_decode.hpp):
// the sniffer, libjpeg-turbo, libpng and stb_image's BMP decoder behind it, and the channel
// conversion. The channel request comes from the input size (0, 1 or 3); max_pixels is 4 Mi so
// that a large but legal header does not exceed libFuzzer's memory limit. (libjpeg and libpng
// are Debian's uninstrumented builds: coverage guides through our code, ASan watches the calls.)
#include "data/image_decode.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr int64_t channels[] = {0, 1, 3};
  fulcrum::fuzz::refuse_or_read([&] {
    fulcrum::data::decode_image_bytes(data, size, "fuzz-input", {.channels = channels[size % 3], .max_pixels = 1 << 22});
  });
  return 0;
}
