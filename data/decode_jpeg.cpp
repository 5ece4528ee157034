// data/decode_jpeg.cpp — JPEG through libjpeg-turbo (Debian's libjpeg62-turbo, fuzzed upstream
// continuously). stb_image never sees a JPEG: Debian 12's stb_image 2.27 writes out of bounds in
// its Huffman decoder on crafted files (fixed upstream in 2.28), see decode_bmp.cpp.
//
// libjpeg reports errors through error_exit, whose default prints and calls exit(). Ours copies
// the message and longjmps back to the setjmp in read_header / read_pixels. A longjmp skips C++
// destructors, so those two functions hold no object with one: everything lives in the Jpeg
// struct of the caller, which is destroyed normally after the jump. Warnings (corrupt data,
// a file cut short — libjpeg would fill the rest with grey) are treated as errors too.
#include <csetjmp>
#include <cstdio>  // jpeglib.h uses FILE and size_t without including their headers

#include <jpeglib.h>

#include "core/error.hpp"
#include "data/image_decode.hpp"

namespace fulcrum::data::detail {
namespace {

// Progressive JPEGs can hold thousands of tiny scans, each a pass over the whole coefficient
// buffer: a small file can then take minutes. libjpeg-turbo's own tools stop at 500 scans.
constexpr int kMaxScans = 500;

struct ErrorManager {
  jpeg_error_mgr base;  // first member: libjpeg hands us a jpeg_error_mgr*, we cast it back
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void on_error(j_common_ptr info) {
  auto* manager = reinterpret_cast<ErrorManager*>(info->err);
  (*info->err->format_message)(info, manager->message);
  std::longjmp(manager->jump, 1);
}

// msg_level −1 is a warning (corrupt data); ≥ 0 are trace messages, ignored.
void on_message(j_common_ptr info, int msg_level) {
  if (msg_level < 0) on_error(info);
}

void on_progress(j_common_ptr info) {
  if (!info->is_decompressor) return;
  const auto* decompress = reinterpret_cast<j_decompress_ptr>(info);
  if (decompress->input_scan_number > kMaxScans) {
    auto* manager = reinterpret_cast<ErrorManager*>(info->err);
    std::snprintf(manager->message, sizeof(manager->message), "more than %d progressive scans", kMaxScans);
    std::longjmp(manager->jump, 1);
  }
}

struct Jpeg {
  jpeg_decompress_struct info{};
  ErrorManager errors{};
  jpeg_progress_mgr progress{};
  Jpeg() {
    info.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = on_error;
    errors.base.emit_message = on_message;
    progress.progress_monitor = on_progress;
  }
  ~Jpeg() { jpeg_destroy_decompress(&info); }  // safe after a failed or partial create
  Jpeg(const Jpeg&) = delete;
  Jpeg& operator=(const Jpeg&) = delete;
};

// No C++ object with a destructor may live in this frame (see the header comment).
bool read_header(Jpeg& jpeg, const uint8_t* data, size_t size) {
  if (setjmp(jpeg.errors.jump)) return false;
  jpeg_create_decompress(&jpeg.info);
  jpeg.info.progress = &jpeg.progress;
  jpeg_mem_src(&jpeg.info, data, static_cast<unsigned long>(size));
  jpeg_read_header(&jpeg.info, TRUE);
  return true;
}

bool read_pixels(Jpeg& jpeg, uint8_t* out, size_t height, size_t row_bytes) {
  if (setjmp(jpeg.errors.jump)) return false;
  jpeg_start_decompress(&jpeg.info);
  // `out` was sized from the header and the colour space we asked for; never write past it.
  if (jpeg.info.output_height != height ||
      size_t{jpeg.info.output_width} * static_cast<size_t>(jpeg.info.output_components) != row_bytes) {
    std::snprintf(jpeg.errors.message, sizeof(jpeg.errors.message), "unexpected output geometry");
    return false;
  }
  while (jpeg.info.output_scanline < jpeg.info.output_height) {
    JSAMPROW row = out + jpeg.info.output_scanline * row_bytes;
    if (jpeg_read_scanlines(&jpeg.info, &row, 1) != 1) {
      std::snprintf(jpeg.errors.message, sizeof(jpeg.errors.message), "no progress at row %u",
                    jpeg.info.output_scanline);
      return false;
    }
  }
  jpeg_finish_decompress(&jpeg.info);
  return true;
}

// Adobe's inverted CMYK to RGB as stb_image did it: r = c · k / 255 (rounded), likewise g, b.
void cmyk_to_rgb(DecodedImage& image) {
  const int64_t count = image.height * image.width;
  std::vector<uint8_t> rgb(static_cast<size_t>(count * 3));
  for (int64_t p = 0; p < count; ++p) {
    const uint8_t* cmyk = &image.pixels[static_cast<size_t>(p * 4)];
    for (int c = 0; c < 3; ++c) {
      const unsigned t = unsigned{cmyk[c]} * cmyk[3] + 128;
      rgb[static_cast<size_t>(p * 3 + c)] = static_cast<uint8_t>((t + (t >> 8)) >> 8);
    }
  }
  image.pixels = std::move(rgb);
  image.channels = 3;
}

}  // namespace

DecodedImage decode_jpeg(const uint8_t* data, size_t size, const std::string& name, const DecodeOptions& options) {
  Jpeg jpeg;
  FULCRUM_CHECK(read_header(jpeg, data, size), name << ": cannot decode the image (libjpeg: " << jpeg.errors.message << ")");
  DecodedImage image;
  image.height = jpeg.info.image_height;
  image.width = jpeg.info.image_width;
  check_pixel_count(name, image.height, image.width, options.max_pixels);

  // Grey files decode as grey (converted later if RGB is asked); colour files as RGB, or as their
  // luma plane Y when grey is asked; CMYK / YCCK (Adobe) as CMYK, converted here.
  const J_COLOR_SPACE stored = jpeg.info.jpeg_color_space;
  const bool cmyk = stored == JCS_CMYK || stored == JCS_YCCK;
  if (cmyk) {
    jpeg.info.out_color_space = JCS_CMYK;
    image.channels = 4;
  } else if (stored == JCS_GRAYSCALE || options.channels == 1) {
    jpeg.info.out_color_space = JCS_GRAYSCALE;
    image.channels = 1;
  } else {
    jpeg.info.out_color_space = JCS_RGB;
    image.channels = 3;
  }
  image.pixels.resize(static_cast<size_t>(image.height * image.width * image.channels));
  FULCRUM_CHECK(read_pixels(jpeg, image.pixels.data(), static_cast<size_t>(image.height),
                            static_cast<size_t>(image.width * image.channels)),
                name << ": cannot decode the image (libjpeg: " << jpeg.errors.message << ")");
  if (cmyk) cmyk_to_rgb(image);
  return image;
}

}  // namespace fulcrum::data::detail
