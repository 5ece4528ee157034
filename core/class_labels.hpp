// core/class_labels.hpp — class-index labels: the one "every label is in [0, C)" check and the
// one class_counts (torch.bincount with minlength = C). Losses, metrics and data all validate and
// count labels; they live in core/ because core is the one room all three already depend on (data/
// must not include losses/ or metrics/), and they need nothing above Tensor. Implementation:
// class_labels.cpp. Per-class weights computed from the counts: losses/class_weights.hpp.
#pragma once
#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum {

// Throws a fulcrum::Error unless every label is in [0, num_classes). The message names the op, the
// offending value, its position and the range, e.g.
//   focal_loss: target 3 (at position 2) is out of range for C = 3 classes; expected 0 <= target < 3
// `what` is the word for one label in the message ("target", "label", "prediction").
void check_class_labels(const std::vector<int64_t>& labels, int64_t num_classes, const char* op,
                        const char* what = "target");

// The same for a tensor of any shape (positions are flat, row-major): it must be defined and i64
// (a float label is an error, never rounded). Returns the values, read once through to_vector.
std::vector<int64_t> check_class_labels(const Tensor& labels, int64_t num_classes, const char* op,
                                        const char* what = "target");

// counts[c] = #{i : labels_i = c} for c in [0, num_classes): torch.bincount(labels, minlength = C).
// num_classes must be ≥ 1; every label is checked by check_class_labels. The Tensor form takes
// i64 labels of any shape. data::class_counts(const Dataset&) counts a dataset's targets.
std::vector<int64_t> class_counts(const std::vector<int64_t>& labels, int64_t num_classes);
std::vector<int64_t> class_counts(const Tensor& labels, int64_t num_classes);

}  // namespace fulcrum
