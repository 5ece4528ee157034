// tests/test_samplers.cpp — data/sampler.hpp and imbalance.hpp's drop_examples: multinomial
// (torch.multinomial semantics), the plain and weighted samplers, the re-balancing samplers and
// the batch samplers. Three kinds of checks:
//  * statistical: frequencies over many epochs against the probabilities derived by hand from
//    the formula in sampler.hpp, within kSigmas = 5 binomial standard deviations
//    √(T · p · (1 − p)) for T draws (a correct sampler fails one such check with probability
//    ≈ 6e-7; the seeds are fixed, so a run is deterministic anyway);
//  * exact: counts that the method fixes (over / under-sampling, label shuffling, balanced batches);
//  * determinism and bad input (Error messages checked).
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 7 (its Dynamic_sampler.ipynb notebook).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "tests/test_support.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;
using namespace fulcrum::data;
using Indices = std::vector<int64_t>;

namespace {

constexpr double kSigmas = 5.0;

// Labels with counts[c] examples of class c, interleaved (round-robin while a class lasts), so
// no class sits in one block.
Indices labels_with_counts(const Indices& counts) {
  Indices labels;
  Indices left = counts;
  for (bool any = true; any;) {
    any = false;
    for (size_t c = 0; c < left.size(); ++c) {
      if (left[c] > 0) {
        labels.push_back(static_cast<int64_t>(c));
        --left[c];
        any = true;
      }
    }
  }
  return labels;
}

// How often each value in [0, bins) occurs.
Indices histogram(const Indices& values, int64_t bins) {
  Indices counts(static_cast<size_t>(bins), 0);
  for (int64_t v : values) {
    REQUIRE(v >= 0);
    REQUIRE(v < bins);
    ++counts[static_cast<size_t>(v)];
  }
  return counts;
}

Indices labels_of(const Indices& indices, const Indices& labels) {
  Indices out;
  for (int64_t i : indices) out.push_back(labels[static_cast<size_t>(i)]);
  return out;
}

// counts[c] within kSigmas binomial standard deviations of total · p[c].
void check_frequencies(const Indices& counts, const std::vector<double>& p) {
  REQUIRE(counts.size() == p.size());
  REQUIRE(!p.empty());
  const double total = static_cast<double>(std::accumulate(counts.begin(), counts.end(), int64_t{0}));
  REQUIRE(total >= 100);  // with no draws every bin would match its expectation of 0
  for (size_t c = 0; c < p.size(); ++c) {
    const double expected = total * p[c];
    const double sigma = std::sqrt(total * p[c] * (1.0 - p[c]));
    INFO("bin " << c << ": " << counts[c] << " draws, expected " << expected << " ± " << kSigmas << "·" << sigma);
    if (p[c] == 0.0) {
      CHECK(counts[c] == 0);
    } else {
      CHECK(std::abs(static_cast<double>(counts[c]) - expected) <= kSigmas * sigma + 1e-9);
    }
  }
}

// Class histogram of `epochs` epochs of a sampler.
Indices class_frequencies(const Sampler& sampler, const Indices& labels, int64_t classes, int64_t epochs,
                          int64_t first_epoch = 0) {
  Indices counts(static_cast<size_t>(classes), 0);
  for (int64_t e = first_epoch; e < first_epoch + epochs; ++e) {
    const Indices h = histogram(labels_of(sampler.indices(e), labels), classes);
    for (size_t c = 0; c < h.size(); ++c) counts[c] += h[c];
  }
  return counts;
}

std::vector<double> normalised(std::vector<double> v) {
  const double total = std::accumulate(v.begin(), v.end(), 0.0);
  for (double& x : v) x /= total;
  return v;
}

// Same seed & epoch → same indices (also from a fresh twin); another epoch → others.
void check_deterministic(const Sampler& sampler, const Sampler& twin) {
  const Indices first = sampler.indices(0);
  CHECK(static_cast<int64_t>(first.size()) == sampler.size());
  CHECK(sampler.indices(0) == first);
  CHECK(twin.indices(0) == first);
  CHECK(sampler.indices(1) != first);
  CHECK(twin.indices(3) == sampler.indices(3));
}

const Indices kCounts = {40, 20, 10, 5};  // an imbalanced 4-class set, N = 75
const Indices kLabels = labels_with_counts(kCounts);

}  // namespace

