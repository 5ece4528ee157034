// tests/test_data.cpp — data/: the IDX reader (raw and gzip, every kind of bad file gives an
// Error naming the file and byte offset, never a crash), the MNIST layout, normalisation,
// TensorDataset / Subset / class_counts, the imbalance builders and the DataLoader. Small files
// are written to a temp dir; real MNIST (../shared/data) and the Debian Fashion-MNIST are
// loaded when present, with a visible skip message otherwise.
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

using namespace fulcrum;
using namespace fulcrum::testing;
using namespace fulcrum::data;
namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

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

std::vector<int64_t> as_vector(const Tensor& t) { return t.to_vector<int64_t>(); }

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

// ---------------------------------------------------------------- datasets

namespace {

// inputs [n, 1, 2, 2] f32 filled with the row number, targets = row % classes.
std::shared_ptr<TensorDataset> numbered_dataset(int64_t n, int64_t classes) {
  std::vector<float> values;
  std::vector<int64_t> targets;
  for (int64_t i = 0; i < n; ++i) {
    values.insert(values.end(), 4, static_cast<float>(i));
    targets.push_back(i % classes);
  }
  return std::make_shared<TensorDataset>(from_data(values, {n, 1, 2, 2}), from_data(targets, {n}));
}

// The same data without a get_batch of its own: exercises Dataset's default stacking path.
class NumberedDataset : public Dataset {
public:
  NumberedDataset(int64_t n, int64_t classes) : n_(n), classes_(classes) {}
  int64_t size() const override { return n_; }
  Example get(int64_t i) const override { return {full({1, 2, 2}, static_cast<double>(i)), i % classes_}; }
  std::vector<int64_t> targets() const override {
    std::vector<int64_t> all;
    for (int64_t i = 0; i < n_; ++i) all.push_back(i % classes_);
    return all;
  }

private:
  int64_t n_, classes_;
};

// The row numbers of a batch from a numbered dataset (element [b, 0, 0, 0] of each row).
std::vector<int64_t> row_numbers(const Batch& batch) {
  std::vector<int64_t> rows;
  for (int64_t b = 0; b < batch.inputs.size(0); ++b) {
    rows.push_back(static_cast<int64_t>(batch.inputs.at({b, 0, 0, 0})));
  }
  return rows;
}

}  // namespace

