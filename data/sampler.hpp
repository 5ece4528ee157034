// data/sampler.hpp — Sampler: the order in which a DataLoader visits a dataset, one epoch at a
// time (torch.utils.data.Sampler), and BatchSampler: whole batches of indices per epoch
// (torch.utils.data.BatchSampler). Plain orders (sequential, random with or without
// replacement, weighted = torch.multinomial) are in sampler.cpp; the re-balancing samplers
// built from the labels (over / under-sampling, class-balanced / square-root / power-q /
// progressive, label shuffling, class-balanced batches) in samplers_balanced.cpp. The loader
// that consumes them is dataloader.hpp; builders that make a set imbalanced: imbalance.hpp.
//
// Notation: N examples with labels y_i, n_c examples of class c, C classes, n_max / n_min the
// largest / smallest non-zero n_c. Classes with n_c = 0 (a label space wider than the data, e.g.
// a Subset) are SKIPPED by every class-based sampler: they cannot be drawn, and "balanced" is
// over the classes that occur. No example at all is an Error.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 7 (its Dynamic_sampler.ipynb notebook).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/rng.hpp"

namespace fulcrum::data {

// A sampler is a pure function of the epoch: indices(e) is the same every time it is asked,
// whatever happened before, so a resumed run (or a prefetching worker) sees the order a fresh
// run would. Randomised samplers draw epoch e from epoch_generator(base, e).
class Sampler {
public:
  virtual ~Sampler() = default;
  // Number of indices per epoch (a weighted sampler may draw more or fewer than the dataset).
  virtual int64_t size() const = 0;
  // The indices of epoch `epoch` (≥ 0), each in [0, dataset size).
  virtual std::vector<int64_t> indices(int64_t epoch) const = 0;
};

// The generator for epoch `epoch`: `base` moved 2^40 blocks ahead per epoch. Philox is
// counter-based, so skipping ahead is free and every epoch owns a disjoint slice of the stream
// (2^40 blocks = 2^42 random words, far more than any epoch draws).
Generator epoch_generator(const Generator& base, int64_t epoch);

// torch.multinomial(weights, num_samples, replacement) for one row of weights, from `generator`.
// Weights must be finite and ≥ 0 with a positive sum; they need not sum to 1 (p_i = w_i / Σw).
//  * With replacement: num_samples independent draws by inversion of the cumulative sums (in
//    double): u uniform in [0, Σw), index = first i with w_0 + … + w_i > u. A zero weight is
//    never drawn.
//  * Without replacement: the draws are those of successive sampling (draw i with p ∝ w_i,
//    remove it, renormalise, repeat), done in one pass with the Efraimidis–Spirakis keys
//    k_i = log(u_i) / w_i: the num_samples largest keys, in decreasing order, have exactly that
//    distribution (PyTorch ≥ 1.x uses the equivalent exponential-race trick). No index repeats;
//    num_samples must not exceed the number of positive weights — an Error here, where PyTorch
//    1.13 on CPU silently pads with zero-weight indices (torch.multinomial([1., 0., 1.], 3)
//    → [0, 2, 1]; checked), i.e. draws what the weights forbid.
std::vector<int64_t> multinomial(const std::vector<double>& weights, int64_t num_samples, bool replacement,
                                 Generator& generator);

// 0, 1, …, n − 1 every epoch.
class SequentialSampler : public Sampler {
public:
  explicit SequentialSampler(int64_t size);
  int64_t size() const override { return size_; }
  std::vector<int64_t> indices(int64_t epoch) const override;

private:
  int64_t size_;
};

// torch.utils.data.RandomSampler(data_source, replacement, num_samples, generator).
//  * replacement = false: randperm(n) drawn from epoch_generator(base, e). With num_samples ≠ n,
//    PyTorch's rule: ⌊num_samples / n⌋ whole permutations, then the first num_samples mod n of
//    one more (so every index appears ⌊num_samples / n⌋ or one more times).
//  * replacement = true: num_samples independent uniform draws from [0, n).
// num_samples defaults to n; given, it must be > 0 (PyTorch: "num_samples should be a positive
// integer value"). n = 0 gives empty epochs (only without an explicit num_samples).
class RandomSampler : public Sampler {
public:
  RandomSampler(int64_t size, Generator generator, bool replacement = false,
                std::optional<int64_t> num_samples = std::nullopt);
  int64_t size() const override { return num_samples_; }
  std::vector<int64_t> indices(int64_t epoch) const override;

private:
  int64_t size_;
  Generator generator_;
  bool replacement_;
  int64_t num_samples_;
};

// torch.utils.data.WeightedRandomSampler(weights, num_samples, replacement = True): each epoch
// is multinomial(weights, num_samples, replacement) (see above) from epoch_generator(base, e).
// The weights are per EXAMPLE (the book: sklearn compute_sample_weight('balanced'), i.e.
// N / (C · n_{y_i}); num_samples 14809, replacement true). Checked when built: weights finite,
// ≥ 0, not all zero; num_samples > 0; without replacement num_samples ≤ #positive weights.
class WeightedRandomSampler : public Sampler {
public:
  WeightedRandomSampler(std::vector<double> weights, int64_t num_samples, bool replacement, Generator generator);
  int64_t size() const override { return num_samples_; }
  std::vector<int64_t> indices(int64_t epoch) const override;
  const std::vector<double>& weights() const { return weights_; }

private:
  std::vector<double> weights_;
  int64_t num_samples_;
  bool replacement_;
  Generator generator_;
};

// ---------------------------------------------------------------- re-balancing samplers
// They take the dataset's labels (`dataset.targets()`); each label must be ≥ 0.

// imblearn RandomOverSampler(sampling_strategy='not majority'), redrawn every epoch: every class
// is brought up to n_max by keeping ALL its n_c examples and adding n_max − n_c drawn uniformly
// WITH replacement from the class. Size C' · n_max (C' = classes present; MNIST-LT: 10 × 5923 =
// 59230). Order: the originals in dataset order, then each class's extra draws (class 0, 1, …)
// — imblearn's output order — and then one uniform shuffle of the whole list, since a sampler's
// order is the training order (imblearn leaves the shuffling to the training loop).
class RandomOverSampler : public Sampler {
public:
  RandomOverSampler(const std::vector<int64_t>& targets, Generator generator);
  int64_t size() const override { return size_; }
  std::vector<int64_t> indices(int64_t epoch) const override;

private:
  std::vector<std::vector<int64_t>> by_class_;
  int64_t n_max_ = 0, size_ = 0;
  Generator generator_;
};

// imblearn RandomUnderSampler(sampling_strategy='not minority', replacement=False), redrawn every
// epoch: every class is cut down to n_min examples chosen WITHOUT replacement (the first n_min of
// a random permutation of the class). Size C' · n_min (MNIST-LT: 10 × 60 = 600). Order: class 0's
// kept examples, class 1's, …, then one uniform shuffle of the whole list.
class RandomUnderSampler : public Sampler {
public:
  RandomUnderSampler(const std::vector<int64_t>& targets, Generator generator);
  int64_t size() const override { return size_; }
  std::vector<int64_t> indices(int64_t epoch) const override;

private:
  std::vector<std::vector<int64_t>> by_class_;
  int64_t n_min_ = 0, size_ = 0;
  Generator generator_;
};

// Class-aware sampling with class probabilities p_c (Kang et al., "Decoupling Representation and
// Classifier for Long-Tailed Recognition", ICLR 2020, eq. 1; BagofTricks lib/dataset/cao_cifar.py;
// Shen et al. 2016 "Relay BP"): each of the num_samples draws first picks a class c with
// probability p_c, then one of its n_c examples uniformly — both with replacement. So example i
// is drawn with probability p_{y_i} / n_{y_i}. p_c ∝ n_c^q:
//   q = 1   instance-balanced (p_c = n_c / N: every example 1/N, like RandomSampler with
//           replacement),
//   q = 0   class-balanced (p_c = 1 / C'),
//   q = 1/2 square-root sampling (Mahajan et al. 2018, as used by Kang et al.).
// num_samples defaults to the dataset size N. Classes with n_c = 0 get p_c = 0 (skipped), even for
// q = 0. Per epoch: the class draws, then the instance draws, from epoch_generator(base, e).
class ClassAwareSampler : public Sampler {
public:
  int64_t size() const override { return num_samples_; }
  std::vector<int64_t> indices(int64_t epoch) const override;
  // p_c for epoch `epoch` (sums to 1; 0 for absent classes).
  virtual std::vector<double> class_probabilities(int64_t epoch) const = 0;
  const std::vector<int64_t>& class_sizes() const { return class_sizes_; }

protected:
  ClassAwareSampler(const char* name, const std::vector<int64_t>& targets, Generator generator,
                    std::optional<int64_t> num_samples);
  // p_c ∝ n_c^q over the classes present (shared by the subclasses).
  std::vector<double> power_probabilities(double q) const;

private:
  std::vector<std::vector<int64_t>> by_class_;
  std::vector<int64_t> class_sizes_;
  Generator generator_;
  int64_t num_samples_;
};

// p_c ∝ n_c^q for a fixed q ≥ 0 (q = 0, ½, 1 above; finite).
class PowerClassSampler : public ClassAwareSampler {
public:
  PowerClassSampler(const std::vector<int64_t>& targets, double q, Generator generator,
                    std::optional<int64_t> num_samples = std::nullopt);
  std::vector<double> class_probabilities(int64_t epoch) const override;

private:
  double q_;
};

// q = 0: uniform class, then uniform instance (Kang et al.'s class-balanced sampling; BagofTricks
// "balance").
class ClassBalancedSampler : public PowerClassSampler {
public:
  ClassBalancedSampler(const std::vector<int64_t>& targets, Generator generator,
                       std::optional<int64_t> num_samples = std::nullopt)
      : PowerClassSampler(targets, 0.0, generator, num_samples) {}
};

// q = ½: p_c ∝ √n_c (BagofTricks "square").
class SquareRootSampler : public PowerClassSampler {
public:
  SquareRootSampler(const std::vector<int64_t>& targets, Generator generator,
                    std::optional<int64_t> num_samples = std::nullopt)
      : PowerClassSampler(targets, 0.5, generator, num_samples) {}
};

// Progressively-balanced sampling (Kang et al. 2020, eq. 2; BagofTricks "progressive"):
//   p_c(t) = (1 − t/T) · p_c^IB + (t/T) · p_c^CB,   p^IB ∝ n_c (q = 1),  p^CB = 1/C' (q = 0),
// with t = the epoch (0-based, as BagofTricks' epoch / MAX_EPOCH) and T = total_epochs ≥ 1. Epoch
// 0 is instance-balanced; t ≥ T is clamped to class-balanced.
class ProgressivelyBalancedSampler : public ClassAwareSampler {
public:
  ProgressivelyBalancedSampler(const std::vector<int64_t>& targets, int64_t total_epochs, Generator generator,
                               std::optional<int64_t> num_samples = std::nullopt);
  std::vector<double> class_probabilities(int64_t epoch) const override;

private:
  int64_t total_epochs_;
};

// Hikvision's "label shuffling" (ILSVRC 2016 / Places2 entry; what the brief calls "class
// reorganisation"): per epoch, for every class c draw a random permutation π of [0, n_max) and
// take the examples by_class_c[π_k mod n_c], k = 0 … n_max − 1 (so a class with n_c < n_max
// repeats its examples ⌊n_max / n_c⌋ or one more times, and the largest classes are exactly
// permuted); concatenate the classes (0, 1, …) and shuffle the whole list. Every present class
// appears exactly n_max times; size C' · n_max.
class LabelShufflingSampler : public Sampler {
public:
  LabelShufflingSampler(const std::vector<int64_t>& targets, Generator generator);
  int64_t size() const override { return size_; }
  std::vector<int64_t> indices(int64_t epoch) const override;

private:
  std::vector<std::vector<int64_t>> by_class_;
  int64_t n_max_ = 0, size_ = 0;
  Generator generator_;
};

// ---------------------------------------------------------------- batch samplers

// Whole batches of indices per epoch (what torch's DataLoader calls a batch_sampler). Like a
// Sampler, a pure function of the epoch.
class BatchSampler {
public:
  virtual ~BatchSampler() = default;
  virtual int64_t size() const = 0;  // batches per epoch
  virtual std::vector<std::vector<int64_t>> batches(int64_t epoch) const = 0;
};

// torch.utils.data.BatchSampler(sampler, batch_size, drop_last): cuts the sampler's epoch into
// consecutive batches of batch_size; the last is shorter unless drop_last drops it. This is what
// the DataLoader builds for batch_size / shuffle / sampler / drop_last. The sampler must deliver
// exactly size() indices (checked per epoch).
class ChunkBatchSampler : public BatchSampler {
public:
  ChunkBatchSampler(std::shared_ptr<const Sampler> sampler, int64_t batch_size, bool drop_last);
  int64_t size() const override;
  std::vector<std::vector<int64_t>> batches(int64_t epoch) const override;
  const Sampler& sampler() const { return *sampler_; }

private:
  std::shared_ptr<const Sampler> sampler_;
  int64_t batch_size_;
  bool drop_last_;
};

// Class-balanced batches: every batch holds batch_size / C' examples of every present class
// (batch_size must be a multiple of C', an Error otherwise — no rounding). Instances: each class
// walks through a random permutation of its examples, and when it is used up draws a fresh one
// (Shen et al.'s class-aware lists, reshuffled on exhaustion), so within a class no example
// repeats before all have been seen. Within a batch the examples are shuffled. num_batches
// defaults to ⌈N / batch_size⌉ (one pass's worth of examples, every batch full). Everything of
// epoch e comes from epoch_generator(base, e): the class cursors restart each epoch.
class BalancedBatchSampler : public BatchSampler {
public:
  BalancedBatchSampler(const std::vector<int64_t>& targets, int64_t batch_size, Generator generator,
                       std::optional<int64_t> num_batches = std::nullopt);
  int64_t size() const override { return num_batches_; }
  std::vector<std::vector<int64_t>> batches(int64_t epoch) const override;
  int64_t per_class() const { return per_class_; }

private:
  std::vector<std::vector<int64_t>> by_class_;  // present classes only
  int64_t batch_size_, per_class_ = 0, num_batches_ = 0;
  Generator generator_;
};

}  // namespace fulcrum::data
