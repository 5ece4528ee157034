// data/dataloader.cpp — DataLoader: picks the sampler (sequential, random or the user's), cuts
// an epoch's order into batches of indices, and builds each batch with Dataset::get_batch (one
// index_select for in-memory data, a stack of get(i) otherwise).
#include "data/dataloader.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace fulcrum::data {
namespace {

// A seed for an unseeded shuffle, from the default generator (what manual_seed sets).
Generator generator_from_default() {
  Generator& source = default_generator();
  const auto words = source.block(source.reserve_blocks(1));
  return Generator((static_cast<uint64_t>(words[0]) << 32) | words[1]);
}

}  // namespace

DataLoader::DataLoader(std::shared_ptr<const Dataset> dataset, DataLoaderOptions options)
    : dataset_(std::move(dataset)), options_(std::move(options)) {
  FULCRUM_CHECK(dataset_ != nullptr, "DataLoader: the dataset is null");
  FULCRUM_CHECK(options_.batch_size >= 1, "DataLoader: batch_size must be ≥ 1, got " << options_.batch_size);
  FULCRUM_CHECK(!(options_.shuffle && options_.sampler),
                "DataLoader: a sampler fixes the order, so it cannot be combined with shuffle = true "
                "(PyTorch: 'sampler option is mutually exclusive with shuffle')");
  if (options_.sampler) {
    sampler_ = options_.sampler;
  } else if (options_.shuffle) {
    sampler_ = std::make_shared<RandomSampler>(dataset_->size(),
                                               options_.generator ? *options_.generator : generator_from_default());
  } else {
    sampler_ = std::make_shared<SequentialSampler>(dataset_->size());
  }
}

int64_t DataLoader::size() const {
  const int64_t count = sampler_->size();
  const int64_t batch = options_.batch_size;
  return options_.drop_last ? count / batch : (count + batch - 1) / batch;
}

void DataLoader::set_epoch(int64_t epoch) {
  FULCRUM_CHECK(epoch >= 0, "DataLoader::set_epoch: epoch must be ≥ 0, got " << epoch);
  epoch_ = epoch;
}

std::vector<std::vector<int64_t>> DataLoader::batch_indices(int64_t epoch) const {
  const std::vector<int64_t> order = sampler_->indices(epoch);
  const auto count = static_cast<int64_t>(order.size());
  FULCRUM_CHECK(count == sampler_->size(), "DataLoader: the sampler gave " << count << " indices for epoch " << epoch
                                                                          << " but its size() is " << sampler_->size());
  const int64_t batch = options_.batch_size;
  std::vector<std::vector<int64_t>> batches;
  for (int64_t start = 0; start < count; start += batch) {
    const int64_t end = std::min(start + batch, count);
    if (options_.drop_last && end - start < batch) break;
    batches.emplace_back(order.begin() + start, order.begin() + end);
  }
  return batches;
}

DataLoader::Iterator DataLoader::begin() {
  auto batches = std::make_shared<const std::vector<std::vector<int64_t>>>(batch_indices(epoch_));
  ++epoch_;
  return Iterator(this, std::move(batches), 0);
}

DataLoader::Iterator DataLoader::end() const { return Iterator(this, nullptr, size()); }

DataLoader::Iterator::Iterator(const DataLoader* loader,
                               std::shared_ptr<const std::vector<std::vector<int64_t>>> batches, int64_t position)
    : loader_(loader), batches_(std::move(batches)), position_(position) {
  load();
}

void DataLoader::Iterator::load() {
  if (batches_ && position_ < static_cast<int64_t>(batches_->size())) {
    current_ = loader_->batch((*batches_)[static_cast<size_t>(position_)]);
  } else {
    current_ = Batch{};
  }
}

DataLoader::Iterator& DataLoader::Iterator::operator++() {
  ++position_;
  load();
  return *this;
}

}  // namespace fulcrum::data
