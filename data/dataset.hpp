// data/dataset.hpp — the Dataset interface (size, get, targets), the in-memory TensorDataset,
// Subset (an index view over a shared source: how imbalanced versions coexist with the
// original), and class_counts of a dataset. Readers that build datasets: idx.hpp, mnist.hpp; imbalance
// builders: imbalance.hpp; batching: dataloader.hpp.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/class_labels.hpp"
#include "core/tensor.hpp"

namespace fulcrum::data {

// One example: an input tensor (e.g. [1, 28, 28] f32) and its class label.
struct Example {
  Tensor input;
  int64_t target = 0;
};

// Many examples stacked along a new first dim: inputs [B, ...], targets i64 [B].
struct Batch {
  Tensor inputs;
  Tensor targets;
};

// torch.utils.data.Dataset, for classification: labels are integers in [0, num_classes).
class Dataset {
public:
  virtual ~Dataset() = default;
  virtual int64_t size() const = 0;
  virtual Example get(int64_t index) const = 0;
  // Every label in order, without decoding any input: what samplers and class counts need.
  virtual std::vector<int64_t> targets() const = 0;
  // The examples at `indices`, stacked. The default stacks get(i) one by one; in-memory
  // datasets override it with one gather (PyTorch's __getitems__).
  virtual Batch get_batch(const std::vector<int64_t>& indices) const;
  // max(target) + 1 by default; a Subset reports its source's, so a view that happens to
  // miss a class still has the source's label space.
  virtual int64_t num_classes() const;
};

// Every example in memory: inputs [N, ...] (any dtype; f32 for training) and targets i64 [N].
// get(i) is a view of row i (no copy); get_batch gathers rows with one index_select.
class TensorDataset : public Dataset {
public:
  TensorDataset(Tensor inputs, Tensor targets);
  int64_t size() const override { return inputs_.size(0); }
  Example get(int64_t index) const override;
  std::vector<int64_t> targets() const override;
  Batch get_batch(const std::vector<int64_t>& indices) const override;
  int64_t num_classes() const override { return num_classes_; }
  const Tensor& inputs() const { return inputs_; }
  const Tensor& target_tensor() const { return targets_; }

private:
  Tensor inputs_;   // contiguous, so a batch gather never copies the whole set first
  Tensor targets_;  // i64 [N]
  int64_t num_classes_ = 0;
};

// torch.utils.data.Subset: example i is source[indices[i]]. The source is shared, never
// modified; any number of subsets (train / validation / long-tail) can view one source.
class Subset : public Dataset {
public:
  Subset(std::shared_ptr<const Dataset> source, std::vector<int64_t> indices);
  int64_t size() const override { return static_cast<int64_t>(indices_.size()); }
  Example get(int64_t index) const override;
  std::vector<int64_t> targets() const override;
  Batch get_batch(const std::vector<int64_t>& indices) const override;
  int64_t num_classes() const override { return source_->num_classes(); }
  const std::vector<int64_t>& indices() const { return indices_; }
  const std::shared_ptr<const Dataset>& source() const { return source_; }

private:
  std::shared_ptr<const Dataset> source_;
  std::vector<int64_t> indices_;
  std::vector<int64_t> source_indices(const std::vector<int64_t>& indices) const;
};

// counts[c] = number of targets equal to c, for c in [0, dataset.num_classes()); the counting and
// its checks are fulcrum::class_counts (core/class_labels.hpp), whose vector and Tensor forms are
// also reachable here as data::class_counts.
using fulcrum::class_counts;
std::vector<int64_t> class_counts(const Dataset& dataset);

}  // namespace fulcrum::data
