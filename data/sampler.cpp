// data/sampler.cpp — the per-epoch generator, multinomial (torch.multinomial for one row), and
// the samplers that need no labels: SequentialSampler, RandomSampler (with or without
// replacement), WeightedRandomSampler; and ChunkBatchSampler (torch's BatchSampler). The
// label-based re-balancing samplers are in samplers_balanced.cpp.
#include "data/sampler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
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

// Checks weights for multinomial-style sampling; returns how many are positive.
int64_t check_weights(const char* op, const std::vector<double>& weights) {
  FULCRUM_CHECK(!weights.empty(), op << ": the weights are empty");
  int64_t positive = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    FULCRUM_CHECK(std::isfinite(weights[i]) && weights[i] >= 0.0,
                  op << ": weight " << i << " is " << weights[i] << "; weights must be finite and ≥ 0");
    if (weights[i] > 0.0) ++positive;
  }
  FULCRUM_CHECK(positive > 0, op << ": all " << weights.size() << " weights are zero; nothing can be drawn");
  return positive;
}

void check_num_samples(const char* op, int64_t num_samples) {
  FULCRUM_CHECK(num_samples > 0, op << ": num_samples should be a positive integer value, got " << num_samples);
}

}  // namespace

Generator epoch_generator(const Generator& base, int64_t epoch) {
  FULCRUM_CHECK(epoch >= 0 && epoch <= kMaxEpoch, "epoch_generator: epoch must be in [0, " << kMaxEpoch
                                                                                           << "], got " << epoch);
  Generator generator = base;
  generator.reserve_blocks(static_cast<uint64_t>(epoch) << kEpochStrideBits);
  return generator;
}

