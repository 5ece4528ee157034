// data/decode_bmp.cpp — BMP through stb_image (libstb-dev), the one format left to it. It is
// compiled with STBI_ONLY_BMP: Debian 12's stb_image 2.27 writes out of bounds in its JPEG
// Huffman decoder on crafted files (fixed upstream in 2.28), so no JPEG — and no PNG, GIF, PSD,
// TGA, … — may ever reach it; JPEG and PNG go to libjpeg-turbo and libpng (decode_jpeg.cpp,
// decode_png.cpp). stb_image_resize stays in image_folder.cpp.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_ONLY_BMP
#define STBI_NO_STDIO
#define STBI_FAILURE_USERMSG
#include <stb/stb_image.h>

#include <climits>
#include <cstring>
#include <memory>

#include "core/error.hpp"
#include "data/image_decode.hpp"

namespace fulcrum::data::detail {

DecodedImage decode_bmp(const uint8_t* data, size_t size, const std::string& name, const DecodeOptions& options) {
  FULCRUM_CHECK(size <= INT_MAX, name << ": cannot decode the image: a BMP above 2 GB is not supported");
  const int length = static_cast<int>(size);
  int width = 0, height = 0, stored = 0;
  // stbi_failure_reason() is thread-local and some failure paths never set it: it may be NULL.
  auto reason = [] { return stbi_failure_reason() ? stbi_failure_reason() : "no reason given"; };
  FULCRUM_CHECK(stbi_info_from_memory(data, length, &width, &height, &stored),
                name << ": cannot decode the image (stb_image: " << reason() << ")");
  check_pixel_count(name, height, width, options.max_pixels);
  // Grey is asked as 3 channels and converted by the shared rule (image_decode.cpp).
  const int request = options.channels == 0 ? 0 : 3;
  const std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load_from_memory(data, length, &width, &height, &stored, request), stbi_image_free);
  FULCRUM_CHECK(pixels, name << ": cannot decode the image (stb_image: " << reason() << ")");
  DecodedImage image;
  image.height = height;
  image.width = width;
  image.channels = request == 0 ? stored : request;
  image.pixels.assign(pixels.get(), pixels.get() + image.height * image.width * image.channels);
  return image;
}

}  // namespace fulcrum::data::detail
