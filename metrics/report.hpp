// metrics/report.hpp — the per-class report of sklearn's classification_report: precision,
// recall, F1 and support per class, then accuracy and the macro / weighted averages; printable as
// sklearn's aligned text table, as a Markdown table, and writable as CSV.
// The numbers come from classification.hpp (same zero_division semantics).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum::metrics {

struct ReportOptions {
  std::vector<std::string> target_names = {};  // one per class; empty → "0", "1", … (sklearn's default)
  int digits = 2;                         // decimals in the text and Markdown tables
  double zero_division = 0;               // see precision_recall_fscore_support
};

struct ReportRow {
  std::string name;
  double precision = 0, recall = 0, f1 = 0;
  int64_t support = 0;
};

struct ClassificationReport {
  std::vector<ReportRow> classes;  // one row per class
  double accuracy = 0;             // = micro precision = micro recall = micro F1
  ReportRow macro_avg, weighted_avg;
  int64_t total_support = 0;
  int digits = 2;
};

// From the [C, C] confusion matrix (rows = true class), over all C classes.
ClassificationReport classification_report(const Tensor& confusion, const ReportOptions& options = {});

// From predicted and true labels (i64 [N] each) without building the confusion matrix first:
// sklearn's classification_report(y_true, y_pred) — but in Fulcrum's (predictions, targets)
// order, as confusion_matrix. num_classes = −1: 1 + the largest label of either tensor.
ClassificationReport classification_report(const Tensor& predictions, const Tensor& targets,
                                           int64_t num_classes = -1, const ReportOptions& options = {});

// sklearn's layout exactly: a right-aligned name column as wide as the longest name (at least
// "weighted avg"), then four columns of width 9 separated by a space, e.g. for digits = 2
//                 precision    recall  f1-score   support
//
//              0       0.50      1.00      0.67         1
//   ...
//       accuracy                           0.60         5
//      macro avg       0.50      0.56      0.49         5
//   weighted avg       0.70      0.60      0.61         5
// The report always covers all C classes of the matrix and always prints "accuracy" (for
// single-label data micro P = R = F1 = accuracy); sklearn prints the same numbers as "micro avg"
// when its labels= names a class absent from both y_true and y_pred.
std::string to_string(const ClassificationReport& report);

// | class | precision | recall | f1-score | support |, one row per class, then accuracy (empty
// precision/recall cells), macro avg and weighted avg; numbers with `digits` decimals.
std::string to_markdown(const ClassificationReport& report);

// CSV with header `class,precision,recall,f1-score,support` and the same rows as Markdown; the
// numbers in shortest round-trip form (std::to_chars), the accuracy row with empty precision and
// recall. Names containing a comma, quote or newline are quoted (RFC 4180).
std::string to_csv(const ClassificationReport& report);
// Writes to_csv(report) to `path` (overwrites); an Error names the path and the reason if it
// cannot be opened or written.
void write_csv(const ClassificationReport& report, const std::string& path);

}  // namespace fulcrum::metrics