// ---------------------------------------------------------------- multinomial

TEST_CASE("multinomial with replacement: frequencies ∝ w, zero weights never drawn") {
  Generator generator(3);
  const std::vector<double> weights = {1.0, 0.0, 3.0, 6.0, 0.0};
  const Indices drawn = multinomial(weights, 20000, true, generator);
  CHECK(drawn.size() == 20000);
  check_frequencies(histogram(drawn, 5), normalised(weights));
  // One positive weight: always that index, also at the end of the list.
  Generator other(1);
  CHECK(multinomial({0.0, 0.0, 2.5}, 50, true, other) == Indices(50, 2));
  CHECK(multinomial({1.0}, 0, true, other).empty());
  // Weights near the double maximum: Σw would overflow to ∞; the draws must still be ∝ w.
  const std::vector<double> huge = {1e308, 1e308, 1e308};
  check_frequencies(histogram(multinomial(huge, 9000, true, other), 3), normalised({1.0, 1.0, 1.0}));
}

TEST_CASE("multinomial without replacement: a denormal weight still ranks before a zero weight") {
  // log(u) / 1e-310 overflows to −∞, the key a zero weight would have: the zero weight must lose.
  for (uint64_t seed = 0; seed < 20; ++seed) {
    Generator generator(seed);
    CHECK(multinomial({0.0, 1e-310}, 1, false, generator) == Indices{1});
    CHECK(multinomial({1.0, 0.0, 1e-310}, 2, false, generator).size() == 2);
  }
  Generator generator(1);
  const Indices two = multinomial({1.0, 0.0, 1e-310}, 2, false, generator);
  CHECK(std::find(two.begin(), two.end(), 1) == two.end());
}

TEST_CASE("multinomial without replacement: no repeats, successive-sampling distribution") {
  // P(first = i, second = j) = w_i / W · w_j / (W − w_i): draw, remove, renormalise.
  const std::vector<double> weights = {1.0, 2.0, 3.0, 4.0};
  const double total = 10.0;
  std::map<std::pair<int64_t, int64_t>, int64_t> pairs;
  Generator generator(5);
  const int64_t trials = 20000;
  for (int64_t t = 0; t < trials; ++t) {
    const Indices drawn = multinomial(weights, 2, false, generator);
    REQUIRE(drawn.size() == 2);
    REQUIRE(drawn[0] != drawn[1]);
    ++pairs[{drawn[0], drawn[1]}];
  }
  Indices counts;
  std::vector<double> p;
  for (int64_t i = 0; i < 4; ++i) {
    for (int64_t j = 0; j < 4; ++j) {
      if (i == j) continue;
      counts.push_back(pairs[{i, j}]);
      p.push_back(weights[i] / total * weights[j] / (total - weights[i]));
    }
  }
  check_frequencies(counts, p);
  // Zero weights are never drawn; all positive ones → a permutation of them.
  Indices all = multinomial({0.0, 1.0, 0.0, 5.0, 2.0}, 3, false, generator);
  std::sort(all.begin(), all.end());
  CHECK(all == Indices{1, 3, 4});

  check_contains(error_message([&] { multinomial({1.0, 0.0, 2.0}, 3, false, generator); }),
                 {"multinomial: cannot draw 3 samples without replacement from 2 positive weights"});
  check_contains(error_message([&] { multinomial({1.0, -0.5}, 1, true, generator); }),
                 {"multinomial: weight 1 is -0.5; weights must be finite and ≥ 0"});
  check_contains(error_message([&] { multinomial({0.0, 0.0}, 1, true, generator); }),
                 {"multinomial: all 2 weights are zero"});
  check_contains(error_message([&] { multinomial({}, 1, true, generator); }), {"multinomial: the weights are empty"});
  check_contains(error_message([&] { multinomial({1.0, NAN}, 1, true, generator); }), {"weight 1 is nan"});
}

