// tests/test_training.cpp — nn/training (fit: best epoch, early stopping, restore_best,
// divergence, the epoch CSV; evaluate_predictions against a hand-computed confusion matrix),
// data/split (train_validation_split) and metrics::classification_report(predictions, targets).
// fit runs a 2→2 linear model on 40 separable points: milliseconds per epoch.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "test_support.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;

namespace {

// 40 points in the plane, separable by x = 0: class 0 at x ∈ [−1.9, −1], class 1 at x ∈ [1, 1.9];
// y ∈ [−2, 2] carries no information. Classes alternate.
std::shared_ptr<data::TensorDataset> separable_points() {
  std::vector<float> points;
  std::vector<int64_t> labels;
  for (int i = 0; i < 40; ++i) {
    const int label = i % 2;
    const float x = (1.0f + 0.1f * static_cast<float>(i % 10)) * (label == 0 ? -1.0f : 1.0f);
    points.push_back(x);
    points.push_back(-2.0f + 0.1f * static_cast<float>(i));
    labels.push_back(label);
  }
  return std::make_shared<data::TensorDataset>(from_data(points, {40, 2}), from_data(labels, {40}));
}

// A model, its optimiser and the two loaders; the weights start from manual_seed(seed).
struct Setup {
  std::shared_ptr<nn::Linear> model;
  optim::SGD optimizer;
  data::DataLoader train, validation;
  explicit Setup(double lr = 0.05, uint64_t seed = 3)
      : model((manual_seed(seed), std::make_shared<nn::Linear>(nn::LinearOptions{.in_features = 2, .out_features = 2}))),
        optimizer(model->parameters(), {.lr = lr}),
        train(separable_points(), {.batch_size = 8, .shuffle = true, .generator = Generator(seed)}),
        validation(separable_points(), {.batch_size = 40}) {}
};

Tensor cross_entropy_loss(const Tensor& logits, const Tensor& targets) { return cross_entropy(logits, targets); }

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool same_weights(const nn::StateDict& a, const nn::StateDict& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [name, tensor] : a) {
    if (!b.count(name) || tensor.to_vector() != b.at(name).to_vector()) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("fit: the loss falls, every epoch is recorded, the best epoch is the first reaching the best accuracy") {
  Setup s(0.02);
  const training::History h = training::fit(*s.model, s.optimizer, s.train, s.validation, cross_entropy_loss,
                                            {.epochs = 12, .verbose = false});
  REQUIRE(h.epochs.size() == 12);
  for (size_t i = 0; i < h.epochs.size(); ++i) CHECK(h.epochs[i].epoch == static_cast<int>(i) + 1);
  CHECK(h.epochs.back().train_loss < 0.5 * h.epochs.front().train_loss);
  CHECK(h.epochs.back().evaluation.accuracy == 1.0);
  CHECK(h.epochs.front().samples == 40);
  CHECK_FALSE(h.diverged);
  CHECK_FALSE(h.stopped_early);

  // The rule: every epoch before best_epoch is strictly worse, none after is better, and (for the
  // test to mean something) at least one later epoch ties it.
  const double best = h.best().evaluation.accuracy;
  CHECK(best == 1.0);
  int ties_after = 0;
  for (const training::EpochRecord& r : h.epochs) {
    if (r.epoch < h.best_epoch) {
      CHECK(r.evaluation.accuracy < best);
    }
    if (r.epoch > h.best_epoch && r.evaluation.accuracy == best) ++ties_after;
  }
  CHECK(h.best_epoch > 1);
  CHECK(ties_after >= 1);
  CHECK(h.best().epoch == h.best_epoch);
  CHECK(h.last().epoch == 12);
}

TEST_CASE("fit: patience stops the run that many epochs after the best one") {
  Setup s(0.02);
  const training::History h = training::fit(*s.model, s.optimizer, s.train, s.validation, cross_entropy_loss,
                                            {.epochs = 30, .patience = 2, .verbose = false});
  CHECK(h.stopped_early);
  CHECK(h.best().evaluation.accuracy == 1.0);
  CHECK(static_cast<int>(h.epochs.size()) == h.best_epoch + 2);
  CHECK(h.last().epoch == h.best_epoch + 2);
}

TEST_CASE("fit: restore_best loads exactly the best epoch's weights") {
  Setup s(0.02);
  std::vector<nn::StateDict> after_epoch;  // the weights at the end of every epoch
  const training::History h = training::fit(
      *s.model, s.optimizer, s.train, s.validation, cross_entropy_loss,
      {.epochs = 8, .restore_best = true, .verbose = false,
       .on_epoch_end = [&](const training::EpochRecord&) { after_epoch.push_back(nn::clone_state_dict(s.model->state_dict())); }});
  REQUIRE(after_epoch.size() == 8);
  REQUIRE(h.best_epoch < 8);  // else restoring would be the identity
  const nn::StateDict now = s.model->state_dict();
  CHECK(same_weights(now, after_epoch[static_cast<size_t>(h.best_epoch - 1)]));
  CHECK_FALSE(same_weights(now, after_epoch.back()));
}

TEST_CASE("fit: a non-finite loss marks the run diverged, names epoch and step, reports no later epoch") {
  SUBCASE("a loss function returning NaN at epoch 2, step 3") {
    Setup s;
    int calls = 0;  // 5 batches an epoch: call 8 is epoch 2, step 3
    const training::History h = training::fit(
        *s.model, s.optimizer, s.train, s.validation,
        [&](const Tensor& logits, const Tensor& y) {
          const Tensor loss = cross_entropy(logits, y);
          return ++calls == 8 ? loss * std::numeric_limits<double>::quiet_NaN() : loss;
        },
        {.epochs = 5, .verbose = false});
    CHECK(h.diverged);
    check_contains(h.message, {"nan", "epoch 2", "step 3 of 5"});
    CHECK(calls == 8);  // nothing trained after it
    REQUIRE(h.epochs.size() == 1);
    CHECK(h.last().epoch == 1);
    CHECK(h.best_epoch == 1);
  }
  SUBCASE("a learning rate of 1e300 makes the weights infinite at the first step") {
    Setup s(1e300);
    const training::History h = training::fit(*s.model, s.optimizer, s.train, s.validation, cross_entropy_loss,
                                              {.epochs = 3, .verbose = false});
    CHECK(h.diverged);
    check_contains(h.message, {"epoch 1", "step 2 of 5"});
    CHECK(h.epochs.empty());
    CHECK(h.best_epoch == 0);
    CHECK_ERROR_CONTAINS(h.best(), "no epoch finished");
  }
}

TEST_CASE("fit: log_csv holds the header and one row per epoch; a stage with first_epoch > 1 appends") {
  TempDir dir;
  const std::string path = (dir / "epochs.csv").string();
  Setup s;
  const training::History first = training::fit(*s.model, s.optimizer, s.train, s.validation, cross_entropy_loss,
                                                {.epochs = 3, .log_csv = path, .verbose = false});
  std::vector<std::string> lines = read_lines(path);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == training::csv_header(2));
  CHECK(lines[0] == "epoch,train_loss,seconds,lr,accuracy,macro_f1,balanced_accuracy,g_mean,acc_0,acc_1");
  for (size_t i = 0; i < 3; ++i) CHECK(lines[i + 1] == training::csv_row(first.epochs[i]));
  CHECK(lines[1].rfind("1,", 0) == 0);

  const training::History second = training::fit(*s.model, s.optimizer, s.train, s.validation, cross_entropy_loss,
                                                 {.epochs = 2, .log_csv = path, .verbose = false, .first_epoch = 4});
  REQUIRE(second.epochs.size() == 2);
  CHECK(second.epochs[0].epoch == 4);
  CHECK(second.best_epoch >= 4);
  lines = read_lines(path);
  REQUIRE(lines.size() == 6);
  CHECK(lines[1] == training::csv_row(first.epochs[0]));  // the first stage's rows are kept
  CHECK(lines[4] == training::csv_row(second.epochs[0]));
  CHECK(lines[5].rfind("5,", 0) == 0);

  // first_epoch = 1 again starts the file afresh.
  training::fit(*s.model, s.optimizer, s.train, s.validation, cross_entropy_loss,
                {.epochs = 1, .log_csv = path, .verbose = false});
  CHECK(read_lines(path).size() == 2);
}

TEST_CASE("evaluate_predictions: the metrics of a hand-computed confusion matrix") {
  // rows = true class:  [3 1 0]   recall     3/4, 2/3, 2/3
  //                     [1 2 0]   precision  3/5, 2/3, 2/2
  //                     [1 0 2]   F1         2/3, 2/3, 4/5
  const Tensor targets = from_data(std::vector<int64_t>{0, 0, 0, 0, 1, 1, 1, 2, 2, 2}, {10});
  const Tensor predictions = from_data(std::vector<int64_t>{0, 0, 0, 1, 0, 1, 1, 0, 2, 2}, {10});
  const training::Evaluation e = training::evaluate_predictions(predictions, targets, 3);
  CHECK(e.confusion.to_vector<int64_t>() == std::vector<int64_t>{3, 1, 0, 1, 2, 0, 1, 0, 2});
  REQUIRE(e.per_class_accuracy.size() == 3);
  CHECK(e.per_class_accuracy[0] == doctest::Approx(0.75).epsilon(1e-12));
  CHECK(e.per_class_accuracy[1] == doctest::Approx(2.0 / 3).epsilon(1e-12));
  CHECK(e.per_class_accuracy[2] == doctest::Approx(2.0 / 3).epsilon(1e-12));
  CHECK(e.accuracy == doctest::Approx(0.7).epsilon(1e-12));
  CHECK(e.macro_f1 == doctest::Approx((2.0 / 3 + 2.0 / 3 + 0.8) / 3).epsilon(1e-12));  // 32/45
  CHECK(e.balanced_accuracy == doctest::Approx(25.0 / 36).epsilon(1e-12));
  CHECK(e.g_mean == doctest::Approx(std::cbrt(1.0 / 3)).epsilon(1e-12));  // (3/4 · 2/3 · 2/3)^(1/3)

  // A class never predicted: its recall is 0, so the G-mean is 0 while the accuracy is not.
  const Tensor never_two = from_data(std::vector<int64_t>{0, 0, 0, 0, 1, 1, 1, 0, 1, 1}, {10});
  const training::Evaluation missed = training::evaluate_predictions(never_two, targets, 3);
  CHECK(missed.g_mean == 0.0);
  CHECK(missed.accuracy == doctest::Approx(0.7).epsilon(1e-12));
  CHECK(missed.per_class_accuracy[2] == 0.0);
}

TEST_CASE("train_validation_split: stratified counts round(f · n_c), disjoint, complete, deterministic") {
  std::vector<int64_t> targets;  // 50 zeros, 23 ones, 7 twos, 1 three, interleaved
  const int counts[] = {50, 23, 7, 1};
  for (int round = 0; round < 50; ++round)
    for (int c = 0; c < 4; ++c)
      if (round < counts[c]) targets.push_back(c);
  const data::Split split = data::train_validation_split(targets, {.validation_fraction = 0.6, .seed = 5});

  std::vector<int64_t> per_class(4, 0);
  for (int64_t i : split.validation) ++per_class[static_cast<size_t>(targets[static_cast<size_t>(i)])];
  // round(.6 · 50) = 30, round(13.8) = 14, round(4.2) = 4; the class of 1 (round(.6) = 1) stays in train.
  CHECK(per_class == std::vector<int64_t>{30, 14, 4, 0});
  CHECK(split.train.size() + split.validation.size() == targets.size());
  std::set<int64_t> all(split.train.begin(), split.train.end());
  all.insert(split.validation.begin(), split.validation.end());
  CHECK(all.size() == targets.size());  // disjoint and complete
  CHECK(*all.begin() == 0);
  CHECK(*all.rbegin() == static_cast<int64_t>(targets.size()) - 1);
  CHECK(std::is_sorted(split.train.begin(), split.train.end()));
  CHECK(std::is_sorted(split.validation.begin(), split.validation.end()));

  const data::Split again = data::train_validation_split(targets, {.validation_fraction = 0.6, .seed = 5});
  CHECK(again.validation == split.validation);
  const data::Split other = data::train_validation_split(targets, {.validation_fraction = 0.6, .seed = 6});
  CHECK(other.validation != split.validation);

  const data::Split plain = data::train_validation_split(targets, {.validation_fraction = 0.25, .stratify = false});
  CHECK(plain.validation.size() == 20);  // round(.25 · 81)
  CHECK(plain.train.size() == 61);
}

TEST_CASE("train_validation_split: a fraction outside (0, 1) or a negative target is an Error") {
  const std::vector<int64_t> targets = {0, 1, 0, 1};
  for (double fraction : {0.0, 1.0, -0.1, 1.5})
    CHECK_ERROR_CONTAINS(data::train_validation_split(targets, {.validation_fraction = fraction}),
                         "validation_fraction must be in (0, 1)");
  CHECK_ERROR_CONTAINS(data::train_validation_split({0, -2, 1}), "target -2", "position 1");
}

TEST_CASE("classification_report(predictions, targets) equals the report of their confusion matrix") {
  const Tensor targets = from_data(std::vector<int64_t>{0, 0, 0, 0, 1, 1, 1, 2, 2, 2}, {10});
  const Tensor predictions = from_data(std::vector<int64_t>{0, 0, 0, 1, 0, 1, 1, 0, 2, 2}, {10});
  const metrics::ClassificationReport direct = metrics::classification_report(predictions, targets);
  const metrics::ClassificationReport via = metrics::classification_report(metrics::confusion_matrix(predictions, targets, 3));
  CHECK(metrics::to_string(direct) == metrics::to_string(via));
  REQUIRE(direct.classes.size() == 3);
  CHECK(direct.classes[0].precision == doctest::Approx(0.6).epsilon(1e-12));
  CHECK(direct.classes[2].f1 == doctest::Approx(0.8).epsilon(1e-12));
  CHECK(direct.classes[1].support == 3);
  CHECK(direct.accuracy == doctest::Approx(0.7).epsilon(1e-12));
  CHECK(direct.macro_avg.f1 == doctest::Approx(32.0 / 45).epsilon(1e-12));
  CHECK(direct.total_support == 10);
  // num_classes wider than the labels: a fourth, empty class row.
  CHECK(metrics::classification_report(predictions, targets, 4).classes.size() == 4);
}
