// data/imbalance.hpp — builders that make a balanced training set imbalanced: per-class target
// counts (long-tail, step) and the seeded index subset that realises them. The result feeds a
// Subset (dataset.hpp), so the untouched source and its imbalanced view coexist. Samplers that
// re-balance at training time come with the sampler issue (sampler.hpp).
#pragma once
#include <cstdint>
#include <vector>

namespace fulcrum::data {

// Exponential long tail (Cao et al. 2019, LDAM; the book's MNIST-LT):
//   n_c = int(n_max · (1/ρ)^(c/(C−1))),  c = 0 … C−1,
// computed as Python's int(n_max * (1/ρ) ** (c / (C−1))) does: pow in double, then truncation.
// n_max 6000, ρ 100, C 10 → 6000 3596 2156 1292 774 464 278 166 100 60.
std::vector<int64_t> long_tail_counts(int64_t n_max, int64_t num_classes, double imbalance_ratio);

// Step imbalance (Buda et al. 2018; LDAM's "step"): the first classes keep n_max, the last
// `num_minority` keep int(n_max · (1/ρ)). num_minority = −1 means C − ⌊C/2⌋ (5 of 10 classes).
std::vector<int64_t> step_counts(int64_t n_max, int64_t num_classes, double imbalance_ratio,
                                 int64_t num_minority = -1);

// Indices (ascending, into `targets`) of an imbalanced subset: for each class c, its indices
// are shuffled with Generator(seed) (one generator, classes in order 0, 1, …) and the first
// min(counts[c], available) are kept. MNIST with long_tail_counts(6000, 10, 100) keeps
// 5923 3596 2156 … 60: MNIST has only 5923 zeros. Targets must lie in [0, counts.size()).
std::vector<int64_t> make_imbalanced(const std::vector<int64_t>& targets, const std::vector<int64_t>& counts,
                                     uint64_t seed);

}  // namespace fulcrum::data
