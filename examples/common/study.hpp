// examples/common/study.hpp — what every experiment program of the study shares, so that each
// example file holds only its own idea: the command line (CLI11, strict: `--lr abc` is an error),
// the book's MNIST-LT data (docs/REPRODUCTION.md's protocol), the book's training recipe through
// training::fit, the per-class table printed at the end and the files `reproduce` reads.
//
// An experiment is a list of named variants (e.g. "plain", "balanced_weights") and one function
// that trains one variant and returns its History:
//
//   int main(int argc, char** argv) {
//     study::Experiment experiment{.number = 7, .title = "class weights", .variants = {"plain", "weighted"}};
//     return study::main(argc, argv, experiment, [](study::Run& run) { ... return run.fit(model, loss); });
//   }
//
// Files written with --out DIR, per variant V: V.epochs.csv (training::csv_header columns),
// V.summary.csv (one row per reported series: best and last epoch, and any post-hoc result),
// V.confusion.csv (the best epoch's confusion matrix), V.status ("ok", or "diverged: …").
// With --out the run is also resumable: each fit saves V.checkpoint-K.safetensors (stage K) at
// the end of every epoch; killed and started again with the same command, the program continues
// after the last finished epoch and prints the numbers an uninterrupted run prints. The
// checkpoints are deleted when the program finishes; a checkpoint left by other options is
// set aside (deleted, with a line saying so) and that variant starts afresh.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapters 6 and 8.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "examples/book_net.hpp"
#include "fulcrum.hpp"

namespace CLI { class App; }

namespace study {

using namespace fulcrum;

// The options every experiment takes; an example may add its own to the CLI::App.
struct Options {
  std::string data = fulcrum::data::fashion_mnist_default_dir;  // four IDX files (MNIST or Fashion-MNIST)
  int epochs = 20;          // the book's protocol
  uint64_t seed = 1;
  int64_t batch_size = 64;
  double lr = 0.01;         // SGD, PyTorch's momentum form
  double momentum = 0.5;
  bool quick = false;       // smoke mode: 3 epochs, n_max 2000 instead of 6000, 2,000 test images
  std::string out = "";     // non-empty: write the result files there
  std::vector<std::string> variants = {};  // empty: all
  bool list_variants = false;
  int64_t threads = 0;      // > 0: OpenMP threads (else OMP_NUM_THREADS or all cores)
};

// The long-tailed training set and the balanced test set of the protocol.
struct Data {
  std::shared_ptr<const fulcrum::data::Dataset> train;  // a Subset of the 60,000 training images
  std::shared_ptr<const fulcrum::data::Dataset> test;   // 10,000 images (2,000 with --quick)
  std::vector<int64_t> counts;                          // training images per class
  int64_t num_classes = 10;
};

// The profile of an imbalanced training set (docs/REPRODUCTION.md experiment 4).
enum class Profile { long_tail, step };

// MNIST-LT: n_c = int(n_max · (1/ratio)^(c/9)) (long tail) or the step profile, each class's
// images chosen with `seed`; n_max = 6000 (2000 with --quick). Normalised with MNIST's mean/std.
Data load_imbalanced_mnist(const Options& options, double ratio = 100.0, Profile profile = Profile::long_tail);

struct Run;
using RunFunction = std::function<training::History(Run&)>;

struct Experiment {
  int number = 0;                      // docs/REPRODUCTION.md's row
  std::string title;
  std::vector<std::string> variants;   // run in this order
  std::string description = "";        // one paragraph for --help
  int epochs = 20;                     // the protocol's epochs: --epochs' default (DRW: 15 + 15)
};

// One variant being trained: what the run function needs, and a place for extra results.
struct Run {
  const Options& options;
  Data data;  // the protocol's MNIST-LT unless use_data replaced it (a copy: shared datasets)
  std::string variant;
  // The training order for fit(): shuffled batches unless one of these is set.
  std::shared_ptr<const fulcrum::data::Sampler> sampler = nullptr;
  std::shared_ptr<const fulcrum::data::BatchSampler> batch_sampler = nullptr;
  training::History history = {};  // every fit() of this run, merged (a second stage appends)

  // Train this variant on another data set (experiment 4: each imbalance ratio its own training
  // set): fit, the loaders, the result files and the closing table use it from now on.
  void use_data(Data other) { data = std::move(other); }

  // A DataLoader over the training set: shuffled batches of options.batch_size, or in the
  // order of `sampler` / `batch_sampler` when given. Seeded with options.seed.
  fulcrum::data::DataLoader train_loader(std::shared_ptr<const fulcrum::data::Sampler> sampler = nullptr,
                                         std::shared_ptr<const fulcrum::data::BatchSampler> batch_sampler = nullptr) const;
  fulcrum::data::DataLoader test_loader() const;  // batches of 1000, in order

  // training::fit with the book's SGD (lr, momentum from the options) on train_loader(sampler,
  // batch_sampler), evaluated on the test set every epoch, epochs from the options, the epoch log
  // in the output folder. `configure` may change the fit options (callbacks, epochs) before
  // training. A second fit (a second stage) continues the epoch numbering, the log and the
  // sampler's epochs (its loader starts at epoch first_epoch − 1, not 0). Returns `history`,
  // into which this stage was merged.
  training::History fit(nn::Module& model, const training::LossFunction& loss,
                        const std::function<void(training::FitOptions&)>& configure = nullptr);
  // The same with a given optimiser (weight decay, a second stage with a fresh optimiser).
  training::History fit(nn::Module& model, optim::Optimizer& optimizer, const training::LossFunction& loss,
                        const std::function<void(training::FitOptions&)>& configure = nullptr);

  // A result computed after training (logit adjustment, nearest-embedding classification, …):
  // reported as its own row "variant/name" next to the best and last epochs.
  void add_result(const std::string& name, const training::Evaluation& evaluation, int epoch);

  struct Extra {
    std::string name;
    training::Evaluation evaluation;
    int epoch;
  };
  std::vector<Extra> extras = {};
  int fit_calls = 0;
  std::string configuration = "";  // the options, as CLI11 prints them: a checkpoint's identity
};

// The checkpoint of a variant's stage (1, 2, …) in the output folder.
std::string checkpoint_path(const Options& options, const std::string& variant, int stage);

// Parses the command line (the common options plus whatever `add_options` registers), then for
// each selected variant: manual_seed(seed), run(run), files, a line per epoch; at the end the
// per-class table of every variant, best and last epoch. Returns the process exit code: 0, 1 on
// an error (printed), 2 on a bad command line, 3 if a run diverged.
int main(int argc, char** argv, const Experiment& experiment, const RunFunction& run,
         const std::function<void(CLI::App&)>& add_options = nullptr);

// The book's Net for every variant (log-probabilities out, or raw logits for the sigmoid losses).
inline std::shared_ptr<examples::BookNet> book_net(bool log_softmax = true) {
  return std::make_shared<examples::BookNet>(log_softmax);
}

}  // namespace study
