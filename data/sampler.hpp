// data/sampler.hpp — Sampler: the order in which a DataLoader visits a dataset, one epoch at a
// time (torch.utils.data.Sampler). Here: SequentialSampler and RandomSampler; the re-balancing
// samplers (weighted, class-balanced, square-root, progressive, …) join them later. The loader
// that consumes them is dataloader.hpp.
#pragma once
#include <cstdint>
#include <vector>

#include "core/rng.hpp"

namespace fulcrum::data {

// A sampler is a pure function of the epoch: indices(e) is the same every time it is asked,
// whatever happened before, so a resumed run (or a prefetching worker) sees the order a fresh
// run would. Randomised samplers draw epoch e from epoch_generator(base, e).
class Sampler {
public:
  virtual ~Sampler() = default;
  // Number of indices per epoch (a weighted sampler may draw more or fewer than the dataset).
  virtual int64_t size() const = 0;
  // The indices of epoch `epoch` (≥ 0), each in [0, dataset size).
  virtual std::vector<int64_t> indices(int64_t epoch) const = 0;
};

// 0, 1, …, n − 1 every epoch.
class SequentialSampler : public Sampler {
public:
  explicit SequentialSampler(int64_t size);
  int64_t size() const override { return size_; }
  std::vector<int64_t> indices(int64_t epoch) const override;

private:
  int64_t size_;
};

// A fresh permutation of 0 … n − 1 each epoch: randperm(n) drawn from epoch_generator(base, e).
class RandomSampler : public Sampler {
public:
  RandomSampler(int64_t size, Generator generator);
  int64_t size() const override { return size_; }
  std::vector<int64_t> indices(int64_t epoch) const override;

private:
  int64_t size_;
  Generator generator_;
};

// The generator for epoch `epoch`: `base` moved 2^40 blocks ahead per epoch. Philox is
// counter-based, so skipping ahead is free and every epoch owns a disjoint slice of the stream
// (2^40 blocks = 2^42 random words, far more than any epoch draws).
Generator epoch_generator(const Generator& base, int64_t epoch);

}  // namespace fulcrum::data