// ---------------------------------------------------------------- plain samplers

TEST_CASE("RandomSampler with replacement and with num_samples") {
  RandomSampler with(10, Generator(2), true, 30);
  CHECK(with.size() == 30);
  check_deterministic(with, RandomSampler(10, Generator(2), true, 30));
  Indices counts(10, 0);
  for (int64_t e = 0; e < 500; ++e) {
    const Indices h = histogram(with.indices(e), 10);
    for (size_t i = 0; i < 10; ++i) counts[i] += h[i];
  }
  check_frequencies(counts, std::vector<double>(10, 0.1));
  // Some epoch repeats an index (30 draws from 10 always do).
  const Indices epoch0 = with.indices(0);
  CHECK(std::set<int64_t>(epoch0.begin(), epoch0.end()).size() < epoch0.size());

  // Without replacement, 23 of 10: two whole permutations and 3 of a third (PyTorch's rule).
  RandomSampler more(10, Generator(4), false, 23);
  const Indices order = more.indices(0);
  CHECK(order.size() == 23);
  Indices head(order.begin(), order.begin() + 10), middle(order.begin() + 10, order.begin() + 20);
  std::sort(head.begin(), head.end());
  std::sort(middle.begin(), middle.end());
  Indices identity(10);
  std::iota(identity.begin(), identity.end(), int64_t{0});
  CHECK(head == identity);
  CHECK(middle == identity);
  CHECK(std::set<int64_t>(order.begin() + 20, order.end()).size() == 3);
  check_deterministic(more, RandomSampler(10, Generator(4), false, 23));
  // The default stays a permutation, as before.
  Generator epoch0_generator = epoch_generator(Generator(4), 0);
  CHECK(RandomSampler(10, Generator(4)).indices(0) == randperm(10, &epoch0_generator).to_vector<int64_t>());

  check_contains(error_message([] { RandomSampler(10, Generator(0), true, 0); }),
                 {"RandomSampler: num_samples should be a positive integer value, got 0"});
  check_contains(error_message([] { RandomSampler(0, Generator(0), true, 5); }),
                 {"RandomSampler: cannot draw 5 samples from an empty dataset"});
  check_contains(error_message([] { RandomSampler(-1, Generator(0)); }), {"RandomSampler: size must be ≥ 0, got -1"});
}

TEST_CASE("WeightedRandomSampler: the book's balanced sample weights give uniform classes") {
  // compute_sample_weight('balanced'): w_i = N / (C · n_{y_i}); each class then has total weight
  // N / C, so every class is drawn with probability 1 / C.
  const auto n = static_cast<double>(kLabels.size());
  std::vector<double> weights;
  for (int64_t y : kLabels) weights.push_back(n / (4.0 * static_cast<double>(kCounts[static_cast<size_t>(y)])));
  WeightedRandomSampler sampler(weights, 75, true, Generator(9));
  CHECK(sampler.size() == 75);
  check_deterministic(sampler, WeightedRandomSampler(weights, 75, true, Generator(9)));
  check_frequencies(class_frequencies(sampler, kLabels, 4, 200), std::vector<double>(4, 0.25));

  // Without replacement: no repeats within an epoch; all 75 → a permutation.
  WeightedRandomSampler without(weights, 75, false, Generator(9));
  Indices all = without.indices(2);
  std::sort(all.begin(), all.end());
  CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
  CHECK(all.size() == 75);
  // Without replacement, the first draw still follows w: class of the first index ∝ class weight.
  Indices firsts;
  for (int64_t e = 0; e < 4000; ++e) firsts.push_back(kLabels[static_cast<size_t>(without.indices(e)[0])]);
  check_frequencies(histogram(firsts, 4), std::vector<double>(4, 0.25));

  check_contains(error_message([] { WeightedRandomSampler({1.0, -1.0}, 2, true, Generator(0)); }),
                 {"WeightedRandomSampler: weight 1 is -1; weights must be finite and ≥ 0"});
  check_contains(error_message([] { WeightedRandomSampler({0.0, 0.0}, 2, true, Generator(0)); }),
                 {"WeightedRandomSampler: all 2 weights are zero"});
  check_contains(error_message([] { WeightedRandomSampler({1.0, 1.0}, 0, true, Generator(0)); }),
                 {"WeightedRandomSampler: num_samples should be a positive integer value, got 0"});
  check_contains(error_message([] { WeightedRandomSampler({1.0, 1.0}, -3, true, Generator(0)); }), {"got -3"});
  check_contains(error_message([] { WeightedRandomSampler({1.0, 0.0, 1.0}, 3, false, Generator(0)); }),
                 {"WeightedRandomSampler: cannot draw 3 samples without replacement: only 2 weights are positive"});
}

