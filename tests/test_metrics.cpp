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

// ---- precision / recall / F1, averages, balanced accuracy, G-mean --------------------------------

namespace {
// The LCG of tests/reference/metrics.py: x ← (1664525·x + 1013904223) mod 2^32, value = (x >> 16) mod m.
std::vector<int64_t> lcg_values(uint32_t seed, int count, int64_t modulus) {
  std::vector<int64_t> values;
  uint32_t x = seed;
  for (int i = 0; i < count; ++i) {
    x = 1664525u * x + 1013904223u;
    values.push_back(static_cast<int64_t>(x >> 16) % modulus);
  }
  return values;
}

// Hand case: targets 0 0 0 1 1 2, predictions 0 0 1 1 2 2 → M = [[2,1,0],[0,1,1],[0,0,1]],
// support (row sums) [3,2,1], predicted (column sums) [2,2,2].
Tensor hand_confusion() {
  return metrics::confusion_matrix(std::vector<int64_t>{0, 0, 1, 1, 2, 2}, std::vector<int64_t>{0, 0, 0, 1, 1, 2}, 3);
}

// The sklearn case of tests/reference/metrics.py over `classes` classes (6 or 7): class 4 is rare
// and never predicted, class 5 predicted but absent from the targets, class 6 absent from both.
Tensor reference_confusion(int64_t classes) {
  const std::vector<int64_t> raw_true = lcg_values(1, 80, 5), raw_pred = lcg_values(2, 80, 5);
  std::vector<int64_t> truth(80), predicted(80);
  for (int i = 0; i < 80; ++i) {
    truth[i] = raw_true[i] < 4 || i % 3 == 0 ? raw_true[i] : 0;
    predicted[i] = i % 4 == 0 ? truth[i] : (raw_pred[i] == 4 ? 5 : raw_pred[i]);
  }
  return metrics::confusion_matrix(predicted, truth, classes);
}

void check_all_close(const std::vector<double>& actual, const std::vector<double>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    CAPTURE(i);
    if (std::isnan(expected[i])) CHECK(std::isnan(actual[i]));
    else CHECK(actual[i] == doctest::Approx(expected[i]).epsilon(1e-12));
  }
}
}  // namespace

TEST_CASE("precision, recall, F1 and support per class on a hand-counted matrix") {
  const metrics::PrecisionRecallFscoreSupport scores = metrics::precision_recall_fscore_support(hand_confusion());
  // P = tp / predicted = [2/2, 1/2, 1/2]; R = tp / support = [2/3, 1/2, 1/1]
  // F1 = 2PR/(P+R): class 0: 2·1·(2/3) / (5/3) = 0.8; class 1: 0.5; class 2: 2·0.5·1 / 1.5 = 2/3.
  check_all_close(scores.precision, {1.0, 0.5, 0.5});
  check_all_close(scores.recall, {2.0 / 3, 0.5, 1.0});
  check_all_close(scores.f1, {0.8, 0.5, 2.0 / 3});
  CHECK(scores.support == std::vector<int64_t>{3, 2, 1});
  using metrics::Average;
  // macro F1 = (0.8 + 0.5 + 2/3) / 3 = 0.65556; weighted = (3·0.8 + 2·0.5 + 1·2/3) / 6 = 0.67778
  CHECK(metrics::f1_score(hand_confusion()) == doctest::Approx(0.6555555555555556));
  CHECK(metrics::f1_score(hand_confusion(), Average::weighted) == doctest::Approx(0.6777777777777779));
  // micro: Σtp / N = 4/6 for precision, recall and F1 alike.
  CHECK(metrics::f1_score(hand_confusion(), Average::micro) == doctest::Approx(4.0 / 6));
  CHECK(metrics::precision_score(hand_confusion(), Average::micro) == doctest::Approx(4.0 / 6));
  // macro P = (1 + .5 + .5)/3 = 2/3; macro R = (2/3 + 1/2 + 1)/3 = 0.72222; weighted P = (3 + 1 + .5)/6 = .75
  CHECK(metrics::precision_score(hand_confusion()) == doctest::Approx(2.0 / 3));
  CHECK(metrics::recall_score(hand_confusion()) == doctest::Approx(0.7222222222222222));
  CHECK(metrics::precision_score(hand_confusion(), Average::weighted) == doctest::Approx(0.75));
  // weighted recall = Σ tp / N = accuracy, always.
  CHECK(metrics::recall_score(hand_confusion(), Average::weighted) == doctest::Approx(4.0 / 6));
  // balanced accuracy = macro recall over present classes = 0.72222;
  // G-mean = (2/3 · 1/2 · 1)^(1/3) = (1/3)^(1/3) = 0.693361
  CHECK(metrics::balanced_accuracy_score(hand_confusion()) == doctest::Approx(0.7222222222222222));
  CHECK(metrics::geometric_mean_score(hand_confusion()) == doctest::Approx(std::cbrt(1.0 / 3)));
}

