// data/image_decode.cpp — the part every format shares: reading the file, sniffing the format
// from its signature, the pixel-count limit, and converting the decoder's channels to the
// requested ones (the same rules stb_image applied when it decoded everything).
#include "data/image_decode.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <jpeglib.h>  // after <cstdio>: it uses FILE without including it
#include <png.h>

#include "core/error.hpp"

namespace fulcrum::data {
namespace {

bool starts_with(const uint8_t* data, size_t size, std::initializer_list<uint8_t> signature) {
  if (size < signature.size()) return false;
  return std::equal(signature.begin(), signature.end(), data);
}

std::string first_bytes_hex(const uint8_t* data, size_t size) {
  std::string text;
  for (size_t i = 0; i < std::min<size_t>(size, 8); ++i) {
    char byte[4];
    std::snprintf(byte, sizeof(byte), "%s%02x", i ? " " : "", data[i]);
    text += byte;
  }
  return text.empty() ? "none: the file is empty" : text;
}

// stb_image's luma: ITU-R 601 weights in 8-bit fixed point (77 + 150 + 29 = 256).
uint8_t luma(const uint8_t* rgb) { return static_cast<uint8_t>((rgb[0] * 77 + rgb[1] * 150 + rgb[2] * 29) >> 8); }

// From the stored 1 (G), 2 (GA), 3 (RGB) or 4 (RGBA) channels to `requested` (1 or 3).
void convert_channels(DecodedImage& image, int64_t requested) {
  const int64_t stored = image.channels;
  if (requested == 0 || requested == stored) return;
  const int64_t count = image.height * image.width;
  std::vector<uint8_t> out(static_cast<size_t>(count * requested));
  for (int64_t p = 0; p < count; ++p) {
    const uint8_t* from = &image.pixels[static_cast<size_t>(p * stored)];
    uint8_t* to = &out[static_cast<size_t>(p * requested)];
    if (requested == 1) {
      to[0] = stored >= 3 ? luma(from) : from[0];
    } else if (stored >= 3) {
      to[0] = from[0], to[1] = from[1], to[2] = from[2];
    } else {
      to[0] = to[1] = to[2] = from[0];
    }
  }
  image.pixels = std::move(out);
  image.channels = requested;
}

}  // namespace

namespace detail {
void check_pixel_count(const std::string& name, int64_t height, int64_t width, int64_t max_pixels) {
  FULCRUM_CHECK(height > 0 && width > 0, name << ": cannot decode the image: the header gives a size of " << height
                                              << "x" << width << " (height x width), expected both positive");
  FULCRUM_CHECK(height <= max_pixels / width,  // height · width > max_pixels, without overflow
                name << ": the image is " << height << "x" << width << " (height x width) = " << height * width
                     << " pixels, above the limit of " << max_pixels
                     << " (max_pixels; a decompression bomb? raise max_pixels to decode it)");
}

#define FULCRUM_STRINGIFY_VALUE(x) #x
#define FULCRUM_STRINGIFY(x) FULCRUM_STRINGIFY_VALUE(x)
std::string decoder_versions() {
  return std::string("libjpeg-turbo ") + FULCRUM_STRINGIFY(LIBJPEG_TURBO_VERSION) + " libpng " + png_get_libpng_ver(nullptr) +
         " stb_image (BMP)";
}
}  // namespace detail

DecodedImage decode_image_bytes(const uint8_t* data, size_t size, const std::string& name,
                                const DecodeOptions& options) {
  FULCRUM_CHECK(options.channels == 0 || options.channels == 1 || options.channels == 3,
                name << ": decode: channels must be 0 (as stored), 1 or 3, got " << options.channels);
  FULCRUM_CHECK(options.max_pixels > 0, name << ": decode: max_pixels must be positive, got " << options.max_pixels);
  DecodedImage image;
  if (starts_with(data, size, {0xff, 0xd8, 0xff})) {
    image = detail::decode_jpeg(data, size, name, options);
  } else if (starts_with(data, size, {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})) {
    image = detail::decode_png(data, size, name, options);
  } else if (starts_with(data, size, {'B', 'M'})) {
    image = detail::decode_bmp(data, size, name, options);
  } else {
    FULCRUM_FAIL(name << ": cannot decode the image: its first bytes (" << first_bytes_hex(data, size)
                      << ") are not a PNG, JPEG or BMP signature (89 50 4e 47 …, ff d8 ff, 42 4d)");
  }
  convert_channels(image, options.channels);
  return image;
}

DecodedImage decode_image_file(const std::filesystem::path& file, const DecodeOptions& options) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> handle(std::fopen(file.c_str(), "rb"), std::fclose);
  FULCRUM_CHECK(handle, file.string() << ": cannot open the image file (" << std::strerror(errno) << ")");
  // Read in growing chunks rather than trusting a size from stat (a FIFO or /proc file has none).
  std::vector<uint8_t> bytes;
  size_t used = 0;
  while (true) {
    bytes.resize(std::max<size_t>(used * 2, 1 << 16));
    const size_t got = std::fread(bytes.data() + used, 1, bytes.size() - used, handle.get());
    used += got;
    if (used < bytes.size()) break;
  }
  FULCRUM_CHECK(!std::ferror(handle.get()), file.string() << ": cannot read the image file (" << std::strerror(errno) << ")");
  bytes.resize(used);
  return decode_image_bytes(bytes.data(), bytes.size(), file.string(), options);
}

}  // namespace fulcrum::data
