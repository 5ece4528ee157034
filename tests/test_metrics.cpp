// tests/test_metrics.cpp — multi-class metrics (confusion matrix, precision / recall / F1, averages,
// balanced accuracy, G-mean), the classification report, class statistics and the bar chart,
// calibration (ECE) and logit adjustment. Binary metrics: tests/test_metrics_binary.cpp.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "fulcrum.hpp"
#include "tests/metrics_reference.hpp"
#include "metrics/calibration.hpp"
#include "metrics/class_stats.hpp"
#include "metrics/classification.hpp"
#include "metrics/report.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;

TEST_CASE("confusion matrix counts (target, prediction) pairs") {
  // targets 0 0 1 1 1 2, predictions 0 1 1 1 0 2:
  //   row 0: [1, 1, 0]; row 1: [1, 2, 0]; row 2: [0, 0, 1].
  Tensor targets = from_data<int64_t>({0, 0, 1, 1, 1, 2}, {6});
  Tensor predictions = from_data<int64_t>({0, 1, 1, 1, 0, 2}, {6});
  Tensor confusion = metrics::confusion_matrix(predictions, targets, 3);
  CHECK(confusion.to_vector<int64_t>() == std::vector<int64_t>{1, 1, 0, 1, 2, 0, 0, 0, 1});
  const std::vector<double> recall = metrics::per_class_accuracy(confusion);
  CHECK(recall[0] == doctest::Approx(0.5).epsilon(1e-12));
  CHECK(recall[1] == doctest::Approx(2.0 / 3.0).epsilon(1e-12));
  CHECK(recall[2] == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(metrics::accuracy(confusion) == doctest::Approx(4.0 / 6.0).epsilon(1e-12));
}

TEST_CASE("a class without samples has NaN accuracy, not 0 or 1") {
  Tensor confusion = metrics::confusion_matrix(from_data<int64_t>({0, 0}, {2}), from_data<int64_t>({0, 1}, {2}), 3);
  const std::vector<double> recall = metrics::per_class_accuracy(confusion);
  CHECK(recall[0] == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(recall[1] == doctest::Approx(0.0).epsilon(1e-12));
  CHECK(std::isnan(recall[2]));
}

TEST_CASE("confusion matrix rejects bad input") {
  Tensor ok = from_data<int64_t>({0, 1}, {2});
  CHECK_THROWS_WITH_AS(metrics::confusion_matrix(ok, from_data<int64_t>({0, 3}, {2}), 3),
                       doctest::Contains("confusion_matrix: target 3 (at position 1) is out of range for C = 3 classes"), Error);
  CHECK_THROWS_WITH_AS(metrics::confusion_matrix(ok.to(DType::f32), ok, 2), doctest::Contains("must be i64"), Error);
  CHECK_THROWS_WITH_AS(metrics::confusion_matrix(ok, from_data<int64_t>({0}, {1}), 2),
                       doctest::Contains("must have the same shape"), Error);
}

// ---- precision / recall / F1, averages, balanced accuracy, G-mean --------------------------------

namespace {

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
  CHECK(metrics::f1_score(hand_confusion()) == doctest::Approx(0.6555555555555556).epsilon(1e-12));
  CHECK(metrics::f1_score(hand_confusion(), Average::weighted) == doctest::Approx(0.6777777777777779).epsilon(1e-12));
  // micro: Σtp / N = 4/6 for precision, recall and F1 alike.
  CHECK(metrics::f1_score(hand_confusion(), Average::micro) == doctest::Approx(4.0 / 6).epsilon(1e-12));
  CHECK(metrics::precision_score(hand_confusion(), Average::micro) == doctest::Approx(4.0 / 6).epsilon(1e-12));
  // macro P = (1 + .5 + .5)/3 = 2/3; macro R = (2/3 + 1/2 + 1)/3 = 0.72222; weighted P = (3 + 1 + .5)/6 = .75
  CHECK(metrics::precision_score(hand_confusion()) == doctest::Approx(2.0 / 3).epsilon(1e-12));
  CHECK(metrics::recall_score(hand_confusion()) == doctest::Approx(0.7222222222222222).epsilon(1e-12));
  CHECK(metrics::precision_score(hand_confusion(), Average::weighted) == doctest::Approx(0.75).epsilon(1e-12));
  // weighted recall = Σ tp / N = accuracy, always.
  CHECK(metrics::recall_score(hand_confusion(), Average::weighted) == doctest::Approx(4.0 / 6).epsilon(1e-12));
  // balanced accuracy = macro recall over present classes = 0.72222;
  // G-mean = (2/3 · 1/2 · 1)^(1/3) = (1/3)^(1/3) = 0.693361
  CHECK(metrics::balanced_accuracy_score(hand_confusion()) == doctest::Approx(0.7222222222222222).epsilon(1e-12));
  CHECK(metrics::geometric_mean_score(hand_confusion()) == doctest::Approx(std::cbrt(1.0 / 3)).epsilon(1e-12));
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
    CHECK(metrics::precision_score(confusion, Average::macro, 0) == doctest::Approx(0.43896505970809374).epsilon(1e-12));
    CHECK(metrics::recall_score(confusion, Average::macro, 0) == doctest::Approx(0.31118947579031614).epsilon(1e-12));
    CHECK(metrics::f1_score(confusion, Average::macro, 0) == doctest::Approx(0.3397773325964816).epsilon(1e-12));
    CHECK(metrics::precision_score(confusion, Average::weighted, 0) == doctest::Approx(0.560390866873065).epsilon(1e-12));
    CHECK(metrics::recall_score(confusion, Average::weighted, 0) == doctest::Approx(0.4625).epsilon(1e-12));
    CHECK(metrics::f1_score(confusion, Average::weighted, 0) == doctest::Approx(0.4928758663765313).epsilon(1e-12));
    CHECK(metrics::f1_score(confusion, Average::micro, 0) == doctest::Approx(0.4625).epsilon(1e-12));
  }
  SUBCASE("zero_division = 1") {
    const auto scores = metrics::precision_recall_fscore_support(confusion, 1);
    // class 5: predicted, never true → P = 0 (defined), R = 1 (substituted), F1 = 0;
    // class 6: absent from both → P = R = F1 = 1.
    check_all_close(scores.precision, {0.631578947368421, 0.5, 0.5294117647058824, 0.4117647058823529, 1.0, 0.0, 1.0});
    check_all_close(scores.recall, {0.42857142857142855, 0.47058823529411764, 0.5625, 0.4666666666666667, 0.25, 1.0, 1.0});
    check_all_close(scores.f1, {0.5106382978723404, 0.48484848484848486, 0.5454545454545455, 0.43749999999999994, 0.4,
                                0.0, 1.0});
    CHECK(metrics::precision_score(confusion, Average::macro, 1) == doctest::Approx(0.5818222025652366).epsilon(1e-12));
    CHECK(metrics::recall_score(confusion, Average::macro, 1) == doctest::Approx(0.5969037615046019).epsilon(1e-12));
    CHECK(metrics::f1_score(confusion, Average::macro, 1) == doctest::Approx(0.4826344754536244).epsilon(1e-12));
    CHECK(metrics::f1_score(confusion, Average::weighted, 1) == doctest::Approx(0.4928758663765313).epsilon(1e-12));
  }
  SUBCASE("zero_division = NaN: undefined values are excluded from the averages") {
    const auto scores = metrics::precision_recall_fscore_support(confusion, NAN);
    check_all_close(scores.precision, {0.631578947368421, 0.5, 0.5294117647058824, 0.4117647058823529, 1.0, 0.0, NAN});
    CHECK(std::isnan(scores.recall[5]));
    CHECK(scores.f1[5] == 0.0);  // 2tp / (2tp + fp + fn) = 0: predicted, never right — defined
    CHECK(std::isnan(scores.f1[6]));  // absent from targets and predictions: undefined
    // numpy nanmean of the NaN-mode vectors (reference script, "NaN mode").
    CHECK(metrics::precision_score(confusion, Average::macro, NAN) == doctest::Approx(0.512125902992776).epsilon(1e-12));
    CHECK(metrics::recall_score(confusion, Average::macro, NAN) == doctest::Approx(0.4356652661064426).epsilon(1e-12));
    // = macro-F1 over the classes present somewhere (labels=range(6) with zero_division=0 below).
    CHECK(metrics::f1_score(confusion, Average::macro, NAN) == doctest::Approx(0.3964068880292284).epsilon(1e-12));
    CHECK(metrics::f1_score(confusion, Average::weighted, NAN) == doctest::Approx(0.4928758663765313).epsilon(1e-12));
  }
  // Leaving class 6 (absent from both) out = sklearn f1_score(..., labels=range(6), zero_division=0).
  CHECK(metrics::f1_score(reference_confusion(6), Average::macro, 0) == doctest::Approx(0.39640688802922847).epsilon(1e-12));
  // sklearn balanced_accuracy_score skips class 5 (no true samples); macro recall in NaN mode is the same.
  CHECK(metrics::balanced_accuracy_score(confusion) == doctest::Approx(0.4356652661064426).epsilon(1e-12));
  // numpy: prod(recall over the 5 present classes) ** (1/5)
  CHECK(metrics::geometric_mean_score(confusion) == doctest::Approx(0.4210626499380552).epsilon(1e-12));
  CHECK(metrics::accuracy(confusion) == doctest::Approx(0.4625).epsilon(1e-12));
}

TEST_CASE("macro-F1 in NaN mode keeps a minority class that is never predicted (F1 = 0, not NaN)") {
  // targets [0,0,1,1,2], predictions [0,0,0,1,1]: class 2 has one sample and is never predicted,
  // so P is undefined but F1 = 2·0 / (0 + 1) = 0. F1 per class: 2·2/(3+2) = 0.8, 2·1/(2+2) = 0.5,
  // 0 → macro (0.8 + 0.5 + 0) / 3 = 0.4333…, in every zero_division mode.
  const Tensor confusion = metrics::confusion_matrix(std::vector<int64_t>{0, 0, 0, 1, 1},
                                                     std::vector<int64_t>{0, 0, 1, 1, 2}, 3);
  for (double zero_division : {0.0, 1.0, static_cast<double>(NAN)}) {
    CHECK(metrics::f1_score(confusion, metrics::Average::macro, zero_division) == doctest::Approx(1.3 / 3).epsilon(1e-12));
  }
}

TEST_CASE("G-mean: one fully missed class makes it 0 unless corrected") {
  // targets 0 0 1 1, predictions 0 0 0 0 → recalls [1, 0] → G-mean 0; correction 0.01 → sqrt(1·0.01) = 0.1
  const Tensor confusion = metrics::confusion_matrix(std::vector<int64_t>{0, 0, 0, 0}, std::vector<int64_t>{0, 0, 1, 1}, 2);
  CHECK(metrics::geometric_mean_score(confusion) == 0.0);
  CHECK(metrics::geometric_mean_score(confusion, 0.01) == doctest::Approx(0.1).epsilon(1e-12));
  CHECK(metrics::balanced_accuracy_score(confusion) == doctest::Approx(0.5).epsilon(1e-12));
}

TEST_CASE("classification metrics reject bad input") {
  CHECK_THROWS_WITH_AS(metrics::confusion_matrix(std::vector<int64_t>{0, 1}, std::vector<int64_t>{0}, 2),
                       doctest::Contains("predictions has 2 elements but targets has 1"), Error);
  CHECK_THROWS_WITH_AS(metrics::confusion_matrix(std::vector<int64_t>{0, -1}, std::vector<int64_t>{0, 1}, 2),
                       doctest::Contains("confusion_matrix: prediction -1 (at position 1) is out of range for C = 2 classes"), Error);
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

// ---- the classification report ------------------------------------------------------------------

TEST_CASE("classification report text equals sklearn's classification_report exactly") {
  // Printed by tests/reference/metrics.py: classification_report(y_true, y_pred, labels=range(6), zero_division=0).
  const std::string expected =
      "              precision    recall  f1-score   support\n"
      "\n"
      "           0       0.63      0.43      0.51        28\n"
      "           1       0.50      0.47      0.48        17\n"
      "           2       0.53      0.56      0.55        16\n"
      "           3       0.41      0.47      0.44        15\n"
      "           4       1.00      0.25      0.40         4\n"
      "           5       0.00      0.00      0.00         0\n"
      "\n"
      "    accuracy                           0.46        80\n"
      "   macro avg       0.51      0.36      0.40        80\n"
      "weighted avg       0.56      0.46      0.49        80\n";
  CHECK(metrics::to_string(metrics::classification_report(reference_confusion(6))) == expected);
  // target_names (one longer than "weighted avg") and digits=3.
  const std::string named =
      "                   precision    recall  f1-score   support\n"
      "\n"
      "             zero      0.632     0.429     0.511        28\n"
      "              one      0.500     0.471     0.485        17\n"
      "              two      0.529     0.562     0.545        16\n"
      "            three      0.412     0.467     0.437        15\n"
      "             four      1.000     0.250     0.400         4\n"
      "a long class name      0.000     0.000     0.000         0\n"
      "\n"
      "         accuracy                          0.463        80\n"
      "        macro avg      0.512     0.363     0.396        80\n"
      "     weighted avg      0.560     0.463     0.493        80\n";
  metrics::ReportOptions options;
  options.target_names = {"zero", "one", "two", "three", "four", "a long class name"};
  options.digits = 3;
  CHECK(metrics::to_string(metrics::classification_report(reference_confusion(6), options)) == named);
}

TEST_CASE("classification report as Markdown and CSV") {
  // Hand case (values derived in the test above): P [1, .5, .5], R [2/3, .5, 1], F1 [.8, .5, 2/3];
  // macro P 2/3, R 0.7222, F1 0.6556; weighted P .75, R 2/3, F1 0.6778; accuracy 4/6.
  const metrics::ClassificationReport report = metrics::classification_report(hand_confusion());
  CHECK(metrics::to_markdown(report) ==
        "| class | precision | recall | f1-score | support |\n"
        "|---|---:|---:|---:|---:|\n"
        "| 0 | 1.00 | 0.67 | 0.80 | 3 |\n"
        "| 1 | 0.50 | 0.50 | 0.50 | 2 |\n"
        "| 2 | 0.50 | 1.00 | 0.67 | 1 |\n"
        "| accuracy |  |  | 0.67 | 6 |\n"
        "| macro avg | 0.67 | 0.72 | 0.66 | 6 |\n"
        "| weighted avg | 0.75 | 0.67 | 0.68 | 6 |\n");
  // CSV numbers are the shortest round-trip decimals (Python's repr gives the same digits:
  // 2/3 → 0.6666666666666666, weighted F1 → 0.6777777777777779; 1.0 prints as "1").
  const std::string csv =
      "class,precision,recall,f1-score,support\n"
      "0,1,0.6666666666666666,0.8,3\n"
      "1,0.5,0.5,0.5,2\n"
      "2,0.5,1,0.6666666666666666,1\n"
      "accuracy,,,0.6666666666666666,6\n"
      "macro avg,0.6666666666666666,0.7222222222222222,0.6555555555555556,6\n"
      "weighted avg,0.75,0.6666666666666666,0.6777777777777779,6\n";
  CHECK(metrics::to_csv(report) == csv);
  const std::filesystem::path path = std::filesystem::temp_directory_path() / "fulcrum_test_metrics_report.csv";
  metrics::write_csv(report, path.string());
  std::ifstream file(path);
  std::stringstream written;
  written << file.rdbuf();
  CHECK(written.str() == csv);
  std::filesystem::remove(path);
  // Names with a comma or quote are quoted; a '|' is escaped in Markdown.
  metrics::ReportOptions options;
  options.target_names = {"a,b", "say \"hi\"", "x|y"};
  const metrics::ClassificationReport named = metrics::classification_report(hand_confusion(), options);
  CHECK(metrics::to_csv(named).find("\n\"a,b\",1,") != std::string::npos);
  CHECK(metrics::to_csv(named).find("\n\"say \"\"hi\"\"\",0.5,") != std::string::npos);
  CHECK(metrics::to_markdown(named).find("| x\\|y | 0.50 |") != std::string::npos);
}

TEST_CASE("classification report rejects bad input") {
  CHECK_THROWS_WITH_AS(metrics::write_csv(metrics::classification_report(hand_confusion()), "/nonexistent-dir/r.csv"),
                       doctest::Contains("write_csv: cannot open '/nonexistent-dir/r.csv' for writing"), Error);
  metrics::ReportOptions options;
  options.target_names = {"a", "b"};
  CHECK_THROWS_WITH_AS(metrics::classification_report(hand_confusion(), options),
                       doctest::Contains("2 target_names for 3 classes"), Error);
}

// ---- class statistics and the bar chart -----------------------------------------------------------

TEST_CASE("class statistics: counts, fractions, imbalance ratio") {
  const metrics::ClassStats stats = metrics::class_stats(std::vector<int64_t>{600, 6000, 60});
  CHECK(stats.total == 6660);
  CHECK(stats.fractions[1] == doctest::Approx(6000.0 / 6660).epsilon(1e-12));
  CHECK(stats.majority_class == 1);
  CHECK(stats.minority_class == 2);
  CHECK(stats.imbalance_ratio == doctest::Approx(100.0).epsilon(1e-12));  // 6000 / 60
  // From labels: 0 0 0 1 2 2 → counts [3, 1, 2], ratio 3.
  const metrics::ClassStats from_labels = metrics::class_stats(from_data<int64_t>({0, 0, 0, 1, 2, 2}, {6}), 3);
  CHECK(from_labels.counts == std::vector<int64_t>{3, 1, 2});
  CHECK(from_labels.imbalance_ratio == doctest::Approx(3.0).epsilon(1e-12));
  // A class with no samples: the ratio is +infinity.
  CHECK(std::isinf(metrics::imbalance_ratio({5, 0, 2})));
  CHECK_THROWS_WITH_AS(metrics::imbalance_ratio({0, 0}), doctest::Contains("every class count is 0"), Error);
  CHECK_THROWS_WITH_AS(metrics::imbalance_ratio({}), doctest::Contains("no classes"), Error);
  CHECK_THROWS_WITH_AS(metrics::class_stats(std::vector<int64_t>{3, -1}), doctest::Contains("class 1 has a negative count -1"),
                       Error);
}

TEST_CASE("class distribution bar chart") {
  const std::vector<int64_t> counts{6000, 600, 60, 0};
  metrics::ClassChartOptions options;
  options.width = 20;
  // Linear: 20·600/6000 = 2; 20·60/6000 = 0.2 → rounds to 0, shown as 1 (n > 0 stays visible); 0 → none.
  CHECK(metrics::class_distribution_chart(counts, options) ==
        "0 ████████████████████ 6000\n"
        "1 ██ 600\n"
        "2 █ 60\n"
        "3  0\n");
  // Log: 20·log10(601)/log10(6001) = 14.71 → 15; 20·log10(61)/log10(6001) = 9.45 → 9.
  options.log_scale = true;
  CHECK(metrics::class_distribution_chart(counts, options) ==
        "0 ████████████████████ 6000\n"
        "1 ███████████████ 600\n"
        "2 █████████ 60\n"
        "3  0\n");
  // ASCII bars and names (left-aligned to the longest); width 10: 600 → 1, 60 → 0.1 → 1.
  metrics::ClassChartOptions ascii;
  ascii.width = 10;
  ascii.bar_symbol = "#";
  ascii.class_names = {"plane", "car", "bird", "cat"};
  CHECK(metrics::class_distribution_chart(counts, ascii) ==
        "plane ########## 6000\n"
        "car   # 600\n"
        "bird  # 60\n"
        "cat    0\n");
  ascii.class_names = {"a"};
  CHECK_THROWS_WITH_AS(metrics::class_distribution_chart(counts, ascii), doctest::Contains("1 class_names for 4 classes"),
                       Error);
  ascii.class_names.clear();
  ascii.width = 0;
  CHECK_THROWS_WITH_AS(metrics::class_distribution_chart(counts, ascii), doctest::Contains("width must be ≥ 1"), Error);
}

// ---- calibration and logit adjustment -------------------------------------------------------------

TEST_CASE("expected calibration error: hand case and bin edges") {
  // rows (p0, p1) → target: (.9,.1)→0 conf .9 right; (.2,.8)→0 conf .8 wrong; (.6,.4)→1 conf .6 wrong;
  // (.3,.7)→1 conf .7 right.
  const Tensor probabilities = from_data<double>({0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.3, 0.7}, {4, 2});
  const Tensor targets = from_data<int64_t>({0, 0, 1, 1}, {4});
  // 2 bins (0, .5], (.5, 1]: all in bin 1, accuracy 2/4, confidence 3/4 → ECE = 0.25.
  CHECK(metrics::expected_calibration_error(probabilities, targets, {.n_bins = 2}) == doctest::Approx(0.25).epsilon(1e-12));
  // 5 bins: .6 is ON the edge 3/5 → (.4, .6] (right-closed); .8 on 4/5 → (.6, .8] with .7; .9 → (.8, 1].
  //   |0 − .6|·1/4 + |.5 − .75|·2/4 + |1 − .9|·1/4 = .15 + .125 + .025 = 0.3 (numpy Guo et al. loop: 0.30000000000000004)
  const metrics::CalibrationBins bins = metrics::calibration_bins(probabilities, targets, {.n_bins = 5});
  CHECK(bins.count == std::vector<int64_t>{0, 0, 1, 2, 1});
  CHECK(bins.accuracy[3] == doctest::Approx(0.5).epsilon(1e-12));
  CHECK(bins.confidence[3] == doctest::Approx(0.75).epsilon(1e-12));
  CHECK(std::isnan(bins.accuracy[0]));
  CHECK(metrics::expected_calibration_error(probabilities, targets, {.n_bins = 5}) == doctest::Approx(0.3).epsilon(1e-12));
  // Perfect one-hot predictions that are right: ECE 0. Confidence 1 falls in the last bin.
  const Tensor one_hot = from_data<double>({1, 0, 0, 1}, {2, 2});
  CHECK(metrics::expected_calibration_error(one_hot, from_data<int64_t>({0, 1}, {2})) == 0.0);
  CHECK(metrics::calibration_bins(one_hot, from_data<int64_t>({0, 1}, {2})).count.back() == 2);
  // f32 input, away from the edges: same as f64.
  CHECK(metrics::expected_calibration_error(probabilities.to(f32), targets, {.n_bins = 2}) == doctest::Approx(0.25).epsilon(1e-12));
}

TEST_CASE("expected calibration error matches the numpy reference (Guo et al.'s loop)") {
  // tests/reference/metrics.py: p_c = w_c / Σw, w = 1 + lcg_values(5, 400, 5); targets = argmax where
  // max p > 0.45, else lcg_values(6, 100, 4).
  const auto [p, t] = reference_probabilities();
  CHECK(metrics::expected_calibration_error(p, t) == doctest::Approx(0.10095550119814828).epsilon(1e-12));
  CHECK(metrics::calibration_bins(p, t).count ==
        std::vector<int64_t>{0, 0, 0, 1, 42, 29, 19, 7, 2, 0, 0, 0, 0, 0, 0});
  CHECK(metrics::expected_calibration_error(p, t, {.n_bins = 10}) == doctest::Approx(0.10708698409433698).epsilon(1e-12));
  // f32 probabilities are accepted (read as double). Not compared with the f64 value: many of these
  // confidences (2/5, 1/3, …) lie on or next to a bin edge, and rounding to f32 moves them across.
  const std::vector<int64_t> f32_counts = metrics::calibration_bins(p.to(f32), t).count;
  CHECK(std::accumulate(f32_counts.begin(), f32_counts.end(), int64_t{0}) == 100);  // every sample in one bin
}

TEST_CASE("calibration rejects bad input") {
  const Tensor targets = from_data<int64_t>({0, 1}, {2});
  CHECK_THROWS_WITH_AS(metrics::expected_calibration_error(from_data<double>({0.5, NAN, 1, 0}, {2, 2}), targets),
                       doctest::Contains("probabilities[0, 1] = nan is not in [0, 1]"), Error);
  CHECK_THROWS_WITH_AS(metrics::expected_calibration_error(from_data<double>({1, 0, 0, 1}, {2, 2}),
                                                           from_data<int64_t>({0, 2}, {2})),
                       doctest::Contains("target 2 (at position 1) is out of range for C = 2 classes"), Error);
  CHECK_THROWS_WITH_AS(metrics::expected_calibration_error(from_data<double>({1, 0}, {1, 2}), targets),
                       doctest::Contains("must have the same number of samples"), Error);
  CHECK_THROWS_WITH_AS(metrics::expected_calibration_error(from_data<double>({1, 0, 0, 1}, {2, 2}), targets, {.n_bins = 0}),
                       doctest::Contains("n_bins must be ≥ 1"), Error);
  CHECK_THROWS_WITH_AS(metrics::expected_calibration_error(from_data<double>({}, {0, 2}), from_data<int64_t>({}, {0})),
                       doctest::Contains("empty input"), Error);
}

TEST_CASE("logit adjustment subtracts tau·log(prior) from the logits") {
  // prior = [100, 10, 1] / 111; z − τ·log π (numpy, reference script "logit_adjust").
  const Tensor logits = from_data<double>({1.0, 2.0, 0.5, 0.0, -1.0, 3.0}, {2, 3});
  const std::vector<int64_t> counts{100, 10, 1};
  const std::vector<double> adjusted = metrics::logit_adjust(logits, counts).to_vector<double>();
  const std::vector<double> expected{1.1043600153242428, 4.406945108318288, 5.209530201312334,
                                     0.10436001532424276, 1.4069451083182885, 7.709530201312334};
  for (size_t i = 0; i < expected.size(); ++i) CHECK(adjusted[i] == doctest::Approx(expected[i]).epsilon(1e-12));
  // Hand check of one entry: 0.5 − log(1/111) = 0.5 + log(111) = 0.5 + 4.70953 = 5.20953. The rare
  // class 2 now wins row 0 (argmax was class 1).
  CHECK(adjusted[2] == doctest::Approx(0.5 + std::log(111.0)).epsilon(1e-12));
  const std::vector<double> half = metrics::logit_adjust(logits, counts, 0.5).to_vector<double>();
  CHECK(half[1] == doctest::Approx(3.203472554159144).epsilon(1e-12));
  CHECK(half[5] == doctest::Approx(5.3547651006561665).epsilon(1e-12));
  // dtype preserved; differentiable in the logits (the Jacobian is the identity).
  CHECK(metrics::logit_adjust(logits.to(f32), counts).dtype() == f32);
  Tensor leaf = randn({3, 3}, {.dtype = f64}).set_requires_grad();
  const GradcheckResult result =
      gradcheck([&](const std::vector<Tensor>& in) { return metrics::logit_adjust(in[0], counts, 0.7); }, {leaf},
                {.name = "logit_adjust"});
  CHECK_MESSAGE(result.ok, result.message);
  CHECK_THROWS_WITH_AS(metrics::logit_adjust(logits, {100, 0, 1}),
                       doctest::Contains("class 1 has training count 0"), Error);
  CHECK_THROWS_WITH_AS(metrics::logit_adjust(logits, {100, 1}), doctest::Contains("have 3 classes but 2 class counts"),
                       Error);
  CHECK_THROWS_WITH_AS(metrics::logit_adjust(from_data<int64_t>({1, 2}, {2}), {1, 1}),
                       doctest::Contains("must be a floating [N, C] or [C] tensor"), Error);
}