std::vector<int64_t> multinomial(const std::vector<double>& weights, int64_t num_samples, bool replacement,
                                 Generator& generator) {
  const int64_t positive = check_weights("multinomial", weights);
  FULCRUM_CHECK(num_samples >= 0, "multinomial: num_samples must be ≥ 0, got " << num_samples);
  const auto n = static_cast<int64_t>(weights.size());
  std::vector<int64_t> drawn;
  drawn.reserve(static_cast<size_t>(num_samples));
  // Weights relative to the largest: the same distribution, and Σ stays finite (≤ n) even for
  // weights near the double maximum.
  const double largest = *std::max_element(weights.begin(), weights.end());
  std::vector<double> relative(weights.size());
  for (size_t i = 0; i < weights.size(); ++i) relative[i] = weights[i] / largest;
  if (replacement) {
    // Inversion: u ∈ [0, Σw), the first i whose running sum exceeds u.
    std::vector<double> cumulative(weights.size());
    std::partial_sum(relative.begin(), relative.end(), cumulative.begin());
    const double total = cumulative.back();
    int64_t last_positive = n - 1;
    while (weights[static_cast<size_t>(last_positive)] == 0.0) --last_positive;
    for (int64_t k = 0; k < num_samples; ++k) {
      const double u = generator.uniform() * total;
      auto index = static_cast<int64_t>(std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
      // u·total can round up to total itself: that draw belongs to the last positive weight.
      drawn.push_back(std::min(index, last_positive));
    }
    return drawn;
  }
  FULCRUM_CHECK(num_samples <= positive,
                "multinomial: cannot draw " << num_samples << " samples without replacement from " << positive
                                            << " positive weights (of " << n << ")");
  // Efraimidis–Spirakis: key_i = log(u_i) / w_i with u_i ∈ (0, 1]; the largest keys, in
  // decreasing order, are a successive (draw, remove, renormalise) sample.
  // Only positive weights are candidates: a tiny weight whose key overflows to −∞ still ranks
  // before every zero weight (which is never drawn).
  std::vector<double> keys(weights.size(), -std::numeric_limits<double>::infinity());
  std::vector<int64_t> order;
  order.reserve(static_cast<size_t>(positive));
  for (int64_t i = 0; i < n; ++i) {
    const double u = 1.0 - generator.uniform();  // one block per weight, drawn for zero weights too
    if (weights[static_cast<size_t>(i)] > 0.0) {
      keys[static_cast<size_t>(i)] = std::log(u) / relative[static_cast<size_t>(i)];
      order.push_back(i);
    }
  }
  std::partial_sort(order.begin(), order.begin() + num_samples, order.end(), [&](int64_t a, int64_t b) {
    const double ka = keys[static_cast<size_t>(a)], kb = keys[static_cast<size_t>(b)];
    return ka != kb ? ka > kb : a < b;
  });
  drawn.assign(order.begin(), order.begin() + num_samples);
  return drawn;
}

SequentialSampler::SequentialSampler(int64_t size) : size_(size) { check_size("SequentialSampler", size); }

std::vector<int64_t> SequentialSampler::indices(int64_t /*epoch*/) const {
  std::vector<int64_t> order(static_cast<size_t>(size_));
  std::iota(order.begin(), order.end(), int64_t{0});
  return order;
}

RandomSampler::RandomSampler(int64_t size, Generator generator, bool replacement, std::optional<int64_t> num_samples)
    : size_(size), generator_(generator), replacement_(replacement), num_samples_(num_samples.value_or(size)) {
  check_size("RandomSampler", size);
  if (num_samples) {
    check_num_samples("RandomSampler", *num_samples);
    FULCRUM_CHECK(size > 0, "RandomSampler: cannot draw " << *num_samples << " samples from an empty dataset");
  }
}

std::vector<int64_t> RandomSampler::indices(int64_t epoch) const {
  Generator generator = epoch_generator(generator_, epoch);
  if (replacement_) {
    std::vector<int64_t> drawn(static_cast<size_t>(num_samples_));
    for (int64_t& index : drawn) index = static_cast<int64_t>(generator.random_below(static_cast<uint64_t>(size_)));
    return drawn;
  }
  if (num_samples_ == size_) return randperm(size_, &generator).to_vector<int64_t>();
  // PyTorch: whole permutations, then the head of one more.
  std::vector<int64_t> order;
  order.reserve(static_cast<size_t>(num_samples_));
  while (static_cast<int64_t>(order.size()) < num_samples_) {
    const std::vector<int64_t> permutation = randperm(size_, &generator).to_vector<int64_t>();
    const auto take = std::min<int64_t>(size_, num_samples_ - static_cast<int64_t>(order.size()));
    order.insert(order.end(), permutation.begin(), permutation.begin() + take);
  }
  return order;
}

WeightedRandomSampler::WeightedRandomSampler(std::vector<double> weights, int64_t num_samples, bool replacement,
                                             Generator generator)
    : weights_(std::move(weights)), num_samples_(num_samples), replacement_(replacement), generator_(generator) {
  const int64_t positive = check_weights("WeightedRandomSampler", weights_);
  check_num_samples("WeightedRandomSampler", num_samples);
  FULCRUM_CHECK(replacement || num_samples <= positive,
                "WeightedRandomSampler: cannot draw " << num_samples << " samples without replacement: only "
                                                      << positive << " weights are positive");
}

std::vector<int64_t> WeightedRandomSampler::indices(int64_t epoch) const {
  Generator generator = epoch_generator(generator_, epoch);
  return multinomial(weights_, num_samples_, replacement_, generator);
}

ChunkBatchSampler::ChunkBatchSampler(std::shared_ptr<const Sampler> sampler, int64_t batch_size, bool drop_last)
    : sampler_(std::move(sampler)), batch_size_(batch_size), drop_last_(drop_last) {
  FULCRUM_CHECK(sampler_ != nullptr, "BatchSampler: the sampler is null");
  FULCRUM_CHECK(batch_size >= 1, "BatchSampler: batch_size must be ≥ 1, got " << batch_size);
}

int64_t ChunkBatchSampler::size() const {
  const int64_t count = sampler_->size();
  return drop_last_ ? count / batch_size_ : (count + batch_size_ - 1) / batch_size_;
}

std::vector<std::vector<int64_t>> ChunkBatchSampler::batches(int64_t epoch) const {
  const std::vector<int64_t> order = sampler_->indices(epoch);
  const auto count = static_cast<int64_t>(order.size());
  FULCRUM_CHECK(count == sampler_->size(), "DataLoader: the sampler gave " << count << " indices for epoch " << epoch
                                                                          << " but its size() is " << sampler_->size());
  std::vector<std::vector<int64_t>> batches;
  for (int64_t start = 0; start < count; start += batch_size_) {
    const int64_t end = std::min(start + batch_size_, count);
    if (drop_last_ && end - start < batch_size_) break;
    batches.emplace_back(order.begin() + start, order.begin() + end);
  }
  return batches;
}

}  // namespace fulcrum::data
