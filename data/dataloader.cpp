// data/dataloader.cpp — DataLoader: picks the batch sampler (torch's BatchSampler over a
// sequential, random or user sampler, or the user's batch_sampler), builds each batch (one
// get_batch, or per example get → transform → stack), and runs an epoch either in the calling
// thread or on worker threads that fill a bounded window of batches ahead of the loop.
#include "data/dataloader.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "autograd/node.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"

namespace fulcrum::data {
namespace {

constexpr uint64_t kTransformKey = 0x9E3779B97F4A7C15ULL;  // ⌊2^64 / φ⌋: any fixed odd constant

// SplitMix64's finaliser (Steele, Lea, Flood 2014): a bijection of 64-bit words that scatters
// every input bit over the whole output, so nearby (epoch, position) pairs get unrelated keys.
uint64_t mix64(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// A seed for an unseeded shuffle or transform, from the default generator (what manual_seed sets).
Generator generator_from_default() {
  Generator& source = default_generator();
  const auto words = source.block(source.reserve_blocks(1));
  return Generator((static_cast<uint64_t>(words[0]) << 32) | words[1]);
}

}  // namespace

Generator example_generator(const Generator& base, int64_t epoch, int64_t position) {
  FULCRUM_CHECK(epoch >= 0 && position >= 0,
                "example_generator: epoch and position must be >= 0, got epoch " << epoch << ", position "
                                                                                 << position);
  uint64_t key = mix64(base.seed() ^ kTransformKey);
  key = mix64(key ^ base.offset());
  key = mix64(key ^ static_cast<uint64_t>(epoch));
  key = mix64(key ^ static_cast<uint64_t>(position));
  return Generator(key);
}

// ---------------------------------------------------------------- building one batch

struct DataLoader::Builder {
  std::shared_ptr<const Dataset> dataset;
  std::shared_ptr<const Transform> transform;
  std::vector<int64_t> transform_classes;
  Generator seed;

  bool transforms(int64_t target) const {
    return transform_classes.empty() ||
           std::find(transform_classes.begin(), transform_classes.end(), target) != transform_classes.end();
  }

  Batch build(const std::vector<int64_t>& indices, int64_t epoch, int64_t first_position) const {
    NoGradGuard no_grad;  // loading never records a graph, whatever thread it runs on
    if (!transform) return dataset->get_batch(indices);
    std::vector<Tensor> inputs;
    std::vector<int64_t> targets;
    for (size_t k = 0; k < indices.size(); ++k) {
      Example example = dataset->get(indices[k]);
      const int64_t position = first_position + static_cast<int64_t>(k);
      if (transforms(example.target)) {
        Generator generator = example_generator(seed, epoch, position);
        example.input = (*transform)(example.input, generator);
      }
      FULCRUM_CHECK(example.input.defined() && (inputs.empty() || example.input.shape() == inputs[0].shape()),
                    "DataLoader: example " << indices[k] << " (position " << position << " of epoch " << epoch
                                           << ") has input "
                                           << (example.input.defined() ? shape_str(example.input.shape())
                                                                       : std::string("<undefined>"))
                                           << " after " << transform->repr() << ", but the batch's first has "
                                           << (inputs.empty() ? std::string("-") : shape_str(inputs[0].shape()))
                                           << "; a batch needs one shape");
      inputs.push_back(std::move(example.input));
      targets.push_back(example.target);
    }
    return {stack(inputs, 0), from_data(targets, {static_cast<int64_t>(targets.size())})};
  }
};

// ---------------------------------------------------------------- one epoch in flight

struct DataLoader::Run {
  std::shared_ptr<const Builder> builder;
  int64_t epoch = 0;
  std::vector<std::vector<int64_t>> batches;
  std::vector<int64_t> first_position;  // position in the epoch of each batch's first example

  // Workers only. Everything below `mutex` is guarded by it.
  struct Finished {
    Batch batch;
    std::exception_ptr error;
  };
  std::vector<std::thread> workers;
  std::mutex mutex;
  std::condition_variable finished_one;  // a worker stored a batch (the loop may be waiting)
  std::condition_variable window_moved;  // the loop took a batch, or stop (workers may be waiting)
  int64_t next_to_build = 0;             // batches are claimed in order
  int64_t handed_out = 0;                // batches the loop has taken
  int64_t window = 0;                    // prefetch_factor · num_workers
  std::map<int64_t, Finished> finished;  // built, not yet taken: ≤ window entries
  bool stop = false;

  int64_t count() const { return static_cast<int64_t>(batches.size()); }

  Batch build(int64_t b) const {
    return builder->build(batches[static_cast<size_t>(b)], epoch, first_position[static_cast<size_t>(b)]);
  }

  void start(int64_t num_workers, int64_t prefetch_factor) {
    // prefetch_factor · num_workers, capped at the epoch's batch count (so a huge prefetch_factor
    // meaning "no limit" cannot overflow).
    window = prefetch_factor > count() / num_workers ? count() : num_workers * prefetch_factor;
    for (int64_t w = 0; w < num_workers; ++w) workers.emplace_back([this] { work(); });
  }

  void work() {
    for (;;) {
      int64_t b = 0;
      {
        std::unique_lock<std::mutex> lock(mutex);
        window_moved.wait(lock, [&] { return stop || next_to_build >= count() || next_to_build - handed_out < window; });
        if (stop || next_to_build >= count()) return;
        b = next_to_build++;
      }
      Finished result;
      try {
        result.batch = build(b);
      } catch (...) {
        result.error = std::current_exception();
      }
      {
        std::lock_guard<std::mutex> lock(mutex);
        finished.emplace(b, std::move(result));
      }
      finished_one.notify_all();
    }
  }

