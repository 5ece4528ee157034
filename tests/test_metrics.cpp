// tests/test_metrics.cpp — confusion matrix, per-class accuracy and accuracy on hand-counted cases.
#include <doctest/doctest.h>

#include <cmath>

#include "fulcrum.hpp"
#include "metrics/classification.hpp"

using namespace fulcrum;

TEST_CASE("confusion matrix counts (target, prediction) pairs") {
  // targets 0 0 1 1 1 2, predictions 0 1 1 1 0 2:
  //   row 0: [1, 1, 0]; row 1: [1, 2, 0]; row 2: [0, 0, 1].
  Tensor targets = from_data<int64_t>({0, 0, 1, 1, 1, 2}, {6});
  Tensor predictions = from_data<int64_t>({0, 1, 1, 1, 0, 2}, {6});
  Tensor confusion = metrics::confusion_matrix(predictions, targets, 3);
  CHECK(confusion.to_vector<int64_t>() == std::vector<int64_t>{1, 1, 0, 1, 2, 0, 0, 0, 1});
  const std::vector<double> recall = metrics::per_class_accuracy(confusion);
  CHECK(recall[0] == doctest::Approx(0.5));
  CHECK(recall[1] == doctest::Approx(2.0 / 3.0));
  CHECK(recall[2] == doctest::Approx(1.0));
  CHECK(metrics::accuracy(confusion) == doctest::Approx(4.0 / 6.0));
}

TEST_CASE("a class without samples has NaN accuracy, not 0 or 1") {
  Tensor confusion = metrics::confusion_matrix(from_data<int64_t>({0, 0}, {2}), from_data<int64_t>({0, 1}, {2}), 3);
  const std::vector<double> recall = metrics::per_class_accuracy(confusion);
  CHECK(recall[0] == doctest::Approx(1.0));
  CHECK(recall[1] == doctest::Approx(0.0));
  CHECK(std::isnan(recall[2]));
}

TEST_CASE("confusion matrix rejects bad input") {
  Tensor ok = from_data<int64_t>({0, 1}, {2});
  CHECK_THROWS_WITH_AS(metrics::confusion_matrix(ok, from_data<int64_t>({0, 3}, {2}), 3),
                       doctest::Contains("sample 1 has target 3"), Error);
  CHECK_THROWS_WITH_AS(metrics::confusion_matrix(ok.to(DType::f32), ok, 2), doctest::Contains("must be i64"), Error);
  CHECK_THROWS_WITH_AS(metrics::confusion_matrix(ok, from_data<int64_t>({0}, {1}), 2),
                       doctest::Contains("must have the same shape"), Error);
}
