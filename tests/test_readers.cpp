// tests/test_readers.cpp — the readers of data/: CIFAR binary batches (cifar.hpp), CSV (csv.hpp),
// TREC + tokenizer + vocabulary (text.hpp), image folders (libjpeg-turbo, libpng, stb_image)
// (image_folder.hpp) and the decoded-data cache (cache.hpp). Each reader gets valid files and
// corrupt / truncated / wrong-format files written to a temp dir here; every bad file must give a
// fulcrum::Error whose message names the file, the place (byte or line:column) and what was
// expected. The shared TREC and Caravan files are read when present (visible skip otherwise).
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include "data/cache.hpp"
#include "data/cifar.hpp"
#include "data/csv.hpp"
#include "data/image_folder.hpp"
#include "data/text.hpp"
#include "fulcrum.hpp"
#include "tests/shared_data.hpp"
#include "tests/test_support.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;
using namespace fulcrum::data;
namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

namespace {


void write_text(const fs::path& path, const std::string& text) { write_file(path, Bytes(text.begin(), text.end())); }

std::vector<int64_t> as_i64(const Tensor& t) { return t.to_vector<int64_t>(); }

// ---------------------------------------------------------------- CIFAR helpers

// One record: label byte(s), then 3072 pixels where pixel k of record `seed` is (k·7 + seed) % 256.
Bytes cifar_record(std::initializer_list<uint8_t> labels, int seed) {
  Bytes bytes(labels);
  for (int k = 0; k < 3072; ++k) bytes.push_back(static_cast<uint8_t>((k * 7 + seed) % 256));
  return bytes;
}

Bytes cifar_file(const std::vector<uint8_t>& labels, int first_seed = 0) {
  Bytes bytes;
  for (size_t i = 0; i < labels.size(); ++i) {
    const Bytes record = cifar_record({labels[i]}, first_seed + static_cast<int>(i));
    bytes.insert(bytes.end(), record.begin(), record.end());
  }
  return bytes;
}

}  // namespace

// ---------------------------------------------------------------- CIFAR

TEST_CASE("read_cifar_binary: labels, planar RGB into [N, 3, 32, 32]") {
  TempDir dir;
  write_file(dir / "batch.bin", cifar_file({3, 9, 0}));
  const CifarSplit split = read_cifar_binary(dir / "batch.bin");
  CHECK(split.images.shape() == Shape{3, 3, 32, 32});
  CHECK(split.images.dtype() == DType::u8);
  CHECK(split.labels.dtype() == DType::i64);
  CHECK(as_i64(split.labels) == std::vector<int64_t>{3, 9, 0});
  CHECK_FALSE(split.coarse_labels.defined());
  // Record 1 (seed 1), channel 2 (blue plane starts at pixel 2048), row 5, column 7.
  const int k = 2048 + 5 * 32 + 7;
  CHECK(split.images.at({1, 2, 5, 7}) == double((k * 7 + 1) % 256));
  CHECK(split.images.at({0, 0, 0, 0}) == 0.0);
  CHECK(split.images.at({2, 1, 31, 31}) == double(((1024 + 1023) * 7 + 2) % 256));
  CHECK(std::string(cifar10_classes[0]) == "airplane");
  CHECK(std::string(cifar10_classes[9]) == "truck");
}

TEST_CASE("load_cifar10: five training batches in order, the test batch, missing files") {
  TempDir dir;
  for (int b = 1; b <= 5; ++b) {
    write_file(dir / ("data_batch_" + std::to_string(b) + ".bin"), cifar_file({uint8_t(b), uint8_t(b + 1)}, 10 * b));
  }
  write_file(dir / "test_batch.bin", cifar_file({7}));
  const CifarSplit train = load_cifar10(dir.path, true);
  CHECK(train.images.shape() == Shape{10, 3, 32, 32});
  CHECK(as_i64(train.labels) == std::vector<int64_t>{1, 2, 2, 3, 3, 4, 4, 5, 5, 6});
  CHECK(train.images.at({4, 0, 0, 1}) == double((7 + 30) % 256));  // batch 3, first record: seed 30
  const CifarSplit test = load_cifar10(dir.path, false);
  CHECK(as_i64(test.labels) == std::vector<int64_t>{7});
  const auto dataset = cifar10_dataset(dir.path, false, {.mean = {0.5}, .std = {0.25}});
  CHECK(dataset->inputs().shape() == Shape{1, 3, 32, 32});
  CHECK(dataset->inputs().at({0, 0, 0, 1}) == doctest::Approx((7.0 / 255 - 0.5) / 0.25).epsilon(1e-6));

  fs::remove(dir / "data_batch_4.bin");
  check_contains(error_message([&] { load_cifar10(dir.path, true); }),
                 {dir.path.string(), "missing CIFAR-10 file(s) data_batch_4.bin", "data_batch_5.bin"});
  check_contains(error_message([&] { load_cifar10(dir / "nowhere", false); }), {"nowhere", "test_batch.bin"});
}

