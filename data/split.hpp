// data/split.hpp — a validation split of a training set: random (torch.utils.data.random_split)
// or stratified by class (sklearn's train_test_split(stratify=y)), as index lists to feed two
// Subsets. Stratified is what imbalanced data wants: a plain random 10 % of MNIST-LT could hold
// 3 or 9 of class 9's 60 images; stratified holds round(0.1 · 60) = 6.
#pragma once
#include <cstdint>
#include <vector>

namespace fulcrum::data {

struct Split {
  std::vector<int64_t> train;       // ascending indices into the targets
  std::vector<int64_t> validation;  // ascending, disjoint from train
};

struct SplitOptions {
  double validation_fraction = 0.1;  // in (0, 1)
  bool stratify = true;              // per class: round(fraction · n_c) to validation
  uint64_t seed = 0;                 // the shuffle (Generator(seed); classes in order 0, 1, …)
};

// Indices 0 … targets.size()−1 split in two. Stratified: class c's indices are shuffled and the
// first round(fraction · n_c) go to validation (a class with one example keeps it for training).
// Not stratified: one shuffle of all indices, the first round(fraction · N) to validation.
// Targets must be ≥ 0.
Split train_validation_split(const std::vector<int64_t>& targets, SplitOptions options = {});

}  // namespace fulcrum::data
