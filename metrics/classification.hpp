// metrics/classification.hpp — what happens to each class: the confusion matrix and per-class
// accuracy (recall, the diagonal of the row-normalised matrix — the book's per-class figure),
// plus overall accuracy. Inputs are i64 class indices. The imbalance-toolkit issue adds
// precision/F1, averages, AUCs and calibration next to these.
#pragma once
#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum::metrics {

// counts[t][p] = number of samples with target t predicted as p; [C, C] i64.
Tensor confusion_matrix(const Tensor& predictions, const Tensor& targets, int64_t num_classes);

// Recall of each class: correct_c / support_c. A class with no samples gets NaN (undefined,
// and visibly so), never 0 or 1.
std::vector<double> per_class_accuracy(const Tensor& confusion);

// Σ diagonal / Σ all; NaN for an empty matrix.
double accuracy(const Tensor& confusion);

}  // namespace fulcrum::metrics
