// tests/test_training_resume.cpp — fit with FitOptions::checkpoint: a run interrupted after k
// epochs, rebuilt from scratch and called again with the same arguments, ends with the history,
// the CSV log (but for the measured seconds), the callback state and the parameters of a run that
// was never interrupted, bit for bit; a finished run returns at once; what a resume refuses. The
// model has dropout (the global generator), the loader shuffles, SGD has momentum, a StepLR
// changes the rate, and on_epoch_end turns the per-class accuracy into the next epoch's class
// weights (the shape of CDB and the dynamic sampler): every piece of state a resume must restore.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapters 6 and 8.
#include <doctest/doctest.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "test_support.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;

namespace {

// 60 points of 3 classes (20 / 20 / 20) that a small MLP separates only in part.
std::shared_ptr<data::TensorDataset> three_classes() {
  std::vector<float> points;
  std::vector<int64_t> labels;
  for (int i = 0; i < 60; ++i) {
    const int label = i % 3;
    points.push_back(static_cast<float>(label) + 0.37f * static_cast<float>((i * 7) % 11) - 1.8f);
    points.push_back(0.21f * static_cast<float>((i * 5) % 13) - 1.3f);
    labels.push_back(label);
  }
  return std::make_shared<data::TensorDataset>(from_data(points, {60, 2}), from_data(labels, {60}));
}

struct Outcome {
  training::History history;
  nn::StateDict parameters;
  std::vector<double> class_weights;  // the callback's state at the end
};

// The book's dynamic sampler in small: images drawn with replacement, each with its class's
// weight, the weights replaced between epochs by on_epoch_end (so the order of epoch e + 1
// depends on what epoch e's callback did, and a resume must replay it before training on).
class ReweightedSampler : public data::Sampler {
public:
  explicit ReweightedSampler(std::vector<int64_t> targets) : targets_(std::move(targets)) {}
  int64_t size() const override { return static_cast<int64_t>(targets_.size()); }
  std::vector<int64_t> indices(int64_t epoch) const override {
    std::vector<double> weights;
    for (int64_t y : targets_) weights.push_back(class_weights[static_cast<size_t>(y)]);
    Generator generator = data::epoch_generator(Generator(21), epoch);
    return data::multinomial(weights, size(), /*replacement=*/true, generator);
  }
  std::vector<double> class_weights = {1.0, 1.0, 1.0};

private:
  std::vector<int64_t> targets_;
};

struct Interrupted {};  // thrown by the test to stop a run between epochs, as kill -9 would

// Everything a training script builds, from scratch (as a restarted process does), then fit.
// stop_before > 0 throws at the start of that epoch, after the previous epoch's checkpoint.
Outcome run(const std::string& checkpoint, const std::string& log_csv, int stop_before = 0,
            const std::string& configuration = "lr=0.1", int first_epoch = 1, bool reweighted_sampler = false) {
  manual_seed(11);
  auto model = std::make_shared<nn::Sequential>(nn::Linear({.in_features = 2, .out_features = 8}), nn::ReLU(),
                                                nn::Dropout({.p = 0.3}), nn::Linear({.in_features = 8, .out_features = 3}));
  optim::SGD sgd(model->parameters(), {.lr = 0.1, .momentum = 0.9});
  optim::StepLR schedule(sgd, {.step_size = 2, .gamma = 0.5});
  auto dataset = three_classes();
  auto sampler = std::make_shared<ReweightedSampler>(dataset->targets());
  data::DataLoader train = reweighted_sampler
                               ? data::DataLoader(dataset, {.batch_size = 8, .sampler = sampler})
                               : data::DataLoader(dataset, {.batch_size = 8, .shuffle = true, .generator = Generator(5)});
  data::DataLoader validation(three_classes(), {.batch_size = 60});
  Outcome outcome;
  outcome.class_weights = {1.0, 1.0, 1.0};
  auto loss = [&](const Tensor& logits, const Tensor& y) {
    return cross_entropy(logits, y, {.weight = from_vector(outcome.class_weights, {3})});
  };
  training::FitOptions options{
      .epochs = 6, .log_csv = log_csv, .scheduler = &schedule, .verbose = false, .first_epoch = first_epoch,
      .on_epoch_begin = [&](int epoch) { if (epoch == stop_before) throw Interrupted{}; },
      .on_epoch_end = [&](const training::EpochRecord& r) {  // w_c = 2 − recall_c
        for (size_t c = 0; c < 3; ++c) outcome.class_weights[c] = 2.0 - r.evaluation.per_class_accuracy[c];
        if (reweighted_sampler) sampler->class_weights = outcome.class_weights;
      },
      .checkpoint = checkpoint, .checkpoint_configuration = configuration};
  outcome.history = training::fit(*model, sgd, train, validation, loss, options);
  outcome.parameters = nn::clone_state_dict(model->state_dict());
  return outcome;
}

std::vector<std::string> lines_without_seconds(const std::string& path) {  // column 3 is the wall time
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    const size_t second_comma = line.find(',', line.find(',') + 1);
    const size_t third_comma = line.find(',', second_comma + 1);
    lines.push_back(line.substr(0, second_comma) + line.substr(third_comma));
  }
  return lines;
}