TEST_CASE("TensorDataset, Subset and class_counts") {
  const auto dataset = numbered_dataset(7, 3);
  CHECK(dataset->size() == 7);
  CHECK(dataset->num_classes() == 3);
  CHECK(dataset->targets() == std::vector<int64_t>{0, 1, 2, 0, 1, 2, 0});
  const Example example = dataset->get(5);
  CHECK(example.target == 2);
  CHECK(example.input.shape() == Shape{1, 2, 2});
  CHECK(example.input.at({0, 1, 1}) == 5.0);
  CHECK(example.input.storage() == dataset->inputs().storage());  // a view, not a copy
  const Batch batch = dataset->get_batch({6, 0, 3});
  CHECK(batch.inputs.shape() == Shape{3, 1, 2, 2});
  CHECK(row_numbers(batch) == std::vector<int64_t>{6, 0, 3});
  CHECK(as_vector(batch.targets) == std::vector<int64_t>{0, 0, 0});
  CHECK(class_counts(*dataset) == std::vector<int64_t>{3, 2, 2});

  const auto subset = std::make_shared<Subset>(dataset, std::vector<int64_t>{4, 1, 6});
  CHECK(subset->size() == 3);
  CHECK(subset->targets() == std::vector<int64_t>{1, 1, 0});
  CHECK(subset->get(2).input.at({0, 0, 0}) == 6.0);
  CHECK(row_numbers(subset->get_batch({2, 0})) == std::vector<int64_t>{6, 4});
  CHECK(subset->num_classes() == 3);  // the source's label space, though class 2 is absent
  CHECK(class_counts(*subset) == std::vector<int64_t>{1, 2, 0});
  const Subset nested(subset, {1});  // a subset of a subset maps through both
  CHECK(nested.get(0).input.at({0, 0, 0}) == 1.0);
  CHECK(dataset->size() == 7);  // the source is untouched

  // The default get_batch (stack of get(i)) gives what the index_select path gives.
  const NumberedDataset generic(7, 3);
  const Batch stacked = generic.get_batch({6, 0, 3});
  CHECK(equal(stacked.inputs, batch.inputs));
  CHECK(equal(stacked.targets, batch.targets));
  CHECK(generic.num_classes() == 3);

  check_contains(error_message([&] { dataset->get(7); }),
                 {"TensorDataset::get: index 7 is out of range for a dataset of size 7"});
  check_contains(error_message([&] { dataset->get_batch({0, -1}); }),
                 {"TensorDataset::get_batch: index -1 is out of range"});
  check_contains(error_message([&] { Subset(dataset, {0, 9}); }),
                 {"Subset: index 9 (at position 1) is out of range for a source of size 7"});
  check_contains(error_message([&] { subset->get(3); }),
                 {"Subset::get: index 3 is out of range for a dataset of size 3"});
  check_contains(error_message([&] { TensorDataset(zeros({3, 2}), from_data<int64_t>({0, 1}, {2})); }),
                 {"TensorDataset: 3 inputs [3, 2] but 2 targets"});
  check_contains(error_message([&] { TensorDataset(zeros({2, 2}), zeros({2})); }),
                 {"TensorDataset: targets must be a 1-D i64 tensor, got f32 [2]"});
  check_contains(error_message([&] { TensorDataset(zeros({2, 2}), from_data<int64_t>({0, -3}, {2})); }),
                 {"TensorDataset: target 1 is -3"});
  check_contains(error_message([&] { class_counts({0, 3, 1}, 3); }),
                 {"class_counts: target 3 (at position 1) is out of range for C = 3 classes"});
}

// ---------------------------------------------------------------- imbalance builders

TEST_CASE("long_tail_counts and step_counts match the Python reference exactly") {
  using Counts = std::vector<int64_t>;
  CHECK(long_tail_counts(6000, 10, 100) == Counts{6000, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60});
  CHECK(long_tail_counts(5000, 10, 100) == Counts{5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50});
  CHECK(long_tail_counts(5000, 10, 50) == Counts{5000, 3237, 2096, 1357, 878, 568, 368, 238, 154, 100});
  CHECK(long_tail_counts(6000, 10, 200) == Counts{6000, 3330, 1848, 1025, 569, 316, 175, 97, 54, 30});
  CHECK(long_tail_counts(5000, 10, 10) == Counts{5000, 3871, 2997, 2320, 1796, 1391, 1077, 834, 645, 500});
  CHECK(long_tail_counts(6000, 10, 1) == Counts(10, 6000));
  CHECK(long_tail_counts(70, 1, 100) == Counts{70});
  // CIFAR-100-LT (LDAM): totals 10847 / 12608 / 19573 for ρ = 100 / 50 / 10.
  auto total = [](const Counts& counts) { return std::accumulate(counts.begin(), counts.end(), int64_t{0}); };
  const Counts cifar100 = long_tail_counts(500, 100, 100);
  CHECK(total(cifar100) == 10847);
  CHECK(Counts(cifar100.begin(), cifar100.begin() + 4) == Counts{500, 477, 455, 434});
  CHECK(cifar100.back() == 5);
  CHECK(total(long_tail_counts(500, 100, 50)) == 12608);
  CHECK(total(long_tail_counts(500, 100, 10)) == 19573);

  CHECK(step_counts(5000, 10, 100) == Counts{5000, 5000, 5000, 5000, 5000, 50, 50, 50, 50, 50});
  CHECK(step_counts(6000, 5, 10) == Counts{6000, 6000, 600, 600, 600});
  CHECK(step_counts(6000, 10, 200, 2) == Counts{6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 30, 30});

  check_contains(error_message([] { long_tail_counts(6000, 10, 0.5); }),
                 {"long_tail_counts: the imbalance ratio ρ = n_max / n_min must be ≥ 1, got 0.5"});
  check_contains(error_message([] { long_tail_counts(6000, 0, 10); }),
                 {"long_tail_counts: num_classes must be ≥ 1, got 0"});
  check_contains(error_message([] { step_counts(6000, 4, 10, 5); }),
                 {"step_counts: num_minority 5 exceeds num_classes 4"});
  check_contains(error_message([] { step_counts(6000, 4, 10, -7); }),
                 {"step_counts: num_minority must be ≥ 0, or −1", "got -7"});
}