TEST_CASE("absent classes match sklearn's labels= and zero_division= (reference: sklearn 1.2)") {
  // tests/reference/metrics.py, "multi-class case": sklearn's precision_recall_fscore_support(
  // y_true, y_pred, labels=range(7), zero_division=zd), the averages with average=..., etc.
  const Tensor confusion = reference_confusion(7);
  using metrics::Average;
  SUBCASE("zero_division = 0: an undefined ratio counts as 0 in the macro average") {
    const auto scores = metrics::precision_recall_fscore_support(confusion, 0);
    check_all_close(scores.precision, {0.631578947368421, 0.5, 0.5294117647058824, 0.4117647058823529, 1.0, 0.0, 0.0});
    check_all_close(scores.recall, {0.42857142857142855, 0.47058823529411764, 0.5625, 0.4666666666666667, 0.25, 0.0, 0.0});
    check_all_close(scores.f1, {0.5106382978723404, 0.48484848484848486, 0.5454545454545455, 0.43749999999999994, 0.4,
                                0.0, 0.0});
    CHECK(scores.support == std::vector<int64_t>{28, 17, 16, 15, 4, 0, 0});
    CHECK(metrics::precision_score(confusion, Average::macro, 0) == doctest::Approx(0.43896505970809374));
    CHECK(metrics::recall_score(confusion, Average::macro, 0) == doctest::Approx(0.31118947579031614));
    CHECK(metrics::f1_score(confusion, Average::macro, 0) == doctest::Approx(0.3397773325964816));
    CHECK(metrics::precision_score(confusion, Average::weighted, 0) == doctest::Approx(0.560390866873065));
    CHECK(metrics::recall_score(confusion, Average::weighted, 0) == doctest::Approx(0.4625));
    CHECK(metrics::f1_score(confusion, Average::weighted, 0) == doctest::Approx(0.4928758663765313));
    CHECK(metrics::f1_score(confusion, Average::micro, 0) == doctest::Approx(0.4625));
  }
  SUBCASE("zero_division = 1") {
    const auto scores = metrics::precision_recall_fscore_support(confusion, 1);
    // class 5: predicted, never true → P = 0 (defined), R = 1 (substituted), F1 = 0;
    // class 6: absent from both → P = R = F1 = 1.
    check_all_close(scores.precision, {0.631578947368421, 0.5, 0.5294117647058824, 0.4117647058823529, 1.0, 0.0, 1.0});
    check_all_close(scores.recall, {0.42857142857142855, 0.47058823529411764, 0.5625, 0.4666666666666667, 0.25, 1.0, 1.0});
    check_all_close(scores.f1, {0.5106382978723404, 0.48484848484848486, 0.5454545454545455, 0.43749999999999994, 0.4,
                                0.0, 1.0});
    CHECK(metrics::precision_score(confusion, Average::macro, 1) == doctest::Approx(0.5818222025652366));
    CHECK(metrics::recall_score(confusion, Average::macro, 1) == doctest::Approx(0.5969037615046019));
    CHECK(metrics::f1_score(confusion, Average::macro, 1) == doctest::Approx(0.4826344754536244));
    CHECK(metrics::f1_score(confusion, Average::weighted, 1) == doctest::Approx(0.4928758663765313));
  }
  SUBCASE("zero_division = NaN: undefined values are excluded from the averages") {
    const auto scores = metrics::precision_recall_fscore_support(confusion, NAN);
    check_all_close(scores.precision, {0.631578947368421, 0.5, 0.5294117647058824, 0.4117647058823529, 1.0, 0.0, NAN});
    CHECK(std::isnan(scores.recall[5]));
    CHECK(std::isnan(scores.f1[5]));
    CHECK(std::isnan(scores.f1[6]));
    // numpy nanmean of the NaN-mode vectors (reference script, "NaN mode").
    CHECK(metrics::precision_score(confusion, Average::macro, NAN) == doctest::Approx(0.512125902992776));
    CHECK(metrics::recall_score(confusion, Average::macro, NAN) == doctest::Approx(0.4356652661064426));
    CHECK(metrics::f1_score(confusion, Average::macro, NAN) == doctest::Approx(0.47568826563507416));
    CHECK(metrics::f1_score(confusion, Average::weighted, NAN) == doctest::Approx(0.4928758663765313));
  }
  // Leaving class 6 (absent from both) out = sklearn f1_score(..., labels=range(6), zero_division=0).
  CHECK(metrics::f1_score(reference_confusion(6), Average::macro, 0) == doctest::Approx(0.39640688802922847));
  // sklearn balanced_accuracy_score skips class 5 (no true samples); macro recall in NaN mode is the same.
  CHECK(metrics::balanced_accuracy_score(confusion) == doctest::Approx(0.4356652661064426));
  // numpy: prod(recall over the 5 present classes) ** (1/5)
  CHECK(metrics::geometric_mean_score(confusion) == doctest::Approx(0.4210626499380552));
  CHECK(metrics::accuracy(confusion) == doctest::Approx(0.4625));
}

