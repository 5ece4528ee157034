// data/decode_png.cpp — PNG through libpng (Debian's libpng16, fuzzed upstream continuously),
// reading from memory. libpng reports errors through an error function that must not return;
// ours copies the message and longjmps to the setjmp in read_header / read_pixels, which (like
// decode_jpeg.cpp's) hold no C++ object with a destructor. CRC errors in critical chunks are
// errors; libpng's warnings (e.g. an odd colour profile) are ignored, as PIL does.
#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>

#include "core/error.hpp"
#include "data/image_decode.hpp"

namespace fulcrum::data::detail {
namespace {

struct Png {
  png_structp png = nullptr;
  png_infop info = nullptr;
  const uint8_t* data = nullptr;  // the file in memory and how far libpng has read it
  size_t size = 0, position = 0;
  char message[256] = "out of memory";
  ~Png() { png_destroy_read_struct(&png, info ? &info : nullptr, nullptr); }
};

void on_error(png_structp png, png_const_charp message) {
  auto* state = static_cast<Png*>(png_get_error_ptr(png));
  std::snprintf(state->message, sizeof(state->message), "%s", message);
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}

void read_from_memory(png_structp png, png_bytep out, size_t count) {
  auto* state = static_cast<Png*>(png_get_io_ptr(png));
  if (count > state->size - state->position) png_error(png, "the file ends early (truncated PNG)");
  std::memcpy(out, state->data + state->position, count);
  state->position += count;
}

// Reads up to the first IDAT and sets the transforms that give 8-bit G, GA, RGB or RGBA.
// No C++ object with a destructor may live in this frame (see the header comment).
bool read_header(Png& state) {
  if (setjmp(png_jmpbuf(state.png))) return false;
  png_set_read_fn(state.png, &state, read_from_memory);
  png_read_info(state.png, state.info);
  png_set_expand(state.png);     // palette → RGB, grey < 8 bits → 8 bits, tRNS → an alpha channel
  png_set_strip_16(state.png);   // 16 → 8 bits per channel
  png_set_interlace_handling(state.png);
  png_read_update_info(state.png, state.info);
  return true;
}

bool read_pixels(Png& state, png_bytepp rows) {
  if (setjmp(png_jmpbuf(state.png))) return false;
  png_read_image(state.png, rows);
  png_read_end(state.png, nullptr);  // checks the chunks after the image data up to IEND
  return true;
}

}  // namespace

DecodedImage decode_png(const uint8_t* data, size_t size, const std::string& name, const DecodeOptions& options) {
  Png state;
  state.data = data;
  state.size = size;
  state.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, on_error, on_warning);
  if (state.png) state.info = png_create_info_struct(state.png);
  FULCRUM_CHECK(state.png && state.info, name << ": cannot decode the image (libpng: cannot create its state)");
  FULCRUM_CHECK(read_header(state), name << ": cannot decode the image (libpng: " << state.message << ")");
  DecodedImage image;
  image.height = png_get_image_height(state.png, state.info);
  image.width = png_get_image_width(state.png, state.info);
  check_pixel_count(name, image.height, image.width, options.max_pixels);
  image.channels = png_get_channels(state.png, state.info);
  const size_t row_bytes = static_cast<size_t>(image.width * image.channels);
  FULCRUM_CHECK(png_get_rowbytes(state.png, state.info) == row_bytes && image.channels >= 1 && image.channels <= 4,
                name << ": cannot decode the image (libpng: unexpected row layout)");
  image.pixels.resize(row_bytes * static_cast<size_t>(image.height));
  std::vector<png_bytep> rows(static_cast<size_t>(image.height));
  for (size_t y = 0; y < rows.size(); ++y) rows[y] = image.pixels.data() + y * row_bytes;
  FULCRUM_CHECK(read_pixels(state, rows.data()), name << ": cannot decode the image (libpng: " << state.message << ")");
  return image;
}

}  // namespace fulcrum::data::detail
