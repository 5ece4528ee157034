// data/sampler.cpp — SequentialSampler, RandomSampler and the per-epoch generator they share
// with the re-balancing samplers to come.
#include "data/sampler.hpp"

#include <numeric>

#include "core/error.hpp"
#include "core/ops.hpp"

namespace fulcrum::data {

namespace {
constexpr int kEpochStrideBits = 40;
// Epochs past this would wrap the 64-bit counter into epoch 0's slice.
constexpr int64_t kMaxEpoch = (int64_t{1} << (64 - kEpochStrideBits - 1)) - 1;

void check_size(const char* sampler, int64_t size) {
  FULCRUM_CHECK(size >= 0, sampler << ": size must be ≥ 0, got " << size);
}
}  // namespace

Generator epoch_generator(const Generator& base, int64_t epoch) {
  FULCRUM_CHECK(epoch >= 0 && epoch <= kMaxEpoch, "epoch_generator: epoch must be in [0, " << kMaxEpoch
                                                                                           << "], got " << epoch);
  Generator generator = base;
  generator.reserve_blocks(static_cast<uint64_t>(epoch) << kEpochStrideBits);
  return generator;
}

SequentialSampler::SequentialSampler(int64_t size) : size_(size) { check_size("SequentialSampler", size); }

std::vector<int64_t> SequentialSampler::indices(int64_t /*epoch*/) const {
  std::vector<int64_t> order(static_cast<size_t>(size_));
  std::iota(order.begin(), order.end(), int64_t{0});
  return order;
}

RandomSampler::RandomSampler(int64_t size, Generator generator) : size_(size), generator_(generator) {
  check_size("RandomSampler", size);
}

std::vector<int64_t> RandomSampler::indices(int64_t epoch) const {
  Generator generator = epoch_generator(generator_, epoch);
  return randperm(size_, &generator).to_vector<int64_t>();
}

}  // namespace fulcrum::data