TEST_CASE("G-mean: one fully missed class makes it 0 unless corrected") {
  // targets 0 0 1 1, predictions 0 0 0 0 → recalls [1, 0] → G-mean 0; correction 0.01 → sqrt(1·0.01) = 0.1
  const Tensor confusion = metrics::confusion_matrix(std::vector<int64_t>{0, 0, 0, 0}, std::vector<int64_t>{0, 0, 1, 1}, 2);
  CHECK(metrics::geometric_mean_score(confusion) == 0.0);
  CHECK(metrics::geometric_mean_score(confusion, 0.01) == doctest::Approx(0.1));
  CHECK(metrics::balanced_accuracy_score(confusion) == doctest::Approx(0.5));
}

TEST_CASE("classification metrics reject bad input") {
  CHECK_THROWS_WITH_AS(metrics::confusion_matrix(std::vector<int64_t>{0, 1}, std::vector<int64_t>{0}, 2),
                       doctest::Contains("predictions has 2 elements but targets has 1"), Error);
  CHECK_THROWS_WITH_AS(metrics::confusion_matrix(std::vector<int64_t>{0, -1}, std::vector<int64_t>{0, 1}, 2),
                       doctest::Contains("sample 1 has target 1 and prediction -1"), Error);
  const Tensor empty = metrics::confusion_matrix(std::vector<int64_t>{}, std::vector<int64_t>{}, 3);
  CHECK_THROWS_WITH_AS(metrics::f1_score(empty), doctest::Contains("f1_score: the confusion matrix holds no samples"), Error);
  CHECK_THROWS_WITH_AS(metrics::balanced_accuracy_score(empty), doctest::Contains("holds no samples"), Error);
  CHECK_THROWS_WITH_AS(metrics::precision_recall_fscore_support(from_data<int64_t>({1, 2, 3}, {3})),
                       doctest::Contains("expected a square [C, C] confusion matrix, got [3]"), Error);
  CHECK_THROWS_WITH_AS(metrics::precision_recall_fscore_support(from_data<int64_t>({1, -2, 3, 4}, {2, 2})),
                       doctest::Contains("entry [0, 1] is -2"), Error);
  CHECK_THROWS_WITH_AS(metrics::precision_recall_fscore_support(hand_confusion(), 0.5),
                       doctest::Contains("zero_division must be 0, 1 or NaN"), Error);
  CHECK_THROWS_WITH_AS(metrics::geometric_mean_score(hand_confusion(), 2),
                       doctest::Contains("correction must be in [0, 1]"), Error);
}
