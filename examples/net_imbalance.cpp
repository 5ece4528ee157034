// examples/net_imbalance.cpp — the book's Net on a long-tailed MNIST-family training set, trained
// twice: with plain NLL and with NLL weighted by sklearn's 'balanced' class weights
// (w_c = N / (C · n_c)). Prints, per epoch, the mean training loss, the test accuracy and the
// training throughput; then per-class test accuracy of both runs side by side, at the best epoch
// (the book's figure) and at the last one.
//
//   net_imbalance [--data DIR] [--epochs 20] [--batch-size 64] [--lr 0.01] [--momentum 0.5]
//                 [--seed 1] [--imbalance 100] [--max-per-class 6000]
//
// DIR holds the four IDX files (raw or .gz) of MNIST or Fashion-MNIST; the default is the Debian
// package dataset-fashion-mnist. The test set stays balanced.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "examples/book_net.hpp"

using namespace fulcrum;

namespace {

struct Options {
  std::string data = data::fashion_mnist_default_dir;
  int epochs = 20;
  int64_t batch_size = 64;
  double lr = 0.01, momentum = 0.5, imbalance = 100.0;
  uint64_t seed = 1;
  int64_t max_per_class = 6000;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::printf("usage: %s [--data DIR] [--epochs N] [--batch-size N] [--lr X] [--momentum X] "
                  "[--seed N] [--imbalance RHO] [--max-per-class N]\n", argv[0]);
      std::exit(0);
    }
    FULCRUM_CHECK(i + 1 < argc, "net_imbalance: " << flag << " needs a value (see --help)");
    const char* value = argv[++i];
    if (flag == "--data") o.data = value;
    else if (flag == "--epochs") o.epochs = std::atoi(value);
    else if (flag == "--batch-size") o.batch_size = std::atoll(value);
    else if (flag == "--lr") o.lr = std::atof(value);
    else if (flag == "--momentum") o.momentum = std::atof(value);
    else if (flag == "--seed") o.seed = std::strtoull(value, nullptr, 10);
    else if (flag == "--imbalance") o.imbalance = std::atof(value);
    else if (flag == "--max-per-class") o.max_per_class = std::atoll(value);
    else FULCRUM_FAIL("net_imbalance: unknown option " << flag << " (see --help)");
  }
  FULCRUM_CHECK(o.epochs >= 1 && o.batch_size >= 1 && o.imbalance >= 1.0,
                "net_imbalance: --epochs and --batch-size must be ≥ 1 and --imbalance ≥ 1");
  return o;
}

// Per-class test accuracy and overall accuracy of the model on the test set.
struct Evaluation {
  std::vector<double> per_class;
  double overall = 0;
  double macro_f1 = 0;  // the rare classes count as much as the common ones
  double g_mean = 0;    // geometric mean of the per-class recalls: 0 if any class is never found
};

Evaluation evaluate(nn::Module& model, const data::TensorDataset& test) {
  model.eval();
  NoGradGuard no_grad;
  data::DataLoader loader(std::make_shared<data::TensorDataset>(test), {.batch_size = 1000});
  std::vector<Tensor> predictions, targets;
  for (const data::Batch& batch : loader) {
    predictions.push_back(argmax(model(batch.inputs), 1));
    targets.push_back(batch.targets);
  }
  Tensor confusion = metrics::confusion_matrix(cat(predictions), cat(targets), test.num_classes());
  model.train();
  return {metrics::per_class_accuracy(confusion), metrics::accuracy(confusion),
          metrics::f1_score(confusion, metrics::Average::macro), metrics::geometric_mean_score(confusion)};
}

struct RunResult {
  Evaluation best, last;
  int best_epoch = 0;
};