TEST_CASE("make_imbalanced keeps min(n_c, available) seeded indices per class") {
  // 3 classes with 50, 30 and 8 examples, interleaved.
  std::vector<int64_t> targets;
  for (int64_t i = 0; i < 50; ++i) targets.push_back(0);
  for (int64_t i = 0; i < 30; ++i) targets.insert(targets.begin() + 2 * i + 1, 1);
  for (int64_t i = 0; i < 8; ++i) targets.push_back(2);
  const std::vector<int64_t> kept = make_imbalanced(targets, {20, 40, 5}, 7);
  CHECK(kept.size() == 20 + 30 + 5);
  CHECK(std::is_sorted(kept.begin(), kept.end()));
  CHECK(std::set<int64_t>(kept.begin(), kept.end()).size() == kept.size());
  std::vector<int64_t> kept_targets;
  for (int64_t index : kept) kept_targets.push_back(targets[static_cast<size_t>(index)]);
  CHECK(class_counts(kept_targets, 3) == std::vector<int64_t>{20, 30, 5});  // class 1 has only 30

  CHECK(make_imbalanced(targets, {20, 40, 5}, 7) == kept);  // same seed, same subset
  const std::vector<int64_t> other = make_imbalanced(targets, {20, 40, 5}, 8);
  CHECK(other != kept);
  CHECK(other.size() == kept.size());
  CHECK(make_imbalanced(targets, {0, 0, 0}, 1).empty());

  check_contains(error_message([&] { make_imbalanced(targets, {1, 1}, 0); }),
                 {"make_imbalanced: target 2 (at position 80) is out of range for C = 2 classes"});
  check_contains(error_message([&] { make_imbalanced(targets, {1, -1, 1}, 0); }), {"make_imbalanced: counts[1] is -1"});
}

// ---------------------------------------------------------------- DataLoader

namespace {

// Every batch of one epoch (one range-for), as row numbers.
std::vector<std::vector<int64_t>> run_epoch(DataLoader& loader) {
  std::vector<std::vector<int64_t>> batches;
  for (const Batch& batch : loader) batches.push_back(row_numbers(batch));
  return batches;
}

std::vector<int64_t> flat(const std::vector<std::vector<int64_t>>& batches) {
  std::vector<int64_t> all;
  for (const auto& batch : batches) all.insert(all.end(), batch.begin(), batch.end());
  return all;
}

// A sampler that claims one size and delivers another.
class LyingSampler : public Sampler {
public:
  int64_t size() const override { return 4; }
  std::vector<int64_t> indices(int64_t) const override { return {0, 1, 2}; }
};

}  // namespace

