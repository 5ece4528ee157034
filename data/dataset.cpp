// data/dataset.cpp — Dataset's default batch (stack get(i)), TensorDataset (views and one
// index_select per batch), Subset (index mapping into a shared source), class_counts.
#include "data/dataset.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/ops.hpp"

namespace fulcrum::data {
namespace {

void check_index(const char* where, int64_t index, int64_t size) {
  FULCRUM_CHECK(index >= 0 && index < size,
                where << ": index " << index << " is out of range for a dataset of size " << size);
}

Tensor index_tensor(const std::vector<int64_t>& indices) {
  return from_data(indices, {static_cast<int64_t>(indices.size())});
}

}  // namespace

// ---- Dataset ----

Batch Dataset::get_batch(const std::vector<int64_t>& indices) const {
  FULCRUM_CHECK(!indices.empty(), "Dataset::get_batch: expected at least one index");
  std::vector<Tensor> inputs;
  std::vector<int64_t> targets;
  inputs.reserve(indices.size());
  targets.reserve(indices.size());
  for (int64_t index : indices) {
    Example example = get(index);
    inputs.push_back(std::move(example.input));
    targets.push_back(example.target);
  }
  return {stack(inputs, 0), index_tensor(targets)};
}

int64_t Dataset::num_classes() const {
  const std::vector<int64_t> all = targets();
  return all.empty() ? 0 : *std::max_element(all.begin(), all.end()) + 1;
}

// ---- TensorDataset ----

TensorDataset::TensorDataset(Tensor inputs, Tensor targets) {
  FULCRUM_CHECK(inputs.defined() && targets.defined(), "TensorDataset: inputs and targets must be defined");
  FULCRUM_CHECK(inputs.dim() >= 1, "TensorDataset: inputs must have a first (example) dim, got a 0-d tensor");
  FULCRUM_CHECK(targets.dtype() == DType::i64 && targets.dim() == 1,
                "TensorDataset: targets must be a 1-D i64 tensor, got " << dtype_name(targets.dtype()) << " "
                                                                       << shape_str(targets.shape()));
  FULCRUM_CHECK(inputs.size(0) == targets.size(0), "TensorDataset: " << inputs.size(0) << " inputs "
                                                                     << shape_str(inputs.shape()) << " but "
                                                                     << targets.size(0) << " targets");
  inputs_ = inputs.detach().contiguous();
  targets_ = targets.detach().contiguous();
  const int64_t* values = targets_.data_ptr<int64_t>();
  for (int64_t i = 0; i < targets_.numel(); ++i) {
    FULCRUM_CHECK(values[i] >= 0, "TensorDataset: target " << i << " is " << values[i]
                                                           << "; class labels must be ≥ 0");
    num_classes_ = std::max(num_classes_, values[i] + 1);
  }
}

Example TensorDataset::get(int64_t index) const {
  check_index("TensorDataset::get", index, size());
  return {inputs_.select(0, index), targets_.data_ptr<int64_t>()[index]};
}

std::vector<int64_t> TensorDataset::targets() const {
  const int64_t* values = targets_.data_ptr<int64_t>();
  return std::vector<int64_t>(values, values + targets_.numel());
}

Batch TensorDataset::get_batch(const std::vector<int64_t>& indices) const {
  FULCRUM_CHECK(!indices.empty(), "TensorDataset::get_batch: expected at least one index");
  for (int64_t index : indices) check_index("TensorDataset::get_batch", index, size());
  const Tensor rows = index_tensor(indices);
  return {index_select(inputs_, 0, rows), index_select(targets_, 0, rows)};
}

// ---- Subset ----

Subset::Subset(std::shared_ptr<const Dataset> source, std::vector<int64_t> indices)
    : source_(std::move(source)), indices_(std::move(indices)) {
  FULCRUM_CHECK(source_ != nullptr, "Subset: the source dataset is null");
  const int64_t source_size = source_->size();
  for (size_t i = 0; i < indices_.size(); ++i) {
    FULCRUM_CHECK(indices_[i] >= 0 && indices_[i] < source_size,
                  "Subset: index " << indices_[i] << " (at position " << i
                                   << ") is out of range for a source of size " << source_size);
  }
}

std::vector<int64_t> Subset::source_indices(const std::vector<int64_t>& indices) const {
  std::vector<int64_t> mapped;
  mapped.reserve(indices.size());
  for (int64_t index : indices) {
    check_index("Subset", index, size());
    mapped.push_back(indices_[static_cast<size_t>(index)]);
  }
  return mapped;
}

Example Subset::get(int64_t index) const {
  check_index("Subset::get", index, size());
  return source_->get(indices_[static_cast<size_t>(index)]);
}

std::vector<int64_t> Subset::targets() const {
  const std::vector<int64_t> all = source_->targets();
  std::vector<int64_t> mapped;
  mapped.reserve(indices_.size());
  for (int64_t index : indices_) mapped.push_back(all[static_cast<size_t>(index)]);
  return mapped;
}

Batch Subset::get_batch(const std::vector<int64_t>& indices) const {
  return source_->get_batch(source_indices(indices));
}

// ---- class counts ----

std::vector<int64_t> class_counts(const Dataset& dataset) {
  return class_counts(dataset.targets(), dataset.num_classes());
}

}  // namespace fulcrum::data