void check_same_run(const Outcome& a, const Outcome& b) {
  REQUIRE(a.history.epochs.size() == b.history.epochs.size());
  for (size_t i = 0; i < a.history.epochs.size(); ++i) {
    const training::EpochRecord& x = a.history.epochs[i];
    const training::EpochRecord& y = b.history.epochs[i];
    CHECK(x.epoch == y.epoch);
    CHECK(x.train_loss == y.train_loss);  // exact: the same floating-point operations
    CHECK(x.lr == y.lr);
    CHECK(x.samples == y.samples);
    CHECK(x.evaluation.confusion.to_vector<int64_t>() == y.evaluation.confusion.to_vector<int64_t>());
    CHECK(x.evaluation.macro_f1 == y.evaluation.macro_f1);
  }
  CHECK(a.history.best_epoch == b.history.best_epoch);
  CHECK(a.class_weights == b.class_weights);
  REQUIRE(a.parameters.size() == b.parameters.size());
  for (const auto& [name, tensor] : a.parameters) CHECK(tensor.to_vector() == b.parameters.at(name).to_vector());
}

}  // namespace

TEST_CASE("fit: a run interrupted after epoch 3 and called again ends exactly as an uninterrupted one") {
  TempDir dir;
  const std::string checkpoint = (dir / "run.ckpt").string();
  const Outcome uninterrupted = run("", (dir / "whole.csv").string());
  // The comparison means something: the run changes its rate, its weights and its accuracy.
  REQUIRE(uninterrupted.history.epochs.size() == 6);
  CHECK(uninterrupted.history.epochs[0].lr != uninterrupted.history.epochs[5].lr);
  CHECK(uninterrupted.class_weights != std::vector<double>{1.0, 1.0, 1.0});

  const std::string log = (dir / "resumed.csv").string();
  CHECK_THROWS_AS(run(checkpoint, log, /*stop_before=*/4), Interrupted);
  REQUIRE(std::filesystem::exists(checkpoint));
  std::ofstream(log, std::ios::app) << "4,0.5,0.1,0.1,0.9,0.9,0.9,0.9,1,1,1\n";  // a row written after the checkpoint
  SUBCASE("resumed once") {
    const Outcome resumed = run(checkpoint, log);
    check_same_run(uninterrupted, resumed);
    CHECK(lines_without_seconds(log) == lines_without_seconds((dir / "whole.csv").string()));
  }
  SUBCASE("interrupted twice") {
    CHECK_THROWS_AS(run(checkpoint, log, /*stop_before=*/6), Interrupted);
    const Outcome resumed = run(checkpoint, log);
    check_same_run(uninterrupted, resumed);
    CHECK(lines_without_seconds(log) == lines_without_seconds((dir / "whole.csv").string()));
  }
  // A finished run called again trains nothing and returns the same history and parameters.
  const Outcome again = run(checkpoint, log, /*stop_before=*/1);  // would throw if an epoch started
  check_same_run(uninterrupted, again);
}

