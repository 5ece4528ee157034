// tests/core/class_labels.cpp — check_class_labels and class_counts (core/class_labels.hpp), the
// one label-range check and the one bincount that losses, metrics and data share: accepted
// labels, each way a label can be wrong and the message that names it, labels on another device.
#include <doctest/doctest.h>

#include <vector>

#include "fulcrum.hpp"
#include "test_support.hpp"

using namespace fulcrum;

TEST_CASE("check_class_labels: labels in [0, C) pass and come back; the first bad one is named") {
  CHECK_NOTHROW(check_class_labels(std::vector<int64_t>{0, 2, 1, 2}, 3, "op"));
  CHECK_NOTHROW(check_class_labels(std::vector<int64_t>{}, 1, "op"));
  const Tensor labels = tensor({{2, 0}, {1, 2}}, {.dtype = DType::i64});
  CHECK(check_class_labels(labels, 3, "op") == std::vector<int64_t>{2, 0, 1, 2});  // row-major
  CHECK_ERROR_CONTAINS(check_class_labels(std::vector<int64_t>{0, 3, 5}, 3, "focal_loss"),
                       "focal_loss: target 3 (at position 1) is out of range for C = 3 classes; expected 0 <= target < 3");
  CHECK_ERROR_CONTAINS(check_class_labels(std::vector<int64_t>{0, -1}, 3, "m", "prediction"),
                       "m: prediction -1 (at position 1) is out of range");
  // Positions of a tensor are flat: [[0, 1], [4, 0]] has its 4 at position 2.
  CHECK_ERROR_CONTAINS(check_class_labels(tensor({{0, 1}, {4, 0}}, {.dtype = DType::i64}), 3, "op", "label"),
                       "op: label 4 (at position 2)");
  CHECK_ERROR_CONTAINS(check_class_labels(tensor({0.0, 1.0}), 3, "op"), "i64");
  CHECK_ERROR_CONTAINS(check_class_labels(Tensor(), 3, "op"), "undefined");
}

TEST_CASE("class_counts: torch.bincount with minlength = C, from vectors, tensors of any shape and any device") {
  CHECK(class_counts(std::vector<int64_t>{2, 0, 2, 2}, 4) == std::vector<int64_t>{1, 0, 3, 0});
  CHECK(class_counts(std::vector<int64_t>{}, 2) == std::vector<int64_t>{0, 0});
  const Tensor labels = tensor({{2, 0, 2}, {2, 1, 0}}, {.dtype = DType::i64});
  CHECK(class_counts(labels, 3) == std::vector<int64_t>{2, 1, 3});
  CHECK(class_counts(labels.to("ref"), 3) == std::vector<int64_t>{2, 1, 3});  // read through to_host
  CHECK(class_counts(labels.t(), 3) == std::vector<int64_t>{2, 1, 3});        // a strided view
  CHECK_ERROR_CONTAINS(class_counts(std::vector<int64_t>{0, 1}, 0), "num_classes must be >= 1, got 0");
  CHECK_ERROR_CONTAINS(class_counts(labels, 2), "class_counts: label 2 (at position 0) is out of range for C = 2");
}