TEST_CASE("read_cifar_binary: truncated, empty, bad label, gzip, CIFAR-100 read as CIFAR-10") {
  TempDir dir;
  Bytes cut = cifar_file({1, 2, 3});
  cut.resize(2 * 3073 + 100);
  write_file(dir / "cut.bin", cut);
  check_contains(error_message([&] { read_cifar_binary(dir / "cut.bin"); }),
                 {"cut.bin: byte 6146", "record 3 is cut off after 100 of its 3073 bytes", "not a multiple of 3073"});
  write_file(dir / "empty.bin", {});
  check_contains(error_message([&] { read_cifar_binary(dir / "empty.bin"); }), {"empty.bin: byte 0", "empty file"});
  write_file(dir / "label.bin", cifar_file({4, 12}));
  check_contains(error_message([&] { read_cifar_binary(dir / "label.bin"); }),
                 {"label.bin: byte 3073", "record 2 has label 12, expected 0–9"});
  write_file(dir / "zipped.bin", {0x1f, 0x8b, 8, 0, 0, 0, 0, 0});
  check_contains(error_message([&] { read_cifar_binary(dir / "zipped.bin"); }), {"zipped.bin", "gzip"});
  check_contains(error_message([&] { read_cifar_binary(dir / "absent.bin"); }), {"absent.bin", "no such file"});
  // Two CIFAR-100 records (3074 bytes each) are 6148 bytes: not whole CIFAR-10 records.
  Bytes hundred = cifar_record({19, 99}, 0);
  const Bytes second = cifar_record({0, 5}, 1);
  hundred.insert(hundred.end(), second.begin(), second.end());
  write_file(dir / "train.bin", hundred);
  check_contains(error_message([&] { read_cifar_binary(dir / "train.bin"); }), {"train.bin: byte 6146", "wrong variant"});
}

TEST_CASE("CIFAR-100: coarse and fine labels, range checks") {
  TempDir dir;
  Bytes bytes = cifar_record({19, 99}, 0);
  const Bytes second = cifar_record({0, 5}, 1);
  bytes.insert(bytes.end(), second.begin(), second.end());
  write_file(dir / "test.bin", bytes);
  const CifarSplit split = load_cifar100(dir.path, false);
  CHECK(split.images.shape() == Shape{2, 3, 32, 32});
  CHECK(as_i64(split.labels) == std::vector<int64_t>{99, 5});
  CHECK(as_i64(split.coarse_labels) == std::vector<int64_t>{19, 0});
  CHECK(split.images.at({1, 0, 0, 2}) == double((14 + 1) % 256));
  write_file(dir / "fine.bin", cifar_record({3, 100}, 0));
  check_contains(error_message([&] { read_cifar_binary(dir / "fine.bin", CifarVariant::cifar100); }),
                 {"fine.bin: byte 1", "record 1 has label 100, expected 0–99"});
  write_file(dir / "coarse.bin", cifar_record({20, 1}, 0));
  check_contains(error_message([&] { read_cifar_binary(dir / "coarse.bin", CifarVariant::cifar100); }),
                 {"coarse.bin: byte 0", "coarse label 20, expected 0–19"});
}

// ---------------------------------------------------------------- CSV

TEST_CASE("read_csv: features, string labels, filter, quotes, CRLF, blank lines") {
  TempDir dir;
  write_text(dir / "t.csv",
             "id,x,\"y, quoted\",label,split\r\n"
             "1, 0.5 ,2,cat,train\r\n"
             "\r\n"
             "2,-1.5e1,\"3\",dog,test\r\n"
             "3,+4,0.25,\"bird\",train\r\n");
  // split is a text column: it must be excluded (as the filter) or it is an error.
  check_contains(error_message([&] { read_csv(dir / "t.csv", {.label_column = "label"}); }),
                 {"t.csv:2:15", "field 5 (column \"split\")", "expected a finite number, found \"train\""});

  const CsvTable train = read_csv(dir / "t.csv", {.label_column = "label", .filter_column = "split", .filter_value = "train"});
  CHECK(train.feature_names == std::vector<std::string>{"id", "x", "y, quoted"});
  CHECK(train.classes == std::vector<std::string>{"bird", "cat", "dog"});  // from all rows, sorted
  CHECK(train.features.shape() == Shape{2, 3});
  CHECK(train.features.dtype() == DType::f32);
  CHECK(train.features.to_vector<double>() == std::vector<double>{1, 0.5, 2, 3, 4, 0.25});
  CHECK(as_i64(train.targets) == std::vector<int64_t>{1, 0});
  const CsvTable test = read_csv(dir / "t.csv", {.label_column = "label", .feature_columns = {"x"},
                                                 .filter_column = "split", .filter_value = "test", .dtype = DType::f64});
  CHECK(test.features.dtype() == DType::f64);
  CHECK(test.features.to_vector<double>() == std::vector<double>{-15});
  CHECK(as_i64(test.targets) == std::vector<int64_t>{2});
  const auto dataset = csv_dataset(dir / "t.csv", {.label_column = "label", .filter_column = "split", .filter_value = "train"});
  CHECK(dataset->size() == 2);
  CHECK(dataset->num_classes() == 2);  // max target + 1 of these rows: bird 0, cat 1
}