// ---------------------------------------------------------------- over / under-sampling, label shuffling

TEST_CASE("RandomOverSampler: every class exactly n_max, all originals kept, extras with replacement") {
  RandomOverSampler sampler(kLabels, Generator(1));
  CHECK(sampler.size() == 4 * 40);
  check_deterministic(sampler, RandomOverSampler(kLabels, Generator(1)));
  for (int64_t e = 0; e < 3; ++e) {
    const Indices order = sampler.indices(e);
    CHECK(histogram(labels_of(order, kLabels), 4) == Indices(4, 40));
    const Indices seen = histogram(order, 75);
    CHECK(std::all_of(seen.begin(), seen.end(), [](int64_t k) { return k >= 1; }));  // every original
    for (size_t i = 0; i < 75; ++i) {
      if (kLabels[i] == 0) CHECK(seen[i] == 1);  // the majority class is untouched
    }
  }
  // The extras are uniform over their class: the 5 examples of class 3 share 35 extra draws
  // per epoch; over 200 epochs each gets ≈ 1/5 of them.
  Indices extra(5, 0);
  Indices members;
  for (size_t i = 0; i < 75; ++i) if (kLabels[i] == 3) members.push_back(static_cast<int64_t>(i));
  for (int64_t e = 0; e < 200; ++e) {
    const Indices seen = histogram(sampler.indices(e), 75);
    for (size_t k = 0; k < 5; ++k) extra[k] += seen[static_cast<size_t>(members[k])] - 1;
  }
  check_frequencies(extra, std::vector<double>(5, 0.2));
  // The order is shuffled, not originals-first.
  const Indices order = sampler.indices(0);
  CHECK(!std::is_sorted(order.begin(), order.begin() + 75));
  // An absent class (label 2 unused) is skipped: 3 × n_max.
  CHECK(RandomOverSampler({0, 0, 0, 1, 3}, Generator(0)).size() == 9);
  check_contains(error_message([] { RandomOverSampler({}, Generator(0)); }),
                 {"RandomOverSampler: the dataset has no examples"});
  check_contains(error_message([] { RandomOverSampler({0, -2}, Generator(0)); }),
                 {"RandomOverSampler: target -2 (at position 1) is negative"});
}

TEST_CASE("RandomUnderSampler: every class exactly n_min, without replacement, uniform within a class") {
  RandomUnderSampler sampler(kLabels, Generator(2));
  CHECK(sampler.size() == 4 * 5);
  check_deterministic(sampler, RandomUnderSampler(kLabels, Generator(2)));
  Indices hits(75, 0);
  const int64_t epochs = 400;
  for (int64_t e = 0; e < epochs; ++e) {
    const Indices order = sampler.indices(e);
    CHECK(histogram(labels_of(order, kLabels), 4) == Indices(4, 5));
    CHECK(std::set<int64_t>(order.begin(), order.end()).size() == 20);  // no repeats
    const Indices h = histogram(order, 75);
    for (size_t i = 0; i < 75; ++i) hits[i] += h[i];
  }
  // Class 0: each of its 40 examples is kept with probability 5/40 per epoch.
  const double p = 5.0 / 40.0, sigma = std::sqrt(epochs * p * (1 - p));
  for (size_t i = 0; i < 75; ++i) {
    if (kLabels[i] == 0) CHECK(std::abs(static_cast<double>(hits[i]) - epochs * p) <= kSigmas * sigma);
    if (kLabels[i] == 3) CHECK(hits[i] == epochs);  // the minority class is kept whole
  }
  CHECK(RandomUnderSampler({0, 0, 0, 1, 1, 3, 3, 3}, Generator(0)).size() == 6);  // absent class 2 skipped
}

