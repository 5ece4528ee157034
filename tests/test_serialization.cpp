// tests/test_serialization.cpp — safetensors checkpoints (io/): the PyTorch-written
// fixtures (tests/reference/make_safetensors_fixture.py), bit-identical round trips of every dtype
// and layout, the atomic save, every truncation of a file, a table of corrupted headers (each
// error checked for its byte offset and what was expected), random corruption, and the JSON reader.
#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "io/json.hpp"

using namespace fulcrum;
using namespace fulcrum::nn;
using namespace fulcrum::io;
namespace fs = std::filesystem;

namespace {

// A fresh directory under the system temp dir, removed with everything in it at scope exit.
struct TempDir {
  fs::path path;
  TempDir() {
    static std::atomic<int> counter{0};
    std::string name = "fulcrum_test_serialization_";
    name.append(std::to_string(::getpid())).append("_").append(std::to_string(counter++));
    path = fs::temp_directory_path() / name;
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

// tests/fixtures/<name>. __FILE__ is relative to the build directory (meson compiles
// "../tests/test_serialization.cpp"), which is the parent of this executable's directory.
std::string fixture(const std::string& name) {
  fs::path source = __FILE__;
  if (source.is_relative()) source = fs::canonical("/proc/self/exe").parent_path().parent_path() / source;
  return (source.parent_path() / "fixtures" / name).string();
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  REQUIRE_MESSAGE(file.is_open(), "cannot open " << path);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(file), {});
}
void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// The raw bytes of a tensor's elements in row-major order (for bit-identity checks).
std::vector<uint8_t> element_bytes(const Tensor& t) {
  const Tensor dense = t.detach().contiguous();
  const auto* data = static_cast<const uint8_t*>(dense.raw_data());
  return std::vector<uint8_t>(data, data + dense.numel() * dtype_size(dense.dtype()));
}

void check_identical(const StateDict& loaded, const StateDict& saved) {
  REQUIRE(loaded.size() == saved.size());
  for (const auto& [name, tensor] : saved) {
    INFO("tensor " << name);
    REQUIRE(loaded.count(name) == 1);
    const Tensor& back = loaded.at(name);
    CHECK(back.dtype() == tensor.dtype());
    CHECK(back.shape() == tensor.shape());
    CHECK(back.is_contiguous());
    CHECK_FALSE(back.requires_grad());
    CHECK(element_bytes(back) == element_bytes(tensor));
  }
}

// A file from a header text and data bytes: u64 little-endian length, header, data.
std::vector<uint8_t> make_file(const std::string& header, const std::vector<uint8_t>& data = {}) {
  std::string raw(8, '\0');
  for (int k = 0; k < 8; ++k) raw[k] = static_cast<char>((header.size() >> (8 * k)) & 0xFF);
  raw.append(header).append(data.begin(), data.end());
  return std::vector<uint8_t>(raw.begin(), raw.end());
}

// The message of the Error that deserialising `bytes` throws ("" when it does not throw).
std::string error_of(const std::vector<uint8_t>& bytes) {
  try {
    deserialize_safetensors(bytes, "case.safetensors");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

// ---- PyTorch-written fixtures ----
TEST_CASE("the PyTorch-written fixture loads with every value, dtype and shape") {
  const SafetensorsContents file = load_safetensors_with_metadata(fixture("reference.safetensors"));
  const StateDict& t = file.tensors;
  CHECK(file.metadata == SafetensorsMetadata{{"format", "pt"}, {"source", "make_safetensors_fixture.py"}});
  REQUIRE(t.size() == 7);

  const Tensor& weight = t.at("weight");
  CHECK(weight.dtype() == f32);
  CHECK(weight.shape() == Shape{2, 3});
  CHECK(weight.to_vector<float>() == std::vector<float>{0.1f, -2.5f, 3.0f, 1e-30f, -0.0f, 65504.0f});
  CHECK(std::signbit(weight.at({1, 1})));  // −0.0 kept

  const Tensor& bias = t.at("bias");
  CHECK(bias.dtype() == f64);
  CHECK(bias.to_vector<double>() == std::vector<double>{0.1, -1.0 / 3.0, 1e300});

  CHECK(t.at("labels").dtype() == i64);
  CHECK(t.at("labels").to_vector<int64_t>() == std::vector<int64_t>{-3, 0, 7, int64_t{1} << 40});
  CHECK(t.at("mask").dtype() == u8);
  CHECK(t.at("mask").shape() == Shape{2, 2});
  CHECK(t.at("mask").to_vector<uint8_t>() == std::vector<uint8_t>{0, 1, 255, 128});
  CHECK(t.at("scalar").shape() == Shape{});
  CHECK(t.at("scalar").item<double>() == 3.25);
  CHECK(t.at("empty").shape() == Shape{0, 3});
  CHECK(t.at("empty").dtype() == f32);
  // "embedding.\u03b2" in the JSON: arange(6).reshape(3, 2).t() written contiguously.
  const Tensor& embedding = t.at("embedding.\xce\xb2");
  CHECK(embedding.shape() == Shape{2, 3});
  CHECK(embedding.to_vector<double>() == std::vector<double>{0, 2, 4, 1, 3, 5});
}

TEST_CASE("saving the fixture's tensors reproduces the Fulcrum-layout fixture byte for byte") {
  const SafetensorsContents file = load_safetensors_with_metadata(fixture("reference.safetensors"));
  const std::vector<uint8_t> expected = read_bytes(fixture("fulcrum_layout.safetensors"));
  CHECK(serialize_safetensors(file.tensors, file.metadata) == expected);
  TempDir dir;
  save_safetensors(dir.file("copy.safetensors"), file.tensors, file.metadata);
  CHECK(read_bytes(dir.file("copy.safetensors")) == expected);
  const SafetensorsContents again = load_safetensors_with_metadata(fixture("fulcrum_layout.safetensors"));
  check_identical(again.tensors, file.tensors);
  CHECK(again.metadata == file.metadata);
}

// ---- round trips ----
TEST_CASE("save → load is bit-identical for every dtype, 0-d, empty and non-contiguous tensors") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  Tensor base = arange(24, {.dtype = f32}).reshape({2, 3, 4});
  StateDict saved = {
      {"f32", tensor({{1.5, -0.0, inf}, {nan, 1e-40, -3.25}})},  // 1e-40: an f32 denormal
      {"f64", tensor({0.1, -inf, 5e-324, 1.0 / 3.0}, {.dtype = f64})},
      {"i64", tensor({-9e15, 0, 42}, {.dtype = i64})},
      {"u8", tensor({{0, 255}, {17, 128}}, {.dtype = u8})},
      {"scalar", scalar_tensor(-2.75, {.dtype = f64})},
      {"empty", zeros({0}, {.dtype = i64})},
      {"empty_2d", zeros({3, 0})},
      {"transposed", base.transpose(0, 2)},
      {"strided", base.slice(2, 0, 4, 3).select(1, 1)},
      {"expanded", tensor({1.0, 2.0}).reshape({2, 1}).expand({2, 3})},
      {"param", tensor({4.0, 5.0}, {.requires_grad = true})},
  };
  REQUIRE_FALSE(saved.at("transposed").is_contiguous());
  TempDir dir;
  const std::string path = dir.file("round trip.safetensors");
  save_safetensors(path, saved, {{"epoch", "7"}, {"note", "quote \" backslash \\ newline \n é"}});
  CHECK_FALSE(fs::exists(path + ".tmp"));
  const SafetensorsContents loaded = load_safetensors_with_metadata(path);
  check_identical(loaded.tensors, saved);
  CHECK(loaded.metadata.at("note") == "quote \" backslash \\ newline \n é");
  CHECK(loaded.tensors.at("strided").to_vector<double>() == std::vector<double>{4, 7, 16, 19});
  CHECK(load_safetensors(path).size() == saved.size());

  // The layout: header length a multiple of 8, header starting with '{', no bytes to spare.
  const std::vector<uint8_t> bytes = read_bytes(path);
  uint64_t header_length = 0;
  for (int k = 7; k >= 0; --k) header_length = (header_length << 8) | bytes[k];
  CHECK(header_length % 8 == 0);
  CHECK(bytes[8] == '{');
  int64_t data_bytes = 0;
  for (const auto& [name, t] : saved) data_bytes += t.numel() * dtype_size(t.dtype());
  CHECK(bytes.size() == 8 + header_length + static_cast<uint64_t>(data_bytes));
}

TEST_CASE("an empty state dict round-trips; names with escapes and non-ASCII round-trip") {
  CHECK(deserialize_safetensors(serialize_safetensors({})).tensors.empty());
  CHECK(serialize_safetensors({}) == make_file("{}      "));
  StateDict odd = {{"a\"b\\c\nd\x01", tensor({1.0})}, {"\xf0\x9f\x98\x80 smile", tensor({2.0})}, {"", tensor({3.0})}};
  check_identical(deserialize_safetensors(serialize_safetensors(odd)).tensors, odd);
}

TEST_CASE("save_safetensors replaces files atomically and reports bad input") {
  TempDir dir;
  const std::string path = dir.file("model.safetensors");
  save_safetensors(path, {{"w", tensor({1.0, 2.0})}});
  save_safetensors(path, {{"w", tensor({3.0})}});  // overwrite
  CHECK(load_safetensors(path).at("w").to_vector<double>() == std::vector<double>{3.0});

  // A failure leaves the previous checkpoint intact and no temporary file behind.
  CHECK_THROWS_WITH_AS(save_safetensors(path, {{"w", tensor({5.0})}, {"z", Tensor()}}),
                       doctest::Contains("save_safetensors: tensor 'z' is undefined"), Error);
  CHECK(load_safetensors(path).at("w").to_vector<double>() == std::vector<double>{3.0});
  CHECK_FALSE(fs::exists(path + ".tmp"));
  CHECK_THROWS_WITH_AS(save_safetensors(path, {{"__metadata__", tensor({1.0})}}),
                       doctest::Contains("cannot be named \"__metadata__\""), Error);
  CHECK_THROWS_WITH_AS(save_safetensors(path, {{"bad\xff", tensor({1.0})}}),
                       doctest::Contains("is not valid UTF-8"), Error);
  std::string cannot_create = "cannot create '";
  cannot_create.append(dir.file("missing/dir/x.safetensors.tmp."));  // + "<pid>.<random>'"
  CHECK_THROWS_WITH_AS(save_safetensors(dir.file("missing/dir/x.safetensors"), {}),
                       doctest::Contains(cannot_create.c_str()), Error);
  CHECK_THROWS_WITH_AS(load_safetensors(dir.file("nope.safetensors")),
                       doctest::Contains("nope.safetensors': cannot open the file"), Error);
  CHECK_THROWS_WITH_AS(load_safetensors(dir.path.string()), doctest::Contains("is a directory"), Error);
}

// ---- truncation and corruption: clear Errors, never a crash ----
TEST_CASE("every truncation of a file is a clear Error naming the file and a byte offset") {
  const std::vector<uint8_t> bytes = read_bytes(fixture("reference.safetensors"));
  REQUIRE(bytes.size() > 600);
  TempDir dir;
  const std::string path = dir.file("truncated.safetensors");
  for (size_t length = 0; length < bytes.size(); ++length) {
    INFO("prefix of " << length << " bytes");
    const std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length));
    const std::string message = error_of(prefix);
    CHECK(message.find("deserialize_safetensors: case.safetensors: byte ") != std::string::npos);
    write_bytes(path, prefix);
    std::string file_message;
    try {
      load_safetensors(path);
    } catch (const Error& e) {
      file_message = e.what();
    }
    CHECK(file_message.find(std::string("load_safetensors: '").append(path).append("': byte ")) !=
          std::string::npos);
  }
  // The two kinds of truncation: inside the length, and inside the data.
  CHECK(error_of({1, 2, 3}).find("byte 0: expected an 8-byte little-endian header length, but the file "
                                 "has only 3 bytes") != std::string::npos);
  const std::vector<uint8_t> short_data(bytes.begin(), bytes.end() - 1);
  CHECK(error_of(short_data).find("the data section has only") != std::string::npos);
}

namespace {
// Deserialising header + data fails at `byte` with a message containing `expected`.
void check_corrupt(const std::string& header, const std::vector<uint8_t>& data, size_t byte,
                   const std::string& expected) {
  const std::string message = error_of(make_file(header, data));
  INFO("header: " << header);
  INFO("message: " << message);
  CHECK(message.find(std::string("case.safetensors: byte ").append(std::to_string(byte)).append(": ")) !=
        std::string::npos);
  CHECK(message.find(expected) != std::string::npos);
}
// Where `needle` starts in the file (the header begins at byte 8).
size_t at(const std::string& header, const std::string& needle, size_t skip = 0) {
  const size_t position = header.find(needle);
  REQUIRE(position != std::string::npos);
  return 8 + position + skip;
}
const std::vector<uint8_t> kFour = {0, 0, 128, 63};  // 1.0f
}  // namespace

TEST_CASE("corrupted headers: lengths and JSON syntax") {
  std::vector<uint8_t> long_length = make_file("{}");
  long_length[0] = 100;
  check_corrupt("", {}, 8, "expected a JSON value");
  CHECK(error_of(long_length).find("byte 0: header length 100 runs past the end of the file (10 bytes, so "
                                   "at most 2 are left for the header)") != std::string::npos);
  std::vector<uint8_t> huge_length = make_file("{}");
  for (int k = 0; k < 8; ++k) huge_length[k] = 0xFF;
  // Above the format's 100 MB cap: refused before comparing with the file size.
  CHECK(error_of(huge_length).find("header length 18446744073709551615 exceeds the format's limit") != std::string::npos);

  std::string h = "[1]";
  check_corrupt(h, {}, 8, "expected the header to be a JSON object, got array");
  h = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},})";
  check_corrupt(h, kFour, at(h, ",}", 1), "expected a string key in the object, got '}'");
  h = R"({"a" 1})";
  check_corrupt(h, {}, at(h, "1"), "expected ':' after an object key, got '1'");
  h = R"({'a':1})";
  check_corrupt(h, {}, 9, "expected a string key in the object, got '''");
  h = "{} x";
  check_corrupt(h, {}, at(h, "x"), "expected the end of the JSON text after the top-level value, got 'x'");
  h = "{\"a\x01\":1}";
  check_corrupt(h, {}, at(h, "\x01"), "expected no raw control characters in a string (escape them), got byte 0x01");
  h = R"({"a\q":1})";
  check_corrupt(h, {}, at(h, "q"), "expected an escape");
  h = R"({"\udc00":1})";
  check_corrupt(h, {}, at(h, "dc00"), "expected a high surrogate before a low one");
  h = R"({"\ud800x":1})";
  check_corrupt(h, {}, at(h, "x"), "expected a low surrogate");
  h = R"({"\u12g4":1})";
  check_corrupt(h, {}, at(h, "g"), "expected 4 hex digits after \\u");
  h = "{\"\xc3\x28\":1}";
  check_corrupt(h, {}, at(h, "\xc3"), "expected UTF-8 text in the header, got byte 0xc3");
  h = R"({"a":)" + std::string(100, '[');
  check_corrupt(h, {}, at(h, "[", 64), "expected at most 64 levels of nesting");
  h = R"({"a":{"dtype":"F32","shape":[01],"data_offsets":[0,4]}})";
  check_corrupt(h, kFour, at(h, "1]"), "expected no leading zeros in a number");
  h = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{}})";
  check_corrupt(h, kFour, at(h, "\"a\":{}"), "key \"a\" is repeated");
  h = R"({"a":tru})";
  check_corrupt(h, {}, at(h, "tru"), "expected 'true'");
  h = R"({"a":"unterminated)";
  check_corrupt(h, {}, 8 + h.size(), "expected a closing '\"' of the string, got the end of the text");
  h = R"({"a":-})";
  check_corrupt(h, {}, at(h, "}"), "expected a digit in the number");
}