  // Batch b, in order (b = 0, 1, …): built here without workers, else waited for.
  Batch take(int64_t b) {
    if (workers.empty()) return build(b);
    Finished result;
    {
      std::unique_lock<std::mutex> lock(mutex);
      finished_one.wait(lock, [&] { return finished.count(b) > 0; });
      auto found = finished.find(b);
      result = std::move(found->second);
      finished.erase(found);
      handed_out = b + 1;
    }
    window_moved.notify_all();
    if (result.error) std::rethrow_exception(result.error);
    return std::move(result.batch);
  }

  ~Run() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop = true;
    }
    window_moved.notify_all();
    for (std::thread& worker : workers) worker.join();  // a worker mid-batch finishes it first
  }
};

// ---------------------------------------------------------------- DataLoader

DataLoader::DataLoader(std::shared_ptr<const Dataset> dataset, DataLoaderOptions options)
    : dataset_(std::move(dataset)), options_(std::move(options)) {
  FULCRUM_CHECK(dataset_ != nullptr, "DataLoader: the dataset is null");
  FULCRUM_CHECK(options_.batch_size >= 1, "DataLoader: batch_size must be ≥ 1, got " << options_.batch_size);
  FULCRUM_CHECK(!(options_.shuffle && options_.sampler),
                "DataLoader: a sampler fixes the order, so it cannot be combined with shuffle = true "
                "(PyTorch: 'sampler option is mutually exclusive with shuffle')");
  FULCRUM_CHECK(!options_.batch_sampler || (options_.batch_size == 1 && !options_.shuffle && !options_.sampler &&
                                            !options_.drop_last),
                "DataLoader: batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and "
                "drop_last (got batch_size "
                    << options_.batch_size << ", shuffle " << options_.shuffle << ", sampler "
                    << (options_.sampler ? "set" : "unset") << ", drop_last " << options_.drop_last << ")");
  FULCRUM_CHECK(options_.num_workers >= 0, "DataLoader: num_workers must be ≥ 0, got " << options_.num_workers);
  FULCRUM_CHECK(options_.prefetch_factor >= 1,
                "DataLoader: prefetch_factor must be ≥ 1, got " << options_.prefetch_factor);
  for (int64_t label : options_.transform_classes) {
    FULCRUM_CHECK(label >= 0, "DataLoader: transform_classes holds " << label << "; classes are ≥ 0");
  }
  // One seed for the shuffle and the transforms, drawn from the default generator only if needed.
  std::optional<Generator> seed = options_.generator;
  if (!seed && (options_.shuffle || options_.transform)) seed = generator_from_default();

  if (options_.batch_sampler) {
    batch_sampler_ = options_.batch_sampler;
  } else {
    if (options_.sampler) {
      sampler_ = options_.sampler;
    } else if (options_.shuffle) {
      sampler_ = std::make_shared<RandomSampler>(dataset_->size(), *seed);
    } else {
      sampler_ = std::make_shared<SequentialSampler>(dataset_->size());
    }
    batch_sampler_ = std::make_shared<ChunkBatchSampler>(sampler_, options_.batch_size, options_.drop_last);
  }
  builder_ = std::make_shared<const Builder>(
      Builder{dataset_, options_.transform, options_.transform_classes, seed.value_or(Generator(0))});
}

const Sampler& DataLoader::sampler() const {
  FULCRUM_CHECK(sampler_ != nullptr, "DataLoader::sampler: this loader runs on a batch_sampler, not a sampler");
  return *sampler_;
}

int64_t DataLoader::size() const { return batch_sampler_->size(); }

void DataLoader::set_epoch(int64_t epoch) {
  FULCRUM_CHECK(epoch >= 0, "DataLoader::set_epoch: epoch must be ≥ 0, got " << epoch);
  epoch_ = epoch;
}

std::vector<std::vector<int64_t>> DataLoader::batch_indices(int64_t epoch) const {
  return batch_sampler_->batches(epoch);
}

Batch DataLoader::batch(const std::vector<int64_t>& indices, int64_t epoch, int64_t first_position) const {
  return builder_->build(indices, epoch, first_position);
}

DataLoader::Iterator DataLoader::begin() {
  auto run = std::make_shared<Run>();
  run->builder = builder_;
  run->epoch = epoch_;
  run->batches = batch_indices(epoch_);
  FULCRUM_CHECK(run->count() == size(), "DataLoader: the batch sampler gave " << run->count() << " batches for epoch "
                                                                            << epoch_ << " but its size() is " << size());
  int64_t position = 0;
  for (const auto& indices : run->batches) {
    FULCRUM_CHECK(!indices.empty(), "DataLoader: the batch sampler gave an empty batch in epoch " << epoch_);
    run->first_position.push_back(position);
    position += static_cast<int64_t>(indices.size());
  }
  ++epoch_;
  if (options_.num_workers > 0 && run->count() > 0) run->start(options_.num_workers, options_.prefetch_factor);
  return Iterator(std::move(run), 0);
}

DataLoader::Iterator DataLoader::end() const { return Iterator(nullptr, size()); }

DataLoader::Iterator::Iterator(std::shared_ptr<Run> run, int64_t position) : run_(std::move(run)), position_(position) {
  load();
}

void DataLoader::Iterator::load() {
  current_ = Batch{};
  if (run_ && position_ < run_->count()) {
    current_ = run_->take(position_);
  } else {
    run_.reset();  // past the end: the workers are done, let them go now
  }
}

DataLoader::Iterator& DataLoader::Iterator::operator++() {
  ++position_;
  load();
  return *this;
}

}  // namespace fulcrum::data
