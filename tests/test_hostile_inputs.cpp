// tests/test_hostile_inputs.cpp — files a hostile-but-fair user can hand to the readers (issue 9):
// crafted PNGs, decompression bombs, mutated JPEGs, out-of-range labels, symlink loops, odd CSV
// bytes. Each must end as a fulcrum::Error naming the file (or decode), never as a crash, a
// std::filesystem_error or an out-of-bounds write (the ASan build runs this suite too).
// The ordinary reader behaviour is tested in test_readers.cpp.
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

#include <doctest/doctest.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <jpeglib.h>

#include "bench/bench_args.hpp"
#include "data/csv.hpp"
#include "data/image_decode.hpp"
#include "data/image_folder.hpp"
#include "data/mnist.hpp"
#include "data/text.hpp"
#include "fulcrum.hpp"
#include "tests/test_support.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;
using namespace fulcrum::data;
namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

namespace {


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

// A PNG with a valid IHDR (width × height, 8-bit, the colour type) and the given IDAT bytes.
Bytes crafted_png(uint32_t width, uint32_t height, const Bytes& idat, uint8_t colour_type = 2) {
  Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  Bytes header;
  put_u32_be(header, width);
  put_u32_be(header, height);
  header.insert(header.end(), {8, colour_type, 0, 0, 0});  // bit depth 8, 2 = RGB, deflate, no interlace
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

// ---------------------------------------------------------------- decoders and their limits

namespace {

// A JPEG written by libjpeg: `components` 1 (grey), 3 (RGB) or 4 (CMYK, with the Adobe marker)
// of constant `value`s, quality 95.
Bytes libjpeg_file(int width, int height, std::vector<uint8_t> value) {
  jpeg_compress_struct info{};
  jpeg_error_mgr errors{};
  info.err = jpeg_std_error(&errors);
  jpeg_create_compress(&info);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&info, &buffer, &size);
  info.image_width = static_cast<JDIMENSION>(width);
  info.image_height = static_cast<JDIMENSION>(height);
  info.input_components = static_cast<int>(value.size());
  info.in_color_space = value.size() == 1 ? JCS_GRAYSCALE : value.size() == 3 ? JCS_RGB : JCS_CMYK;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, 95, TRUE);
  jpeg_start_compress(&info, TRUE);
  std::vector<uint8_t> row;
  for (int x = 0; x < width; ++x) row.insert(row.end(), value.begin(), value.end());
  while (info.next_scanline < info.image_height) {
    JSAMPROW pointer = row.data();
    jpeg_write_scanlines(&info, &pointer, 1);
  }
  jpeg_finish_compress(&info);
  Bytes bytes(buffer, buffer + size);
  jpeg_destroy_compress(&info);
  std::free(buffer);
  return bytes;
}

// A 48 × 40 RGB JPEG of smooth gradients written by stb_image_write (quality 90).
Bytes gradient_jpeg(const fs::path& path) {
  Bytes pixels;
  for (int y = 0; y < 40; ++y) {
    for (int x = 0; x < 48; ++x) pixels.insert(pixels.end(), {uint8_t(x * 5), uint8_t(y * 6), uint8_t(x * 2 + y * 3)});
  }
  REQUIRE(stbi_write_jpg(path.c_str(), 48, 40, 3, pixels.data(), 90) != 0);
  return read_file(path);
}

void check_constant(const Tensor& image, std::vector<double> expected, double tolerance) {
  REQUIRE(image.size(0) == static_cast<int64_t>(expected.size()));
  for (size_t c = 0; c < expected.size(); ++c) {
    const Tensor plane = image.select(0, static_cast<int64_t>(c)).to(DType::f64);
    INFO("channel " << c);
    CHECK(plane.min().item() >= expected[c] - tolerance);
    CHECK(plane.max().item() <= expected[c] + tolerance);
  }
}

}  // namespace

