// metrics/input.hpp — internal: turning the inputs metrics accept (Tensors or std::vectors) into
// checked std::vectors. Every metric is computed in double on the CPU, outside autograd. Not part
// of the public API (metrics/*.hpp include it; users include the family headers).
#pragma once
#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum::metrics::detail {

// A 1-D (or 0-sample) i64 tensor of class indices → vector. `what` names the argument.
std::vector<int64_t> class_indices(const Tensor& tensor, const char* function, const char* what);

// A 1-D floating tensor of scores → vector (values are checked by check_binary_inputs).
std::vector<double> scores_of(const Tensor& tensor, const char* function);

// A 1-D tensor of binary targets: i64, u8 or floating, every value exactly 0 or 1.
std::vector<int64_t> binary_targets_of(const Tensor& tensor, const char* function);

// The shared checks of every binary metric: same length, not empty, finite scores (sklearn
// rejects NaN and ±inf too), targets 0 or 1. Returns the number of positives.
int64_t check_binary_inputs(const std::vector<double>& scores, const std::vector<int64_t>& targets,
                            const char* function);

// As above, and both classes present (ROC-AUC and the threshold criteria need a positive and a
// negative: sklearn raises "Only one class present in y_true" for ROC-AUC).
void check_both_classes(const std::vector<double>& scores, const std::vector<int64_t>& targets,
                        const char* function);

// A floating [N, C] probability tensor and its N class-index targets (N > 0, C ≥ 1): returns the
// targets. Shared by roc_auc_score_ovr and the calibration functions.
std::vector<int64_t> check_probabilities_and_targets(const Tensor& probabilities, const Tensor& targets,
                                                     const char* function);

}  // namespace fulcrum::metrics::detail
