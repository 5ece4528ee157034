// examples/exp16_siamese.cpp — docs/REPRODUCTION.md experiment 16: a Siamese network trained with the
// contrastive loss (Hadsell, Chopra & LeCun 2006; docs/LOSSES.md §14), then every test image
// classified by the nearest class-mean embedding of the training set.
//   siamese        G = the Net's layers with a 32-d embedding instead of the 10 class scores
//                  (no softmax). Pairs (x1, x2) with Y = 0 for the same class, 1 for different:
//                    D = ‖G(x1) − G(x2)‖,  L = (1 − Y)·½D² + Y·½·max(0, m − D)²,  m = 1 (--margin)
//                  Each epoch draws training-set-size / 2 pairs (as many images as a classifier
//                  epoch sees), half of them same-class; the anchor's class is drawn uniformly,
//                  so a rare class anchors as many pairs as a frequent one; the images uniformly
//                  within their class. The book's SGD (lr 0.01, momentum 0.5), batches of 64 pairs.
//                  After every epoch: the mean embedding μ_c of each class over the training set,
//                  and prediction(x) = argmin_c ‖G(x) − μ_c‖ on the test set.
//   cross_entropy  the plain Net with nll_loss, for comparison.
// fit() trains classifiers on single images, so the pair loop (~30 lines) is written out here and
// its History built by hand. No published MNIST-LT figure.
//
//   exp16_siamese --data DIR [--epochs 20] [--seed 1] [--quick] [--margin 1] [--embedding 32]
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapters 6 and 8 (the recipe).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "examples/common/study.hpp"

using namespace fulcrum;

