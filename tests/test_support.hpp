// tests/test_support.hpp — helpers the doctest suites share: the message of the fulcrum::Error an
// expression throws and a check that it names what it should (CHECK_ERROR_CONTAINS), tensor
// comparisons (check_close, check_close_within, check_scalar), reading and writing whole files, a
// self-removing temp dir, and a gradcheck that reports its message on failure. Real shared
// data: shared_data.hpp.
#pragma once
#include <doctest/doctest.h>
#include <unistd.h>

#include <exception>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <initializer_list>
#include <string>
#include <vector>

#include "autograd/gradcheck.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/tensor.hpp"

namespace fulcrum::testing {

// The markers error_message returns when `fn` throws something else, or nothing.
inline constexpr const char* kNotAnError = "<not a fulcrum::Error: ";
inline constexpr const char* kNoException = "<no exception>";

// The message of the fulcrum::Error `fn` throws, or a marker that check_contains rejects.
template <typename F> std::string error_message(F&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string(kNotAnError).append(e.what()).append(">");
  } catch (...) {
    return std::string(kNotAnError).append("not even a std::exception>");
  }
  return kNoException;
}

// Writes `bytes` to `path` (creating its folders): the crafted files of the reader tests.
inline void write_file(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

// The whole content of `path` (empty when it cannot be read).
inline std::vector<uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Same shape and allclose(actual, expected, rtol, atol) (values compared as f64, NaN never matches);
// prints both on failure. The defaults suit f64 results checked against printed f64 references:
// 12 significant digits, and a tiny atol so that an expected exact zero absorbs round-off.
inline void check_close(const Tensor& actual, const Tensor& expected, double rtol = 1e-12, double atol = 1e-14) {
  INFO("actual:   " << actual);
  INFO("expected: " << expected);
  REQUIRE(actual.shape() == expected.shape());
  CHECK(allclose(actual.to(DType::f64), expected.to(DType::f64), rtol, atol));
}
// check_close with one `tolerance` as both rtol and atol; the default suits f32 layer outputs.
inline void check_close_within(const Tensor& actual, const Tensor& expected, double tolerance = 1e-6) {
  check_close(actual, expected, tolerance, tolerance);
}
// A 0-d result equal to `expected` within the relative tolerance `rtol` (doctest::Approx's epsilon).
inline void check_scalar(const Tensor& actual, double expected, double rtol = 1e-12) {
  INFO("actual: " << actual);
  REQUIRE(actual.dim() == 0);
  CHECK(actual.item() == doctest::Approx(expected).epsilon(rtol));
}

// Every part occurs in the message (each missing part is its own failed check), and the message
// came from a fulcrum::Error: a std::runtime_error that happens to say the right words fails.
inline void check_contains(const std::string& message, std::initializer_list<std::string> parts) {
  INFO("message: " << message);
  CHECK_MESSAGE(message.rfind(kNotAnError, 0) == std::string::npos, "the exception is not a fulcrum::Error");
  CHECK_MESSAGE(message != kNoException, "nothing was thrown");
  for (const std::string& part : parts) {
    CHECK_MESSAGE(message.find(part) != std::string::npos, "the message lacks \"" << part << "\"");
  }
}

// A fresh directory under the system temp dir, removed with everything in it at scope exit.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static int counter = 0;
    std::string name = "fulcrum_test_";
    name.append(std::to_string(::getpid())).append("_").append(std::to_string(counter++));
    path = std::filesystem::temp_directory_path() / name;
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path operator/(const std::string& name) const { return path / name; }
};

// f64 gradcheck of `fn` at `inputs`; on failure the check names `label` and shows the report.
inline void run_gradcheck(const std::string& label, const std::function<Tensor(const std::vector<Tensor>&)>& fn,
                          const std::vector<Tensor>& inputs) {
  GradcheckResult result = gradcheck(fn, inputs, {.name = label});
  INFO(result.message);
  CHECK_MESSAGE(result.ok, label);
}

}  // namespace fulcrum::testing

// `expr` throws a fulcrum::Error whose message contains every one of the following strings.
#define CHECK_ERROR_CONTAINS(expr, ...) \
  ::fulcrum::testing::check_contains(::fulcrum::testing::error_message([&] { (void)(expr); }), {__VA_ARGS__})
