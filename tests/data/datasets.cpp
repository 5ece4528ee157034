// tests/data/datasets.cpp — TensorDataset, Subset and class_counts (data/dataset.cpp), and the
// imbalance builders (data/imbalance.cpp: long_tail_counts, step_counts, make_imbalanced).
#include <doctest/doctest.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "tests/shared_data.hpp"
#include "tests/test_support.hpp"
#include "tests/data/data_support.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;
using namespace fulcrum::data;
namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

using namespace fulcrum::testing::data_tests;

// ---------------------------------------------------------------- datasets

TEST_CASE("TensorDataset, Subset and class_counts") {
  const auto dataset = numbered_dataset(7, 3);
  CHECK(dataset->size() == 7);
  CHECK(dataset->num_classes() == 3);
  CHECK(dataset->targets() == std::vector<int64_t>{0, 1, 2, 0, 1, 2, 0});
  const Example example = dataset->get(5);
  CHECK(example.target == 2);
  CHECK(example.input.shape() == Shape{1, 2, 2});
  CHECK(example.input.at({0, 1, 1}) == 5.0);
  CHECK(example.input.storage() == dataset->inputs().storage());  // a view, not a copy
  const Batch batch = dataset->get_batch({6, 0, 3});
  CHECK(batch.inputs.shape() == Shape{3, 1, 2, 2});
  CHECK(row_numbers(batch) == std::vector<int64_t>{6, 0, 3});
  CHECK(as_vector(batch.targets) == std::vector<int64_t>{0, 0, 0});
  CHECK(class_counts(*dataset) == std::vector<int64_t>{3, 2, 2});

  const auto subset = std::make_shared<Subset>(dataset, std::vector<int64_t>{4, 1, 6});
  CHECK(subset->size() == 3);
  CHECK(subset->targets() == std::vector<int64_t>{1, 1, 0});
  CHECK(subset->get(2).input.at({0, 0, 0}) == 6.0);
  CHECK(row_numbers(subset->get_batch({2, 0})) == std::vector<int64_t>{6, 4});
  CHECK(subset->num_classes() == 3);  // the source's label space, though class 2 is absent
  CHECK(class_counts(*subset) == std::vector<int64_t>{1, 2, 0});
  const Subset nested(subset, {1});  // a subset of a subset maps through both
  CHECK(nested.get(0).input.at({0, 0, 0}) == 1.0);
  CHECK(dataset->size() == 7);  // the source is untouched

  // The default get_batch (stack of get(i)) gives what the index_select path gives.
  const NumberedDataset generic(7, 3);
  const Batch stacked = generic.get_batch({6, 0, 3});
  CHECK(equal(stacked.inputs, batch.inputs));
  CHECK(equal(stacked.targets, batch.targets));
  CHECK(generic.num_classes() == 3);

  check_contains(error_message([&] { dataset->get(7); }),
                 {"TensorDataset::get: index 7 is out of range for a dataset of size 7"});
  check_contains(error_message([&] { dataset->get_batch({0, -1}); }),
                 {"TensorDataset::get_batch: index -1 is out of range"});
  check_contains(error_message([&] { Subset(dataset, {0, 9}); }),
                 {"Subset: index 9 (at position 1) is out of range for a source of size 7"});
  check_contains(error_message([&] { subset->get(3); }),
                 {"Subset::get: index 3 is out of range for a dataset of size 3"});
  check_contains(error_message([&] { TensorDataset(zeros({3, 2}), from_data<int64_t>({0, 1}, {2})); }),
                 {"TensorDataset: 3 inputs [3, 2] but 2 targets"});
  check_contains(error_message([&] { TensorDataset(zeros({2, 2}), zeros({2})); }),
                 {"TensorDataset: targets must be a 1-D i64 tensor, got f32 [2]"});
  check_contains(error_message([&] { TensorDataset(zeros({2, 2}), from_data<int64_t>({0, -3}, {2})); }),
                 {"TensorDataset: target 1 is -3"});
  check_contains(error_message([&] { class_counts({0, 3, 1}, 3); }),
                 {"class_counts: target 3 (at position 1) is out of range for C = 3 classes"});
}

// ---------------------------------------------------------------- imbalance builders

