// nn/training.cpp — fit, evaluate, predict and the per-epoch CSV row (see training.hpp).
#include "nn/training.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "metrics/classification.hpp"
#include "nn/serialization/safetensors.hpp"

namespace fulcrum::training {

Evaluation evaluate_predictions(const Tensor& predictions, const Tensor& targets, int64_t num_classes) {
  Evaluation e;
  e.confusion = metrics::confusion_matrix(predictions, targets, num_classes);
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

}  // namespace

History fit(nn::Module& model, optim::Optimizer& optimizer, data::DataLoader& train,
            data::DataLoader& validation, const LossFunction& loss, const FitOptions& options) {
  FULCRUM_CHECK(options.epochs >= 0, "fit: epochs must be ≥ 0, got " << options.epochs);
  FULCRUM_CHECK(options.patience >= 0, "fit: patience must be ≥ 0, got " << options.patience);
  const int64_t num_classes = validation.dataset().num_classes();
  if (!options.log_csv.empty() && options.first_epoch == 1) {
    std::ofstream(options.log_csv, std::ios::trunc);  // a fresh log for a fresh run
    append_line(options.log_csv, csv_header(num_classes));
  }
  History history;
  nn::StateDict best_weights;
  double best_value = -std::numeric_limits<double>::infinity();
  int epochs_without_improvement = 0;

  for (int i = 0; i < options.epochs; ++i) {
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

    // The best epoch is the first to reach the best monitored value (the book's rule).
    const double value = monitored_value(record.evaluation, options.monitor);
    if (value > best_value) {
      best_value = value;
      history.best_epoch = epoch;
      epochs_without_improvement = 0;
      if (options.restore_best) best_weights = nn::clone_state_dict(model.state_dict());
      if (!options.best_checkpoint.empty()) nn::save_safetensors(options.best_checkpoint, model.state_dict());
    } else {
      ++epochs_without_improvement;
    }
    history.epochs.push_back(record);

    if (options.verbose) {
      std::printf("%s%sepoch %3d  loss %.4f  %s %6.2f %%  macro-F1 %5.1f  %6.0f samples/s\n",
                  options.label.c_str(), options.label.empty() ? "" : "  ", epoch, record.train_loss,
                  "accuracy", 100 * record.evaluation.accuracy, 100 * record.evaluation.macro_f1,
                  record.seconds > 0 ? static_cast<double>(record.samples) / record.seconds : 0.0);
      std::fflush(stdout);
    }
    if (!options.log_csv.empty()) append_line(options.log_csv, csv_row(record));
    if (options.on_epoch_end) options.on_epoch_end(record);
    if (options.patience > 0 && epochs_without_improvement >= options.patience) {
      history.stopped_early = true;
      break;
    }
  }
  if (options.restore_best && !best_weights.empty()) model.load_state_dict(best_weights);
  return history;
}

}  // namespace fulcrum::training