// One training run: a fresh Net (same initial weights for every run: the seed is reset), SGD
// with momentum, shuffled batches; evaluation after every epoch.
RunResult train(const char* label, const Options& o, const std::shared_ptr<data::Dataset>& train_set,
                const data::TensorDataset& test_set, const Tensor& class_weights) {
  manual_seed(o.seed);
  examples::BookNet model;
  optim::SGD optimizer(model.parameters(), {.lr = o.lr, .momentum = o.momentum});
  data::DataLoader loader(train_set, {.batch_size = o.batch_size, .shuffle = true, .generator = Generator(o.seed)});
  const bool progress = isatty(fileno(stderr));

  RunResult result;
  std::printf("\n== %s\n", label);
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    double loss_sum = 0;
    int64_t seen = 0, step = 0;
    for (const data::Batch& batch : loader) {
      Tensor loss = nll_loss(model(batch.inputs), batch.targets, {.weight = class_weights});
      // A diverged run (e.g. --lr 1e6) stops here with the epoch and step, instead of training
      // and reporting a NaN model.
      check_finite_loss(loss, epoch, ++step);
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      loss_sum += loss.item() * batch.targets.size(0);
      seen += batch.targets.size(0);
      if (progress && step % 20 == 0) {
        std::fprintf(stderr, "\r  epoch %2d/%d  batch %4lld/%lld  loss %.4f", epoch, o.epochs,
                     static_cast<long long>(step), static_cast<long long>(loader.size()), loss_sum / seen);
      }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (progress) std::fprintf(stderr, "\r%60s\r", "");
    const Evaluation evaluation = evaluate(model, test_set);
    if (epoch == 1 || evaluation.overall > result.best.overall) {
      result.best = evaluation;
      result.best_epoch = epoch;
    }
    result.last = evaluation;
    std::printf("epoch %2d  loss %.4f  test accuracy %5.2f %%  %6.0f samples/s\n", epoch, loss_sum / seen,
                100 * evaluation.overall, seen / seconds);
    std::fflush(stdout);
  }
  return result;
}

}  // namespace

int main(int argc, char** argv) try {
  const Options o = parse(argc, argv);

  // Data: the balanced sets, then a long-tailed subset of the training set.
  auto full_train = data::mnist_dataset(o.data, true);
  auto test = data::mnist_dataset(o.data, false);
  const int64_t classes = full_train->num_classes();
  const std::vector<int64_t> wanted = data::long_tail_counts(o.max_per_class, classes, o.imbalance);
  auto train_set = std::make_shared<data::Subset>(
      full_train, data::make_imbalanced(full_train->targets(), wanted, o.seed));
  const std::vector<int64_t> counts = data::class_counts(train_set->targets(), classes);
  const Tensor weights = balanced_class_weights(counts);

  std::printf("data: %s\ntraining set: %lld images (long tail, ratio %.0f:1), test set: %lld images\n",
              o.data.c_str(), static_cast<long long>(train_set->size()), o.imbalance,
              static_cast<long long>(test->size()));
  std::printf("class distribution (imbalance ratio %.1f:1):\n%s", metrics::imbalance_ratio(counts),
              metrics::class_distribution_chart(counts, {.width = 40}).c_str());
  std::printf("balanced class weights N / (C·n_c):");
  for (int64_t c = 0; c < classes; ++c) std::printf(" %.8g", weights.at({c}));
  std::printf("\n");

  const RunResult plain = train("NLL", o, train_set, *test, Tensor());
  const RunResult weighted = train("NLL weighted by balanced class weights", o, train_set, *test, weights);

  std::printf("\nper-class test accuracy (%%): best epoch (NLL: %d, weighted: %d) and last epoch (%d)\n",
              plain.best_epoch, weighted.best_epoch, o.epochs);
  std::printf("class  train count |   NLL best   NLL last | weighted best  weighted last\n");
  for (int64_t c = 0; c < classes; ++c) {
    std::printf("%5lld  %11lld | %10.1f %10.1f | %13.1f %14.1f\n", static_cast<long long>(c),
                static_cast<long long>(counts[c]), 100 * plain.best.per_class[c], 100 * plain.last.per_class[c],
                100 * weighted.best.per_class[c], 100 * weighted.last.per_class[c]);
  }
  std::printf("overall             | %10.1f %10.1f | %13.1f %14.1f\n", 100 * plain.best.overall,
              100 * plain.last.overall, 100 * weighted.best.overall, 100 * weighted.last.overall);
  std::printf("macro F1            | %10.1f %10.1f | %13.1f %14.1f\n", 100 * plain.best.macro_f1,
              100 * plain.last.macro_f1, 100 * weighted.best.macro_f1, 100 * weighted.last.macro_f1);
  std::printf("G-mean of recalls   | %10.1f %10.1f | %13.1f %14.1f\n", 100 * plain.best.g_mean,
              100 * plain.last.g_mean, 100 * weighted.best.g_mean, 100 * weighted.last.g_mean);
  return 0;
} catch (const Error& error) {
  std::fprintf(stderr, "error: %s\n", error.what());
  return 1;
}