TEST_CASE("read_csv: numeric labels sort by value, 1 and 1.0 are one class") {
  TempDir dir;
  write_text(dir / "n.csv", "f,y\n1,10\n2,2\n3,1.0\n4,1\n5,2\n");
  const CsvTable table = read_csv(dir / "n.csv", {.label_column = "y"});
  CHECK(table.classes == std::vector<std::string>{"1", "2", "10"});
  CHECK(as_i64(table.targets) == std::vector<int64_t>{2, 1, 0, 0, 1});
}

TEST_CASE("read_csv: bad files name line:column and what was expected") {
  TempDir dir;
  write_text(dir / "ragged.csv", "a,b,y\n1,2,0\n3,4\n");
  check_contains(error_message([&] { read_csv(dir / "ragged.csv", {.label_column = "y"}); }),
                 {"ragged.csv:3:1", "row has 2 fields, expected 3"});
  write_text(dir / "long.csv", "a,b,y\n1,2,0,9\n");
  check_contains(error_message([&] { read_csv(dir / "long.csv", {.label_column = "y"}); }),
                 {"long.csv:2:7", "row has 4 fields, expected 3"});
  write_text(dir / "cell.csv", "a,b,y\n1,2,0\n1,x2,0\n");
  check_contains(error_message([&] { read_csv(dir / "cell.csv", {.label_column = "y"}); }),
                 {"cell.csv:3:3", "field 2 (column \"b\")", "found \"x2\""});
  write_text(dir / "empty_cell.csv", "a,y\n,1\n");
  check_contains(error_message([&] { read_csv(dir / "empty_cell.csv", {.label_column = "y"}); }),
                 {"empty_cell.csv:2:1", "found \"\""});
  write_text(dir / "empty_label.csv", "a,y\n1,2\n3,\n4,10\n");
  check_contains(error_message([&] { read_csv(dir / "empty_label.csv", {.label_column = "y"}); }),
                 {"empty_label.csv:3:3", "label column \"y\" is empty"});
  write_text(dir / "sign.csv", "a,y\n+-5,1\n");
  check_contains(error_message([&] { read_csv(dir / "sign.csv", {.label_column = "y"}); }),
                 {"sign.csv:2:1", "found \"+-5\""});
  write_text(dir / "big.csv", "a,y\n1e300,1\n");
  check_contains(error_message([&] { read_csv(dir / "big.csv", {.label_column = "y"}); }),
                 {"big.csv:2:1", "\"1e300\" is beyond the f32 range", "dtype f64"});
  CHECK(read_csv(dir / "big.csv", {.label_column = "y", .dtype = DType::f64}).features.at({0, 0}) == 1e300);
  write_text(dir / "nan.csv", "a,y\nnan,1\n");
  check_contains(error_message([&] { read_csv(dir / "nan.csv", {.label_column = "y"}); }), {"nan.csv:2:1", "finite"});
  check_contains(error_message([&] { read_csv(dir / "cell.csv", {.label_column = "label"}); }),
                 {"cell.csv:1:1", "no label column \"label\"", "columns: a, b, y"});
  check_contains(error_message([&] { read_csv(dir / "cell.csv", {.label_column = "y", .feature_columns = {"a", "c"}}); }),
                 {"no feature column \"c\""});
  check_contains(error_message([&] { read_csv(dir / "cell.csv", {.label_column = "y", .filter_column = "s"}); }),
                 {"no filter column \"s\""});
  check_contains(error_message([&] {
                   read_csv(dir / "ragged.csv", {.label_column = "y", .filter_column = "a", .filter_value = "7"});
                 }),
                 {"ragged.csv:3:1"});  // ragged rows are errors even where the filter would drop them
  write_text(dir / "quote.csv", "a,y\n\"1,1\n");
  check_contains(error_message([&] { read_csv(dir / "quote.csv", {.label_column = "y"}); }),
                 {"quote.csv:2:1", "quoted field is not closed"});
  write_text(dir / "after.csv", "a,y\n\"1\"x,1\n");
  check_contains(error_message([&] { read_csv(dir / "after.csv", {.label_column = "y"}); }),
                 {"after.csv:2:4", "after a quoted field, found 'x'"});
  write_text(dir / "dup.csv", "a,a,y\n");
  check_contains(error_message([&] { read_csv(dir / "dup.csv", {.label_column = "y"}); }),
                 {"dup.csv:1:3", "\"a\" appears twice"});
  write_text(dir / "blank.csv", "\n\n");
  check_contains(error_message([&] { read_csv(dir / "blank.csv", {.label_column = "y"}); }), {"blank.csv", "empty file"});
  check_contains(error_message([&] { read_csv(dir / "none.csv", {.label_column = "y"}); }), {"none.csv", "no such file"});
  write_text(dir / "f.csv", "a,s,y\n1,train,0\n");
  check_contains(error_message([&] {
                   read_csv(dir / "f.csv", {.label_column = "y", .filter_column = "s", .filter_value = "test"});
                 }),
                 {"f.csv", "no row has s == \"test\""});
}

