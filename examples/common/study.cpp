// examples/common/study.cpp — the shared part of the experiment programs (see study.hpp): the
// command line, MNIST-LT, Run::fit, the result files and the closing per-class table.
#include "examples/common/study.hpp"

#include <omp.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace study {

Data load_imbalanced_mnist(const Options& options, double ratio, Profile profile) {
  namespace fd = fulcrum::data;
  auto full_train = fd::mnist_dataset(options.data, true);
  auto full_test = fd::mnist_dataset(options.data, false);
  const int64_t classes = full_train->num_classes();
  const int64_t n_max = options.quick ? 2000 : 6000;
  const std::vector<int64_t> wanted = profile == Profile::long_tail ? fd::long_tail_counts(n_max, classes, ratio)
                                                                    : fd::step_counts(n_max, classes, ratio);
  Data data;
  data.num_classes = classes;
  data.train = std::make_shared<fd::Subset>(full_train, fd::make_imbalanced(full_train->targets(), wanted, options.seed));
  data.counts = fd::class_counts(*data.train);
  if (options.quick) {  // 200 test images per class, the same ones for every seed
    data.test = std::make_shared<fd::Subset>(
        full_test, fd::make_imbalanced(full_test->targets(), std::vector<int64_t>(classes, 200), 0));
  } else {
    data.test = full_test;
  }
  return data;
}

fulcrum::data::DataLoader Run::train_loader(std::shared_ptr<const fulcrum::data::Sampler> sampler,
                                            std::shared_ptr<const fulcrum::data::BatchSampler> batch_sampler) const {
  if (batch_sampler) return fulcrum::data::DataLoader(data.train, {.batch_sampler = batch_sampler});
  if (sampler) {
    return fulcrum::data::DataLoader(data.train, {.batch_size = options.batch_size,
                                                  .generator = Generator(options.seed), .sampler = sampler});
  }
  return fulcrum::data::DataLoader(data.train, {.batch_size = options.batch_size, .shuffle = true,
                                                .generator = Generator(options.seed)});
}

fulcrum::data::DataLoader Run::test_loader() const {
  return fulcrum::data::DataLoader(data.test, {.batch_size = 1000});
}

training::History Run::fit(nn::Module& model, const training::LossFunction& loss,
                           const std::function<void(training::FitOptions&)>& configure) {
  optim::SGD optimizer(model.parameters(), {.lr = options.lr, .momentum = options.momentum});
  return fit(model, optimizer, loss, configure);
}

training::History Run::fit(nn::Module& model, optim::Optimizer& optimizer, const training::LossFunction& loss,
                           const std::function<void(training::FitOptions&)>& configure) {
  training::FitOptions fit_options{.epochs = options.epochs, .label = variant};
  if (!options.out.empty()) {
    fit_options.log_csv = options.out + "/" + variant + ".epochs.csv";
    fit_options.checkpoint = checkpoint_path(options, variant, fit_calls + 1);
    fit_options.checkpoint_configuration = configuration;
  }
  // A second stage continues the epoch numbering and the log of the first.
  fit_options.first_epoch = history.epochs.empty() ? 1 : history.epochs.back().epoch + 1;
  if (configure) configure(fit_options);
  fulcrum::data::DataLoader train = train_loader(sampler, batch_sampler);
  train.set_epoch(fit_options.first_epoch - 1);  // a second stage does not replay the first's orders
  fulcrum::data::DataLoader test = test_loader();
  const training::History stage = training::fit(model, optimizer, train, test, loss, fit_options);
  ++fit_calls;

  // Merge the stage into the run's history: the best epoch over all stages (the first to reach
  // the best accuracy), divergence sticks.
  for (const training::EpochRecord& record : stage.epochs) {
    if (history.best_epoch == 0 || record.evaluation.accuracy > history.best().evaluation.accuracy)
      history.best_epoch = record.epoch;
    history.epochs.push_back(record);
  }
  history.diverged = history.diverged || stage.diverged;
  if (stage.diverged) history.message = stage.message;
  return history;
}

