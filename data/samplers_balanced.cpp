// data/samplers_balanced.cpp — the samplers built from the labels (declared in sampler.hpp):
// random over / under-sampling, class-aware sampling with p_c ∝ n_c^q and its progressive
// schedule, label shuffling, and class-balanced batches. Each epoch is drawn from
// epoch_generator(base, epoch) alone, in a fixed order of draws written next to each.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "data/sampler.hpp"

namespace fulcrum::data {
namespace {

// The example indices of each label 0 … max(label), in dataset order. Labels must be ≥ 0 and
// there must be at least one example.
std::vector<std::vector<int64_t>> group_by_class(const char* sampler, const std::vector<int64_t>& targets) {
  FULCRUM_CHECK(!targets.empty(), sampler << ": the dataset has no examples");
  std::vector<std::vector<int64_t>> by_class;
  for (size_t i = 0; i < targets.size(); ++i) {
    FULCRUM_CHECK(targets[i] >= 0, sampler << ": target " << targets[i] << " (at position " << i << ") is negative");
    const auto label = static_cast<size_t>(targets[i]);
    if (label >= by_class.size()) by_class.resize(label + 1);
    by_class[label].push_back(static_cast<int64_t>(i));
  }
  return by_class;
}

// Fisher–Yates from the back, as randperm does: one random_below per position.
void shuffle(std::vector<int64_t>& values, Generator& generator) {
  for (size_t i = values.size(); i > 1; --i) {
    std::swap(values[i - 1], values[static_cast<size_t>(generator.random_below(i))]);
  }
}

// A random permutation of 0 … n − 1.
std::vector<int64_t> permutation(int64_t n, Generator& generator) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), int64_t{0});
  shuffle(order, generator);
  return order;
}

int64_t largest_class(const std::vector<std::vector<int64_t>>& by_class) {
  int64_t n_max = 0;
  for (const auto& members : by_class) n_max = std::max(n_max, static_cast<int64_t>(members.size()));
  return n_max;
}

int64_t present_classes(const std::vector<std::vector<int64_t>>& by_class) {
  return std::count_if(by_class.begin(), by_class.end(), [](const auto& members) { return !members.empty(); });
}

}  // namespace

// ---------------------------------------------------------------- over / under-sampling

RandomOverSampler::RandomOverSampler(const std::vector<int64_t>& targets, Generator generator)
    : by_class_(group_by_class("RandomOverSampler", targets)), generator_(generator) {
  n_max_ = largest_class(by_class_);
  size_ = present_classes(by_class_) * n_max_;
}

std::vector<int64_t> RandomOverSampler::indices(int64_t epoch) const {
  Generator generator = epoch_generator(generator_, epoch);
  // The originals in dataset order (the groups hold them in order; merging them back is a sort).
  std::vector<int64_t> order;
  order.reserve(static_cast<size_t>(size_));
  for (const auto& members : by_class_) order.insert(order.end(), members.begin(), members.end());
  std::sort(order.begin(), order.end());
  // Then, class by class, n_max − n_c uniform draws with replacement.
  for (const auto& members : by_class_) {
    const auto n_c = static_cast<uint64_t>(members.size());
    if (n_c == 0) continue;
    for (int64_t k = static_cast<int64_t>(n_c); k < n_max_; ++k) {
      order.push_back(members[static_cast<size_t>(generator.random_below(n_c))]);
    }
  }
  shuffle(order, generator);
  return order;
}

RandomUnderSampler::RandomUnderSampler(const std::vector<int64_t>& targets, Generator generator)
    : by_class_(group_by_class("RandomUnderSampler", targets)), generator_(generator) {
  n_min_ = largest_class(by_class_);
  for (const auto& members : by_class_) {
    if (!members.empty()) n_min_ = std::min(n_min_, static_cast<int64_t>(members.size()));
  }
  size_ = present_classes(by_class_) * n_min_;
}

std::vector<int64_t> RandomUnderSampler::indices(int64_t epoch) const {
  Generator generator = epoch_generator(generator_, epoch);
  std::vector<int64_t> order;
  order.reserve(static_cast<size_t>(size_));
  for (const auto& members : by_class_) {
    if (members.empty()) continue;
    // The first n_min of a random permutation: n_min distinct examples of the class.
    const std::vector<int64_t> chosen = permutation(static_cast<int64_t>(members.size()), generator);
    for (int64_t k = 0; k < n_min_; ++k) order.push_back(members[static_cast<size_t>(chosen[static_cast<size_t>(k)])]);
  }
  shuffle(order, generator);
  return order;
}

// ---------------------------------------------------------------- class-aware sampling

ClassAwareSampler::ClassAwareSampler(const char* name, const std::vector<int64_t>& targets, Generator generator,
                                     std::optional<int64_t> num_samples)
    : by_class_(group_by_class(name, targets)),
      generator_(generator),
      num_samples_(num_samples.value_or(static_cast<int64_t>(targets.size()))) {
  FULCRUM_CHECK(num_samples_ > 0, name << ": num_samples should be a positive integer value, got " << num_samples_);
  for (const auto& members : by_class_) class_sizes_.push_back(static_cast<int64_t>(members.size()));
}

std::vector<double> ClassAwareSampler::power_probabilities(double q) const {
  std::vector<double> p(class_sizes_.size(), 0.0);
  // (n_c / n_max)^q = exp(q·(log n_c − log n_max)) ∈ (0, 1]: the same ratios as n_c^q, without
  // overflowing to ∞ for a large q.
  const double log_n_max = std::log(static_cast<double>(*std::max_element(class_sizes_.begin(), class_sizes_.end())));
  double total = 0.0;
  for (size_t c = 0; c < p.size(); ++c) {
    // An absent class gets 0 even for q = 0 (where pow(0, 0) would give 1).
    if (class_sizes_[c] > 0) p[c] = std::exp(q * (std::log(static_cast<double>(class_sizes_[c])) - log_n_max));
    total += p[c];
  }
  for (double& value : p) value /= total;
  return p;
}

