// tests/test_metrics_binary.cpp — binary metrics: counts at a threshold, ROC / PR, AUC, AP,
// threshold tuning.
#include <doctest/doctest.h>

#include "fulcrum.hpp"
#include "tests/metrics_reference.hpp"
#include "metrics/binary.hpp"
#include "metrics/threshold.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;

#include <cmath>

namespace {

// The reference script's binary case: 200 scores in {0, 0.1, …, 1} (many ties), 84 positives.
struct BinaryCase {
  std::vector<double> scores;
  std::vector<int64_t> targets;
};
BinaryCase reference_binary() {
  BinaryCase data;
  const std::vector<int64_t> raw_scores = lcg_values(3, 200, 11), raw_targets = lcg_values(4, 200, 10);
  for (int i = 0; i < 200; ++i) {
    data.scores.push_back(static_cast<double>(raw_scores[i]) / 10.0);
    data.targets.push_back(raw_targets[i] % 10 < 3 + (data.scores[i] > 0.5 ? 3 : 0) ? 1 : 0);
  }
  return data;
}


// sklearn's docstring example: y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8].
const std::vector<double> doc_scores{0.1, 0.4, 0.35, 0.8};
const std::vector<int64_t> doc_targets{0, 0, 1, 1};
}  // namespace

TEST_CASE("binary counts at a threshold: positive when score ≥ threshold") {
  // threshold 0.4: predicted positive = {0.4 (neg), 0.8 (pos)} → TP 1, FP 1, TN 1, FN 1.
  metrics::BinaryCounts counts = metrics::binary_counts(doc_scores, doc_targets, 0.4);
  CHECK(counts.true_positives == 1);
  CHECK(counts.false_positives == 1);
  CHECK(counts.true_negatives == 1);
  CHECK(counts.false_negatives == 1);
  // threshold 0.35 (equal to a positive's score, which counts): TP 2, FP 1, TN 1, FN 0.
  counts = metrics::binary_counts(doc_scores, doc_targets, 0.35);
  CHECK(counts.true_positives == 2);
  CHECK(counts.false_positives == 1);
  CHECK(counts.true_negatives == 1);
  CHECK(counts.false_negatives == 0);
  CHECK(counts.recall() == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(counts.precision() == doctest::Approx(2.0 / 3).epsilon(1e-12));
  CHECK(counts.specificity() == doctest::Approx(0.5).epsilon(1e-12));
  CHECK(counts.f1() == doctest::Approx(0.8).epsilon(1e-12));  // 2·2 / (2·2 + 1 + 0)
  // Tensor inputs: f32 scores, float 0/1 targets (the BCE convention) give the same counts.
  counts = metrics::binary_counts(from_data<float>({0.1f, 0.4f, 0.35f, 0.8f}, {4}), from_data<float>({0, 0, 1, 1}, {4}), 0.5);
  CHECK(counts.true_positives == 1);
  CHECK(counts.true_negatives == 2);
  CHECK(counts.false_negatives == 1);
  // threshold above every score: nothing predicted positive → precision undefined (NaN).
  CHECK(std::isnan(metrics::binary_counts(doc_scores, doc_targets, 2.0).precision()));
}

TEST_CASE("ROC-AUC: hand cases, ties count one half") {
  // Pairs (positive, negative): 0.35 > 0.1 yes, 0.35 > 0.4 no, 0.8 > both → 3 of 4.
  CHECK(metrics::roc_auc_score(doc_scores, doc_targets) == doctest::Approx(0.75).epsilon(1e-12));
  // scores 0.5 0.5 0.5 0.2, targets 1 0 1 0: each positive ties the 0.5 negative (½) and beats 0.2 (1)
  // → (½ + 1 + ½ + 1) / 4 = 0.75. Ranks: 0.2 → 1, the three 0.5 → mean rank 3; U = 3 + 3 − 2·3/2 = 3.
  CHECK(metrics::roc_auc_score(std::vector<double>{0.5, 0.5, 0.5, 0.2}, std::vector<int64_t>{1, 0, 1, 0}) ==
        doctest::Approx(0.75).epsilon(1e-12));
  // All scores equal → 0.5; perfectly reversed → 0.
  CHECK(metrics::roc_auc_score(std::vector<double>{1, 1, 1}, std::vector<int64_t>{1, 0, 1}) == doctest::Approx(0.5).epsilon(1e-12));
  CHECK(metrics::roc_auc_score(std::vector<double>{1, 2, 3}, std::vector<int64_t>{1, 0, 0}) == 0.0);
}

TEST_CASE("ROC-AUC, curves and AP match sklearn 1.2 on a case with many ties") {
  const BinaryCase data = reference_binary();
  // tests/reference/metrics.py, "binary": roc_auc_score, average_precision_score.
  CHECK(metrics::roc_auc_score(data.scores, data.targets) == doctest::Approx(0.631876026272578).epsilon(1e-12));
  CHECK(metrics::average_precision_score(data.scores, data.targets) ==
        doctest::Approx(0.5334425545525732).epsilon(1e-12));
  const metrics::RocCurve roc = metrics::roc_curve(data.scores, data.targets);
  check_all_close(roc.fpr, {0.0, 0.0603448275862069, 0.09482758620689655, 0.13793103448275862, 0.22413793103448276,
                            0.33620689655172414, 0.47413793103448276, 0.5689655172413793, 0.6982758620689655,
                            0.8275862068965517, 0.9482758620689655, 1.0});
  check_all_close(roc.tpr, {0.0, 0.08333333333333333, 0.2261904761904762, 0.34523809523809523, 0.4523809523809524,
                            0.5714285714285714, 0.6547619047619048, 0.7142857142857143, 0.8214285714285714,
                            0.8809523809523809, 0.9523809523809523, 1.0});
  // sklearn 1.2 puts max + 1 = 2.0 first; we put +inf (sklearn ≥ 1.3). The rest is equal.
  CHECK(std::isinf(roc.thresholds[0]));
  check_all_close({roc.thresholds.begin() + 1, roc.thresholds.end()},
                  {1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0});
  const metrics::PrecisionRecallCurve pr = metrics::precision_recall_curve(data.scores, data.targets);
  check_all_close(pr.precision, {0.42, 0.42105263157894735, 0.43529411764705883, 0.46, 0.47619047619047616, 0.5,
                                 0.5517241379310345, 0.59375, 0.6444444444444445, 0.6333333333333333, 0.5, 1.0});
  check_all_close(pr.recall, {1.0, 0.9523809523809523, 0.8809523809523809, 0.8214285714285714, 0.7142857142857143,
                              0.6547619047619048, 0.5714285714285714, 0.4523809523809524, 0.34523809523809523,
                              0.2261904761904762, 0.08333333333333333, 0.0});
  check_all_close(pr.thresholds, {0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0});
  // AP is the step-wise sum Σ (R_n − R_{n+1}) · P_n over this curve (recall falls along it), not the
  // trapezoid under it (sklearn auc(recall, precision) = 0.55431): both computed from the returned curve.
  double step_sum = 0.0, trapezoid = 0.0;
  for (size_t n = 0; n + 1 < pr.recall.size(); ++n) {
    step_sum += (pr.recall[n] - pr.recall[n + 1]) * pr.precision[n];
    trapezoid += (pr.recall[n] - pr.recall[n + 1]) * (pr.precision[n] + pr.precision[n + 1]) / 2.0;
  }
  CHECK(metrics::average_precision_score(data.scores, data.targets) == doctest::Approx(step_sum).epsilon(1e-12));
  CHECK(trapezoid == doctest::Approx(0.5543081333284473).epsilon(1e-12));
  // Tensor overloads agree (f64 scores, i64 targets).
  CHECK(metrics::roc_auc_score(from_data(data.scores, {200}), from_data(data.targets, {200})) ==
        doctest::Approx(0.631876026272578).epsilon(1e-12));
}

TEST_CASE("average precision and ROC curve points on hand cases") {
  // Docstring example, thresholds high → low: 0.8 (P 1, R ½), 0.4 (P ½, R ½), 0.35 (P ⅔, R 1), 0.1 (P ½, R 1)
  // AP = ½·1 + 0·½ + ½·⅔ + 0·½ = 5/6.
  CHECK(metrics::average_precision_score(doc_scores, doc_targets) == doctest::Approx(5.0 / 6).epsilon(1e-12));
  // No negatives: precision 1 everywhere → AP 1.
  CHECK(metrics::average_precision_score(std::vector<double>{0.3, 0.7}, std::vector<int64_t>{1, 1}) == 1.0);
  // scores 4 3 2 1, targets 1 1 0 0: counts (tp, fp) = (1,0) (2,0) (2,1) (2,2); the point at
  // threshold 2 lies on the segment from (0,1) to (1,1) and is dropped (sklearn 1.2 gives
  // fpr [0,0,0,1], tpr [0,.5,1,1], thresholds [5,4,3,1]).
  metrics::RocCurve roc = metrics::roc_curve(std::vector<double>{4, 3, 2, 1}, std::vector<int64_t>{1, 1, 0, 0});
  CHECK(roc.fpr == std::vector<double>{0, 0, 0, 1});
  CHECK(roc.tpr == std::vector<double>{0, 0.5, 1, 1});
  CHECK(roc.thresholds == std::vector<double>{INFINITY, 4, 3, 1});
  roc = metrics::roc_curve(std::vector<double>{4, 3, 2, 1}, std::vector<int64_t>{1, 1, 0, 0}, false);
  CHECK(roc.fpr == std::vector<double>{0, 0, 0, 0.5, 1});
  CHECK(roc.thresholds == std::vector<double>{INFINITY, 4, 3, 2, 1});
}

TEST_CASE("one-vs-rest macro ROC-AUC matches sklearn 1.2") {
  // Reference script: p_c = w_c / Σw with integer weights w in 1..5 (ties; exactly the same doubles
  // here and in numpy), targets = argmax where max p > 0.45, else random.
  const auto [p, t] = reference_probabilities();
  CHECK(metrics::roc_auc_score_ovr(p, t) == doctest::Approx(0.5911970357534123).epsilon(1e-12));
  // Per class: sklearn roc_auc_score(t == c, p[:, c]).
  const std::vector<double> probabilities = p.to_vector<double>();
  const std::vector<int64_t> targets = t.to_vector<int64_t>();
  std::vector<double> column(100);
  std::vector<int64_t> is_zero(100);
  for (int i = 0; i < 100; ++i) column[i] = probabilities[i * 4], is_zero[i] = targets[i] == 0;
  CHECK(metrics::roc_auc_score(column, is_zero) == doctest::Approx(0.6964991530208922).epsilon(1e-12));

  // Logits instead of probabilities, a missing class, shapes: clear errors.
  CHECK_THROWS_WITH_AS(metrics::roc_auc_score_ovr(mul(p, scalar_tensor(2.0, {.dtype = f64})), t),
                       doctest::Contains("row 0 of probabilities sums to 2"), Error);
  CHECK_THROWS_WITH_AS(metrics::roc_auc_score_ovr(from_data<double>({0.5, 0.5, 0.2, 0.8}, {2, 2}),
                                                  from_data<int64_t>({1, 1}, {2})),
                       doctest::Contains("class 0 has 0 of 2 samples"), Error);
  CHECK_THROWS_WITH_AS(metrics::roc_auc_score_ovr(p, from_data<int64_t>({0, 1}, {2})),
                       doctest::Contains("must have the same number of samples"), Error);
  CHECK_THROWS_WITH_AS(metrics::roc_auc_score_ovr(from_data<double>({0.5, 0.5, 0.2, 0.8}, {2, 2}),
                                                  from_data<int64_t>({0, 2}, {2})),
                       doctest::Contains("target 2 (at position 1) is out of range for C = 2 classes"), Error);
}

TEST_CASE("threshold tuning by F1, G-mean and Youden's J") {
  // scores .9 .8 .7 .6 .3 .2, targets 1 0 1 1 0 0 (P = 3, N = 3):
  //   t    tp fp  F1 = 2tp/(2tp+fp+fn)   G = sqrt(tpr·tnr)   J = tpr − fpr
  //   .9   1  0   2/4 = .5               sqrt(1/3) = .577    1/3
  //   .8   1  1   2/5 = .4               sqrt(2/9) = .471    0
  //   .7   2  1   4/6 = .667             2/3                 1/3
  //   .6   3  1   6/7 = .857             sqrt(2/3) = .816    2/3   ← best for all three
  //   .3   3  2   6/8 = .75              sqrt(1/3)           1/3
  //   .2   3  3   6/9                    0                   0
  const std::vector<double> scores{0.9, 0.8, 0.7, 0.6, 0.3, 0.2};
  const std::vector<int64_t> targets{1, 0, 1, 1, 0, 0};
  using metrics::ThresholdCriterion;
  metrics::ThresholdChoice choice = metrics::tune_threshold(scores, targets, ThresholdCriterion::f1);
  CHECK(choice.threshold == 0.6);
  CHECK(choice.value == doctest::Approx(6.0 / 7).epsilon(1e-12));
  choice = metrics::tune_threshold(scores, targets, ThresholdCriterion::g_mean);
  CHECK(choice.threshold == 0.6);
  CHECK(choice.value == doctest::Approx(std::sqrt(2.0 / 3)).epsilon(1e-12));
  choice = metrics::tune_threshold(scores, targets, ThresholdCriterion::youden_j);
  CHECK(choice.threshold == 0.6);
  CHECK(choice.value == doctest::Approx(2.0 / 3).epsilon(1e-12));
  // A tie: scores .9 .8 .7 .6, targets 1 0 1 0 → J = .5 at .9 and at .7; the higher threshold wins.
  choice = metrics::tune_threshold(std::vector<double>{0.9, 0.8, 0.7, 0.6}, std::vector<int64_t>{1, 0, 1, 0},
                                   ThresholdCriterion::youden_j);
  CHECK(choice.threshold == 0.9);
  CHECK(choice.value == doctest::Approx(0.5).epsilon(1e-12));
  // The reference case (brute force over thresholds with sklearn's f1_score / confusion_matrix).
  const BinaryCase data = reference_binary();
  choice = metrics::tune_threshold(data.scores, data.targets, ThresholdCriterion::f1);
  CHECK(choice.threshold == 0.0);
  CHECK(choice.value == doctest::Approx(0.5915492957746479).epsilon(1e-12));
  choice = metrics::tune_threshold(data.scores, data.targets, ThresholdCriterion::g_mean);
  CHECK(choice.threshold == 0.6);
  CHECK(choice.value == doctest::Approx(0.6158817620514396).epsilon(1e-12));
  choice = metrics::tune_threshold(from_data(data.scores, {200}), from_data(data.targets, {200}),
                                   ThresholdCriterion::youden_j);
  CHECK(choice.threshold == 0.6);
  CHECK(choice.value == doctest::Approx(0.23522167487684725).epsilon(1e-12));
}

TEST_CASE("binary metrics reject bad input with clear messages") {
  const std::vector<int64_t> negatives_only{0, 0, 0};
  CHECK_THROWS_WITH_AS(metrics::roc_auc_score(std::vector<double>{0.1, 0.2, 0.3}, negatives_only),
                       doctest::Contains("roc_auc_score: only one class present in targets (0 positives, 3 negatives)"),
                       Error);
  CHECK_THROWS_WITH_AS(metrics::roc_curve(std::vector<double>{0.1, 0.2}, std::vector<int64_t>{1, 1}),
                       doctest::Contains("only one class present"), Error);
  CHECK_THROWS_WITH_AS(metrics::tune_threshold(std::vector<double>{0.1, 0.2}, std::vector<int64_t>{1, 1},
                                               metrics::ThresholdCriterion::f1),
                       doctest::Contains("tune_threshold: only one class present"), Error);
  CHECK_THROWS_WITH_AS(metrics::average_precision_score(std::vector<double>{0.1, 0.2, 0.3}, negatives_only),
                       doctest::Contains("no positive sample in targets"), Error);
  CHECK_THROWS_WITH_AS(metrics::roc_auc_score(std::vector<double>{0.1, 0.2}, std::vector<int64_t>{1, 0, 1}),
                       doctest::Contains("scores has 2 elements but targets has 3"), Error);
  CHECK_THROWS_WITH_AS(metrics::roc_auc_score(std::vector<double>{}, std::vector<int64_t>{}),
                       doctest::Contains("empty input"), Error);
  CHECK_THROWS_WITH_AS(metrics::roc_auc_score(std::vector<double>{0.1, NAN}, std::vector<int64_t>{1, 0}),
                       doctest::Contains("scores must be finite, got nan at index 1"), Error);
  CHECK_THROWS_WITH_AS(metrics::average_precision_score(std::vector<double>{0.1, 0.2}, std::vector<int64_t>{1, 2}),
                       doctest::Contains("targets must be 0 or 1, got 2 at index 1"), Error);
  CHECK_THROWS_WITH_AS(metrics::binary_counts(from_data<float>({0.1f, 0.2f}, {2}), from_data<float>({0.5f, 1}, {2}), 0.5),
                       doctest::Contains("targets must be 0 or 1, got 0.5 at index 0"), Error);
  CHECK_THROWS_WITH_AS(metrics::roc_auc_score(from_data<int64_t>({1, 2}, {2}), from_data<int64_t>({1, 0}, {2})),
                       doctest::Contains("scores must be a floating tensor"), Error);
  CHECK_THROWS_WITH_AS(metrics::roc_auc_score(from_data<double>({1, 2}, {1, 2}), from_data<int64_t>({1, 0}, {2})),
                       doctest::Contains("scores must be 1-D [N], got [1, 2]"), Error);
  CHECK_THROWS_WITH_AS(metrics::binary_counts(doc_scores, doc_targets, NAN), doctest::Contains("threshold is NaN"), Error);
}