TEST_CASE("decompression bombs are refused from the header, before any pixel is decoded") {
  TempDir dir;
  // 16000 × 16000 RGB would be 768 MB; the IDAT is never read, so a few bytes stand for it.
  write_file(dir / "bomb.png", crafted_png(16000, 16000, {0x78, 0x9c, 0x03, 0x00}));
  check_contains(error_message([&] { decode_image(dir / "bomb.png"); }),
                 {"bomb.png", "16000x16000 (height x width) = 256000000 pixels", "limit of 178956970", "max_pixels"});
  write_file(dir / "root" / "a" / "bomb.png", read_file(dir / "bomb.png"));
  check_contains(error_message([&] { load_image_folder(dir / "root"); }), {"load_image_folder", "bomb.png", "256000000"});

  // A JPEG whose start-of-frame claims 60000 × 50000 (3 · 10^9 pixels).
  Bytes jpeg = libjpeg_file(16, 8, {10, 20, 30});
  size_t sof = 2;
  while (!(jpeg[sof] == 0xff && jpeg[sof + 1] == 0xc0)) ++sof;  // SOF0: ff c0, length, precision, height, width
  jpeg[sof + 5] = 0xc3, jpeg[sof + 6] = 0x50;  // height 50000
  jpeg[sof + 7] = 0xea, jpeg[sof + 8] = 0x60;  // width 60000
  write_file(dir / "bomb.jpg", jpeg);
  check_contains(error_message([&] { decode_image(dir / "bomb.jpg"); }), {"bomb.jpg", "50000x60000", "3000000000 pixels"});

  // The limit is an option: 8 × 8 = 64 pixels pass at 64 and fail at 63.
  write_file(dir / "small" / "a" / "x.png", valid_png(5));
  CHECK(decode_image(dir / "small" / "a" / "x.png", 3, 64).shape() == Shape{3, 8, 8});
  check_contains(error_message([&] { decode_image(dir / "small" / "a" / "x.png", 3, 63); }), {"x.png", "limit of 63"});
  CHECK(load_image_folder(dir / "small", {.max_pixels = 64}).images.shape() == Shape{1, 3, 8, 8});
  check_contains(error_message([&] { load_image_folder(dir / "small", {.max_pixels = 63}); }), {"x.png", "= 64 pixels"});
}

TEST_CASE("every decoder failure is an Error naming the file and the decoder") {
  TempDir dir;
  const Bytes jpeg = gradient_jpeg(dir / "ok.jpg");
  auto message_for = [&](const std::string& name, const Bytes& bytes) {
    write_file(dir / name, bytes);
    return error_message([&] { decode_image(dir / name); });
  };
  check_contains(message_for("cut.jpg", Bytes(jpeg.begin(), jpeg.begin() + static_cast<long>(jpeg.size() / 2))),
                 {"decode_image: ", "cut.jpg: cannot decode the image (libjpeg: "});
  check_contains(message_for("header.jpg", Bytes(jpeg.begin(), jpeg.begin() + 20)), {"header.jpg", "libjpeg: "});
  const Bytes png = valid_png(7);
  check_contains(message_for("cut.png", Bytes(png.begin(), png.end() - 20)), {"cut.png: cannot decode the image (libpng: "});
  Bytes bad_crc = png;
  bad_crc[29] ^= 1;  // IHDR's CRC
  check_contains(message_for("crc.png", bad_crc), {"crc.png", "libpng: ", "CRC"});
  check_contains(message_for("bm.bmp", {'B', 'M', 1, 2, 3}), {"bm.bmp: cannot decode the image (stb_image: "});
  check_contains(message_for("text.png", {'h', 'e', 'l', 'l', 'o'}),
                 {"text.png", "first bytes (68 65 6c 6c 6f) are not a PNG, JPEG or BMP signature"});
  check_contains(message_for("empty.jpg", {}), {"empty.jpg", "the file is empty"});
  check_contains(error_message([&] { decode_image(dir / "missing.png"); }), {"missing.png", "cannot open"});
  // The format is sniffed from the bytes, not the extension: a PNG named .jpg decodes.
  write_file(dir / "png.jpg", png);
  CHECK(decode_image(dir / "png.jpg").shape() == Shape{3, 8, 8});
}