std::vector<int64_t> ClassAwareSampler::indices(int64_t epoch) const {
  Generator generator = epoch_generator(generator_, epoch);
  // First all class draws (multinomial with replacement over p_c), then one uniform instance
  // of each drawn class, in the same order.
  const std::vector<int64_t> classes = multinomial(class_probabilities(epoch), num_samples_, true, generator);
  std::vector<int64_t> order(classes.size());
  for (size_t k = 0; k < classes.size(); ++k) {
    const auto& members = by_class_[static_cast<size_t>(classes[k])];
    order[k] = members[static_cast<size_t>(generator.random_below(members.size()))];
  }
  return order;
}

PowerClassSampler::PowerClassSampler(const std::vector<int64_t>& targets, double q, Generator generator,
                                     std::optional<int64_t> num_samples)
    : ClassAwareSampler("PowerClassSampler", targets, generator, num_samples), q_(q) {
  FULCRUM_CHECK(std::isfinite(q) && q >= 0.0, "PowerClassSampler: q must be finite and ≥ 0, got " << q);
}

std::vector<double> PowerClassSampler::class_probabilities(int64_t /*epoch*/) const { return power_probabilities(q_); }

ProgressivelyBalancedSampler::ProgressivelyBalancedSampler(const std::vector<int64_t>& targets, int64_t total_epochs,
                                                           Generator generator, std::optional<int64_t> num_samples)
    : ClassAwareSampler("ProgressivelyBalancedSampler", targets, generator, num_samples), total_epochs_(total_epochs) {
  FULCRUM_CHECK(total_epochs >= 1, "ProgressivelyBalancedSampler: total_epochs must be ≥ 1, got " << total_epochs);
}

std::vector<double> ProgressivelyBalancedSampler::class_probabilities(int64_t epoch) const {
  FULCRUM_CHECK(epoch >= 0, "ProgressivelyBalancedSampler: epoch must be ≥ 0, got " << epoch);
  const double t = static_cast<double>(std::min(epoch, total_epochs_)) / static_cast<double>(total_epochs_);
  const std::vector<double> instance = power_probabilities(1.0), balanced = power_probabilities(0.0);
  std::vector<double> p(instance.size());
  for (size_t c = 0; c < p.size(); ++c) p[c] = (1.0 - t) * instance[c] + t * balanced[c];
  return p;
}

// ---------------------------------------------------------------- label shuffling

LabelShufflingSampler::LabelShufflingSampler(const std::vector<int64_t>& targets, Generator generator)
    : by_class_(group_by_class("LabelShufflingSampler", targets)), generator_(generator) {
  n_max_ = largest_class(by_class_);
  size_ = present_classes(by_class_) * n_max_;
}

std::vector<int64_t> LabelShufflingSampler::indices(int64_t epoch) const {
  Generator generator = epoch_generator(generator_, epoch);
  std::vector<int64_t> order;
  order.reserve(static_cast<size_t>(size_));
  for (const auto& members : by_class_) {
    if (members.empty()) continue;
    const std::vector<int64_t> positions = permutation(n_max_, generator);  // randperm(n_max)
    const auto n_c = static_cast<int64_t>(members.size());
    for (int64_t position : positions) order.push_back(members[static_cast<size_t>(position % n_c)]);
  }
  shuffle(order, generator);
  return order;
}

// ---------------------------------------------------------------- class-balanced batches

BalancedBatchSampler::BalancedBatchSampler(const std::vector<int64_t>& targets, int64_t batch_size,
                                           Generator generator, std::optional<int64_t> num_batches)
    : batch_size_(batch_size), generator_(generator) {
  for (auto& members : group_by_class("BalancedBatchSampler", targets)) {
    if (!members.empty()) by_class_.push_back(std::move(members));
  }
  const auto classes = static_cast<int64_t>(by_class_.size());
  FULCRUM_CHECK(batch_size >= 1 && batch_size % classes == 0,
                "BalancedBatchSampler: batch_size " << batch_size << " must be a positive multiple of the "
                                                    << classes << " classes present, so every class gets an "
                                                                  "equal share");
  per_class_ = batch_size / classes;
  const auto count = static_cast<int64_t>(targets.size());
  num_batches_ = num_batches.value_or((count + batch_size - 1) / batch_size);
  FULCRUM_CHECK(num_batches_ > 0, "BalancedBatchSampler: num_batches must be > 0, got " << num_batches_);
}

std::vector<std::vector<int64_t>> BalancedBatchSampler::batches(int64_t epoch) const {
  Generator generator = epoch_generator(generator_, epoch);
  // Per class: a shuffled copy of its examples and a cursor; a fresh shuffle when it runs out.
  std::vector<std::vector<int64_t>> lists = by_class_;
  std::vector<size_t> cursor(lists.size(), 0);
  for (auto& list : lists) shuffle(list, generator);
  std::vector<std::vector<int64_t>> batches(static_cast<size_t>(num_batches_));
  for (auto& batch : batches) {
    batch.reserve(static_cast<size_t>(batch_size_));
    for (size_t c = 0; c < lists.size(); ++c) {
      for (int64_t k = 0; k < per_class_; ++k) {
        if (cursor[c] == lists[c].size()) {
          shuffle(lists[c], generator);
          cursor[c] = 0;
        }
        batch.push_back(lists[c][cursor[c]++]);
      }
    }
    shuffle(batch, generator);
  }
  return batches;
}

}  // namespace fulcrum::data