TEST_CASE("LabelShufflingSampler: randperm(n_max) mod n_c per class, every class exactly n_max") {
  LabelShufflingSampler sampler(kLabels, Generator(3));
  CHECK(sampler.size() == 160);
  check_deterministic(sampler, LabelShufflingSampler(kLabels, Generator(3)));
  for (int64_t e = 0; e < 3; ++e) {
    const Indices order = sampler.indices(e);
    CHECK(histogram(labels_of(order, kLabels), 4) == Indices(4, 40));
    // Within class c, each example appears ⌊40 / n_c⌋ times (n_c divides 40 here: exactly).
    const Indices seen = histogram(order, 75);
    for (size_t i = 0; i < 75; ++i) CHECK(seen[i] == 40 / kCounts[static_cast<size_t>(kLabels[i])]);
  }
  // n_c not dividing n_max: 7 and 3 → class 1's examples appear 2 or 3 times (7 = 3 + 2 + 2).
  const Indices labels = labels_with_counts({7, 3});
  const Indices seen = histogram(LabelShufflingSampler(labels, Generator(0)).indices(0), 10);
  Indices class1;
  for (size_t i = 0; i < 10; ++i) {
    if (labels[i] == 0) CHECK(seen[i] == 1);
    else class1.push_back(seen[i]);
  }
  std::sort(class1.begin(), class1.end());
  CHECK(class1 == Indices{2, 2, 3});
}

// ---------------------------------------------------------------- class-aware sampling

TEST_CASE("Class-aware samplers: p_c ∝ n_c^q, then a uniform instance") {
  // Class 2 absent (labels 0, 1, 3 with 40, 20, 5 examples) — skipped even by q = 0.
  const Indices counts = {40, 20, 0, 5};
  const Indices labels = labels_with_counts(counts);
  auto expected = [&](double q) {
    std::vector<double> p;
    for (int64_t n : counts) p.push_back(n == 0 ? 0.0 : std::pow(static_cast<double>(n), q));
    return normalised(p);
  };
  // A large q: n_c^q overflows a double, the ratios (n_c / n_max)^q do not — all mass on class 0.
  const Indices big_q = PowerClassSampler(labels, 400.0, Generator(1)).indices(0);
  CHECK(big_q.size() == 65);  // the loop below checks every draw, and there are draws
  for (int64_t index : big_q) CHECK(labels[static_cast<size_t>(index)] == 0);
  ClassBalancedSampler balanced(labels, Generator(1));
  CHECK(balanced.size() == 65);  // the dataset size by default
  CHECK(balanced.class_probabilities(0) == std::vector<double>{1.0 / 3, 1.0 / 3, 0.0, 1.0 / 3});
  check_deterministic(balanced, ClassBalancedSampler(labels, Generator(1)));
  check_frequencies(class_frequencies(balanced, labels, 4, 300), expected(0.0));

  SquareRootSampler square_root(labels, Generator(2), 100);
  CHECK(square_root.size() == 100);
  // √40 : √20 : 0 : √5.
  const std::vector<double> p = square_root.class_probabilities(0);
  CHECK(p[0] == doctest::Approx(std::sqrt(40.0) / (std::sqrt(40.0) + std::sqrt(20.0) + std::sqrt(5.0))).epsilon(1e-12));
  check_frequencies(class_frequencies(square_root, labels, 4, 200), expected(0.5));

  PowerClassSampler instance(labels, 1.0, Generator(3));
  check_frequencies(class_frequencies(instance, labels, 4, 300), expected(1.0));
  PowerClassSampler steep(labels, 2.0, Generator(3));
  check_frequencies(class_frequencies(steep, labels, 4, 300), expected(2.0));

  // Within a class the instance is uniform: class 3's five examples over the balanced sampler.
  Indices members;
  for (size_t i = 0; i < labels.size(); ++i) if (labels[i] == 3) members.push_back(static_cast<int64_t>(i));
  Indices per_example(5, 0);
  for (int64_t e = 0; e < 300; ++e) {
    const Indices seen = histogram(balanced.indices(e), 65);
    for (size_t k = 0; k < 5; ++k) per_example[k] += seen[static_cast<size_t>(members[k])];
  }
  check_frequencies(per_example, std::vector<double>(5, 0.2));

  check_contains(error_message([&] { PowerClassSampler(labels, -1.0, Generator(0)); }),
                 {"PowerClassSampler: q must be finite and ≥ 0, got -1"});
  check_contains(error_message([&] { ClassBalancedSampler(labels, Generator(0), 0); }),
                 {"num_samples should be a positive integer value, got 0"});
  check_contains(error_message([&] { ClassBalancedSampler({}, Generator(0)); }), {"the dataset has no examples"});
}