TEST_CASE("DataLoader: batch shapes, the last batch, drop_last, sequential order") {
  const auto dataset = numbered_dataset(10, 3);
  DataLoader loader(dataset, {.batch_size = 4});
  CHECK(loader.size() == 3);
  std::vector<Shape> input_shapes, target_shapes;
  std::vector<int64_t> rows;
  for (const Batch& batch : loader) {
    input_shapes.push_back(batch.inputs.shape());
    target_shapes.push_back(batch.targets.shape());
    CHECK(batch.inputs.dtype() == DType::f32);
    CHECK(batch.targets.dtype() == DType::i64);
    CHECK(batch.inputs.is_contiguous());
    // Targets travel with their inputs.
    const std::vector<int64_t> numbers = row_numbers(batch);
    for (size_t b = 0; b < numbers.size(); ++b) CHECK(batch.targets.at({static_cast<int64_t>(b)}) == numbers[b] % 3);
    rows.insert(rows.end(), numbers.begin(), numbers.end());
  }
  CHECK(input_shapes == std::vector<Shape>{{4, 1, 2, 2}, {4, 1, 2, 2}, {2, 1, 2, 2}});
  CHECK(target_shapes == std::vector<Shape>{{4}, {4}, {2}});
  CHECK(rows == std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});

  DataLoader dropping(dataset, {.batch_size = 4, .drop_last = true});
  CHECK(dropping.size() == 2);
  CHECK(run_epoch(dropping) == std::vector<std::vector<int64_t>>{{0, 1, 2, 3}, {4, 5, 6, 7}});
  DataLoader exact(dataset, {.batch_size = 5, .drop_last = true});
  CHECK(exact.size() == 2);
  CHECK(run_epoch(exact).back() == std::vector<int64_t>{5, 6, 7, 8, 9});
  DataLoader whole(dataset, {.batch_size = 64});
  CHECK(whole.size() == 1);
  CHECK(run_epoch(whole).front().size() == 10);

  // The generic stacking path gives the same batches as the index_select one.
  DataLoader generic(std::make_shared<NumberedDataset>(10, 3), {.batch_size = 4});
  CHECK(run_epoch(generic) == std::vector<std::vector<int64_t>>{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}});

  check_contains(error_message([&] { DataLoader(dataset, {.batch_size = 0}); }),
                 {"DataLoader: batch_size must be ≥ 1, got 0"});
  check_contains(error_message([&] { DataLoader(nullptr); }), {"DataLoader: the dataset is null"});
  check_contains(error_message([&] {
                   DataLoader(dataset, {.shuffle = true, .sampler = std::make_shared<SequentialSampler>(10)});
                 }),
                 {"DataLoader: a sampler fixes the order, so it cannot be combined with shuffle = true"});
  DataLoader lying(dataset, {.sampler = std::make_shared<LyingSampler>()});
  check_contains(error_message([&] { run_epoch(lying); }),
                 {"DataLoader: the sampler gave 3 indices for epoch 0 but its size() is 4"});
}