TEST_CASE("corrupted headers: the schema of an entry") {
  auto entry = [](const std::string& dtype, const std::string& shape, const std::string& offsets) {
    return std::string(R"({"a":{"dtype":)").append(dtype).append(R"(,"shape":)").append(shape)
        .append(R"(,"data_offsets":)").append(offsets).append("}}");
  };
  std::string h = entry(R"("Q8")", "[1]", "[0,4]");
  check_corrupt(h, kFour, at(h, "\"Q8\""), "unknown dtype \"Q8\" of tensor \"a\" (expected F32, F64, I64 or U8)");
  h = entry(R"("F16")", "[2]", "[0,4]");
  check_corrupt(h, kFour, at(h, "\"F16\""), "dtype \"F16\" of tensor \"a\" is not supported by Fulcrum");
  h = entry("32", "[1]", "[0,4]");
  check_corrupt(h, kFour, at(h, "32"), "expected a string dtype for tensor \"a\", got number");
  h = entry(R"("F32")", "4", "[0,4]");
  check_corrupt(h, kFour, at(h, "4,"), "expected an array of sizes for the shape of tensor \"a\"");
  h = entry(R"("F32")", "[-1]", "[0,4]");
  check_corrupt(h, kFour, at(h, "-1"), "expected a non-negative integer for a size in the shape of tensor \"a\", got -1");
  h = entry(R"("F32")", "[1.0]", "[0,4]");
  check_corrupt(h, kFour, at(h, "1.0"), "got 1.0");
  h = entry(R"("F32")", "[1e0]", "[0,4]");
  check_corrupt(h, kFour, at(h, "1e0"), "got 1e0");
  h = entry(R"("F32")", "[\"1\"]", "[0,4]");
  check_corrupt(h, kFour, at(h, "\"1\""), "got string");
  h = entry(R"("F32")", "[99999999999999999999]", "[0,4]");
  check_corrupt(h, kFour, at(h, "999"), "got 99999999999999999999");
  h = entry(R"("F32")", "[18446744073709551615]", "[0,4]");
  check_corrupt(h, kFour, at(h, "1844"), "size 18446744073709551615 in the shape of tensor \"a\" is too large");
  h = entry(R"("F32")", "[1]", "[0,4,8]");
  check_corrupt(h, kFour, at(h, "[0,4,8]"), "expected data_offsets [begin, end] for tensor \"a\"");
  h = entry(R"("F32")", "[1]", "[4,0]");
  check_corrupt(h, kFour, at(h, "[4,0]"), "data_offsets of tensor \"a\" run backwards: begin 4 > end 0");
  h = entry(R"("F32")", "[2]", "[0,8]");
  check_corrupt(h, kFour, at(h, "[0,8]"), "data_offsets of tensor \"a\" end at 8 but the data section has only 4 bytes");
  h = entry(R"("F32")", "[2]", "[0,4]");
  check_corrupt(h, kFour, at(h, "[0,4]"), "data_offsets [0, 4] of tensor \"a\" hold 4 bytes, but shape [2] of F32 needs 8 bytes");
  h = entry(R"("F64")", "[4294967296,4294967296]", "[0,4]");
  check_corrupt(h, kFour, at(h, "[0,4]"), "needs more bytes than the file holds");
  h = R"({"a":{"dtype":"F32","shape":[1]}})";
  check_corrupt(h, kFour, at(h, "{\"dtype"), "tensor \"a\" has no \"data_offsets\"");
  h = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1}})";
  check_corrupt(h, kFour, at(h, "1}}"), "unexpected key \"extra\" in tensor \"a\" (expected dtype, shape, data_offsets)");
  h = R"({"a":5})";
  check_corrupt(h, kFour, at(h, "5"), "expected an object {dtype, shape, data_offsets} for tensor \"a\", got number");
  h = R"({"__metadata__":{"k":1}})";
  check_corrupt(h, {}, at(h, "1"), "expected a string value for metadata key \"k\", got number");
  h = R"({"__metadata__":[]})";
  check_corrupt(h, {}, at(h, "[]"), "expected an object of strings for \"__metadata__\", got array");
}

