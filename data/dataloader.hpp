// data/dataloader.hpp — DataLoader: batches of a Dataset in the order a Sampler gives for each
// epoch (torch.utils.data.DataLoader). The dataset interface is dataset.hpp, the orders are
// sampler.hpp. Worker threads that prefetch batches will slot into the Iterator without
// changing the order: the sampler fixes it per epoch before any batch is built.
//
//   DataLoader loader(train, {.batch_size = 64, .shuffle = true, .generator = Generator(1)});
//   for (int epoch = 0; epoch < 20; ++epoch)
//     for (const Batch& batch : loader) { … batch.inputs [64, 1, 28, 28], batch.targets [64] … }
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
  // Seeds the shuffle. Unset: a seed is drawn from the default generator when the loader is
  // built, so manual_seed(s) fixes it, as torch.manual_seed does for PyTorch's loader.
  std::optional<Generator> generator = std::nullopt;
  // A custom order (e.g. a re-balancing sampler) instead of shuffle; setting both is an Error.
  std::shared_ptr<const Sampler> sampler = nullptr;
  // Applied to every loaded example (augmentation), with a generator that depends only on
  // (generator seed, epoch, position in the epoch). `transform_classes` non-empty: only examples
  // whose label is listed are transformed (augment the minority classes only).
  std::shared_ptr<const Transform> transform = nullptr;
  std::vector<int64_t> transform_classes = {};
};

class DataLoader {
public:
  class Iterator;

  DataLoader(std::shared_ptr<const Dataset> dataset, DataLoaderOptions options = {});

  // Each range-for runs one epoch: begin() takes the order of epoch `epoch()` and moves the
  // counter on, so the next loop gets the next epoch's order.
  Iterator begin();
  Iterator end() const;
  int64_t size() const;                // batches per epoch
  int64_t epoch() const { return epoch_; }
  void set_epoch(int64_t epoch);       // the epoch the next begin() runs (to resume a run)

  // The index lists of one epoch's batches, and one batch built from a list: what begin()
  // uses, exposed for tests, tools and the prefetching workers to come.
  std::vector<std::vector<int64_t>> batch_indices(int64_t epoch) const;
  Batch batch(const std::vector<int64_t>& indices) const { return dataset_->get_batch(indices); }

  const Dataset& dataset() const { return *dataset_; }
  const Sampler& sampler() const { return *sampler_; }
  const DataLoaderOptions& options() const { return options_; }

private:
  std::shared_ptr<const Dataset> dataset_;
  std::shared_ptr<const Sampler> sampler_;
  DataLoaderOptions options_;
  int64_t epoch_ = 0;
};

// An input iterator over one epoch's batches; the batch is built when the iterator arrives on it.
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
  Iterator(const DataLoader* loader, std::shared_ptr<const std::vector<std::vector<int64_t>>> batches,
           int64_t position);
  void load();

  const DataLoader* loader_ = nullptr;
  std::shared_ptr<const std::vector<std::vector<int64_t>>> batches_;
  int64_t position_ = 0;
  Batch current_;
};

}  // namespace fulcrum::data
