// nn/training.hpp — fit() and evaluate(): the epoch loop every experiment repeats, written once
// and kept small enough to read (training.cpp: the loop is ~30 lines). Optional: a program can
// write its own loop with the same pieces (DataLoader, a loss, Optimizer::step, evaluate).
//
//   training::History history = training::fit(model, optimizer, train_loader, test_loader,
//       [&](const Tensor& out, const Tensor& y) { return nll_loss(out, y); },
//       {.epochs = 20, .log_csv = "epochs.csv"});
//   std::cout << metrics::to_string(metrics::classification_report(history.best().evaluation.confusion));
//
// What fit does per epoch: on_epoch_begin(epoch) → one pass over `train` (zero_grad, loss,
// backward, step, after_step) → scheduler->step() → evaluate on `validation` → best-epoch
// bookkeeping (best checkpoint, early stopping) → log line and CSV row → on_epoch_end(record).
// A non-finite loss stops the run at that step: History::diverged says where, and no later epoch
// is reported as a result. With FitOptions::checkpoint, a killed run called again with the same
// arguments resumes after its last finished epoch and ends with the same numbers. Not here: devices.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapters 6 and 8.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "core/tensor.hpp"
#include "data/dataloader.hpp"
#include "nn/module.hpp"
#include "nn/optim/lr_scheduler.hpp"
#include "nn/optim/optimizer.hpp"

namespace fulcrum::training {

// What the study reports about one pass over an evaluation set. Per-class accuracy is the recall
// of each class (the diagonal of the row-normalised confusion matrix, the book's figure).
struct Evaluation {
  Tensor confusion;                        // i64 [C, C], rows = true class, columns = predicted
  std::vector<double> per_class_accuracy;  // [C]
  double accuracy = 0;                     // correct / all
  double macro_f1 = 0;                     // rare classes count as much as common ones
  double balanced_accuracy = 0;            // mean of per_class_accuracy
  double g_mean = 0;                       // geometric mean of the recalls: 0 if a class is never found
};

// The metrics above from predicted and true labels (i64 [N] each) over classes [0, num_classes).
Evaluation evaluate_predictions(const Tensor& predictions, const Tensor& targets, int64_t num_classes);
// The same from a confusion matrix (i64 [C, C], rows = true class): every metric is a function of it.
Evaluation evaluation_from_confusion(const Tensor& confusion);

// The model's raw outputs on every batch of `loader`, in order (eval mode, no grad; the model's
// train/eval mode is restored afterwards): outputs [N, ...] and targets i64 [N].
struct Predictions {
  Tensor outputs;
  Tensor targets;
};
Predictions predict(nn::Module& model, data::DataLoader& loader);

// predict, then argmax over dim 1 of the outputs (logits, log-probabilities or probabilities:
// the argmax is the same), over num_classes = the loader's dataset's num_classes().
Evaluation evaluate(nn::Module& model, data::DataLoader& loader);

// Which number picks the best epoch (and drives early stopping). The book uses accuracy.
enum class Monitor { accuracy, macro_f1, balanced_accuracy, g_mean };
double monitored_value(const Evaluation& evaluation, Monitor monitor);
const char* monitor_name(Monitor monitor);

struct EpochRecord {
  int epoch = 0;            // 1-based
  double train_loss = 0;    // mean over the epoch's examples
  double seconds = 0;       // training pass only
  int64_t samples = 0;      // examples seen in the training pass
  double lr = 0;            // of parameter group 0, during this epoch
  Evaluation evaluation;    // on the validation loader after the epoch
};

struct History {
  std::vector<EpochRecord> epochs;
  int best_epoch = 0;          // 1-based; the first epoch reaching the best monitored value
  bool stopped_early = false;  // patience ran out
  bool diverged = false;       // a training loss was NaN or ±inf; `message` says where
  std::string message;
  const EpochRecord& best() const;  // an Error when no epoch finished
  const EpochRecord& last() const;
};

// loss(output, targets) for one batch → a 0-d tensor.
using LossFunction = std::function<Tensor(const Tensor& output, const Tensor& targets)>;

struct FitOptions {
  int epochs = 20;
  Monitor monitor = Monitor::accuracy;
  int patience = 0;                   // > 0: stop after this many epochs without a better value
  std::string log_csv = "";           // non-empty: one row per epoch; first_epoch = 1 starts the
                                      // file afresh with a header, a later stage appends
  std::string best_checkpoint = "";   // non-empty: the best epoch's state_dict as safetensors
  bool restore_best = false;          // load the best epoch's weights into the model at the end
  optim::LRScheduler* scheduler = nullptr;  // stepped once after every epoch
  bool verbose = true;                // a line per epoch on stdout
  std::string label = "";             // printed before each epoch line
  int first_epoch = 1;                // numbering only (a second training stage continues at 16)
  std::function<void(int epoch)> on_epoch_begin = nullptr;       // e.g. DRW: switch the weights
  std::function<void()> after_step = nullptr;                    // e.g. MaxNorm after each step
  std::function<void(const EpochRecord&)> on_epoch_end = nullptr;  // e.g. CDB: weights from accuracy

  // Resuming (Keras' BackupAndRestore; nn/training_checkpoint.hpp underneath). Non-empty: at the
  // end of every epoch the model, the optimiser, the scheduler, the global generator and
  // `generators`, the train loader's position and the history so far are saved there
  // atomically. If the file exists when fit starts, fit loads it and continues after its last
  // epoch: the restored epochs are not trained again, their records are in the History, the
  // CSV log is rewritten to them, and on_epoch_end is called again for each of them in order
  // (the model in the state of the last), so what a callback derives from the records or the
  // model — CDB's weights, a dynamic sampler's — is rebuilt. Everything else must be built as
  // the first run built it (same seeds, same order). A run whose epochs are all in the file
  // returns at once. The file is left in place (delete it once the results are safe).
  std::string checkpoint = "";
  std::map<std::string, Generator*> generators = {};  // generators besides the global one, by name
  // Describes the run (e.g. its command line): a checkpoint written under another description is
  // an Error instead of a silently mixed run.
  std::string checkpoint_configuration = "";
};

// Trains `model` for options.epochs epochs; see the top of this file for the order of events.
// With restore_best and a checkpoint, best_checkpoint is required: the best weights must survive
// a restart too.
History fit(nn::Module& model, optim::Optimizer& optimizer, data::DataLoader& train,
            data::DataLoader& validation, const LossFunction& loss, const FitOptions& options = {});

// The columns log_csv writes: epoch, train_loss, seconds, lr, accuracy, macro_f1,
// balanced_accuracy, g_mean, acc_0 … acc_{C−1}; one row a record.
std::string csv_header(int64_t num_classes);
std::string csv_row(const EpochRecord& record);

}  // namespace fulcrum::training
