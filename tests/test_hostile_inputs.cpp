// tests/test_hostile_inputs.cpp — files a hostile-but-fair user can hand to the readers (issue 9):
// crafted PNGs, decompression bombs, mutated JPEGs, out-of-range labels, symlink loops, odd CSV
// bytes. Each must end as a fulcrum::Error naming the file (or decode), never as a crash, a
// std::filesystem_error or an out-of-bounds write (the ASan build runs this suite too).
// The ordinary reader behaviour is tested in test_readers.cpp.
#include <doctest/doctest.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "data/image_folder.hpp"
#include "fulcrum.hpp"
#include "tests/test_support.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;
using namespace fulcrum::data;
namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

namespace {

void write_file(const fs::path& path, const Bytes& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

void put_u32_be(Bytes& bytes, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<uint8_t>(value >> shift));
}

// Appends one PNG chunk: length, type, data, CRC-32 of type + data (valid, so libpng reads on).
void put_chunk(Bytes& png, const char* type, const Bytes& data) {
  put_u32_be(png, static_cast<uint32_t>(data.size()));
  const size_t start = png.size();
  png.insert(png.end(), type, type + 4);
  png.insert(png.end(), data.begin(), data.end());
  put_u32_be(png, static_cast<uint32_t>(crc32(0, png.data() + start, static_cast<uInt>(png.size() - start))));
}

// A PNG with a valid IHDR (width × height, 8-bit RGB) and the given IDAT bytes.
Bytes crafted_png(uint32_t width, uint32_t height, const Bytes& idat) {
  Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  Bytes header;
  put_u32_be(header, width);
  put_u32_be(header, height);
  header.insert(header.end(), {8, 2, 0, 0, 0});  // bit depth 8, colour type 2 (RGB), deflate, no interlace
  put_chunk(png, "IHDR", header);
  put_chunk(png, "IDAT", idat);
  put_chunk(png, "IEND", {});
  return png;
}

// A valid 8 × 8 RGB PNG of one grey level (each row: filter byte 0, then 24 bytes).
Bytes valid_png(uint8_t level) {
  Bytes rows;
  for (int y = 0; y < 8; ++y) {
    rows.push_back(0);
    rows.insert(rows.end(), 24, level);
  }
  Bytes deflated(compressBound(static_cast<uLong>(rows.size())));
  uLongf size = static_cast<uLongf>(deflated.size());
  REQUIRE(compress(deflated.data(), &size, rows.data(), static_cast<uLong>(rows.size())) == Z_OK);
  deflated.resize(size);
  return crafted_png(8, 8, deflated);
}

// The 69-byte PNG of issue 9: valid IHDR (8 × 8 RGB), a zlib header, then garbage. stb_image 2.27
// fails on it without setting its (thread-local) failure reason, so on a fresh thread
// stbi_failure_reason() returned NULL and the reader appended NULL to a std::string.
Bytes garbage_idat_png() {
  return crafted_png(8, 8, {0x78, 0x9c, 0xb7, 0x41, 0x71, 0x4d, 0x03, 0x80, 0xf8, 0xfd, 0xcd, 0x06});
}

// The message of the fulcrum::Error `fn` throws when run on a new thread (whose thread-locals,
// like stb's failure reason, are fresh, as on an OpenMP worker).
template <typename F> std::string error_message_on_new_thread(F&& fn) {
  std::string message;
  std::thread thread([&] { message = error_message(fn); });
  thread.join();
  return message;
}

}  // namespace

TEST_CASE("a 69-byte PNG with a valid IHDR and garbage IDAT is an Error naming the file, not a crash") {
  TempDir dir;
  const Bytes png = garbage_idat_png();
  REQUIRE(png.size() == 69);
  write_file(dir / "bad.png", png);
  check_contains(error_message_on_new_thread([&] { decode_image(dir / "bad.png"); }),
                 {"decode_image: ", "bad.png", "cannot decode the image"});
  // In a folder: decoded first (on the calling thread) ...
  write_file(dir / "first" / "a" / "0.png", png);
  write_file(dir / "first" / "b" / "1.png", valid_png(9));
  check_contains(error_message_on_new_thread([&] { load_image_folder(dir / "first"); }),
                 {"load_image_folder: ", "0.png", "cannot decode the image"});
  // ... and in the parallel loop (OpenMP workers); the first failure in file order is reported.
  write_file(dir / "root" / "a" / "00.png", valid_png(200));
  for (int k = 10; k < 80; ++k) write_file(dir / "root" / "b" / (std::to_string(k) + ".png"), png);
  check_contains(error_message_on_new_thread([&] { load_image_folder(dir / "root"); }),
                 {"load_image_folder: ", "10.png", "cannot decode the image"});
  const Tensor grey = decode_image(dir / "root" / "a" / "00.png");
  CHECK(grey.shape() == Shape{3, 8, 8});
  CHECK(grey.min().item() == 200.0);
  CHECK(grey.max().item() == 200.0);
}