TEST_CASE("JPEG through libjpeg-turbo and PNG through libpng keep the channel rules") {
  TempDir dir;
  // Grey JPEG: 1 channel as stored, replicated for RGB.
  write_file(dir / "grey.jpg", libjpeg_file(16, 16, {90}));
  check_constant(decode_image(dir / "grey.jpg", 0), {90}, 1);
  check_constant(decode_image(dir / "grey.jpg", 3), {90, 90, 90}, 1);
  // Colour JPEG: RGB as stored; grey is its luma plane Y = 0.299 r + 0.587 g + 0.114 b.
  write_file(dir / "rgb.jpg", libjpeg_file(16, 16, {200, 100, 50}));
  check_constant(decode_image(dir / "rgb.jpg", 0), {200, 100, 50}, 3);
  check_constant(decode_image(dir / "rgb.jpg", 1), {0.299 * 200 + 0.587 * 100 + 0.114 * 50}, 2);
  // CMYK JPEG (Adobe, stored inverted like Photoshop's): r = c · k / 255.
  write_file(dir / "cmyk.jpg", libjpeg_file(16, 16, {255, 128, 0, 255}));
  check_constant(decode_image(dir / "cmyk.jpg", 0), {255, 128, 0}, 2);
  // PNG grey (colour type 0) and RGBA (type 6): as stored, RGB, luma.
  Bytes grey_rows, rgba_rows;
  for (int y = 0; y < 4; ++y) {
    grey_rows.push_back(0);
    grey_rows.insert(grey_rows.end(), 4, 33);
    rgba_rows.push_back(0);
    for (int x = 0; x < 4; ++x) rgba_rows.insert(rgba_rows.end(), {130, 200, 14, 77});
  }
  auto deflate = [](const Bytes& raw) {
    Bytes out(compressBound(static_cast<uLong>(raw.size())));
    uLongf size = static_cast<uLongf>(out.size());
    REQUIRE(compress(out.data(), &size, raw.data(), static_cast<uLong>(raw.size())) == Z_OK);
    out.resize(size);
    return out;
  };
  write_file(dir / "grey.png", crafted_png(4, 4, deflate(grey_rows), 0));
  write_file(dir / "rgba.png", crafted_png(4, 4, deflate(rgba_rows), 6));
  check_constant(decode_image(dir / "grey.png", 0), {33}, 0);
  check_constant(decode_image(dir / "grey.png", 3), {33, 33, 33}, 0);
  check_constant(decode_image(dir / "rgba.png", 0), {130, 200, 14, 77}, 0);
  check_constant(decode_image(dir / "rgba.png", 3), {130, 200, 14}, 0);
  check_constant(decode_image(dir / "rgba.png", 1), {(130 * 77 + 200 * 150 + 14 * 29) >> 8}, 0);  // 157
}

// Debian 12's stb_image 2.27 wrote out of bounds on about 10 in 250 mutations of a JPEG (issue
// 9). JPEG now goes to libjpeg-turbo; in the ASan build this test shows every mutation either
// decodes or is a fulcrum::Error.
TEST_CASE("250 random byte mutations of a JPEG each decode or throw fulcrum::Error") {
  TempDir dir;
  const Bytes jpeg = gradient_jpeg(dir / "ok.jpg");
  std::mt19937 generator(9);
  int decoded = 0, refused = 0;
  for (int round = 0; round < 250; ++round) {
    Bytes mutated = jpeg;
    const int flips = 1 + static_cast<int>(generator() % 8);
    for (int k = 0; k < flips; ++k) mutated[generator() % mutated.size()] = static_cast<uint8_t>(generator());
    mutated[0] = 0xff, mutated[1] = 0xd8, mutated[2] = 0xff;  // keep it a JPEG for the sniffer
    try {
      const DecodedImage image = decode_image_bytes(mutated.data(), mutated.size(), "mutated.jpg", {.max_pixels = 1 << 22});
      CHECK(image.pixels.size() == static_cast<size_t>(image.height * image.width * 3));
      ++decoded;
    } catch (const Error& e) {
      CHECK(std::string(e.what()).find("mutated.jpg") != std::string::npos);
      ++refused;
    }
  }
  MESSAGE("mutated JPEGs: " << decoded << " decoded, " << refused << " refused");
  CHECK(decoded + refused == 250);
  CHECK(refused > 0);
}

// ---------------------------------------------------------------- the other readers

TEST_CASE("load_mnist: a label outside 0-9 is an Error naming the file, the byte and the range") {
  TempDir dir;
  Bytes images = {0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2};
  images.resize(images.size() + 12, 1);
  write_file(dir / "train-images-idx3-ubyte", images);
  write_file(dir / "train-labels-idx1-ubyte", {0, 0, 8, 1, 0, 0, 0, 3, 4, 200, 9});
  check_contains(error_message([&] { load_mnist(dir.path, true); }),
                 {"train-labels-idx1-ubyte: byte 9: label 200 of example 1 is out of range, expected 0 to 9"});
  write_file(dir / "train-labels-idx1-ubyte", {0, 0, 8, 1, 0, 0, 0, 3, 4, 0, 9});
  CHECK(load_mnist(dir.path, true).labels.to_vector<int64_t>() == std::vector<int64_t>{4, 0, 9});
}

