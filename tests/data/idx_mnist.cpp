// tests/data/idx_mnist.cpp — the IDX reader (data/idx.cpp: raw and gzip; every kind of bad file
// gives an Error naming the file and byte offset, never a crash), the MNIST layout (load_mnist's
// file names, images and labels agreeing) and normalize_images.
// Small files are written to a temp dir.
#include <doctest/doctest.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "tests/shared_data.hpp"
#include "tests/test_support.hpp"
#include "tests/data/data_support.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;
using namespace fulcrum::data;
namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

using namespace fulcrum::testing::data_tests;

namespace {

// gzip-compresses `bytes` into `path` with zlib's own gz* writer.
void write_gzip(const fs::path& path, const Bytes& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  REQUIRE(file != nullptr);
  if (!bytes.empty()) REQUIRE(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())) == int(bytes.size()));
  REQUIRE(gzclose(file) == Z_OK);
}

// An IDX file: 00 00 <type> <dims>, big-endian u32 sizes, then `payload`.
Bytes idx_bytes(const std::vector<uint32_t>& sizes, const Bytes& payload, uint8_t type = 0x08) {
  Bytes bytes = {0x00, 0x00, type, static_cast<uint8_t>(sizes.size())};
  for (uint32_t size : sizes) {
    for (int shift : {24, 16, 8, 0}) bytes.push_back(static_cast<uint8_t>(size >> shift));
  }
  bytes.insert(bytes.end(), payload.begin(), payload.end());
  return bytes;
}

Bytes pattern(size_t count, int seed = 0) {
  Bytes bytes(count);
  for (size_t i = 0; i < count; ++i) {
    bytes[i] = static_cast<uint8_t>((i * 37 + static_cast<size_t>(seed) * 11 + 5) % 256);
  }
  return bytes;
}

}  // namespace

// ---------------------------------------------------------------- IDX reader

TEST_CASE("read_idx reads raw and gzip files of the stored shape") {
  TempDir dir;
  const Bytes images = pattern(3 * 2 * 4);
  write_file(dir / "images-idx3-ubyte", idx_bytes({3, 2, 4}, images));
  write_gzip(dir / "images-idx3-ubyte.gz", idx_bytes({3, 2, 4}, images));
  // The gzip magic decides, not the name: a gzip file without ".gz" is read too.
  write_gzip(dir / "labels-named-raw", idx_bytes({5}, {0, 1, 9, 4, 255}));
  for (const char* name : {"images-idx3-ubyte", "images-idx3-ubyte.gz"}) {
    CAPTURE(name);
    const Tensor t = read_idx(dir / name);
    CHECK(t.dtype() == DType::u8);
    CHECK(t.shape() == Shape{3, 2, 4});
    CHECK(t.to_vector<uint8_t>() == images);
  }
  const Tensor labels = read_idx(dir / "labels-named-raw");
  CHECK(labels.shape() == Shape{5});
  CHECK(labels.to_vector<uint8_t>() == Bytes{0, 1, 9, 4, 255});

  // Two gzip members back to back (`cat a.gz b.gz`) decompress as one stream.
  const Bytes whole = idx_bytes({2, 3}, pattern(6, 1));
  write_gzip(dir / "a.gz", Bytes(whole.begin(), whole.begin() + 7));
  write_gzip(dir / "b.gz", Bytes(whole.begin() + 7, whole.end()));
  Bytes joined = read_file(dir / "a.gz");
  const Bytes second = read_file(dir / "b.gz");
  joined.insert(joined.end(), second.begin(), second.end());
  write_file(dir / "joined.gz", joined);
  CHECK(read_idx(dir / "joined.gz").to_vector<uint8_t>() == pattern(6, 1));

  // A size-0 dim is a valid, empty tensor.
  write_file(dir / "empty", idx_bytes({0, 28, 28}, {}));
  CHECK(read_idx(dir / "empty").shape() == Shape{0, 28, 28});
}

