// nn/training.cpp — fit, evaluate, predict and the per-epoch CSV row (see training.hpp).
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapters 6 and 8.
#include "nn/training.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "metrics/classification.hpp"
#include "io/safetensors.hpp"
#include "nn/training_checkpoint.hpp"

namespace fulcrum::training {

Evaluation evaluate_predictions(const Tensor& predictions, const Tensor& targets, int64_t num_classes) {
  return evaluation_from_confusion(metrics::confusion_matrix(predictions, targets, num_classes));
}

Evaluation evaluation_from_confusion(const Tensor& confusion) {
  Evaluation e;
  e.confusion = confusion;
  e.per_class_accuracy = metrics::per_class_accuracy(e.confusion);
  e.accuracy = metrics::accuracy(e.confusion);
  e.macro_f1 = metrics::f1_score(e.confusion, metrics::Average::macro);
  e.balanced_accuracy = metrics::balanced_accuracy_score(e.confusion);
  e.g_mean = metrics::geometric_mean_score(e.confusion);
  return e;
}

Predictions predict(nn::Module& model, data::DataLoader& loader) {
  const bool was_training = model.is_training();
  model.eval();
  NoGradGuard no_grad;
  std::vector<Tensor> outputs, targets;
  for (const data::Batch& batch : loader) {
    outputs.push_back(model(batch.inputs));
    targets.push_back(batch.targets);
  }
  model.train(was_training);
  FULCRUM_CHECK(!outputs.empty(), "predict: the loader yields no batch (empty dataset?)");
  return {cat(outputs), cat(targets)};
}

Evaluation evaluate(nn::Module& model, data::DataLoader& loader) {
  const Predictions p = predict(model, loader);
  FULCRUM_CHECK(p.outputs.dim() == 2, "evaluate: the model's output must be [N, C] scores, got "
                                          << shape_str(p.outputs.shape()));
  return evaluate_predictions(argmax(p.outputs, 1), p.targets, loader.dataset().num_classes());
}

double monitored_value(const Evaluation& evaluation, Monitor monitor) {
  switch (monitor) {
    case Monitor::accuracy: return evaluation.accuracy;
    case Monitor::macro_f1: return evaluation.macro_f1;
    case Monitor::balanced_accuracy: return evaluation.balanced_accuracy;
    case Monitor::g_mean: return evaluation.g_mean;
  }
  FULCRUM_FAIL("monitored_value: unknown Monitor");
}

const char* monitor_name(Monitor monitor) {
  switch (monitor) {
    case Monitor::accuracy: return "accuracy";
    case Monitor::macro_f1: return "macro_f1";
    case Monitor::balanced_accuracy: return "balanced_accuracy";
    case Monitor::g_mean: return "g_mean";
  }
  return "?";
}

const EpochRecord& History::best() const {
  FULCRUM_CHECK(best_epoch >= 1, "History::best: no epoch finished" << (diverged ? " (" + message + ")" : ""));
  for (const EpochRecord& record : epochs)
    if (record.epoch == best_epoch) return record;
  FULCRUM_FAIL("History::best: epoch " << best_epoch << " is not in the history");
}

const EpochRecord& History::last() const {
  FULCRUM_CHECK(!epochs.empty(), "History::last: no epoch finished" << (diverged ? " (" + message + ")" : ""));
  return epochs.back();
}

std::string csv_header(int64_t num_classes) {
  std::string header = "epoch,train_loss,seconds,lr,accuracy,macro_f1,balanced_accuracy,g_mean";
  for (int64_t c = 0; c < num_classes; ++c) header += ",acc_" + std::to_string(c);
  return header;
}

std::string csv_row(const EpochRecord& r) {
  std::ostringstream row;
  row.precision(10);
  const Evaluation& e = r.evaluation;
  row << r.epoch << ',' << r.train_loss << ',' << r.seconds << ',' << r.lr << ',' << e.accuracy << ','
      << e.macro_f1 << ',' << e.balanced_accuracy << ',' << e.g_mean;
  for (double a : e.per_class_accuracy) row << ',' << a;
  return row.str();
}

namespace {

// Appends one line to `path` (creating it): an Error names the file if it cannot be written.
void append_line(const std::string& path, const std::string& line) {
  std::ofstream out(path, std::ios::app);
  out << line << '\n';
  FULCRUM_CHECK(out.good(), "fit: cannot write the epoch log " << path);
}

// One pass over the training loader. Returns the mean loss, or sets history.diverged and
// returns NaN as soon as a batch's loss is not finite (nothing after it is trained).
double train_one_epoch(nn::Module& model, optim::Optimizer& optimizer, data::DataLoader& train,
                       const LossFunction& loss_fn, const FitOptions& options, int epoch, History& history,
                       int64_t& samples) {
  model.train();
  double loss_sum = 0;
  int64_t step = 0;
  for (const data::Batch& batch : train) {
    Tensor loss = loss_fn(model(batch.inputs), batch.targets);
    const double value = loss.item();
    ++step;
    if (!std::isfinite(value)) {
      std::ostringstream message;
      message << "the training loss is " << value << " at epoch " << epoch << ", step " << step << " of "
              << train.size() << " (lr " << optimizer.lr(0)
              << "): the run diverged; lower the learning rate, or look for the first non-finite "
                 "value with anomaly detection";
      history.diverged = true;
      history.message = message.str();
      return std::numeric_limits<double>::quiet_NaN();
    }
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    if (options.after_step) options.after_step();
    loss_sum += value * static_cast<double>(batch.targets.size(0));
    samples += batch.targets.size(0);
  }
  return samples > 0 ? loss_sum / static_cast<double>(samples) : 0.0;
}

// The best-epoch rule and early stopping, fed one record at a time (also replayed over the
// records of a resumed run, so a resumed run makes the same decisions).
struct BestTracker {
  Monitor monitor;
  double best_value = -std::numeric_limits<double>::infinity();
  int epochs_without_improvement = 0;