TEST_CASE("image folders: symlinked folders are followed, a symlink loop is an Error, not a filesystem_error") {
  TempDir dir;
  write_file(dir / "root" / "cat" / "a.png", valid_png(1));
  write_file(dir / "elsewhere" / "b.png", valid_png(2));
  fs::create_directories(dir / "root" / "dog");
  fs::create_directory_symlink(dir / "elsewhere", dir / "root" / "dog" / "link");
  fs::create_symlink(dir / "nowhere.png", dir / "root" / "dog" / "dangling.png");  // ignored
  const ImageFolder folder = list_image_folder(dir / "root");
  REQUIRE(folder.files.size() == 2);
  CHECK(folder.files[1] == dir / "root" / "dog" / "link" / "b.png");

  fs::create_directory_symlink(dir / "root" / "cat", dir / "root" / "cat" / "loop");
  check_contains(error_message([&] { load_image_folder(dir / "root"); }), {"loop", "symlink loop", "cat"});
  fs::remove(dir / "root" / "cat" / "loop");
  fs::create_directory_symlink(dir / "root", dir / "root" / "dog" / "up");  // back to the root: a loop too
  check_contains(error_message([&] { list_image_folder(dir / "root"); }), {"symlink loop"});
  fs::remove(dir / "root" / "dog" / "up");
  fs::create_symlink(dir / "root" / "cat" / "self", dir / "root" / "cat" / "self");  // resolves to nothing, ever
  check_contains(error_message([&] { list_image_folder(dir / "root"); }), {"self", "cannot read it"});
}

TEST_CASE("image folder cache: a failed cache write keeps the decode and says so") {
  TempDir dir;
  write_file(dir / "root" / "cat" / "a.png", valid_png(3));
  write_file(dir / "not_a_folder", {1});  // the cache folder cannot be created under a file
  const ImageFolder folder = load_image_folder(dir / "root", {.cache_dir = dir / "not_a_folder" / "cache"});
  CHECK(folder.images.shape() == Shape{1, 3, 8, 8});
  CHECK(folder.images.max().item() == 3.0);
  CHECK_FALSE(folder.from_cache);
  check_contains(folder.cache_status, {"missing; not written: ", "write_cache"});
}

TEST_CASE("read_csv: a UTF-8 byte-order mark and CRLF line ends are not part of the column names") {
  TempDir dir;
  const std::string text = "\xEF\xBB\xBFy,a,b\r\n1,2,3\r\n0,4,5\r\n";
  write_file(dir / "excel.csv", Bytes(text.begin(), text.end()));
  const CsvTable table = read_csv(dir / "excel.csv", {.label_column = "y"});
  CHECK(table.feature_names == std::vector<std::string>{"a", "b"});
  CHECK(table.features.to_vector<double>() == std::vector<double>{2, 3, 4, 5});
  CHECK(table.targets.to_vector<int64_t>() == std::vector<int64_t>{1, 0});
  CHECK(read_csv(dir / "excel.csv", {.label_column = "b"}).feature_names == std::vector<std::string>{"y", "a"});
}

TEST_CASE("read_csv and read_trec: messages escape control bytes and cut long tokens") {
  TempDir dir;
  const std::string evil = "\x1b[2J" + std::string(300, 'A');  // a terminal escape, then a flood
  const std::string csv = "a,y\n" + evil + ",1\n";
  write_file(dir / "evil.csv", Bytes(csv.begin(), csv.end()));
  const std::string message = error_message([&] { read_csv(dir / "evil.csv", {.label_column = "y"}); });
  check_contains(message, {"evil.csv:2:1", "found \"\\x1b[2JAAAA", "… (304 bytes)"});
  CHECK(message.find('\x1b') == std::string::npos);
  CHECK(message.size() < 250);
  const std::string header = std::string(500, 'h') + ",\x07" + "bell,y\n1,2,3\n";
  write_file(dir / "names.csv", Bytes(header.begin(), header.end()));
  const std::string names = error_message([&] { read_csv(dir / "names.csv", {.label_column = "label"}); });
  check_contains(names, {"no label column \"label\"", "… (500 bytes), \\x07bell, y"});
  CHECK(names.size() < 300);
  const std::string trec = "NUM:dist ok ?\n" + std::string("\x1b]0;pwned\x07") + std::string(100, 'B') + ":x y ?\n";
  write_file(dir / "evil.label", Bytes(trec.begin(), trec.end()));
  const std::string trec_message = error_message([&] { read_trec(dir / "evil.label"); });
  check_contains(trec_message, {"evil.label:2:1", "unknown coarse label \"\\x1b]0;pwned\\x07BBB", "bytes)"});
  CHECK(trec_message.find('\x1b') == std::string::npos);
}

TEST_CASE("bench arguments: counts are parsed strictly") {
  int64_t value = -1;
  CHECK(bench::parse_integer("200", 1, 1000, value));
  CHECK(value == 200);
  for (const char* bad : {"--help", "abc", "-5", "0", "", "12x", " 7", "+7", "1001", "99999999999999999999"}) {
    INFO("argument: \"" << bad << "\"");
    CHECK_FALSE(bench::parse_integer(bad, 1, 1000, value));
  }
  CHECK(value == 200);  // untouched by the failures
}