namespace {

// The book's Net up to fc2, which gives an embedding of `dimension` numbers.
class EmbeddingNet : public nn::Module {
public:
  explicit EmbeddingNet(int64_t dimension) : nn::Module("EmbeddingNet") {
    conv1 = register_module("conv1", nn::Conv2d({.in_channels = 1, .out_channels = 10, .kernel_size = 5}));
    conv2 = register_module("conv2", nn::Conv2d({.in_channels = 10, .out_channels = 20, .kernel_size = 5}));
    conv2_drop = register_module("conv2_drop", nn::Dropout2d());
    fc1 = register_module("fc1", nn::Linear({.in_features = 320, .out_features = 50}));
    fc2 = register_module("fc2", nn::Linear({.in_features = 50, .out_features = dimension}));
  }
  // x [N, 1, 28, 28] → embeddings [N, dimension].
  Tensor forward(const Tensor& x) override {
    Tensor h = relu(F::max_pool2d((*conv1)(x), {.kernel_size = {2, 2}}));
    h = relu(F::max_pool2d((*conv2_drop)((*conv2)(h)), {.kernel_size = {2, 2}}));
    h = F::dropout(relu((*fc1)(h.flatten(1))), 0.5, is_training());
    return (*fc2)(h);
  }
  std::shared_ptr<nn::Conv2d> conv1, conv2;
  std::shared_ptr<nn::Dropout2d> conv2_drop;
  std::shared_ptr<nn::Linear> fc1, fc2;
};

// One epoch of pairs: indices into the training set and the label Y (0 same class, 1 different).
struct Pairs {
  std::vector<int64_t> first, second;
  std::vector<double> dissimilar;
};

Pairs draw_pairs(const std::vector<std::vector<int64_t>>& by_class, int64_t count, Generator& generator) {
  const uint64_t classes = by_class.size();
  auto pick = [&](uint64_t c) { return by_class[c][generator.random_below(by_class[c].size())]; };
  Pairs pairs;
  for (int64_t k = 0; k < count; ++k) {
    const bool same = k % 2 == 0;
    const uint64_t c = generator.random_below(classes);
    const uint64_t other = same ? c : (c + 1 + generator.random_below(classes - 1)) % classes;
    pairs.first.push_back(pick(c));
    pairs.second.push_back(pick(other));
    pairs.dissimilar.push_back(same ? 0.0 : 1.0);
  }
  return pairs;
}

std::vector<int64_t> slice_of(const std::vector<int64_t>& v, size_t start, size_t end) {
  return {v.begin() + static_cast<std::ptrdiff_t>(start), v.begin() + static_cast<std::ptrdiff_t>(end)};
}

// Nearest class mean: μ_c over the training embeddings, then argmin_c ‖G(x) − μ_c‖² on the test set.
training::Evaluation nearest_class_mean(EmbeddingNet& model, const study::Run& run) {
  data::DataLoader train(run.data.train, {.batch_size = 1000});
  data::DataLoader test = run.test_loader();
  const training::Predictions reference = training::predict(model, train);
  const std::vector<int64_t> labels = reference.targets.to_vector<int64_t>();
  std::vector<Tensor> means;
  for (int64_t c = 0; c < run.data.num_classes; ++c) {
    std::vector<double> rows;
    for (size_t i = 0; i < labels.size(); ++i)
      if (labels[i] == c) rows.push_back(static_cast<double>(i));
    const Tensor index = from_vector(rows, {static_cast<int64_t>(rows.size())}, {.dtype = DType::i64});
    means.push_back(index_select(reference.outputs, 0, index).mean(0));
  }
  const Tensor centres = stack(means);  // [C, D]
  const training::Predictions p = training::predict(model, test);
  // ‖e − μ‖² = ‖e‖² − 2 e·μ + ‖μ‖², for every test embedding and centre: [N, C]
  const Tensor distances = square(p.outputs).sum(1, true) - 2.0 * matmul(p.outputs, centres.t()) +
                           square(centres).sum(1).unsqueeze(0);
  return training::evaluate_predictions(argmin(distances, 1), p.targets, run.data.num_classes);
}

// One pass over the pairs in batches: zero_grad, loss, backward, step. Returns the mean loss per
// pair, or NaN at the first non-finite loss (then nothing after it is trained).
double train_on_pairs(EmbeddingNet& model, optim::Optimizer& optimizer, const data::Dataset& train,
                      const Pairs& pairs, size_t batch, double margin) {
  model.train();
  double loss_sum = 0;
  for (size_t from = 0; from < pairs.first.size(); from += batch) {
    const size_t to = std::min(from + batch, pairs.first.size());
    const Tensor x1 = train.get_batch(slice_of(pairs.first, from, to)).inputs;   // [B, 1, 28, 28]
    const Tensor x2 = train.get_batch(slice_of(pairs.second, from, to)).inputs;
    const std::vector<double> labels(pairs.dissimilar.begin() + static_cast<std::ptrdiff_t>(from),
                                     pairs.dissimilar.begin() + static_cast<std::ptrdiff_t>(to));
    const Tensor y = from_vector(labels, {static_cast<int64_t>(labels.size())});
    const Tensor loss = contrastive_loss(model(x1), model(x2), y, {.margin = margin});  // one G, shared weights
    const double value = loss.item();
    if (!std::isfinite(value)) return value;
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    loss_sum += value * static_cast<double>(to - from);
  }
  return loss_sum / static_cast<double>(pairs.first.size());
}

// The Siamese run: every epoch fresh pairs, one pass, then the nearest-class-mean evaluation,
// recorded as fit() records a classifier's epoch (and logged to the same CSV columns).
training::History train_siamese(const study::Run& run, double margin, int64_t dimension) {
  auto model = std::make_shared<EmbeddingNet>(dimension);
  optim::SGD optimizer(model->parameters(), {.lr = run.options.lr, .momentum = run.options.momentum});
  std::vector<std::vector<int64_t>> by_class(static_cast<size_t>(run.data.num_classes));
  const std::vector<int64_t> targets = run.data.train->targets();
  for (size_t i = 0; i < targets.size(); ++i) by_class[static_cast<size_t>(targets[i])].push_back(static_cast<int64_t>(i));
  const std::string log = run.options.out.empty() ? "" : run.options.out + "/" + run.variant + ".epochs.csv";
  if (!log.empty()) std::ofstream(log, std::ios::trunc) << training::csv_header(run.data.num_classes) << "\n";

  training::History history;
  for (int epoch = 1; epoch <= run.options.epochs; ++epoch) {
    Generator generator = data::epoch_generator(Generator(run.options.seed), epoch - 1);
    const Pairs pairs = draw_pairs(by_class, run.data.train->size() / 2, generator);
    training::EpochRecord record;
    record.epoch = epoch;
    record.lr = optimizer.lr(0);
    record.samples = 2 * static_cast<int64_t>(pairs.first.size());
    const auto start = std::chrono::steady_clock::now();
    record.train_loss = train_on_pairs(*model, optimizer, *run.data.train, pairs,
                                       static_cast<size_t>(run.options.batch_size), margin);
    record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!std::isfinite(record.train_loss)) {
      history.diverged = true;
      history.message = "the contrastive loss is not finite at epoch " + std::to_string(epoch);
      break;
    }
    record.evaluation = nearest_class_mean(*model, run);
    if (history.best_epoch == 0 || record.evaluation.accuracy > history.best().evaluation.accuracy)
      history.best_epoch = epoch;  // the first epoch with the best accuracy, as fit() does
    history.epochs.push_back(record);
    std::printf("%s  epoch %3d  loss %.4f  nearest-class-mean test accuracy %6.2f %%  macro-F1 %5.1f\n",
                run.variant.c_str(), epoch, record.train_loss, 100 * record.evaluation.accuracy,
                100 * record.evaluation.macro_f1);
    std::fflush(stdout);
    if (!log.empty()) std::ofstream(log, std::ios::app) << training::csv_row(record) << "\n";
  }
  return history;
}

}  // namespace

int main(int argc, char** argv) {
  const study::Experiment experiment{
      .number = 16,
      .title = "Siamese network with contrastive loss, test images classified by the nearest class-mean embedding",
      .variants = {"siamese", "cross_entropy"}};
  double margin = 1.0;
  int64_t dimension = 32;
  auto add_options = [&](CLI::App& app) {
    app.add_option("--margin", margin, "margin m of the contrastive loss")->capture_default_str()
        ->check(CLI::Range(1e-6, 1e6));
    app.add_option("--embedding", dimension, "embedding dimension")->capture_default_str()
        ->check(CLI::Range(int64_t{1}, int64_t{4096}));
  };

  return study::main(argc, argv, experiment, [&](study::Run& run) {
    if (run.variant == "cross_entropy") {
      auto model = study::book_net();
      return run.fit(*model, [](const Tensor& log_probs, const Tensor& y) { return nll_loss(log_probs, y); });
    }
    run.history = train_siamese(run, margin, dimension);  // study reports run.history
    return run.history;
  }, add_options);
}
