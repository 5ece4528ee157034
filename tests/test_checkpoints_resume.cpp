// tests/test_checkpoints_resume.cpp — training that resumes (nn/training_checkpoint.hpp): a small
// model with dropout, a shuffling loader, SGD-momentum or Adam and a StepLR trained in one go, and
// the same run stopped after k epochs, every object destroyed, rebuilt, loaded and finished:
// the final parameters and every epoch's metrics are bit-identical. Also what the checkpoint
// refuses (a loader rebuilt with another seed, another optimiser, missing parts).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "test_support.hpp"

using namespace fulcrum;
using fulcrum::testing::TempDir;

namespace {

struct Metrics {
  double loss_sum = 0.0;  // Σ over the epoch's batches of loss.item()
  int64_t correct = 0;
  bool operator==(const Metrics&) const = default;
};

struct RunResult {
  nn::StateDict parameters;
  std::vector<Metrics> metrics;  // one per epoch this run trained
};

enum class Update { sgd, adam };

// What `--epochs total` of a training script does, resumable: everything is built from scratch
// (as a restarted process would), optionally loaded from `resume_from`, trained up to epoch
// `stop_after` (exclusive), and saved at the end of every epoch to `save_to`.
RunResult train(Update update, int64_t stop_after, const std::string& save_to, const std::string& resume_from = "",
                bool restore_generators = true) {
  manual_seed(2024);
  // 120 examples of 3 imbalanced classes: the data itself is drawn from the default generator.
  const Tensor inputs = randn({120, 6});
  const Tensor targets = (inputs.slice(1, 0, 1).reshape({120}) > 0.8).to(DType::i64) +
                         (inputs.slice(1, 1, 2).reshape({120}) > 1.0).to(DType::i64);
  auto dataset = std::make_shared<data::TensorDataset>(inputs, targets);
  Generator second_dropout(77);  // an explicit generator, saved by name
  nn::Sequential model(nn::Linear({.in_features = 6, .out_features = 16}), nn::ReLU(),
                       nn::Dropout({.p = 0.3}),  // masks from the default generator
                       nn::Linear({.in_features = 16, .out_features = 16}), nn::ReLU(),
                       nn::Dropout({.p = 0.2, .generator = &second_dropout}),
                       nn::Linear({.in_features = 16, .out_features = 3}));
  // Seed drawn from the default generator; Adam's runs also prefetch on two worker threads.
  data::DataLoader loader(dataset, {.batch_size = 16, .shuffle = true, .num_workers = update == Update::adam ? 2 : 0});
  std::unique_ptr<optim::Optimizer> optimizer;
  if (update == Update::sgd) {
    optimizer = std::make_unique<optim::SGD>(model.parameters(),
                                             optim::SGDOptions{.lr = 0.1, .momentum = 0.9, .weight_decay = 1e-3});
  } else {
    optimizer = std::make_unique<optim::Adam>(model.parameters(), optim::AdamOptions{.lr = 0.01});
  }
  optim::StepLR scheduler(*optimizer, {.step_size = 2, .gamma = 0.5});
  nn::TrainingState state{.model = &model, .optimizer = optimizer.get(), .scheduler = &scheduler,
                          .loader = &loader, .default_generator = restore_generators,
                          .generators = {{"second_dropout", &second_dropout}}};
  if (!restore_generators) state.generators.clear();
  if (!resume_from.empty()) {
    // The work of the rebuilt objects so far (a few draws) is overwritten by the checkpoint.
    nn::load_training_checkpoint(resume_from, state);
    CHECK(state.extra.at("note") == "epoch " + std::to_string(state.epoch));
  }

  RunResult result;
  for (int64_t epoch = state.epoch; epoch < stop_after; ++epoch) {
    model.train();
    Metrics metrics;
    for (const data::Batch& batch : loader) {
      optimizer->zero_grad();
      const Tensor logits = model(batch.inputs);
      const Tensor loss = cross_entropy(logits, batch.targets);
      loss.backward();
      optimizer->step();
      metrics.loss_sum += loss.item();
      metrics.correct += (argmax(logits, 1) == batch.targets).to(DType::i64).sum().item<int64_t>();
    }
    scheduler.step();
    result.metrics.push_back(metrics);
    state.epoch = epoch + 1;
    state.extra = {{"note", "epoch " + std::to_string(state.epoch)}};
    nn::save_training_checkpoint(save_to, state);
  }
  result.parameters = nn::clone_state_dict(model.state_dict());
  return result;
}

void check_identical(const RunResult& straight, const RunResult& resumed, size_t first_epoch) {
  REQUIRE(resumed.metrics.size() + first_epoch == straight.metrics.size());
  for (size_t e = 0; e < resumed.metrics.size(); ++e) {
    INFO("epoch " << first_epoch + e);
    CHECK(resumed.metrics[e].loss_sum == straight.metrics[first_epoch + e].loss_sum);  // exact, not approx
    CHECK(resumed.metrics[e].correct == straight.metrics[first_epoch + e].correct);
  }
  REQUIRE(resumed.parameters.size() == straight.parameters.size());
  for (const auto& [name, value] : straight.parameters) {
    INFO(name);
    CHECK(equal(resumed.parameters.at(name), value));  // bit-identical
  }
}

}  // namespace