TEST_CASE("corrupted headers: overlapping, missing and trailing data") {
  const std::vector<uint8_t> eight(8, 0), twelve(12, 0), six(6, 0);
  std::string h = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}})";
  check_corrupt(h, eight, at(h, "[2,6]"), "data of tensor \"b\" [2, 6) overlaps tensor \"a\" [0, 4)");
  h = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})";
  check_corrupt(h, twelve, 8 + h.size() + 4, "data bytes [4, 8) belong to no tensor (expected tensor \"b\" to start at 4)");
  h = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})";
  check_corrupt(h, eight, 8 + h.size(), "data bytes [0, 4) belong to no tensor");
  h = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
  check_corrupt(h, six, 8 + h.size() + 4, "2 trailing bytes after the last tensor's data (expected the file to end at byte "
                                          + std::to_string(8 + h.size() + 4) + ")");
  check_corrupt("{}", {7}, 10, "1 trailing bytes after the last tensor's data");
}

TEST_CASE("valid headers in other spellings load: whitespace, field order, escapes, data order") {
  // Data order differs from header order; b is empty and sits between them; fields reordered;
  // an escaped name with a surrogate pair; whitespace of every kind around the tokens.
  const std::string header = " {\n\t\"c\" : {\"shape\": [4], \"data_offsets\": [4, 8], \"dtype\": \"U8\"} ,"
                             "\"\\ud83d\\ude00\\n\":{\"dtype\":\"F32\",\"data_offsets\":[0,4],\"shape\":[]},"
                             "\"b\":{\"dtype\":\"I64\",\"shape\":[0,5],\"data_offsets\":[4,4]}}   \r\n";
  const StateDict t = deserialize_safetensors(make_file(header, {0, 0, 128, 63, 9, 8, 7, 6})).tensors;
  REQUIRE(t.size() == 3);
  CHECK(t.at("\xf0\x9f\x98\x80\n").item<float>() == 1.0f);
  CHECK(t.at("\xf0\x9f\x98\x80\n").shape() == Shape{});
  CHECK(t.at("c").to_vector<uint8_t>() == std::vector<uint8_t>{9, 8, 7, 6});
  CHECK(t.at("b").shape() == Shape{0, 5});
  CHECK(t.at("b").dtype() == i64);
}