  // True when `record` is the new best: the first epoch to reach the best value (the book's rule).
  bool observe(const EpochRecord& record, History& history) {
    const double value = monitored_value(record.evaluation, monitor);
    if (value > best_value) {
      best_value = value;
      history.best_epoch = record.epoch;
      epochs_without_improvement = 0;
      return true;
    }
    ++epochs_without_improvement;
    return false;
  }
};

// The history inside a checkpoint: one line per epoch, "epoch samples train_loss seconds lr C
// m_00 … m_{C−1,C−1}" (the confusion matrix, from which every metric follows), the doubles in
// C's hexadecimal form ("%a"), so they come back bit for bit.
std::string encode_records(const std::vector<EpochRecord>& records) {
  auto hex = [](double value) {
    char number[40];  // "-0x1.fffffffffffffp+1023" is 24 characters
    std::snprintf(number, sizeof number, "%a", value);
    return std::string(number);
  };
  std::string text;
  for (const EpochRecord& r : records) {
    text += std::to_string(r.epoch) + ' ' + std::to_string(r.samples) + ' ' + hex(r.train_loss) + ' ' +
            hex(r.seconds) + ' ' + hex(r.lr) + ' ' + std::to_string(r.evaluation.confusion.size(0));
    for (int64_t cell : r.evaluation.confusion.to_vector<int64_t>()) text += ' ' + std::to_string(cell);
    text += '\n';
  }
  return text;
}

std::vector<EpochRecord> decode_records(const std::string& text, const std::string& context) {
  std::vector<EpochRecord> records;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    EpochRecord r;
    std::string loss, seconds, lr;
    int64_t classes = 0;
    fields >> r.epoch >> r.samples >> loss >> seconds >> lr >> classes;
    FULCRUM_CHECK(fields && classes > 0 && classes <= 1 << 16,
                  context << ": history line " << records.size() + 1 << " is not \"epoch samples loss seconds lr C …\"");
    auto number = [&](const std::string& token) {
      char* end = nullptr;
      const double value = std::strtod(token.c_str(), &end);
      FULCRUM_CHECK(end == token.c_str() + token.size(), context << ": history line " << records.size() + 1
                                                                  << " has a malformed number");
      return value;
    };
    r.train_loss = number(loss);
    r.seconds = number(seconds);
    r.lr = number(lr);
    std::vector<int64_t> cells(static_cast<size_t>(classes * classes));
    for (int64_t& cell : cells) fields >> cell;
    FULCRUM_CHECK(fields, context << ": history line " << records.size() + 1 << " has fewer than " << classes
                                  << "² confusion counts");
    r.evaluation = evaluation_from_confusion(from_data<int64_t>(cells, {classes, classes}));
    records.push_back(std::move(r));
  }
  return records;
}

// The CSV log of a resumed run: the rows of earlier stages (epochs before first_epoch) as they
// were, then the restored records; a row the killed run wrote after its last checkpoint goes.
void rewrite_log(const std::string& path, int first_epoch, int64_t num_classes, const std::vector<EpochRecord>& records) {
  std::vector<std::string> kept = {csv_header(num_classes)};
  std::ifstream in(path);
  std::string line;
  for (bool header = true; std::getline(in, line); header = false) {
    if (!header && !line.empty() && std::atoi(line.c_str()) < first_epoch) kept.push_back(line);
  }
  in.close();
  std::ofstream(path, std::ios::trunc);
  for (const std::string& row : kept) append_line(path, row);
  for (const EpochRecord& record : records) append_line(path, csv_row(record));
}

constexpr const char* kHistoryKey = "fit.history";
constexpr const char* kConfigurationKey = "fit.configuration";

nn::TrainingState training_state(nn::Module& model, optim::Optimizer& optimizer, data::DataLoader& train,
                                 const FitOptions& options) {
  return {.model = &model, .optimizer = &optimizer, .scheduler = options.scheduler, .loader = &train,
          .generators = options.generators};
}

void print_epoch(const FitOptions& options, const EpochRecord& record) {
  std::printf("%s%sepoch %3d  loss %.4f  %s %6.2f %%  macro-F1 %5.1f  %6.0f samples/s\n",
              options.label.c_str(), options.label.empty() ? "" : "  ", record.epoch, record.train_loss,
              "accuracy", 100 * record.evaluation.accuracy, 100 * record.evaluation.macro_f1,
              record.seconds > 0 ? static_cast<double>(record.samples) / record.seconds : 0.0);
  std::fflush(stdout);
}

}  // namespace