TEST_CASE("fit: a resume replays on_epoch_end before it trains on, so a re-weighted sampler draws the same") {
  TempDir dir;
  const std::string checkpoint = (dir / "run.ckpt").string();
  const Outcome uninterrupted = run("", "", 0, "dynamic", 1, /*reweighted_sampler=*/true);
  CHECK_THROWS_AS(run(checkpoint, "", 3, "dynamic", 1, true), Interrupted);
  check_same_run(uninterrupted, run(checkpoint, "", 0, "dynamic", 1, true));
  // The order check is real: the same checkpoint with the shuffling loader is refused.
  std::filesystem::remove(checkpoint);
  CHECK_THROWS_AS(run(checkpoint, "", 3, "dynamic", 1, true), Interrupted);
  CHECK_ERROR_CONTAINS(run(checkpoint, "", 0, "dynamic", 1, false), "in another order");
}

TEST_CASE("fit: the comparison can fail — a resume whose dropout stream is rewound ends elsewhere") {
  TempDir dir;
  const std::string checkpoint = (dir / "run.ckpt").string();
  const Outcome uninterrupted = run("", "");
  CHECK_THROWS_AS(run(checkpoint, "", 4), Interrupted);
  // Rewind the saved global generator to where it stood after model construction's draws
  // are replayed: offset 0. Everything else in the file is left as it was.
  nn::SafetensorsContents file = nn::load_safetensors_with_metadata(checkpoint);
  REQUIRE(file.metadata.at("generator.default.offset") != "0");
  file.metadata["generator.default.offset"] = "0";
  nn::save_safetensors(checkpoint, file.tensors, file.metadata);
  const Outcome rewound = run(checkpoint, "");
  REQUIRE(rewound.history.epochs.size() == 6);
  for (size_t i = 0; i < 3; ++i) CHECK(rewound.history.epochs[i].train_loss == uninterrupted.history.epochs[i].train_loss);
  CHECK(rewound.history.epochs[3].train_loss != uninterrupted.history.epochs[3].train_loss);
  CHECK(rewound.parameters.at("3.weight").to_vector() != uninterrupted.parameters.at("3.weight").to_vector());
}

TEST_CASE("fit: a checkpoint of another configuration or another stage is an Error, not a mixed run") {
  TempDir dir;
  const std::string checkpoint = (dir / "run.ckpt").string();
  CHECK_THROWS_AS(run(checkpoint, "", 3), Interrupted);
  CHECK_ERROR_CONTAINS(run(checkpoint, "", 0, "lr=0.2"), "written by another run");
  CHECK_ERROR_CONTAINS(run(checkpoint, "", 0, "lr=0.2"), "\"lr=0.1\"");
  CHECK_ERROR_CONTAINS(run(checkpoint, "", 0, "lr=0.1", /*first_epoch=*/16), "that this call trains");
}

TEST_CASE("fit: restore_best with a checkpoint needs best_checkpoint") {
  auto model = std::make_shared<nn::Linear>(nn::LinearOptions{.in_features = 2, .out_features = 3});
  optim::SGD sgd(model->parameters(), {.lr = 0.1});
  data::DataLoader loader(three_classes(), {.batch_size = 60});
  CHECK_ERROR_CONTAINS(training::fit(*model, sgd, loader, loader,
                                     [](const Tensor& x, const Tensor& y) { return cross_entropy(x, y); },
                                     {.epochs = 1, .restore_best = true, .verbose = false, .checkpoint = "x.ckpt"}),
                       "needs best_checkpoint");
}
