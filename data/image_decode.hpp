// data/image_decode.hpp — one image file (or its bytes) to interleaved HWC u8 pixels, safely:
// the format is sniffed from the first bytes (not the extension), JPEG goes to libjpeg-turbo
// (data/decode_jpeg.cpp), PNG to libpng (data/decode_png.cpp), BMP to stb_image (decode_bmp.cpp,
// compiled with STBI_ONLY_BMP so stb never sees a JPEG or PNG). The pixel count is checked from
// the header before anything is decoded. The folder reader on top is image_folder.hpp.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fulcrum::data {

// PIL's Image.MAX_IMAGE_PIXELS (torchvision's loader inherits it): 1024 · 1024 · 1024 / 4 / 3.
// Above it PIL warns and above twice it refuses; we refuse above it. A 249 KB PNG can declare
// 16000 × 16000 pixels (768 MB as RGB): the limit stops such decompression bombs before any
// pixel is allocated.
inline constexpr int64_t default_max_pixels = 178956970;

struct DecodeOptions {
  // 3: RGB, 1: grey (from colour: luma (77 r + 150 g + 29 b) >> 8, stb_image's ITU-R 601 weights;
  // a colour JPEG gives its Y plane, as stb did), 0: as stored (1 grey, 2 grey + alpha, 3 RGB,
  // 4 RGBA; alpha is dropped, not composited, when converting).
  int64_t channels = 3;
  // width · height above this is an Error, raised from the header before decoding.
  int64_t max_pixels = default_max_pixels;
};

// Interleaved pixels: pixels[(y · width + x) · channels + c].
struct DecodedImage {
  std::vector<uint8_t> pixels;
  int64_t height = 0, width = 0, channels = 0;
};

// Decodes an in-memory image file; `name` (the file's path) starts every error message. Every
// failure — unknown format, corrupt or truncated data, too many pixels — is a fulcrum::Error
// "<name>: cannot decode the image (<decoder>: <reason>)" or names the size and the limit.
DecodedImage decode_image_bytes(const uint8_t* data, size_t size, const std::string& name,
                                const DecodeOptions& options = {});

// Reads `file` and decodes it (as above); a file that cannot be read is an Error naming it.
DecodedImage decode_image_file(const std::filesystem::path& file, const DecodeOptions& options = {});

// The decoders behind decode_image_bytes, each for its own format (the caller has sniffed it);
// they return the pixels as stored or as `channels` asks, before the shared conversion.
namespace detail {
DecodedImage decode_jpeg(const uint8_t* data, size_t size, const std::string& name, const DecodeOptions& options);
DecodedImage decode_png(const uint8_t* data, size_t size, const std::string& name, const DecodeOptions& options);
DecodedImage decode_bmp(const uint8_t* data, size_t size, const std::string& name, const DecodeOptions& options);
// An Error naming the file, its size and the limit when width · height > max_pixels.
void check_pixel_count(const std::string& name, int64_t height, int64_t width, int64_t max_pixels);
// The versions of the three decoders, for cache keys: "libjpeg-turbo 2.1.5 libpng 1.6.39 stb_image 2.27".
std::string decoder_versions();
}  // namespace detail

}  // namespace fulcrum::data