TEST_CASE("read_csv: Caravan (../shared/data/tabular/caravan.csv)" *
          fulcrum::testing::skip_unless_data("tabular/caravan.csv")) {
  REQUIRE_DATA("tabular/caravan.csv");
  const auto shared = fulcrum::testing::find_shared_data("tabular/caravan.csv");
  // Expected values: tests/reference/readers_caravan.py (Python's csv module over the same file;
  // the row and feature counts also match the shared README: 5822 train + 4000 test rows, 85 features).
  const fs::path file = *shared / "tabular" / "caravan.csv";
  const CsvTable train = read_csv(file, {.label_column = "CARAVAN", .filter_column = "split", .filter_value = "train"});
  const CsvTable test = read_csv(file, {.label_column = "CARAVAN", .filter_column = "split", .filter_value = "test"});
  CHECK(train.features.shape() == Shape{5822, 85});
  CHECK(test.features.shape() == Shape{4000, 85});
  CHECK(train.feature_names.front() == "STYPE");
  CHECK(train.classes == std::vector<std::string>{"0", "1"});
  CHECK(class_counts(as_i64(train.targets), 2) == std::vector<int64_t>{5474, 348});
  CHECK(class_counts(as_i64(test.targets), 2) == std::vector<int64_t>{3762, 238});
  CHECK(train.features.to(DType::f64).sum().item() == 819108.0);
  CHECK(train.features.at({0, 0}) == 14.0);
}

// ---------------------------------------------------------------- TREC, tokenizer, vocabulary

TEST_CASE("tokenize: lower-case, split on non-alphanumerics, UTF-8 bytes kept") {
  CHECK(tokenize("What's the U.S. GDP in 1999?") ==
        std::vector<std::string>{"what", "s", "the", "u", "s", "gdp", "in", "1999"});
  CHECK(tokenize("  ,;  ").empty());
  CHECK(tokenize("sister\xC3\xB0" "city") == std::vector<std::string>{"sister\xC3\xB0" "city"});
}

TEST_CASE("Vocabulary: specials first, then by frequency, ties alphabetical; min_freq, max_tokens; encode") {
  // Counts: b 3, a 2, c 2, d 1. Order: <pad> <unk> b a c d (a before c: tie broken alphabetically).
  const std::vector<std::vector<std::string>> documents = {{"b", "c", "a"}, {"c", "b", "d"}, {"a", "b"}};
  const Vocabulary vocabulary = Vocabulary::build(documents);
  CHECK(vocabulary.tokens() == std::vector<std::string>{"<pad>", "<unk>", "b", "a", "c", "d"});
  CHECK(vocabulary.index("c") == 4);
  CHECK(vocabulary.index("zebra") == Vocabulary::unk_index);
  CHECK(vocabulary.token(2) == "b");
  CHECK(Vocabulary::build(documents, {.min_freq = 2}).tokens() ==
        std::vector<std::string>{"<pad>", "<unk>", "b", "a", "c"});
  CHECK(Vocabulary::build(documents, {.max_tokens = 3}).tokens() == std::vector<std::string>{"<pad>", "<unk>", "b"});
  const Tensor encoded = encode(vocabulary, {{"a", "x", "b", "d"}, {"c"}}, 3);
  CHECK(encoded.shape() == Shape{2, 3});
  CHECK(encoded.dtype() == DType::i64);
  CHECK(as_i64(encoded) == std::vector<int64_t>{3, 1, 2, 4, 0, 0});
  check_contains(error_message([&] { vocabulary.token(6); }), {"Vocabulary::token", "index 6", "[0, 6)"});
  check_contains(error_message([&] { encode(vocabulary, {}, 0); }), {"encode", "length must be >= 1"});
  check_contains(error_message([&] { Vocabulary::build(documents, {.min_freq = 0}); }), {"min_freq"});
}

