// tests/data/data_support.hpp — helpers of the test_data suite (tests/data/*.cpp): an i64 tensor as a
// vector, and small numbered datasets (row i filled with i, target i % classes), with and without a
// get_batch of their own, whose batches give back their row numbers.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "fulcrum.hpp"

namespace fulcrum::testing::data_tests {

using namespace fulcrum::data;

inline std::vector<int64_t> as_vector(const Tensor& t) { return t.to_vector<int64_t>(); }

// inputs [n, 1, 2, 2] f32 filled with the row number, targets = row % classes.
inline std::shared_ptr<TensorDataset> numbered_dataset(int64_t n, int64_t classes) {
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
inline std::vector<int64_t> row_numbers(const Batch& batch) {
  std::vector<int64_t> rows;
  for (int64_t b = 0; b < batch.inputs.size(0); ++b) {
    rows.push_back(static_cast<int64_t>(batch.inputs.at({b, 0, 0, 0})));
  }
  return rows;
}

}  // namespace fulcrum::testing::data_tests