std::string checkpoint_path(const Options& options, const std::string& variant, int stage) {
  return options.out + "/" + variant + ".checkpoint-" + std::to_string(stage) + ".safetensors";
}

void Run::add_result(const std::string& name, const training::Evaluation& evaluation, int epoch) {
  extras.push_back({name, evaluation, epoch});
}

namespace {

// One row of the summary: series, kind (best | last | post-hoc), epoch, the metrics and the
// training counts of the data the run used.
struct Row {
  std::string series, kind;
  int epoch = 0;
  training::Evaluation evaluation;
  std::vector<int64_t> counts;
};

std::vector<Row> summary_rows(const std::string& variant, const Run& run) {
  std::vector<Row> rows;
  const training::History& h = run.history;
  if (!h.epochs.empty()) {
    rows.push_back({variant, "best", h.best().epoch, h.best().evaluation, run.data.counts});
    rows.push_back({variant, "last", h.last().epoch, h.last().evaluation, run.data.counts});
  }
  for (const Run::Extra& extra : run.extras)
    rows.push_back({variant + "/" + extra.name, "post-hoc", extra.epoch, extra.evaluation, run.data.counts});
  return rows;
}

void write_files(const Options& options, const Run& run, const std::vector<Row>& rows) {
  const std::string base = options.out + "/" + run.variant;
  std::ofstream summary(base + ".summary.csv", std::ios::trunc);
  summary << "series,kind,epoch,accuracy,macro_f1,balanced_accuracy,g_mean";
  for (int64_t c = 0; c < run.data.num_classes; ++c) summary << ",acc_" << c;
  summary << "\n";
  summary.precision(10);
  for (const Row& row : rows) {
    const training::Evaluation& e = row.evaluation;
    summary << row.series << ',' << row.kind << ',' << row.epoch << ',' << e.accuracy << ',' << e.macro_f1 << ','
            << e.balanced_accuracy << ',' << e.g_mean;
    for (double a : e.per_class_accuracy) summary << ',' << a;
    summary << "\n";
  }
  if (!run.history.epochs.empty()) {
    std::ofstream confusion(base + ".confusion.csv", std::ios::trunc);
    const Tensor& m = run.history.best().evaluation.confusion;
    const std::vector<int64_t> cells = m.to_vector<int64_t>();
    const int64_t columns = m.size(1);
    for (size_t k = 0; k < cells.size(); ++k)
      confusion << cells[k] << (static_cast<int64_t>(k + 1) % columns == 0 ? "\n" : ",");
  }
  std::ofstream status(base + ".status", std::ios::trunc);
  status << (run.history.diverged ? "diverged: " + run.history.message : std::string("ok")) << "\n";
  FULCRUM_CHECK(summary.good() && status.good(), "study: cannot write the results in " << options.out);
}

void print_counts(const std::vector<int64_t>& counts) {
  std::printf("%-34s %5s", "train count", "");
  for (int64_t n : counts) std::printf(" %5lld", static_cast<long long>(n));
  std::printf(" |\n");
}

// The closing table: one line per variant and kind, per-class accuracy then the summaries. A
// "train count" line opens it, and again wherever a run trained on other counts (use_data).
void print_table(const Data& data, const std::vector<Row>& rows) {
  std::printf("\nper-class test accuracy (%%); best = the first epoch with the best test accuracy (the "
              "book's figure), last = the final epoch (the fair one)\n");
  std::printf("%-34s %5s", "variant", "epoch");
  for (int64_t c = 0; c < data.num_classes; ++c) std::printf(" %5lld", static_cast<long long>(c));
  std::printf(" | overall macroF1 bal.acc G-mean\n");
  print_counts(data.counts);
  const std::vector<int64_t>* shown = &data.counts;
  for (const Row& row : rows) {
    if (row.counts != *shown) print_counts(*(shown = &row.counts));
    const std::string name = row.series + " (" + row.kind + ")";
    std::printf("%-34s %5d", name.c_str(), row.epoch);
    for (double a : row.evaluation.per_class_accuracy) std::printf(" %5.1f", 100 * a);
    const training::Evaluation& e = row.evaluation;
    std::printf(" | %7.2f %7.2f %7.2f %6.2f\n", 100 * e.accuracy, 100 * e.macro_f1, 100 * e.balanced_accuracy,
                100 * e.g_mean);
  }
}

// A number strictly above zero (CLI11's PositiveNumber prints the whole double range on a typo).
const CLI::Validator positive(
    [](std::string& value) {
      double number = 0;
      if (!CLI::detail::lexical_cast(value, number)) return "'" + value + "' is not a number";
      return number > 0 ? std::string() : "'" + value + "' must be > 0";
    },
    "> 0");

// A non-negative integer (CLI11 would wrap "-3" into a huge unsigned seed).
const CLI::Validator non_negative_integer(
    [](std::string& value) {
      const bool digits = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
      return digits ? std::string() : "'" + value + "' is not a non-negative integer";
    },
    "≥ 0");

// The options that decide a run's numbers, one "name=value" a line (CLI11's config format):
// everything but where the files go and which variants run.
std::string configuration_of(const CLI::App& app, int experiment) {
  std::istringstream lines(app.config_to_str(/*default_also=*/true, /*write_description=*/false));
  std::string configuration = "experiment=" + std::to_string(experiment) + "\n";
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("out=", 0) == 0 || line.rfind("variant=", 0) == 0 || line.rfind("list-variants=", 0) == 0) continue;
    configuration += line + "\n";
  }
  return configuration;
}