TEST_CASE("random corruption of a valid file gives an Error or a valid load, never a crash") {
  const std::vector<uint8_t> bytes = read_bytes(fixture("reference.safetensors"));
  std::mt19937 rng(1234);
  int errors = 0, loads = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::vector<uint8_t> corrupted = bytes;
    const int flips = 1 + static_cast<int>(rng() % 3);
    for (int f = 0; f < flips; ++f) {
      // Mostly inside the length and the header, where structure lives.
      const size_t position = rng() % 4 != 0 ? rng() % 580 : rng() % corrupted.size();
      corrupted[position] = static_cast<uint8_t>(rng());
    }
    try {
      deserialize_safetensors(corrupted);
      ++loads;
    } catch (const Error&) {
      ++errors;
    }
  }
  CHECK(errors + loads == 3000);
  CHECK(errors > 2000);  // most header corruption is caught
  CHECK(loads > 0);      // flips inside the data are legal
}

// ---- the JSON reader ----
TEST_CASE("json::parse: values, offsets and strictness") {
  const json::Value v = json::parse(R"( {"n": [0, -1.5e+3, 12], "t": true, "f": false, "z": null, "s": "a\/\u00e9\t"} )", "ctx", 100);
  REQUIRE(v.kind == json::Value::Kind::object);
  CHECK(v.offset == 101);
  REQUIRE(v.members.size() == 5);
  CHECK(v.members[0].first == "n");
  const json::Value& n = v.members[0].second;
  REQUIRE(n.items.size() == 3);
  CHECK(n.items[1].text == "-1.5e+3");
  CHECK(n.items[2].offset == 100 + 20);  // " {\"n\": [0, -1.5e+3, " is 20 bytes
  CHECK(v.members[1].second.boolean);
  CHECK(v.members[2].second.kind == json::Value::Kind::boolean);
  CHECK_FALSE(v.members[2].second.boolean);
  CHECK(v.members[3].second.kind == json::Value::Kind::null);
  CHECK(v.members[4].second.text == "a/\xc3\xa9\t");
  CHECK(json::parse("[]", "ctx").items.empty());
  CHECK_THROWS_WITH_AS(json::parse("[1 2]", "ctx", 10), doctest::Contains("ctx: byte 13: expected ',' or ']' in an array, got '2'"), Error);
  CHECK_THROWS_WITH_AS(json::parse("", "ctx"), doctest::Contains("got the end of the text"), Error);
  CHECK_THROWS_WITH_AS(json::parse("1.", "ctx"), doctest::Contains("expected a digit after the decimal point"), Error);
  CHECK_THROWS_WITH_AS(json::parse("[1,]", "ctx"), doctest::Contains("byte 3: expected a JSON value"), Error);
  CHECK_THROWS_WITH_AS(json::parse("// c\n{}", "ctx"), doctest::Contains("byte 0: expected a JSON value"), Error);
}

TEST_CASE("json::quote and invalid_utf8_position") {
  CHECK(json::quote("a\"b\\c\nd\x01\x1f é") == "\"a\\\"b\\\\c\\nd\\u0001\\u001F é\"");
  const std::string quoted = json::quote("x\ty\r\"\\\x7f\xe2\x82\xac");
  CHECK(json::parse(quoted, "ctx").text == "x\ty\r\"\\\x7f\xe2\x82\xac");
  CHECK(json::invalid_utf8_position("plain ascii") == std::string_view::npos);
  CHECK(json::invalid_utf8_position("\xe2\x82\xac \xf0\x9f\x98\x80") == std::string_view::npos);
  CHECK(json::invalid_utf8_position("ab\xc0\xaf") == 2);          // overlong '/'
  CHECK(json::invalid_utf8_position("a\xed\xa0\x80") == 1);       // UTF-16 surrogate
  CHECK(json::invalid_utf8_position("\xf4\x90\x80\x80") == 0);    // past U+10FFFF
  CHECK(json::invalid_utf8_position("abc\xe2\x82") == 3);         // cut short
  CHECK(json::invalid_utf8_position("\x80") == 0);                // lone continuation byte
}
