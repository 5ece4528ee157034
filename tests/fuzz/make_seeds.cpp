// tests/fuzz/make_seeds.cpp — writes the small seed corpus of tests/fuzz/corpus/ (committed; run
// again only to change it): valid files of every reader, and a few near misses. Build and run
// from the repository root:
//   g++ -std=c++20 tests/fuzz/make_seeds.cpp -o /tmp/make_seeds -ljpeg -lpng -lz && /tmp/make_seeds tests/fuzz/corpus
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

#include <png.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <jpeglib.h>

namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

static fs::path root;

void write(const std::string& name, const Bytes& bytes) {
  fs::create_directories((root / name).parent_path());
  std::ofstream(root / name, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                       static_cast<std::streamsize>(bytes.size()));
}
void write(const std::string& name, const std::string& text) { write(name, Bytes(text.begin(), text.end())); }

Bytes gzip(const Bytes& raw) {
  z_stream stream{};
  deflateInit2(&stream, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);  // +16: gzip wrapper
  Bytes out(deflateBound(&stream, raw.size()) + 32);
  stream.next_in = const_cast<Bytef*>(raw.data());
  stream.avail_in = static_cast<uInt>(raw.size());
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

Bytes idx(std::vector<uint32_t> shape) {
  Bytes bytes = {0, 0, 8, static_cast<uint8_t>(shape.size())};
  size_t count = 1;
  for (uint32_t size : shape) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<uint8_t>(size >> shift));
    count *= size;
  }
  for (size_t i = 0; i < count; ++i) bytes.push_back(static_cast<uint8_t>(i % 10));
  return bytes;
}

Bytes jpeg(int width, int height, int components, bool progressive) {
  jpeg_compress_struct info{};
  jpeg_error_mgr errors{};
  info.err = jpeg_std_error(&errors);
  jpeg_create_compress(&info);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&info, &buffer, &size);
  info.image_width = width, info.image_height = height, info.input_components = components;
  info.in_color_space = components == 1 ? JCS_GRAYSCALE : components == 3 ? JCS_RGB : JCS_CMYK;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, 75, TRUE);
  if (progressive) jpeg_simple_progression(&info);
  jpeg_start_compress(&info, TRUE);
  std::vector<uint8_t> row(static_cast<size_t>(width * components));
  while (info.next_scanline < info.image_height) {
    for (size_t i = 0; i < row.size(); ++i) row[i] = static_cast<uint8_t>(i * 7 + info.next_scanline * 13);
    JSAMPROW pointer = row.data();
    jpeg_write_scanlines(&info, &pointer, 1);
  }
  jpeg_finish_compress(&info);
  Bytes bytes(buffer, buffer + size);
  jpeg_destroy_compress(&info);
  free(buffer);
  return bytes;
}

void png_write_to_vector(png_structp png, png_bytep data, size_t size) {
  auto* out = static_cast<Bytes*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + size);
}

