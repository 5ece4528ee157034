// losses/loss_checks.hpp — the input checks shared by the loss families (binary, focal,
// class_balanced, margin, regression, contrastive, CDT, CDB, LDAM, GHM-C, Dice/Tversky, MFE).
// Each throws a fulcrum::Error whose message starts with the calling loss's name (`loss`), then
// names the argument (`what`), its shape / dtype / offending value and what was expected.
// (cross_entropy.cpp keeps its own checks: its targets also take ignore_index and [N, d1, ...].)
#pragma once
#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum::loss_checks {

// Defined and floating (f32 or f64).
void floating(const char* loss, const char* what, const Tensor& x);

// Floating [N, C] with C ≥ 1 (N may be 0: an empty batch).
void check_scores(const char* loss, const char* what, const Tensor& input);

// Floating [N, C] or one sample [C], with C ≥ 1 (N may be 0); returns C.
int64_t check_scores_or_sample(const char* loss, const Tensor& input);

// Defined, of the input's shape and dtype.
void same_shape(const char* loss, const char* what, const Tensor& target, const Tensor& input);

// A per-element weight: of the input's dtype, broadcastable to its shape, every value ≥ 0.
// Undefined passes (the weight is optional).
void broadcast_weight(const char* loss, const char* what, const Tensor& weight, const Tensor& input);

// Class-index targets for an input [N, C] (targets [N]) or one sample [C] (a 0-d target): i64,
// every value in [0, C) (checked by check_class_labels, core/class_labels.hpp) unless `allow_outside` (then any value is accepted and the caller decides
// what it means). Returns the values.
std::vector<int64_t> check_class_targets(const char* loss, const Tensor& input, const Tensor& targets,
                                         bool allow_outside = false);

enum class Sign { any_finite, non_negative, positive };

// A per-class constant [C] (`name`: "weight", "temperatures", "margins") for an input with
// `classes` classes: defined, of the input's dtype, every value finite and of the given sign.
// Returns its values.
std::vector<double> check_class_vector(const char* loss, const char* name, const Tensor& vector, const Tensor& input,
                                       int64_t classes, Sign sign);

// The same for an optional class weight (≥ 0): empty when undefined.
std::vector<double> check_optional_class_weight(const char* loss, const Tensor& weight, const Tensor& input,
                                                int64_t classes);

}  // namespace fulcrum::loss_checks
