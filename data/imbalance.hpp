// data/imbalance.hpp — builders that make a balanced training set imbalanced: per-class target
// counts (long-tail, step, or explicit) and the seeded index subset that realises them, and the
// per-class random drop (each example of class k removed with probability p_k). Every builder
// returns indices into the source's targets, to feed a Subset (dataset.hpp), so the untouched
// source and its imbalanced view coexist. Samplers that re-balance at training time: sampler.hpp.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapters 6 and 8 (MNIST-LT).
#pragma once
#include <cstdint>
#include <map>
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

// Indices (ascending, into `targets`) of an imbalanced subset with explicit per-class counts
// (from the profiles above or written by hand): for each class c, its indices are shuffled with
// Generator(seed) (one generator, classes in order 0, 1, …) and the first min(counts[c],
// available) are kept. Asking for more than a class has CLAMPS to what it has, silently, as the
// LDAM / book reference code does (it slices `idx[:n_c]`): MNIST with long_tail_counts(6000, 10,
// 100) keeps 5923 3596 2156 … 60, since MNIST has only 5923 zeros. Compare class_counts of the
// result with `counts` when the exact profile matters. Targets must lie in [0, counts.size());
// counts must be ≥ 0.
std::vector<int64_t> make_imbalanced(const std::vector<int64_t>& targets, const std::vector<int64_t>& counts,
                                     uint64_t seed);

// Indices (ascending, into `targets`) left after dropping each example of class k independently
// with probability drop_probability[k] (classes not in the map are all kept): the TREC
// experiment, where a class is thinned by a factor instead of cut to a count, so the kept count
// is Binomial(n_k, 1 − p_k), not fixed. Example i is dropped when u_i < p_k, where u_i is the
// uniform double of block i of Generator(seed): the decision for an example depends only on
// (seed, i), not on the other classes or on which classes are listed. p_k must be in [0, 1];
// p = 1 removes the class, p = 0 keeps it whole. Targets must be ≥ 0.
std::vector<int64_t> drop_examples(const std::vector<int64_t>& targets, const std::map<int64_t, double>& drop_probability,
                                   uint64_t seed);

}  // namespace fulcrum::data