// Deletes the checkpoints of `variant` from stage `first` on (they are numbered without gaps).
void remove_checkpoints(const Options& options, const std::string& variant, int first = 1) {
  for (int stage = first; std::filesystem::remove(checkpoint_path(options, variant, stage)); ++stage) {
  }
}

// A checkpoint of `variant` that other options wrote cannot be resumed: delete it (and its later
// stages), saying so, and let the variant start afresh.
void set_aside_stale_checkpoints(const Options& options, const std::string& variant, const std::string& configuration) {
  for (int stage = 1;; ++stage) {
    const std::string path = checkpoint_path(options, variant, stage);
    if (!std::filesystem::exists(path)) return;
    std::string saved;
    try {
      const auto metadata = nn::load_safetensors_with_metadata(path).metadata;
      const auto it = metadata.find("extra.fit.configuration");
      if (it != metadata.end()) saved = it->second;
    } catch (const fulcrum::Error&) {
    }
    if (saved != configuration) {
      std::printf("%s: %s was written with other options (or is unreadable): starting this variant afresh\n",
                  variant.c_str(), path.c_str());
      remove_checkpoints(options, variant, stage);
      return;
    }
  }
}

}  // namespace

int main(int argc, char** argv, const Experiment& experiment, const RunFunction& run_function,
         const std::function<void(CLI::App&)>& add_options) {
  Options options;
  options.epochs = experiment.epochs;
  CLI::App app{"Experiment " + std::to_string(experiment.number) + " of docs/REPRODUCTION.md: " + experiment.title +
               (experiment.description.empty() ? "" : "\n" + experiment.description)};
  app.add_option("--data", options.data, "folder with the four MNIST IDX files (raw or .gz)")->capture_default_str();
  auto* epochs = app.add_option("--epochs", options.epochs, "epochs per training run")->capture_default_str()
                     ->check(CLI::Number)->check(CLI::Range(1, 100000));
  app.add_option("--seed", options.seed, "seeds the imbalanced subset, the weights, the shuffle, dropout")
      ->capture_default_str()->check(non_negative_integer);
  app.add_option("--batch-size", options.batch_size, "examples per batch")->capture_default_str()
      ->check(CLI::Number)->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
  app.add_option("--lr", options.lr, "SGD learning rate")->capture_default_str()->check(positive);
  app.add_option("--momentum", options.momentum, "SGD momentum (PyTorch's form)")->capture_default_str()
      ->check(CLI::Number)->check(CLI::Range(0.0, 1.0));
  app.add_flag("--quick", options.quick, "smoke mode: 3 epochs, a third of the training counts, 2,000 test images");
  app.add_option("--out", options.out, "write VARIANT.{epochs,summary,confusion}.csv and VARIANT.status there");
  app.add_option("--variant", options.variants, "run only these variants (comma-separated); see --list-variants")
      ->delimiter(',');
  app.add_flag("--list-variants", options.list_variants, "print the variants, one per line, and exit");
  app.add_option("--threads", options.threads, "OpenMP threads (default: OMP_NUM_THREADS or every core)")
      ->check(CLI::Number)->check(CLI::Range(int64_t{1}, int64_t{1024}));
  if (add_options) add_options(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : 2;
  }
  if (options.list_variants) {
    for (const std::string& v : experiment.variants) std::printf("%s\n", v.c_str());
    return 0;
  }
  if (options.quick && epochs->count() == 0) options.epochs = 3;
  const std::string configuration = configuration_of(app, experiment.number) + "epochs_run=" +
                                    std::to_string(options.epochs) + "\n";
  if (options.threads > 0) omp_set_num_threads(static_cast<int>(options.threads));
  std::vector<std::string> selected = options.variants.empty() ? experiment.variants : options.variants;
  for (const std::string& v : selected) {
    if (std::find(experiment.variants.begin(), experiment.variants.end(), v) == experiment.variants.end()) {
      std::fprintf(stderr, "error: --variant %s is not a variant of experiment %d (see --list-variants)\n",
                   v.c_str(), experiment.number);
      return 2;
    }
  }

  try {
    if (!options.out.empty()) std::filesystem::create_directories(options.out);
    Data data;
    try {
      data = load_imbalanced_mnist(options);
    } catch (const fulcrum::Error& error) {
      std::fprintf(stderr, "error: --data %s: %s\n  The study needs the four MNIST IDX files (train-images-idx3-ubyte.gz, "
                   "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) in one folder: "
                   "MNIST from its home page, or Fashion-MNIST with `apt-get install dataset-fashion-mnist` "
                   "(then --data %s).\n", options.data.c_str(), error.what(), fulcrum::data::fashion_mnist_default_dir);
      return 1;
    }
    std::printf("experiment %d: %s\ndata: %s (%s), %lld training images (long tail 100:1), %lld test images, "
                "%d epochs, seed %llu\n",
                experiment.number, experiment.title.c_str(), options.data.c_str(), options.quick ? "quick" : "full",
                static_cast<long long>(data.train->size()), static_cast<long long>(data.test->size()),
                options.epochs, static_cast<unsigned long long>(options.seed));
    std::vector<Row> all_rows;
    bool diverged = false;
    for (const std::string& variant : selected) {
      std::printf("\n== %s\n", variant.c_str());
      std::fflush(stdout);
      manual_seed(options.seed);
      Run run{.options = options, .data = data, .variant = variant, .configuration = configuration};
      if (!options.out.empty()) set_aside_stale_checkpoints(options, variant, configuration);
      run.history = run_function(run);  // what the run returns is what is reported
      const std::vector<Row> rows = summary_rows(variant, run);
      if (!options.out.empty()) write_files(options, run, rows);
      all_rows.insert(all_rows.end(), rows.begin(), rows.end());
      if (run.history.diverged) {
        diverged = true;
        std::fprintf(stderr, "%s: diverged; its result files say so and no epoch after it is reported\n", variant.c_str());
      }
    }
    print_table(data, all_rows);
    // Every variant's results are written: the checkpoints have done their work.
    for (const std::string& variant : selected) remove_checkpoints(options, variant);
    return diverged ? 3 : 0;
  } catch (const fulcrum::Error& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  } catch (const std::filesystem::filesystem_error& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  }
}

}  // namespace study