TEST_CASE("read_trec: small files, coarse and fine labels, Latin-1 to UTF-8, bad lines") {
  TempDir dir;
  write_text(dir / "ok.label", "NUM:dist How far is it ?\nHUM:ind Who was caf\xE9 owner ?\r\nLOC:other Where ?\n");
  const TextSplit coarse = read_trec(dir / "ok.label");
  CHECK(coarse.texts == std::vector<std::string>{"How far is it ?", "Who was caf\xC3\xA9 owner ?", "Where ?"});
  CHECK(as_i64(coarse.labels) == std::vector<int64_t>{5, 3, 4});
  CHECK(coarse.classes.size() == 6);
  const TextSplit fine = read_trec(dir / "ok.label", TrecLabels::fine);
  CHECK(fine.classes.size() == 50);
  CHECK(as_i64(fine.labels) == std::vector<int64_t>{40, 30, 35});
  CHECK(fine.classes[40] == "NUM:dist");
  CHECK(std::is_sorted(fine.classes.begin(), fine.classes.end()));

  write_text(dir / "colon.label", "NUM:dist How far ?\nHUMind Who ?\n");
  check_contains(error_message([&] { read_trec(dir / "colon.label"); }),
                 {"colon.label:2:1", "expected a label COARSE:fine", "\"HUMind\" without ':'"});
  write_text(dir / "coarse.label", "NUM:dist How far ?\nNUM:dist Why ?\nPER:ind Who ?\n");
  check_contains(error_message([&] { read_trec(dir / "coarse.label"); }),
                 {"coarse.label:3:1", "unknown coarse label \"PER\"", "ABBR DESC ENTY HUM LOC NUM"});
  write_text(dir / "fine.label", "HUM:person Who ?\n");
  check_contains(error_message([&] { read_trec(dir / "fine.label"); }), {"fine.label:1:5", "unknown fine label \"HUM:person\""});
  write_text(dir / "empty.label", "NUM:dist How far ?\nDESC:def   \n");
  check_contains(error_message([&] { read_trec(dir / "empty.label"); }),
                 {"empty.label:2:10", "expected a question after the label"});
  write_text(dir / "bare.label", "DESC:def\n");
  check_contains(error_message([&] { read_trec(dir / "bare.label"); }), {"bare.label:1:9", "expected a question"});
  write_text(dir / "nothing.label", "");
  check_contains(error_message([&] { read_trec(dir / "nothing.label"); }), {"nothing.label", "empty file"});
  check_contains(error_message([&] { load_trec(dir.path, false); }), {"TREC_10.label", "no such file"});
}

TEST_CASE("TREC (../shared/data/trec): sizes, class counts, vocabulary, encoding" *
          fulcrum::testing::skip_unless_data("trec")) {
  REQUIRE_DATA("trec");
  const auto shared = fulcrum::testing::find_shared_data("trec");
  const TextSplit train = load_trec(*shared / "trec", true);
  const TextSplit test = load_trec(*shared / "trec", false);
  CHECK(train.texts.size() == 5452);
  CHECK(test.texts.size() == 500);
  // Sizes, coarse class counts and the 42 fine classes of the test split: tests/reference/readers_trec.py.
  CHECK(class_counts(as_i64(train.labels), 6) == std::vector<int64_t>{86, 1162, 1250, 1223, 835, 896});
  CHECK(class_counts(as_i64(test.labels), 6) == std::vector<int64_t>{9, 138, 94, 65, 81, 113});
  const TextSplit test_fine = load_trec(*shared / "trec", false, TrecLabels::fine);
  std::vector<int64_t> fine_counts = class_counts(as_i64(test_fine.labels), 50);
  CHECK(std::count_if(fine_counts.begin(), fine_counts.end(), [](int64_t n) { return n > 0; }) == 42);
  // Train line 66 holds the one non-ASCII byte, 0xF0 ('ð' in Latin-1) → UTF-8 C3 B0.
  CHECK(train.texts[65].find("sister\xC3\xB0" "city") != std::string::npos);

  // Reference values: tests/reference/readers_trec.py (Python's own Latin-1 decoding, a regex
  // tokenizer and torchtext's ordering rule).
  const auto tokens = tokenize_all(train.texts);
  const Vocabulary vocabulary = Vocabulary::build(tokens);
  CHECK(vocabulary.size() == 8449);
  CHECK(std::vector<std::string>(vocabulary.tokens().begin(), vocabulary.tokens().begin() + 12) ==
        std::vector<std::string>{"<pad>", "<unk>", "the", "what", "is", "of", "in", "a", "s", "how", "was", "to"});
  CHECK(Vocabulary::build(tokens, {.min_freq = 2}).size() == 3498);
  const auto dataset = text_dataset(test, vocabulary, 12);
  CHECK(dataset->inputs().shape() == Shape{500, 12});
  CHECK(as_i64(dataset->inputs().slice(0, 0, 2)) ==
        std::vector<int64_t>{9, 386, 4, 43, 29, 4809, 11, 1, 0, 0, 0, 0, 3, 383, 4, 1, 169, 6, 0, 0, 0, 0, 0, 0});
  CHECK(as_i64(dataset->target_tensor().slice(0, 0, 2)) == std::vector<int64_t>{5, 4});
}

