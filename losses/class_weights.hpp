// losses/class_weights.hpp — per-class weights for the weighted losses, computed by named schemes
// from the *training* class counts (never from the test set), plus class_counts() to get those
// counts from labels. Weights are plain constant tensors [C] (pass them as `weight` to
// nll_loss / cross_entropy). Today: sklearn's 'balanced'; the losses issue adds inverse-sqrt,
// effective-number (Cui et al.) and difficulty-based schemes here (see LOSSES.md §1, §5, §8).
#pragma once
#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum {

struct ClassWeightOptions {
  DType dtype = DType::f32;  // computed in double, returned in this floating dtype
};

// n_c = #{i : labels_i = c} for c in [0, num_classes): torch.bincount(labels, minlength = C).
// labels: i64 of any shape, every value in [0, num_classes), else an Error naming it.
std::vector<int64_t> class_counts(const Tensor& labels, int64_t num_classes);

// sklearn's compute_class_weight('balanced'): w_c = N / (C · n_c) with N = Σ_c n_c, so a class
// of the average size gets 1 and rarer classes proportionally more. Every n_c must be > 0 (the
// weight of an absent class is undefined; sklearn raises too).
Tensor balanced_class_weights(const std::vector<int64_t>& counts, ClassWeightOptions options = {});

}  // namespace fulcrum