TEST_CASE("DataLoader: shuffling visits every index once per epoch, fixed by the seed and the epoch") {
  const auto dataset = numbered_dataset(50, 4);
  DataLoader loader(dataset, {.batch_size = 8, .shuffle = true, .generator = Generator(7)});
  CHECK(loader.size() == 7);
  std::vector<int64_t> identity(50);
  std::iota(identity.begin(), identity.end(), int64_t{0});
  std::vector<std::vector<int64_t>> orders;
  for (int epoch = 0; epoch < 3; ++epoch) {
    CHECK(loader.epoch() == epoch);
    const auto batches = run_epoch(loader);
    CHECK(batches.size() == 7);
    CHECK(batches.back().size() == 2);
    orders.push_back(flat(batches));
    std::vector<int64_t> sorted = orders.back();
    std::sort(sorted.begin(), sorted.end());
    CHECK(sorted == identity);  // every index exactly once
  }
  CHECK(orders[0] != identity);  // actually shuffled
  CHECK(orders[0] != orders[1]);  // a new order each epoch
  CHECK(orders[1] != orders[2]);

  // Same seed → same orders; another seed → others; set_epoch resumes mid-run.
  DataLoader twin(dataset, {.batch_size = 8, .shuffle = true, .generator = Generator(7)});
  CHECK(flat(run_epoch(twin)) == orders[0]);
  CHECK(flat(run_epoch(twin)) == orders[1]);
  DataLoader resumed(dataset, {.batch_size = 8, .shuffle = true, .generator = Generator(7)});
  resumed.set_epoch(2);
  CHECK(flat(run_epoch(resumed)) == orders[2]);
  CHECK(flat(loader.batch_indices(1)) == orders[1]);
  DataLoader other(dataset, {.batch_size = 8, .shuffle = true, .generator = Generator(8)});
  CHECK(flat(run_epoch(other)) != orders[0]);

  // drop_last with shuffle: 6 full batches, 48 distinct indices.
  DataLoader dropping(dataset, {.batch_size = 8, .shuffle = true, .drop_last = true, .generator = Generator(7)});
  const std::vector<int64_t> dropped = flat(run_epoch(dropping));
  CHECK(dropped.size() == 48);
  CHECK(std::set<int64_t>(dropped.begin(), dropped.end()).size() == 48);
  CHECK(dropped == std::vector<int64_t>(orders[0].begin(), orders[0].begin() + 48));

  // Unseeded: the seed comes from the default generator, so manual_seed fixes it.
  manual_seed(11);
  DataLoader first(dataset, {.batch_size = 8, .shuffle = true});
  manual_seed(11);
  DataLoader second(dataset, {.batch_size = 8, .shuffle = true});
  CHECK(flat(run_epoch(first)) == flat(run_epoch(second)));

  // Over a Subset the loader yields the source rows the subset names.
  const auto subset = std::make_shared<Subset>(dataset, std::vector<int64_t>{40, 3, 17});
  DataLoader subset_loader(subset, {.batch_size = 2, .shuffle = true, .generator = Generator(1)});
  std::vector<int64_t> seen = flat(run_epoch(subset_loader));
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<int64_t>{3, 17, 40});
}

// ---------------------------------------------------------------- real data (when present)

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Mean and std (population) of all pixels scaled to [0, 1], from exact integer sums.
std::pair<double, double> pixel_mean_std(const Tensor& images) {
  const uint8_t* pixels = images.data_ptr<uint8_t>();
  const int64_t count = images.numel();
  uint64_t sum = 0, sum_squares = 0;
  for (int64_t i = 0; i < count; ++i) {
    sum += pixels[i];
    sum_squares += static_cast<uint64_t>(pixels[i]) * pixels[i];
  }
  const double n = static_cast<double>(count);
  const double mean = static_cast<double>(sum) / n / 255.0;
  const double second_moment = static_cast<double>(sum_squares) / n / (255.0 * 255.0);
  return {mean, std::sqrt(second_moment - mean * mean)};
}

}  // namespace