History fit(nn::Module& model, optim::Optimizer& optimizer, data::DataLoader& train,
            data::DataLoader& validation, const LossFunction& loss, const FitOptions& options) {
  FULCRUM_CHECK(options.epochs >= 0, "fit: epochs must be ≥ 0, got " << options.epochs);
  FULCRUM_CHECK(options.patience >= 0, "fit: patience must be ≥ 0, got " << options.patience);
  FULCRUM_CHECK(options.checkpoint.empty() || !options.restore_best || !options.best_checkpoint.empty(),
                "fit: restore_best with a checkpoint needs best_checkpoint too (the best weights must "
                "survive a restart)");
  const int64_t num_classes = validation.dataset().num_classes();
  History history;
  BestTracker tracker{options.monitor};
  nn::StateDict best_weights;
  int done = 0;  // epochs of this call already trained (by a run that was interrupted)

  if (!options.checkpoint.empty() && std::filesystem::exists(options.checkpoint)) {
    nn::TrainingState state = training_state(model, optimizer, train, options);
    state.required_extra[kConfigurationKey] = options.checkpoint_configuration;
    state.check_loader_order = false;  // checked below, once the callbacks have rebuilt the sampler
    nn::load_training_checkpoint(options.checkpoint, state);
    const std::string context = "fit: checkpoint '" + options.checkpoint + "'";
    FULCRUM_CHECK(state.extra.count(kHistoryKey),
                  context << " has no \"extra." << kHistoryKey << "\" (it was not written by fit)");
    history.epochs = decode_records(state.extra[kHistoryKey], context);
    done = static_cast<int>(history.epochs.size());
    FULCRUM_CHECK(state.epoch == done && done <= options.epochs &&
                      (done == 0 || history.epochs.front().epoch == options.first_epoch),
                  context << " holds epochs " << (done ? history.epochs.front().epoch : 0) << "…"
                          << (done ? history.epochs.back().epoch : 0) << ", not the first of epochs "
                          << options.first_epoch << "…" << options.first_epoch + options.epochs - 1
                          << " that this call trains");
    for (const EpochRecord& record : history.epochs) tracker.observe(record, history);
    if (options.restore_best && history.best_epoch > 0) best_weights = nn::load_safetensors(options.best_checkpoint);
    if (!options.log_csv.empty()) rewrite_log(options.log_csv, options.first_epoch, num_classes, history.epochs);
    if (options.verbose) {
      std::printf("%s%sresumed from %s after epoch %d\n", options.label.c_str(), options.label.empty() ? "" : "  ",
                  options.checkpoint.c_str(), done ? history.epochs.back().epoch : options.first_epoch - 1);
      for (const EpochRecord& record : history.epochs) print_epoch(options, record);
    }
    for (const EpochRecord& record : history.epochs) {
      if (options.on_epoch_end) options.on_epoch_end(record);
    }
    FULCRUM_CHECK(nn::order_fingerprint(train, train.epoch()) == state.loader_order_fingerprint,
                  context << ": the train loader visits epoch " << train.epoch() << " in another order than the "
                          "saved run did: rebuild it as that run did (same dataset, sampler, batch size, seed, "
                          "and the same manual_seed before it was made)");
    history.stopped_early = options.patience > 0 && tracker.epochs_without_improvement >= options.patience;
  } else if (!options.log_csv.empty() && options.first_epoch == 1) {
    std::ofstream(options.log_csv, std::ios::trunc);  // a fresh log for a fresh run
    append_line(options.log_csv, csv_header(num_classes));
  }

  for (int i = done; i < options.epochs && !history.stopped_early; ++i) {
    const int epoch = options.first_epoch + i;
    if (options.on_epoch_begin) options.on_epoch_begin(epoch);
    EpochRecord record;
    record.epoch = epoch;
    record.lr = optimizer.lr(0);
    const auto start = std::chrono::steady_clock::now();
    record.train_loss = train_one_epoch(model, optimizer, train, loss, options, epoch, history, record.samples);
    record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (history.diverged) {
      std::fprintf(stderr, "%s%sfit: %s\n", options.label.c_str(), options.label.empty() ? "" : ": ",
                   history.message.c_str());
      break;
    }
    if (options.scheduler) options.scheduler->step();
    record.evaluation = evaluate(model, validation);

    if (tracker.observe(record, history)) {
      if (options.restore_best) best_weights = nn::clone_state_dict(model.state_dict());
      if (!options.best_checkpoint.empty()) nn::save_safetensors(options.best_checkpoint, model.state_dict());
    }
    history.epochs.push_back(record);
    if (options.verbose) print_epoch(options, record);
    if (!options.log_csv.empty()) append_line(options.log_csv, csv_row(record));
    if (options.on_epoch_end) options.on_epoch_end(record);
    if (!options.checkpoint.empty()) {
      nn::TrainingState state = training_state(model, optimizer, train, options);
      state.epoch = i + 1;
      state.extra = {{kHistoryKey, encode_records(history.epochs)},
                     {kConfigurationKey, options.checkpoint_configuration}};
      nn::save_training_checkpoint(options.checkpoint, state);
    }
    history.stopped_early = options.patience > 0 && tracker.epochs_without_improvement >= options.patience;
  }
  if (options.restore_best && !best_weights.empty()) model.load_state_dict(best_weights);
  return history;
}

}  // namespace fulcrum::training
