// tests/fuzz/fuzz_csv.cpp — libFuzzer harness for read_csv (data/csv.hpp): each input read with
// the label column "y" (every other column a feature), and again filtered on s == train as f64
// with ';' as the delimiter.
#include "data/csv.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fulcrum::data;
  static fulcrum::fuzz::ScratchFile scratch(".csv");
  const auto& path = scratch.write(data, size);
  fulcrum::fuzz::refuse_or_read([&] { read_csv(path, {.label_column = "y"}); });
  fulcrum::fuzz::refuse_or_read([&] {
    read_csv(path, {.label_column = "y", .filter_column = "s", .filter_value = "train", .dtype = fulcrum::DType::f64,
                    .delimiter = ';'});
  });
  return 0;
}