// ---------------------------------------------------------------- image folders

namespace {

uint8_t pixel_value(int seed, int64_t y, int64_t x, int64_t c) {
  return static_cast<uint8_t>((seed * 50 + y * 20 + x * 5 + c * 70) % 256);
}

// An image of `width` × `height` with `channels` interleaved channels of pixel_value(seed, …).
Bytes image_pixels(int width, int height, int channels, int seed) {
  Bytes pixels;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < channels; ++c) pixels.push_back(pixel_value(seed, y, x, c));
    }
  }
  return pixels;
}

void write_png(const fs::path& path, int width, int height, int channels, int seed) {
  fs::create_directories(path.parent_path());
  const Bytes pixels = image_pixels(width, height, channels, seed);
  REQUIRE(stbi_write_png(path.c_str(), width, height, channels, pixels.data(), width * channels) != 0);
}

void write_bmp(const fs::path& path, int width, int height, int seed) {
  fs::create_directories(path.parent_path());
  const Bytes pixels = image_pixels(width, height, 3, seed);
  REQUIRE(stbi_write_bmp(path.c_str(), width, height, 3, pixels.data()) != 0);
}

// cat/a.PNG (seed 1), cat/b.png (seed 2), dog/sub/c.bmp (seed 3), all 3 wide × 2 high RGB,
// plus a file that is not an image.
void write_small_folder(const fs::path& root) {
  write_png(root / "cat" / "b.png", 3, 2, 3, 2);
  write_png(root / "cat" / "a.PNG", 3, 2, 3, 1);
  write_bmp(root / "dog" / "sub" / "c.bmp", 3, 2, 3);
  write_text(root / "dog" / "notes.txt", "not an image");
}

void check_pixels(const Tensor& images, int64_t row, int seed) {
  for (int64_t c = 0; c < images.size(1); ++c) {
    for (int64_t y = 0; y < images.size(2); ++y) {
      for (int64_t x = 0; x < images.size(3); ++x) {
        CHECK(images.at({row, c, y, x}) == double(pixel_value(seed, y, x, c)));
      }
    }
  }
}

}  // namespace

TEST_CASE("load_image_folder: sorted classes and files, CHW pixels, PNG and BMP") {
  TempDir dir;
  write_small_folder(dir / "root");
  const ImageFolder folder = load_image_folder(dir / "root");
  CHECK(folder.classes == std::vector<std::string>{"cat", "dog"});
  REQUIRE(folder.files.size() == 3);
  CHECK(folder.files[0].filename() == "a.PNG");
  CHECK(folder.files[2].filename() == "c.bmp");
  CHECK(folder.images.shape() == Shape{3, 3, 2, 3});
  CHECK(folder.images.dtype() == DType::u8);
  CHECK(as_i64(folder.targets) == std::vector<int64_t>{0, 0, 1});
  CHECK_FALSE(folder.from_cache);
  CHECK(folder.cache_status == "off");
  for (int row = 0; row < 3; ++row) check_pixels(folder.images, row, row + 1);
  CHECK(decode_image(dir / "root" / "cat" / "b.png").shape() == Shape{3, 2, 3});
  const auto dataset = image_folder_dataset(dir / "root");
  CHECK(dataset->num_classes() == 2);

  // Grey: stb's luma (77 r + 150 g + 29 b) >> 8; for row 1 (seed 2) at y 1, x 2:
  // r = 100 + 20 + 10 = 130, g = 200, b = 270 % 256 = 14 → (10010 + 30000 + 406) >> 8 = 157.
  const ImageFolder grey = load_image_folder(dir / "root", {.channels = 1});
  CHECK(grey.images.shape() == Shape{3, 1, 2, 3});
  CHECK(grey.images.at({1, 0, 1, 2}) == 157.0);
}

