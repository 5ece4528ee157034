// data/dataloader.hpp — DataLoader: batches of a Dataset in the order a Sampler (or a
// BatchSampler) gives for each epoch (torch.utils.data.DataLoader), with an optional per-example
// Transform and worker threads that build batches ahead. The dataset interface is dataset.hpp,
// the orders are sampler.hpp, the Transform interface transforms.hpp.
//
//   DataLoader loader(train, {.batch_size = 64, .shuffle = true, .generator = Generator(1),
//                             .num_workers = 2});
//   for (int epoch = 0; epoch < 20; ++epoch)
//     for (const Batch& batch : loader) { … batch.inputs [64, 1, 28, 28], batch.targets [64] … }
//
// Determinism: the batches of epoch e are fixed before any is built (the batch sampler's list for
// e), and batch b is a pure function of (dataset, its index list, e, its position): the example
// at position p of the epoch (counting from 0 over the whole epoch, batch after batch) is
// transformed with example_generator(seed, e, p). So 0, 1 or 4 workers give identical batches,
// in the same order.
//
// Workers (num_workers > 0): std::threads started by begin() and joined when the epoch's last
// iterator goes away (end of the loop, a break, an exception, the loader destroyed: the epoch
// holds its own references to the dataset, the sampler's list and the transform). They take the
// batches in order from a shared counter; a worker may start batch b only while
// b < (batches already handed out) + prefetch_factor · num_workers, so at most
// prefetch_factor · num_workers batches are built or being built ahead of the loop, plus the one
// the loop holds: memory is bounded by that many batches. A batch that throws (a transform, a bad
// index) is stored as its exception and rethrown in the loop when it reaches that batch. Calling
// begin() again before an epoch ends starts a new epoch with its own workers; the old one stops
// and joins when its iterator is destroyed. Dataset::get / get_batch and Transform::operator()
// must be safe to call from several threads at once (they are const; the built-in ones are).
#pragma once
#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <vector>

#include "core/rng.hpp"
#include "data/dataset.hpp"
#include "data/sampler.hpp"
#include "data/transforms.hpp"

namespace fulcrum::data {

struct DataLoaderOptions {
  int64_t batch_size = 1;
  bool shuffle = false;    // a RandomSampler: a new permutation every epoch
  bool drop_last = false;  // drop the last batch when it is smaller than batch_size
  // Seeds the shuffle and the transforms. Unset: a seed is drawn from the default generator when
  // the loader is built (only if shuffle or a transform needs one), so manual_seed(s) fixes it,
  // as torch.manual_seed does for PyTorch's loader.
  std::optional<Generator> generator = std::nullopt;
  // A custom order (e.g. a re-balancing sampler) instead of shuffle; setting both is an Error.
  std::shared_ptr<const Sampler> sampler = nullptr;
  // Whole batches from a BatchSampler (e.g. BalancedBatchSampler). As in PyTorch it is mutually
  // exclusive with batch_size (≠ 1), shuffle, sampler and drop_last: an Error otherwise.
  std::shared_ptr<const BatchSampler> batch_sampler = nullptr;
  // Applied to every loaded example (augmentation), with example_generator(seed, epoch,
  // position). `transform_classes` non-empty: only examples whose label is listed are
  // transformed (augment the minority classes only). All transformed and untransformed inputs
  // of a batch must have one shape (they are stacked).
  std::shared_ptr<const Transform> transform = nullptr;
  std::vector<int64_t> transform_classes = {};
  // 0: batches are built in the calling thread when the loop reaches them. n > 0: n worker
  // threads build up to prefetch_factor · n batches ahead (PyTorch's defaults: 0 and 2).
  int64_t num_workers = 0;
  int64_t prefetch_factor = 2;
};

// The generator handed to the transform for the example at `position` (0-based, over the whole
// epoch) of epoch `epoch`: a fresh Philox key per example, key = hash(seed ⊕ 0x9E3779B97F4A7C15,
// base offset, epoch, position) with the SplitMix64 finaliser at each step, counter from 0. A
// distinct key is a distinct Philox stream (Salmon et al. 2011), so every example owns a full
// 2^64-block stream — a transform may draw as much as it likes (noise on a 3×224×224 image
// included) without reaching another example's numbers — and the key cannot coincide with the
// samplers', which use the seed itself, except by a 2^-64 accident. It depends on nothing else:
// not on the worker, nor on what other examples drew. epoch and position must be ≥ 0.
Generator example_generator(const Generator& base, int64_t epoch, int64_t position);

class DataLoader {
public:
  class Iterator;

  DataLoader(std::shared_ptr<const Dataset> dataset, DataLoaderOptions options = {});

  // Each range-for runs one epoch: begin() takes the batches of epoch `epoch()` (and starts the
  // workers) and moves the counter on, so the next loop gets the next epoch's order.
  Iterator begin();
  Iterator end() const;
  int64_t size() const;                // batches per epoch
  int64_t epoch() const { return epoch_; }
  void set_epoch(int64_t epoch);       // the epoch the next begin() runs (to resume a run)

  // The index lists of one epoch's batches, and a batch built from a list: what begin() uses,
  // exposed for tests and tools. batch(indices) is the raw gather (no transform);
  // batch(indices, epoch, first_position) is what the loop yields for a batch whose first
  // example sits at `first_position` of the epoch (the transform applied).
  std::vector<std::vector<int64_t>> batch_indices(int64_t epoch) const;
  Batch batch(const std::vector<int64_t>& indices) const { return dataset_->get_batch(indices); }
  Batch batch(const std::vector<int64_t>& indices, int64_t epoch, int64_t first_position) const;

  const Dataset& dataset() const { return *dataset_; }
  const Sampler& sampler() const;  // an Error when the loader runs on a batch_sampler
  const BatchSampler& batch_sampler() const { return *batch_sampler_; }
  const DataLoaderOptions& options() const { return options_; }

private:
  // What builds a batch: shared with the epoch's workers, so it outlives the loader if needed.
  struct Builder;
  // One epoch in flight: its batch lists, the workers and the finished batches (dataloader.cpp).
  struct Run;

  std::shared_ptr<const Dataset> dataset_;
  std::shared_ptr<const Sampler> sampler_;  // null with a user batch_sampler
  std::shared_ptr<const BatchSampler> batch_sampler_;
  std::shared_ptr<const Builder> builder_;
  DataLoaderOptions options_;
  int64_t epoch_ = 0;
};

// An input iterator over one epoch's batches. Copies share the epoch; the workers stop when the
// last copy is gone.
class DataLoader::Iterator {
public:
  using iterator_category = std::input_iterator_tag;
  using value_type = Batch;
  using difference_type = std::ptrdiff_t;
  using pointer = const Batch*;
  using reference = const Batch&;

  const Batch& operator*() const { return current_; }
  const Batch* operator->() const { return &current_; }
  Iterator& operator++();
  bool operator==(const Iterator& other) const { return position_ == other.position_; }

private:
  friend class DataLoader;
  Iterator(std::shared_ptr<Run> run, int64_t position);
  void load();

  std::shared_ptr<Run> run_;
  int64_t position_ = 0;
  Batch current_;
};

}  // namespace fulcrum::data