TEST_CASE("read_idx: bad files give Errors naming the file, the byte offset and what was expected") {
  TempDir dir;
  auto message_for = [&](const std::string& name, const Bytes& bytes, bool gzip = false) {
    if (gzip) write_gzip(dir / name, bytes); else write_file(dir / name, bytes);
    return error_message([&] { read_idx(dir / name); });
  };
  check_contains(error_message([&] { read_idx(dir / "missing-idx1-ubyte"); }),
                 {"missing-idx1-ubyte", "no such file"});
  check_contains(message_for("empty-file", {}), {"empty-file: byte 0: expected the 4-byte IDX magic", "after 0 bytes"});
  check_contains(message_for("short-magic", {0, 0, 8}), {"short-magic: byte 3: expected the 4-byte IDX magic"});
  check_contains(message_for("wrong-magic", {0x01, 0x00, 0x08, 0x01, 0, 0, 0, 1, 7}),
                 {"wrong-magic: byte 0: expected the IDX magic 00 00, found 0x01 0x00"});
  check_contains(message_for("float-type", idx_bytes({1}, {0, 0, 0, 0}, 0x0D)),
                 {"float-type: byte 2: IDX element type 0x0d (float, 4 bytes) is not supported",
                  "only 0x08 (unsigned byte)"});
  check_contains(message_for("unknown-type", idx_bytes({1}, {0}, 0x07)),
                 {"unknown-type: byte 2: expected an IDX element type (0x08 = unsigned byte), found 0x07"});
  check_contains(message_for("no-dims", {0, 0, 8, 0}), {"no-dims: byte 3: expected at least 1 dimension, found 0"});
  Bytes cut_sizes = idx_bytes({2, 28, 28}, {});
  cut_sizes.resize(12);  // magic + two of the three sizes
  check_contains(message_for("cut-sizes", cut_sizes),
                 {"cut-sizes: byte 12: expected 3 dimension sizes (4 bytes each, big-endian)"});
  check_contains(message_for("train-labels-idx1-ubyte", idx_bytes({10}, pattern(9))),
                 {"train-labels-idx1-ubyte: byte 8: expected 10 data bytes (shape [10]) after the 8-byte header, "
                  "found 9"});
  check_contains(message_for("long-idx3-ubyte", idx_bytes({2, 2, 2}, pattern(9))),
                 {"long-idx3-ubyte: byte 16: expected 8 data bytes (shape [2, 2, 2]) after the 16-byte header, "
                  "found 9"});
  check_contains(message_for("huge-idx3-ubyte", idx_bytes({0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, {})),
                 {"huge-idx3-ubyte: byte 4: the dimension sizes", "multiply to more than 2^63 elements"});
  check_contains(message_for("big-raw", idx_bytes({0xFFFFFFFF, 16}, pattern(3))),
                 {"big-raw: byte 12: expected 68719476720 data bytes", "found 3"});

  // The same faults inside gzip files: offsets count decompressed bytes.
  check_contains(message_for("short.gz", idx_bytes({10}, pattern(9)), true),
                 {"short.gz: byte 8 of the decompressed data: expected 10 data bytes (shape [10])", "found 9"});
  check_contains(message_for("long.gz", idx_bytes({10}, pattern(12)), true),
                 {"long.gz: byte 8 of the decompressed data", "found 12"});
  check_contains(message_for("wrong-type.gz", idx_bytes({1}, {0}, 0x0C), true),
                 {"wrong-type.gz: byte 2 of the decompressed data: IDX element type 0x0c (int, 4 bytes)"});
  check_contains(message_for("bomb.gz", idx_bytes({0xFFFFFFFF, 0xFFFF}, pattern(5)), true),
                 {"bomb.gz: byte 12 of the decompressed data: the header promises 281470681677825 data bytes",
                  "more than a gzip file of"});
}

TEST_CASE("read_idx: cut-off and corrupt gzip files") {
  TempDir dir;
  write_gzip(dir / "good.gz", idx_bytes({40, 50}, pattern(2000)));
  const Bytes good = read_file(dir / "good.gz");
  REQUIRE(good.size() > 40);

  // Cut in the middle of the compressed data: the payload comes up short.
  write_file(dir / "cut.gz", Bytes(good.begin(), good.begin() + static_cast<long>(good.size() / 2)));
  check_contains(error_message([&] { read_idx(dir / "cut.gz"); }),
                 {"cut.gz: byte 12 of the decompressed data: expected 2000 data bytes (shape [40, 50])",
                  "(the gzip file is cut off)"});
  // Cut inside the 8-byte trailer: every data byte arrives, the check sum does not.
  write_file(dir / "no-trailer.gz", Bytes(good.begin(), good.end() - 3));
  check_contains(error_message([&] { read_idx(dir / "no-trailer.gz"); }),
                 {"no-trailer.gz: byte 2012 of the decompressed data: the gzip file is cut off after the data"});
  // A wrong CRC-32 in the trailer (bytes −8…−5).
  Bytes bad_crc = good;
  bad_crc[bad_crc.size() - 8] ^= 0xFF;
  write_file(dir / "bad-crc.gz", bad_crc);
  check_contains(error_message([&] { read_idx(dir / "bad-crc.gz"); }),
                 {"bad-crc.gz: byte 2012 of the decompressed data: corrupt gzip data (zlib: incorrect data check"});
  // Garbage inside the deflate stream: zlib rejects it, or the data no longer matches its CRC.
  Bytes garbage = good;
  for (size_t i = 20; i < 30; ++i) garbage[i] = 0xFF;
  write_file(dir / "garbage.gz", garbage);
  check_contains(error_message([&] { read_idx(dir / "garbage.gz"); }),
                 {"garbage.gz: byte ", "of the decompressed data"});
}

TEST_CASE("read_idx: mutated and truncated files give an Error or a tensor, never a crash") {
  TempDir dir;
  const Bytes raw = idx_bytes({6, 7}, pattern(42));
  write_gzip(dir / "seed.gz", raw);
  const std::vector<Bytes> originals = {raw, read_file(dir / "seed.gz")};
  Generator generator(2024);
  int errors = 0, loaded = 0, other = 0;
  for (int trial = 0; trial < 400; ++trial) {
    Bytes bytes = originals[static_cast<size_t>(trial % 2)];
    if (trial % 3 == 0) {
      bytes.resize(generator.random_below(bytes.size()));  // truncate
    } else {
      const int flips = 1 + static_cast<int>(generator.random_below(3));
      for (int f = 0; f < flips; ++f) {
        bytes[generator.random_below(bytes.size())] ^= static_cast<uint8_t>(1 + generator.random_below(255));
      }
    }
    write_file(dir / "mutant", bytes);
    try {
      const Tensor t = read_idx(dir / "mutant");
      CHECK(t.numel() <= 64);  // the file's own bytes, never a size invented by a corrupt header
      ++loaded;
    } catch (const Error& e) {
      CHECK(std::string(e.what()).find("mutant") != std::string::npos);
      ++errors;
    } catch (...) {
      ++other;
    }
  }
  CHECK(other == 0);
  CHECK(errors > 200);  // most mutations break something the reader checks
  CHECK(loaded > 0);    // a flip in the pixels of the raw file is still a valid file
}

// ---------------------------------------------------------------- MNIST layout

TEST_CASE("load_mnist finds raw, .gz and dotted file names and checks that images and labels agree") {
  TempDir dir;
  write_gzip(dir / "train-images-idx3-ubyte.gz", idx_bytes({4, 3, 3}, pattern(36)));
  write_file(dir / "train-labels-idx1-ubyte", idx_bytes({4}, {3, 1, 4, 1}));
  write_file(dir / "t10k-images.idx3-ubyte", idx_bytes({2, 3, 3}, pattern(18, 2)));
  write_gzip(dir / "t10k-labels.idx1-ubyte.gz", idx_bytes({2}, {9, 0}));
  const MnistSplit train = load_mnist(dir.path, true);
  CHECK(train.images.shape() == Shape{4, 3, 3});
  CHECK(train.images.dtype() == DType::u8);
  CHECK(train.images.to_vector<uint8_t>() == pattern(36));
  CHECK(train.labels.dtype() == DType::i64);
  CHECK(as_vector(train.labels) == std::vector<int64_t>{3, 1, 4, 1});
  const MnistSplit test = load_mnist(dir.path, false);
  CHECK(test.images.shape() == Shape{2, 3, 3});
  CHECK(as_vector(test.labels) == std::vector<int64_t>{9, 0});

  const auto dataset = mnist_dataset(dir.path, true, {.mean = {0.5}, .std = {0.25}});
  CHECK(dataset->size() == 4);
  CHECK(dataset->inputs().shape() == Shape{4, 1, 3, 3});
  CHECK(dataset->num_classes() == 5);
  CHECK(dataset->get(0).input.at({0, 0, 0}) == doctest::Approx((5.0 / 255 - 0.5) / 0.25).epsilon(1e-6));

  TempDir mismatch;
  write_file(mismatch / "train-images-idx3-ubyte", idx_bytes({4, 3, 3}, pattern(36)));
  write_file(mismatch / "train-labels-idx1-ubyte", idx_bytes({3}, {1, 2, 3}));
  check_contains(error_message([&] { load_mnist(mismatch.path, true); }),
                 {"load_mnist: ", "train-images-idx3-ubyte holds 4 images but ",
                  "train-labels-idx1-ubyte holds 3 labels"});
  check_contains(error_message([&] { load_mnist(mismatch.path, false); }),
                 {"load_mnist: no t10k images file in ", "t10k-images-idx3-ubyte, t10k-images-idx3-ubyte.gz, "
                                                         "t10k-images.idx3-ubyte, t10k-images.idx3-ubyte.gz"});
  write_file(mismatch / "t10k-images-idx3-ubyte", idx_bytes({4, 9}, pattern(36)));
  write_file(mismatch / "t10k-labels-idx1-ubyte", idx_bytes({4}, {1, 2, 3, 4}));
  check_contains(error_message([&] { load_mnist(mismatch.path, false); }),
                 {"t10k-images-idx3-ubyte: expected images [N, H, W] (an idx3 file), found shape [4, 9]"});
}

// ---------------------------------------------------------------- normalisation

TEST_CASE("normalize_images: (x / 255 - mean) / std in float, [N, H, W] -> [N, 1, H, W]") {
  const Tensor images = from_data<uint8_t>({0, 255, 51, 128, 1, 2}, {1, 2, 3});
  const Tensor out = normalize_images(images, mnist_normalization);
  CHECK(out.dtype() == DType::f32);
  CHECK(out.shape() == Shape{1, 1, 2, 3});
  const std::vector<float> values = out.to_vector<float>();
  const Bytes pixels = images.to_vector<uint8_t>();
  for (size_t i = 0; i < pixels.size(); ++i) {
    const float expected = (static_cast<float>(pixels[i]) / 255.0f - 0.1307f) / 0.3081f;
    CHECK(values[i] == expected);  // the same float steps as torchvision, so exactly equal
  }
  CHECK(values[0] == doctest::Approx(-0.4242129).epsilon(1e-6));
  CHECK(values[1] == doctest::Approx(2.8214867).epsilon(1e-6));

  // [N, C, H, W] with one mean/std per channel; a non-contiguous input is read correctly.
  const Tensor transposed =  // [1, 1, 3, 2], not contiguous
      from_data<uint8_t>({10, 20, 30, 40, 50, 60}, {1, 2, 3}).permute({0, 2, 1}).unsqueeze(0);
  const Tensor channels = from_data<uint8_t>({0, 0, 255, 255}, {1, 2, 1, 2});
  const Tensor per_channel = normalize_images(channels, {.mean = {0.0, 1.0}, .std = {1.0, 0.5}});
  CHECK(per_channel.to_vector<float>() == std::vector<float>{0.0f, 0.0f, 0.0f, 0.0f});
  CHECK(normalize_images(transposed, {.mean = {0.0}, .std = {1.0}}).to_vector<float>() ==
        std::vector<float>{10 / 255.0f, 40 / 255.0f, 20 / 255.0f, 50 / 255.0f, 30 / 255.0f, 60 / 255.0f});

  check_contains(error_message([&] { normalize_images(images.to(DType::f32), mnist_normalization); }),
                 {"normalize_images: expected u8 pixels, got f32 [1, 2, 3]"});
  check_contains(error_message([&] { normalize_images(channels, {.mean = {0.1, 0.2, 0.3}, .std = {1.0}}); }),
                 {"normalize_images: mean has 3 values for images with 2 channels"});
  check_contains(error_message([&] { normalize_images(images, {.mean = {0.1}, .std = {0.0}}); }),
                 {"normalize_images: std of channel 0 must be positive"});
  check_contains(error_message([&] { normalize_images(from_data<uint8_t>({1, 2}, {2}), mnist_normalization); }),
                 {"expected images [N, H, W] or [N, C, H, W], got [2]"});
}