TEST_CASE("load_image_folder: channel and size rules, resize") {
  TempDir dir;
  write_small_folder(dir / "root");
  write_png(dir / "root" / "dog" / "d.png", 3, 2, 1, 4);  // grey
  check_contains(error_message([&] { load_image_folder(dir / "root", {.channels = 0}); }),
                 {"d.png: has 1 channel(s), expected 3", "a.PNG"});
  CHECK(load_image_folder(dir / "root", {.channels = 3}).images.shape() == Shape{4, 3, 2, 3});  // converted
  write_png(dir / "root" / "dog" / "e.png", 4, 5, 3, 5);
  check_contains(error_message([&] { load_image_folder(dir / "root"); }),
                 {"e.png: image size 5x4 (height x width), expected 2x3", "set resize"});
  check_contains(error_message([&] { load_image_folder(dir / "root", {.height = 2, .width = 4}); }),
                 {"a.PNG: image size 2x3 (height x width), expected 2x4 (height x width) (the requested size)"});
  const ImageFolder resized = load_image_folder(dir / "root", {.height = 4, .width = 4, .resize = true});
  CHECK(resized.images.shape() == Shape{5, 3, 4, 4});
  // A constant image stays constant under any interpolation.
  fs::remove_all(dir / "root" / "dog");
  std::vector<uint8_t> flat(6 * 8 * 3, 77);
  fs::create_directories(dir / "root" / "dog");
  REQUIRE(stbi_write_png((dir / "root" / "dog" / "flat.png").c_str(), 8, 6, 3, flat.data(), 24) != 0);
  const ImageFolder flat_resized = load_image_folder(dir / "root", {.height = 2, .width = 3, .resize = true});
  const Tensor last = flat_resized.images.select(0, 2);
  CHECK(last.min().item() == 77.0);
  CHECK(last.max().item() == 77.0);
  check_pixels(flat_resized.images.slice(0, 0, 1), 0, 1);  // already 2x3: copied unchanged
  check_contains(error_message([&] { load_image_folder(dir / "root", {.channels = 2}); }), {"channels must be 0"});
  check_contains(error_message([&] { load_image_folder(dir / "root", {.resize = true}); }), {"resize needs"});
}

TEST_CASE("load_image_folder: corrupt, truncated and misplaced files") {
  TempDir dir;
  write_small_folder(dir / "root");
  write_text(dir / "root" / "dog" / "z.jpg", "this is not a JPEG");
  check_contains(error_message([&] { load_image_folder(dir / "root"); }), {"z.jpg: cannot decode the image", "not a PNG, JPEG or BMP signature"});
  fs::remove(dir / "root" / "dog" / "z.jpg");
  Bytes png = read_file(dir / "root" / "cat" / "b.png");
  png.resize(png.size() / 2);
  write_file(dir / "root" / "cat" / "b.png", png);
  check_contains(error_message([&] { load_image_folder(dir / "root"); }), {"b.png: cannot decode the image"});
  check_contains(error_message([&] { decode_image(dir / "root" / "cat" / "b.png"); }), {"decode_image", "b.png"});
  // A JPEG (stb_image_write, quality 90) decodes to about its pixels; cut in half, it is refused.
  write_png(dir / "root" / "cat" / "b.png", 3, 2, 3, 2);
  std::vector<uint8_t> grey(16 * 16 * 3, 120);
  REQUIRE(stbi_write_jpg((dir / "j.jpeg").c_str(), 16, 16, 3, grey.data(), 90) != 0);
  const Tensor jpeg = decode_image(dir / "j.jpeg");
  CHECK(jpeg.shape() == Shape{3, 16, 16});
  CHECK(std::abs(jpeg.to(DType::f64).mean().item() - 120.0) < 2.0);
  Bytes jpeg_bytes = read_file(dir / "j.jpeg");
  jpeg_bytes.resize(jpeg_bytes.size() / 2);
  write_file(dir / "root" / "dog" / "j.JPEG", jpeg_bytes);
  check_contains(error_message([&] { load_image_folder(dir / "root"); }),
                 {"load_image_folder: ", "j.JPEG: cannot decode the image (libjpeg: "});
  fs::remove(dir / "root" / "dog" / "j.JPEG");
  fs::create_directories(dir / "root" / "empty");
  check_contains(error_message([&] { load_image_folder(dir / "root"); }),
                 {"empty: list_image_folder: class folder \"empty\" holds no .png/.jpg/.jpeg/.bmp file"});
  check_contains(error_message([&] { load_image_folder(dir / "missing"); }), {"missing", "not a folder"});
  fs::create_directories(dir / "flat");
  write_png(dir / "flat" / "a.png", 2, 2, 3, 0);
  check_contains(error_message([&] { load_image_folder(dir / "flat"); }), {"flat", "no class folders"});
}

// ---------------------------------------------------------------- the cache