TEST_CASE("ProgressivelyBalancedSampler: p(t) = (1 − t/T) p^IB + (t/T) p^CB") {
  ProgressivelyBalancedSampler sampler(kLabels, 4, Generator(5), 150);
  const std::vector<double> ib = {40.0 / 75, 20.0 / 75, 10.0 / 75, 5.0 / 75};
  for (int64_t t : {0, 1, 2, 3, 4, 9}) {
    const double a = std::min<double>(t, 4) / 4.0;
    const std::vector<double> p = sampler.class_probabilities(t);
    for (size_t c = 0; c < 4; ++c) CHECK(p[c] == doctest::Approx((1 - a) * ib[c] + a * 0.25).epsilon(1e-12));
  }
  check_deterministic(sampler, ProgressivelyBalancedSampler(kLabels, 4, Generator(5), 150));
  // Frequencies of epoch 2 (half-way) over many samplers with different seeds.
  Indices counts(4, 0);
  for (uint64_t seed = 0; seed < 100; ++seed) {
    const Indices h = histogram(labels_of(ProgressivelyBalancedSampler(kLabels, 4, Generator(seed), 150).indices(2),
                                          kLabels), 4);
    for (size_t c = 0; c < 4; ++c) counts[c] += h[c];
  }
  check_frequencies(counts, sampler.class_probabilities(2));
  check_contains(error_message([] { ProgressivelyBalancedSampler({0, 1}, 0, Generator(0)); }),
                 {"ProgressivelyBalancedSampler: total_epochs must be ≥ 1, got 0"});
}

// ---------------------------------------------------------------- batch samplers

TEST_CASE("BalancedBatchSampler: equal share per class per batch, classes cycle through reshuffled lists") {
  BalancedBatchSampler sampler(kLabels, 8, Generator(4));
  CHECK(sampler.per_class() == 2);
  CHECK(sampler.size() == 10);  // ⌈75 / 8⌉
  const auto batches = sampler.batches(0);
  CHECK(batches.size() == 10);
  for (const Indices& batch : batches) CHECK(histogram(labels_of(batch, kLabels), 4) == Indices(4, 2));
  // Class 3 (5 examples) is drawn 20 times: 4 passes through reshuffled lists. Batches shuffle
  // their contents, so a pass boundary inside a batch blurs; but the first 4 draws (batches 0–1,
  // inside pass 1) are distinct, and every 10 draws (5 batches = 2 whole passes) hold each
  // example exactly twice.
  Indices class3;
  for (const Indices& batch : batches) {
    for (int64_t i : batch) if (kLabels[static_cast<size_t>(i)] == 3) class3.push_back(i);
  }
  REQUIRE(class3.size() == 20);
  CHECK(std::set<int64_t>(class3.begin(), class3.begin() + 4).size() == 4);
  for (size_t group = 0; group < 2; ++group) {
    const Indices seen = histogram(Indices(class3.begin() + 10 * group, class3.begin() + 10 * (group + 1)), 75);
    for (size_t i = 0; i < 75; ++i) CHECK(seen[i] == (kLabels[i] == 3 ? 2 : 0));
  }
  CHECK(sampler.batches(0) == batches);
  CHECK(BalancedBatchSampler(kLabels, 8, Generator(4)).batches(0) == batches);
  CHECK(sampler.batches(1) != batches);
  CHECK(BalancedBatchSampler(kLabels, 4, Generator(4), 3).size() == 3);

  check_contains(error_message([] { BalancedBatchSampler(kLabels, 6, Generator(0)); }),
                 {"BalancedBatchSampler: batch_size 6 must be a positive multiple of the 4 classes present"});
  check_contains(error_message([] { BalancedBatchSampler(kLabels, 4, Generator(0), 0); }),
                 {"BalancedBatchSampler: num_batches must be > 0, got 0"});
}