TEST_CASE("resuming from a training checkpoint gives bit-identical parameters and metrics (SGD momentum, Adam)") {
  for (const Update update : {Update::sgd, Update::adam}) {
    INFO((update == Update::sgd ? "SGD" : "Adam"));
    TempDir dir;
    const std::string straight_path = (dir / "straight.safetensors").string();
    const std::string resume_path = (dir / "resumed.safetensors").string();
    const RunResult straight = train(update, 5, straight_path);
    for (const int64_t k : {1, 3}) {
      INFO("stopped after epoch " << k);
      train(update, k, resume_path);  // the "killed" run: everything destroyed on return
      check_identical(straight, train(update, 5, resume_path, resume_path), static_cast<size_t>(k));
    }
    // The straight run's last checkpoint holds its final parameters.
    const nn::StateDict saved = nn::load_safetensors(straight_path);
    CHECK(equal(saved.at("model.6.weight"), straight.parameters.at("6.weight")));
  }
}

TEST_CASE("the test can fail: without the generators' state the resumed run differs") {
  TempDir dir;
  const std::string path = (dir / "run.safetensors").string();
  const RunResult straight = train(Update::sgd, 4, (dir / "straight.safetensors").string());
  train(Update::sgd, 2, path, "", /*restore_generators=*/false);
  const RunResult resumed = train(Update::sgd, 4, path, path, /*restore_generators=*/false);
  CHECK_FALSE(equal(resumed.parameters.at("0.weight"), straight.parameters.at("0.weight")));
}

TEST_CASE("load_training_checkpoint refuses what would not resume the same run") {
  TempDir dir;
  const std::string path = (dir / "run.safetensors").string();
  manual_seed(1);
  nn::Linear model({.in_features = 3, .out_features = 2});
  optim::SGD sgd(model.parameters(), {.lr = 0.1, .momentum = 0.9});
  auto dataset = std::make_shared<data::TensorDataset>(randn({10, 3}), zeros({10}, {.dtype = DType::i64}));
  data::DataLoader loader(dataset, {.batch_size = 4, .shuffle = true, .generator = Generator(5)});
  loader.set_epoch(3);
  nn::save_training_checkpoint(path, {.model = &model, .optimizer = &sgd, .loader = &loader, .epoch = 3});

  // Another seed for the loader: its order differs, so the run would not be the same.
  data::DataLoader reseeded(dataset, {.batch_size = 4, .shuffle = true, .generator = Generator(6)});
  nn::TrainingState other_loader{.model = &model, .loader = &reseeded};
  CHECK_ERROR_CONTAINS(nn::load_training_checkpoint(path, other_loader), "load_training_checkpoint: '", path,
                       "the DataLoader visits epoch 3 in another order than the saved run did");
  // Another optimiser type.
  optim::Adam adam(model.parameters(), {.lr = 0.1});
  nn::TrainingState other_optimizer{.model = &model, .optimizer = &adam};
  CHECK_ERROR_CONTAINS(nn::load_training_checkpoint(path, other_optimizer),
                       "holds the state of a SGD optimiser, but a Adam was given");
  // A part the file does not hold.
  optim::StepLR scheduler(sgd, {.step_size = 1});
  nn::TrainingState with_scheduler{.model = &model, .scheduler = &scheduler};
  CHECK_ERROR_CONTAINS(nn::load_training_checkpoint(path, with_scheduler), "the checkpoint has no scheduler state");
  Generator extra(3);
  nn::TrainingState with_generator{.model = &model, .generators = {{"augment", &extra}}};
  CHECK_ERROR_CONTAINS(nn::load_training_checkpoint(path, with_generator),
                       "no \"generator.augment.offset\" in its metadata");
  // A model of another shape: the module's own strict message.
  nn::Linear wider({.in_features = 4, .out_features = 2});
  nn::TrainingState other_model{.model = &wider};
  CHECK_ERROR_CONTAINS(nn::load_training_checkpoint(path, other_model), "size mismatch for weight");
  // A plain safetensors file is not a training checkpoint.
  nn::save_safetensors((dir / "plain.safetensors").string(), model.state_dict());
  nn::TrainingState plain{.model = &model};
  CHECK_ERROR_CONTAINS(nn::load_training_checkpoint((dir / "plain.safetensors").string(), plain),
                       "no \"fulcrum.checkpoint\" in its metadata");

  // What loads restores the loader position, the generator and the epoch.
  data::DataLoader same(dataset, {.batch_size = 4, .shuffle = true, .generator = Generator(5)});
  manual_seed(99);
  nn::TrainingState good{.model = &model, .optimizer = &sgd, .loader = &same};
  nn::load_training_checkpoint(path, good);
  CHECK(same.epoch() == 3);
  CHECK(good.epoch == 3);
  CHECK(default_generator().seed() == 1);
}

TEST_CASE("LRScheduler and Generator state round-trip") {
  manual_seed(1);
  nn::Linear model({.in_features = 2, .out_features = 1});
  optim::SGD sgd(model.parameters(), {.lr = 0.8});
  optim::StepLR scheduler(sgd, {.step_size = 1, .gamma = 0.5});
  scheduler.step();
  scheduler.step();
  const nn::StateDict saved = scheduler.state_dict();
  CHECK(saved.at("last_epoch").item<int64_t>() == 2);
  optim::SGD fresh_sgd(model.parameters(), {.lr = 0.8});
  optim::StepLR fresh(fresh_sgd, {.step_size = 1, .gamma = 0.5});
  fresh.load_state_dict(saved);
  CHECK(fresh.last_epoch() == 2);
  CHECK(fresh_sgd.lr(0) == 0.2);
  CHECK_ERROR_CONTAINS(fresh.load_state_dict({{"last_epoch", saved.at("last_epoch")}}),
                       "expected exactly the keys 'last_epoch' and 'base_lrs'");

  Generator generator(42);
  const double first = generator.uniform();
  Generator restored(7);
  restored.manual_seed(42);
  restored.set_offset(0);
  CHECK(restored.uniform() == first);
  CHECK(restored.offset() == generator.offset());
}