TEST_CASE("long_tail_counts and step_counts match the Python reference exactly") {
  using Counts = std::vector<int64_t>;
  CHECK(long_tail_counts(6000, 10, 100) == Counts{6000, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60});
  CHECK(long_tail_counts(5000, 10, 100) == Counts{5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50});
  CHECK(long_tail_counts(5000, 10, 50) == Counts{5000, 3237, 2096, 1357, 878, 568, 368, 238, 154, 100});
  CHECK(long_tail_counts(6000, 10, 200) == Counts{6000, 3330, 1848, 1025, 569, 316, 175, 97, 54, 30});
  CHECK(long_tail_counts(5000, 10, 10) == Counts{5000, 3871, 2997, 2320, 1796, 1391, 1077, 834, 645, 500});
  CHECK(long_tail_counts(6000, 10, 1) == Counts(10, 6000));
  CHECK(long_tail_counts(70, 1, 100) == Counts{70});
  // CIFAR-100-LT (LDAM): totals 10847 / 12608 / 19573 for ρ = 100 / 50 / 10.
  auto total = [](const Counts& counts) { return std::accumulate(counts.begin(), counts.end(), int64_t{0}); };
  const Counts cifar100 = long_tail_counts(500, 100, 100);
  CHECK(total(cifar100) == 10847);
  CHECK(Counts(cifar100.begin(), cifar100.begin() + 4) == Counts{500, 477, 455, 434});
  CHECK(cifar100.back() == 5);
  CHECK(total(long_tail_counts(500, 100, 50)) == 12608);
  CHECK(total(long_tail_counts(500, 100, 10)) == 19573);

  CHECK(step_counts(5000, 10, 100) == Counts{5000, 5000, 5000, 5000, 5000, 50, 50, 50, 50, 50});
  CHECK(step_counts(6000, 5, 10) == Counts{6000, 6000, 600, 600, 600});
  CHECK(step_counts(6000, 10, 200, 2) == Counts{6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 30, 30});

  check_contains(error_message([] { long_tail_counts(6000, 10, 0.5); }),
                 {"long_tail_counts: the imbalance ratio ρ = n_max / n_min must be ≥ 1, got 0.5"});
  check_contains(error_message([] { long_tail_counts(6000, 0, 10); }),
                 {"long_tail_counts: num_classes must be ≥ 1, got 0"});
  check_contains(error_message([] { step_counts(6000, 4, 10, 5); }),
                 {"step_counts: num_minority 5 exceeds num_classes 4"});
  check_contains(error_message([] { step_counts(6000, 4, 10, -7); }),
                 {"step_counts: num_minority must be ≥ 0, or −1", "got -7"});
}

TEST_CASE("make_imbalanced keeps min(n_c, available) seeded indices per class") {
  // 3 classes with 50, 30 and 8 examples, interleaved.
  std::vector<int64_t> targets;
  for (int64_t i = 0; i < 50; ++i) targets.push_back(0);
  for (int64_t i = 0; i < 30; ++i) targets.insert(targets.begin() + 2 * i + 1, 1);
  for (int64_t i = 0; i < 8; ++i) targets.push_back(2);
  const std::vector<int64_t> kept = make_imbalanced(targets, {20, 40, 5}, 7);
  CHECK(kept.size() == 20 + 30 + 5);
  CHECK(std::is_sorted(kept.begin(), kept.end()));
  CHECK(std::set<int64_t>(kept.begin(), kept.end()).size() == kept.size());
  std::vector<int64_t> kept_targets;
  for (int64_t index : kept) kept_targets.push_back(targets[static_cast<size_t>(index)]);
  CHECK(class_counts(kept_targets, 3) == std::vector<int64_t>{20, 30, 5});  // class 1 has only 30

  CHECK(make_imbalanced(targets, {20, 40, 5}, 7) == kept);  // same seed, same subset
  const std::vector<int64_t> other = make_imbalanced(targets, {20, 40, 5}, 8);
  CHECK(other != kept);
  CHECK(other.size() == kept.size());
  CHECK(make_imbalanced(targets, {0, 0, 0}, 1).empty());

  check_contains(error_message([&] { make_imbalanced(targets, {1, 1}, 0); }),
                 {"make_imbalanced: target 2 (at position 80) is out of range for C = 2 classes"});
  check_contains(error_message([&] { make_imbalanced(targets, {1, -1, 1}, 0); }), {"make_imbalanced: counts[1] is -1"});
}