TEST_CASE("MNIST (../shared/data/mnist): sizes, class counts, MNIST-LT, normalisation, a loader epoch" *
          fulcrum::testing::skip_unless_data("mnist")) {
  REQUIRE_DATA("mnist");
  const std::optional<fs::path> shared = fulcrum::testing::find_shared_data("mnist");
  const auto start = std::chrono::steady_clock::now();
  const MnistSplit train = load_mnist(*shared / "mnist", true);
  const MnistSplit test = load_mnist(*shared / "mnist", false);
  const double load_seconds = seconds_since(start);
  const auto normalize_start = std::chrono::steady_clock::now();
  const Tensor inputs = normalize_images(train.images, mnist_normalization);
  MESSAGE("MNIST: read 60,000 + 10,000 gzip'd images in " << load_seconds << " s, normalised the training set in "
                                                            << seconds_since(normalize_start) << " s");
  CHECK(train.images.shape() == Shape{60000, 28, 28});
  CHECK(test.images.shape() == Shape{10000, 28, 28});
  const std::vector<int64_t> targets = as_vector(train.labels);
  CHECK(class_counts(targets, 10) == std::vector<int64_t>{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949});
  CHECK(class_counts(as_vector(test.labels), 10) ==
        std::vector<int64_t>{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009});
  // The normalisation constants are the training set's own statistics.
  const auto [mean, std] = pixel_mean_std(train.images);
  CHECK(std::abs(mean - mnist_normalization.mean[0]) < 1e-4);
  CHECK(std::abs(std - mnist_normalization.std[0]) < 1e-4);
  CHECK(inputs.shape() == Shape{60000, 1, 28, 28});
  CHECK(std::abs(inputs.mean().item()) < 1e-3);

  // MNIST-LT: n_max 6000, ρ 100; MNIST has only 5923 zeros.
  const std::vector<int64_t> kept = make_imbalanced(targets, long_tail_counts(6000, 10, 100), 0);
  CHECK(kept.size() == 14809);
  const auto source = std::make_shared<TensorDataset>(inputs, train.labels);
  const auto long_tail = std::make_shared<Subset>(source, kept);
  CHECK(class_counts(*long_tail) == std::vector<int64_t>{5923, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60});
  CHECK(make_imbalanced(targets, long_tail_counts(6000, 10, 100), 0) == kept);

  DataLoader loader(long_tail, {.batch_size = 64, .shuffle = true, .generator = Generator(1)});
  CHECK(loader.size() == 232);  // ⌈14809 / 64⌉
  const auto epoch_start = std::chrono::steady_clock::now();
  int64_t batches = 0, examples = 0;
  std::vector<int64_t> seen_counts(10, 0);
  for (const Batch& batch : loader) {
    if (batches == 0) CHECK(batch.inputs.shape() == Shape{64, 1, 28, 28});
    for (int64_t target : as_vector(batch.targets)) ++seen_counts[static_cast<size_t>(target)];
    examples += batch.inputs.size(0);
    ++batches;
  }
  MESSAGE("MNIST-LT: one shuffled epoch of 232 batches in " << seconds_since(epoch_start) << " s");
  CHECK(batches == 232);
  CHECK(examples == 14809);
  CHECK(seen_counts == class_counts(*long_tail));
}

TEST_CASE("Fashion-MNIST (Debian dataset-fashion-mnist): sizes, balanced classes, Fashion-MNIST-LT" *
          fulcrum::testing::skip_unless_data(fashion_mnist_default_dir)) {
  REQUIRE_DATA(std::string(fashion_mnist_default_dir));
  const auto start = std::chrono::steady_clock::now();
  const MnistSplit train = load_mnist(fashion_mnist_default_dir, true);
  const MnistSplit test = load_mnist(fashion_mnist_default_dir, false);
  MESSAGE("Fashion-MNIST: read 60,000 + 10,000 gzip'd images in " << seconds_since(start) << " s");
  CHECK(train.images.shape() == Shape{60000, 28, 28});
  CHECK(test.images.shape() == Shape{10000, 28, 28});
  const std::vector<int64_t> targets = as_vector(train.labels);
  CHECK(class_counts(targets, 10) == std::vector<int64_t>(10, 6000));
  CHECK(class_counts(as_vector(test.labels), 10) == std::vector<int64_t>(10, 1000));
  const auto [mean, std] = pixel_mean_std(train.images);
  CHECK(std::abs(mean - fashion_mnist_normalization.mean[0]) < 1e-4);
  CHECK(std::abs(std - fashion_mnist_normalization.std[0]) < 1e-4);
  const std::vector<int64_t> kept = make_imbalanced(targets, long_tail_counts(6000, 10, 100), 3);
  CHECK(kept.size() == 14886);
  std::vector<int64_t> kept_targets;
  for (int64_t index : kept) kept_targets.push_back(targets[static_cast<size_t>(index)]);
  CHECK(class_counts(kept_targets, 10) == long_tail_counts(6000, 10, 100));
}