TEST_CASE("image folder cache: hit, stale after touch / modification / removal, corrupt file rebuilt") {
  TempDir dir;
  const fs::path root = dir / "root";
  write_small_folder(root);
  const ImageFolderOptions options{.cache_dir = dir / "cache"};
  const ImageFolder first = load_image_folder(root, options);
  CHECK_FALSE(first.from_cache);
  CHECK(first.cache_status == "missing");
  const ImageFolder second = load_image_folder(root, options);
  CHECK(second.from_cache);
  CHECK(second.cache_status == "hit");
  CHECK(second.images.to_vector<uint8_t>() == first.images.to_vector<uint8_t>());
  CHECK(as_i64(second.targets) == as_i64(first.targets));
  CHECK(second.files == first.files);
  std::vector<fs::path> cache_files;
  for (const auto& entry : fs::directory_iterator(dir / "cache")) cache_files.push_back(entry.path());
  REQUIRE(cache_files.size() == 1);
  const fs::path cache_file = cache_files[0];
  CHECK(cache_file.filename().string().rfind("root-", 0) == 0);

  // Touching a file (same bytes, new modification time) makes the entry stale.
  const fs::path b = root / "cat" / "b.png";
  fs::last_write_time(b, fs::last_write_time(b) + std::chrono::seconds(10));
  const ImageFolder touched = load_image_folder(root, options);
  CHECK_FALSE(touched.from_cache);
  check_contains(touched.cache_status, {"stale", "the source or the options changed"});
  CHECK(load_image_folder(root, options).from_cache);

  // New pixels (same size, even if the clock had not moved: mtime forced forward) are decoded.
  write_png(b, 3, 2, 3, 9);
  fs::last_write_time(b, fs::last_write_time(b) + std::chrono::seconds(20));
  const ImageFolder modified = load_image_folder(root, options);
  CHECK_FALSE(modified.from_cache);
  check_pixels(modified.images, 1, 9);
  const ImageFolder again = load_image_folder(root, options);
  CHECK(again.from_cache);
  check_pixels(again.images, 1, 9);

  // Other options: another cache entry, the first one stays valid.
  CHECK(load_image_folder(root, {.channels = 1, .cache_dir = dir / "cache"}).cache_status == "missing");
  CHECK(load_image_folder(root, {.channels = 1, .cache_dir = dir / "cache"}).from_cache);
  CHECK(load_image_folder(root, options).from_cache);

  // A flipped byte in the pixel data: the CRC-32 disagrees, the file is rebuilt, not trusted.
  Bytes bytes = read_file(cache_file);
  bytes[bytes.size() - 30] ^= 0x5a;
  write_file(cache_file, bytes);
  const ImageFolder flipped = load_image_folder(root, options);
  CHECK_FALSE(flipped.from_cache);
  check_contains(flipped.cache_status, {"corrupt", "CRC-32"});
  CHECK(flipped.images.to_vector<uint8_t>() == again.images.to_vector<uint8_t>());
  CHECK(load_image_folder(root, options).from_cache);

  // A cut-off cache file: safetensors' own checks reject it.
  bytes = read_file(cache_file);
  bytes.resize(bytes.size() / 2);
  write_file(cache_file, bytes);
  const ImageFolder cut = load_image_folder(root, options);
  CHECK_FALSE(cut.from_cache);
  check_contains(cut.cache_status, {"corrupt", cache_file.filename().string()});
  CHECK(load_image_folder(root, options).from_cache);

  // Removing a source file changes the listing.
  fs::remove(root / "cat" / "a.PNG");
  const ImageFolder removed = load_image_folder(root, options);
  CHECK_FALSE(removed.from_cache);
  CHECK(removed.images.size(0) == 2);
}

TEST_CASE("read_cache / write_cache: keys, checksums, foreign files") {
  TempDir dir;
  const fs::path file = dir / "sub" / "c.safetensors";
  CHECK(read_cache(file, "k").state == CacheState::missing);
  write_cache(file, {{"x", from_vector({1, 2, 3}, {3}, {.dtype = DType::f32})}}, "k");
  const CacheLookup hit = read_cache(file, "k");
  REQUIRE(hit.state == CacheState::hit);
  CHECK(hit.tensors.at("x").to_vector<double>() == std::vector<double>{1, 2, 3});
  CHECK(read_cache(file, "other").state == CacheState::stale);
  nn::save_safetensors(file.string(), {{"x", from_vector({1}, {1})}});  // a checkpoint, not a cache
  const CacheLookup foreign = read_cache(file, "k");
  CHECK(foreign.state == CacheState::corrupt);
  check_contains(foreign.reason, {"not a fulcrum cache file"});
  CHECK(source_fingerprint(dir.path, {}, "a") != source_fingerprint(dir.path, {}, "b"));
  check_contains(error_message([&] { source_fingerprint(dir.path, {dir / "gone.png"}, ""); }), {"gone.png"});
}
