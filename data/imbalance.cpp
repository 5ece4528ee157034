// data/imbalance.cpp — long-tail and step count profiles, and make_imbalanced (seeded per-class
// shuffle, keep the first n_c), drop_examples (per-class Bernoulli thinning). Everything is in double and integers so the counts match the
// Python reference implementations exactly.
#include "data/imbalance.hpp"

#include <algorithm>
#include <cmath>

#include "core/class_labels.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/rng.hpp"

namespace fulcrum::data {
namespace {

void check_profile(const char* op, int64_t n_max, int64_t num_classes, double imbalance_ratio) {
  FULCRUM_CHECK(n_max >= 0, op << ": n_max must be ≥ 0, got " << n_max);
  FULCRUM_CHECK(num_classes >= 1, op << ": num_classes must be ≥ 1, got " << num_classes);
  FULCRUM_CHECK(std::isfinite(imbalance_ratio) && imbalance_ratio >= 1.0,
                op << ": the imbalance ratio ρ = n_max / n_min must be ≥ 1, got " << imbalance_ratio);
}

}  // namespace

std::vector<int64_t> long_tail_counts(int64_t n_max, int64_t num_classes, double imbalance_ratio) {
  check_profile("long_tail_counts", n_max, num_classes, imbalance_ratio);
  // 1.0 / ρ rounds to the same double as Python's 1 / ρ (and as the literal 0.01 for ρ = 100).
  const double factor = 1.0 / imbalance_ratio;
  std::vector<int64_t> counts(static_cast<size_t>(num_classes));
  for (int64_t c = 0; c < num_classes; ++c) {
    // One class has no tail: (1/ρ)^(0/0) would be NaN, Python's reference divides by zero.
    const double exponent = num_classes == 1 ? 0.0 : static_cast<double>(c) / static_cast<double>(num_classes - 1);
    counts[c] = static_cast<int64_t>(static_cast<double>(n_max) * std::pow(factor, exponent));
  }
  return counts;
}

std::vector<int64_t> step_counts(int64_t n_max, int64_t num_classes, double imbalance_ratio,
                                 int64_t num_minority) {
  check_profile("step_counts", n_max, num_classes, imbalance_ratio);
  FULCRUM_CHECK(num_minority >= -1, "step_counts: num_minority must be ≥ 0, or −1 for C − ⌊C/2⌋; got "
                                       << num_minority);
  if (num_minority == -1) num_minority = num_classes - num_classes / 2;
  FULCRUM_CHECK(num_minority <= num_classes, "step_counts: num_minority " << num_minority
                                                                          << " exceeds num_classes " << num_classes);
  const auto minority_count = static_cast<int64_t>(static_cast<double>(n_max) * (1.0 / imbalance_ratio));
  std::vector<int64_t> counts(static_cast<size_t>(num_classes), n_max);
  std::fill(counts.end() - num_minority, counts.end(), minority_count);
  return counts;
}

std::vector<int64_t> make_imbalanced(const std::vector<int64_t>& targets, const std::vector<int64_t>& counts,
                                     uint64_t seed) {
  const auto num_classes = static_cast<int64_t>(counts.size());
  for (int64_t c = 0; c < num_classes; ++c) {
    FULCRUM_CHECK(counts[c] >= 0, "make_imbalanced: counts[" << c << "] is " << counts[c] << "; counts must be ≥ 0");
  }
  // The indices of each class, in dataset order.
  std::vector<std::vector<int64_t>> by_class(static_cast<size_t>(num_classes));
  check_class_labels(targets, num_classes, "make_imbalanced");  // the classes the counts cover
  for (size_t i = 0; i < targets.size(); ++i) {
    by_class[static_cast<size_t>(targets[i])].push_back(static_cast<int64_t>(i));
  }
  Generator generator(seed);
  std::vector<int64_t> kept;
  for (int64_t c = 0; c < num_classes; ++c) {
    const std::vector<int64_t>& members = by_class[static_cast<size_t>(c)];
    const auto available = static_cast<int64_t>(members.size());
    const int64_t keep = std::min(counts[static_cast<size_t>(c)], available);
    // The class's indices in a seeded random order; keep the first `keep`.
    const Tensor order = randperm(available, &generator);
    const int64_t* position = order.data_ptr<int64_t>();
    for (int64_t k = 0; k < keep; ++k) kept.push_back(members[static_cast<size_t>(position[k])]);
  }
  // Ascending, so an unshuffled pass over the subset visits the source in its own order.
  std::sort(kept.begin(), kept.end());
  return kept;
}

std::vector<int64_t> drop_examples(const std::vector<int64_t>& targets, const std::map<int64_t, double>& drop_probability,
                                   uint64_t seed) {
  for (const auto& [label, p] : drop_probability) {
    FULCRUM_CHECK(label >= 0, "drop_examples: class " << label << " is negative; classes are ≥ 0");
    FULCRUM_CHECK(p >= 0.0 && p <= 1.0,
                  "drop_examples: the drop probability of class " << label << " is " << p << "; expected [0, 1]");
  }
  const Generator generator(seed);
  std::vector<int64_t> kept;
  for (size_t i = 0; i < targets.size(); ++i) {
    FULCRUM_CHECK(targets[i] >= 0, "drop_examples: target " << targets[i] << " (at position " << i << ") is negative");
    const auto found = drop_probability.find(targets[i]);
    if (found != drop_probability.end()) {
      // u_i from block i of the stream: a pure function of (seed, i).
      const auto words = generator.block(static_cast<uint64_t>(i));
      if (uniform_double(words[0], words[1]) < found->second) continue;
    }
    kept.push_back(static_cast<int64_t>(i));
  }
  return kept;
}

}  // namespace fulcrum::data
