// data/split.cpp — train_validation_split (see split.hpp).
#include "data/split.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/rng.hpp"

namespace fulcrum::data {

namespace {

// `indices` in the order of randperm(size) drawn from `generator`.
std::vector<int64_t> shuffled(const std::vector<int64_t>& indices, Generator& generator) {
  const std::vector<int64_t> order = randperm(static_cast<int64_t>(indices.size()), &generator).to_vector<int64_t>();
  std::vector<int64_t> out;
  out.reserve(indices.size());
  for (int64_t position : order) out.push_back(indices[static_cast<size_t>(position)]);
  return out;
}

// The first `count` of `indices` to validation, the rest to train.
void deal(const std::vector<int64_t>& indices, int64_t count, Split& split) {
  for (size_t i = 0; i < indices.size(); ++i)
    (static_cast<int64_t>(i) < count ? split.validation : split.train).push_back(indices[i]);
}

}  // namespace

Split train_validation_split(const std::vector<int64_t>& targets, SplitOptions options) {
  FULCRUM_CHECK(options.validation_fraction > 0 && options.validation_fraction < 1,
                "train_validation_split: validation_fraction must be in (0, 1), got " << options.validation_fraction);
  Generator generator(options.seed);
  Split split;
  if (!options.stratify) {
    std::vector<int64_t> all(targets.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int64_t>(i);
    const auto count = static_cast<int64_t>(std::llround(options.validation_fraction * static_cast<double>(all.size())));
    deal(shuffled(all, generator), count, split);
  } else {
    int64_t num_classes = 0;
    for (size_t i = 0; i < targets.size(); ++i) {
      FULCRUM_CHECK(targets[i] >= 0, "train_validation_split: target " << targets[i] << " at position " << i
                                                                           << " is negative");
      num_classes = std::max(num_classes, targets[i] + 1);
    }
    std::vector<std::vector<int64_t>> by_class(static_cast<size_t>(num_classes));
    for (size_t i = 0; i < targets.size(); ++i) by_class[static_cast<size_t>(targets[i])].push_back(static_cast<int64_t>(i));
    for (const std::vector<int64_t>& members : by_class) {
      if (members.empty()) continue;
      int64_t count = std::llround(options.validation_fraction * static_cast<double>(members.size()));
      if (count >= static_cast<int64_t>(members.size())) count = static_cast<int64_t>(members.size()) - 1;
      deal(shuffled(members, generator), count, split);
    }
  }
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.validation.begin(), split.validation.end());
  return split;
}

}  // namespace fulcrum::data