TEST_CASE("ChunkBatchSampler: torch's BatchSampler over any sampler") {
  auto weighted = std::make_shared<WeightedRandomSampler>(std::vector<double>(10, 1.0), 23, true, Generator(2));
  ChunkBatchSampler batches(weighted, 5, false);
  CHECK(batches.size() == 5);
  const auto list = batches.batches(1);
  Indices flat;
  for (const auto& b : list) flat.insert(flat.end(), b.begin(), b.end());
  CHECK(flat == weighted->indices(1));
  CHECK(list.back().size() == 3);
  CHECK(ChunkBatchSampler(weighted, 5, true).size() == 4);
  CHECK(ChunkBatchSampler(weighted, 5, true).batches(1).size() == 4);
  check_contains(error_message([&] { ChunkBatchSampler(weighted, 0, false); }),
                 {"BatchSampler: batch_size must be ≥ 1, got 0"});
  check_contains(error_message([&] { ChunkBatchSampler(nullptr, 2, false); }), {"BatchSampler: the sampler is null"});
}

// ---------------------------------------------------------------- drop_examples

TEST_CASE("drop_examples: each example of class k dropped with probability p_k, decided by (seed, i)") {
  const Indices labels = labels_with_counts({3000, 3000, 3000, 3000});
  const Indices kept = drop_examples(labels, {{1, 0.9}, {2, 0.5}, {3, 1.0}}, 11);
  CHECK(std::is_sorted(kept.begin(), kept.end()));
  const Indices counts = histogram(labels_of(kept, labels), 4);
  CHECK(counts[0] == 3000);  // not listed: all kept
  CHECK(counts[3] == 0);     // p = 1: the class is gone
  for (auto [c, p] : {std::pair<size_t, double>{1, 0.9}, {2, 0.5}}) {
    const double expected = 3000 * (1 - p), sigma = std::sqrt(3000 * p * (1 - p));
    INFO("class " << c << " kept " << counts[c]);
    CHECK(std::abs(static_cast<double>(counts[c]) - expected) <= kSigmas * sigma);
  }
  // The decision for an example does not depend on which other classes are listed.
  const Indices only1 = drop_examples(labels, {{1, 0.9}}, 11);
  Indices kept1, only1_kept1;
  for (int64_t i : kept) if (labels[static_cast<size_t>(i)] == 1) kept1.push_back(i);
  for (int64_t i : only1) if (labels[static_cast<size_t>(i)] == 1) only1_kept1.push_back(i);
  CHECK(kept1 == only1_kept1);
  CHECK(drop_examples(labels, {{1, 0.9}, {2, 0.5}, {3, 1.0}}, 11) == kept);
  CHECK(drop_examples(labels, {{1, 0.9}, {2, 0.5}, {3, 1.0}}, 12) != kept);
  CHECK(drop_examples(labels, {{0, 0.0}}, 1).size() == labels.size());
  CHECK(drop_examples(labels, {}, 1).size() == labels.size());

  check_contains(error_message([&] { drop_examples(labels, {{1, 1.5}}, 0); }),
                 {"drop_examples: the drop probability of class 1 is 1.5; expected [0, 1]"});
  check_contains(error_message([&] { drop_examples(labels, {{-1, 0.5}}, 0); }),
                 {"drop_examples: class -1 is negative"});
  check_contains(error_message([&] { drop_examples({0, -4}, {{0, 0.5}}, 0); }),
                 {"drop_examples: target -4 (at position 1) is negative"});
}