// colour type: 0 grey, 2 RGB, 3 palette (with tRNS), 4 grey+alpha, 6 RGBA; depth 8 or 16.
Bytes png(int width, int height, int colour_type, int depth, bool interlaced) {
  Bytes out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_set_write_fn(png, &out, png_write_to_vector, nullptr);
  png_set_IHDR(png, info, width, height, depth, colour_type,
               interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  int channels = colour_type == 0 || colour_type == 3 ? 1 : colour_type == 4 ? 2 : colour_type == 2 ? 3 : 4;
  if (colour_type == 3) {
    png_color palette[4] = {{0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
    png_set_PLTE(png, info, palette, 4);
    png_byte alpha[2] = {0, 128};
    png_set_tRNS(png, info, alpha, 2, nullptr);
  }
  png_write_info(png, info);
  const int row_bytes = width * channels * depth / 8;
  std::vector<std::vector<png_byte>> rows(height, std::vector<png_byte>(row_bytes));
  std::vector<png_bytep> pointers;
  for (int y = 0; y < height; ++y) {
    for (int i = 0; i < row_bytes; ++i) rows[y][i] = static_cast<png_byte>(colour_type == 3 ? (i + y) % 4 : i * 9 + y * 31);
    pointers.push_back(rows[y].data());
  }
  png_write_image(png, pointers.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

void stb_to_vector(void* context, void* data, int size) {
  auto* out = static_cast<Bytes*>(context);
  out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
}

Bytes bmp(int width, int height, int channels) {
  Bytes pixels(static_cast<size_t>(width * height * channels));
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<uint8_t>(i * 5);
  Bytes out;
  stbi_write_bmp_to_func(stb_to_vector, &out, width, height, channels, pixels.data());
  return out;
}

Bytes safetensors(const std::string& header, const Bytes& data) {
  Bytes out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(uint64_t{header.size()} >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

int main(int argc, char** argv) {
  root = argc > 1 ? argv[1] : "tests/fuzz/corpus";
  write("idx/images.idx3", idx({2, 3, 4}));
  write("idx/labels.idx1", idx({5}));
  write("idx/labels.idx1.gz", gzip(idx({5})));
  write("idx/images.idx3.gz", gzip(idx({3, 2, 2})));
  write("idx/float_type.idx", Bytes{0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0});

  Bytes record10 = {3}, record100 = {4, 17};
  for (int k = 0; k < 3072; ++k) record10.push_back(static_cast<uint8_t>(k * 7));
  for (int k = 0; k < 3072; ++k) record100.push_back(static_cast<uint8_t>(k * 3));
  write("cifar/cifar10_one_record.bin", record10);
  write("cifar/cifar100_one_record.bin", record100);
  write("cifar/cut.bin", Bytes(record10.begin(), record10.begin() + 100));

  write("csv/basic.csv", "a,b,y\n1,2.5,0\n-3,4e2,1\n5, 6 ,0\n");
  write("csv/filter_semicolon.csv", "s;x;y\ntrain;1;cat\ntest;2;dog\ntrain;3;dog\n");
  write("csv/quoted_crlf.csv", "\"a\",\"b,c\",y\r\n\"1\",\"2\",\"x\"\"y\"\r\n");
  write("csv/bom.csv", "\xef\xbb\xbfy,a\n1,2\n10,3\n1.0,4\n");
  write("csv/bad.csv", "a,y\n1,2\n\"3,\n+-5,1\nnan,2\n1e999,1\n");

  write("trec/coarse.label", "NUM:dist How far is it from Denver to Aspen ?\nLOC:city What city has the zip code 35824 ?\n");
  write("trec/latin1.label", "HUM:ind Who was the caf\xe9 owner ?\r\nENTY:animal What is a baby kangaroo called ?\n");
  write("trec/bad.label", "NUM:dist\nHUMind Who ?\nXYZ:q Why ?\n");

  write("image/rgb.png", png(8, 8, 2, 8, false));
  write("image/grey.png", png(5, 3, 0, 8, false));
  write("image/rgba_interlaced.png", png(9, 7, 6, 8, true));
  write("image/palette_trns.png", png(6, 6, 3, 8, false));
  write("image/grey_alpha16.png", png(4, 4, 4, 16, false));
  write("image/rgb.jpg", jpeg(16, 16, 3, false));
  write("image/grey.jpg", jpeg(9, 9, 1, false));
  write("image/progressive.jpg", jpeg(24, 16, 3, true));
  write("image/cmyk.jpg", jpeg(8, 8, 4, false));
  write("image/rgb.bmp", bmp(5, 4, 3));
  write("image/rgba.bmp", bmp(3, 3, 4));

  const std::string header =
      R"({"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},)"
      R"("b":{"dtype":"I64","shape":[1],"data_offsets":[16,24]}})";
  Bytes data(24, 0);
  data[0] = 0x80, data[3] = 0x3f;  // 1.0f
  write("safetensors/two_tensors.safetensors", safetensors(header, data));
  write("safetensors/empty.safetensors", safetensors("{}", {}));
  write("safetensors/u8_scalar.safetensors", safetensors(R"({"x":{"dtype":"U8","shape":[],"data_offsets":[0,1]}})", {7}));

  write("json/header.json", header);
  write("json/values.json", R"([null,true,false,-0.5e-3,"a\"b\\c\u00e9\ud83d\ude00",{"k":[1,{}]}])");
  write("json/nested.json", std::string(60, '[') + std::string(60, ']'));
  return 0;
}
