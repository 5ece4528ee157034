// metrics/report.cpp — classification_report and its text / Markdown / CSV forms (see the header;
// the text layout copies sklearn/metrics/_classification.py::classification_report, 1.2).
#include "metrics/report.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "core/error.hpp"
#include "metrics/classification.hpp"
#include "metrics/input.hpp"

namespace fulcrum::metrics {

ClassificationReport classification_report(const Tensor& confusion, const ReportOptions& options) {
  FULCRUM_CHECK(options.digits >= 0 && options.digits <= 17,
                "classification_report: digits must be in [0, 17], got " << options.digits);
  const PrecisionRecallFscoreSupport scores = precision_recall_fscore_support(confusion, options.zero_division);
  const size_t classes = scores.support.size();
  FULCRUM_CHECK(options.target_names.empty() || options.target_names.size() == classes,
                "classification_report: " << options.target_names.size() << " target_names for " << classes
                                          << " classes");
  ClassificationReport report;
  report.digits = options.digits;
  for (size_t c = 0; c < classes; ++c) {
    const std::string name = options.target_names.empty() ? std::to_string(c) : options.target_names[c];
    report.classes.push_back({name, scores.precision[c], scores.recall[c], scores.f1[c], scores.support[c]});
    report.total_support += scores.support[c];
  }
  report.accuracy = accuracy(confusion);
  report.macro_avg = {"macro avg", precision_score(confusion, Average::macro, options.zero_division),
                      recall_score(confusion, Average::macro, options.zero_division),
                      f1_score(confusion, Average::macro, options.zero_division), report.total_support};
  report.weighted_avg = {"weighted avg", precision_score(confusion, Average::weighted, options.zero_division),
                         recall_score(confusion, Average::weighted, options.zero_division),
                         f1_score(confusion, Average::weighted, options.zero_division), report.total_support};
  return report;
}

namespace {

// Display width in code points (a UTF-8 continuation byte is 10xxxxxx), as Python's str.rjust counts.
size_t display_width(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string right_aligned(const std::string& text, size_t width) {
  const size_t length = display_width(text);
  if (length >= width) return text;
  std::string padded(width - length, ' ');
  return padded.append(text);
}

std::string fixed(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

// Python's "{:>9.{d}f}" / "{:>9}" columns, each preceded by one space.
std::string text_row(const ReportRow& row, size_t width, int digits) {
  std::string line = right_aligned(row.name, width);
  line += ' ';
  for (double value : {row.precision, row.recall, row.f1}) line.append(" ").append(right_aligned(fixed(value, digits), 9));
  line.append(" ").append(right_aligned(std::to_string(row.support), 9)).append("\n");
  return line;
}

std::string shortest(double value) {
  if (std::isnan(value)) return "nan";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted.append("\"");
}

}  // namespace

std::string to_string(const ClassificationReport& report) {
  size_t width = std::string("weighted avg").size();
  for (const ReportRow& row : report.classes) width = std::max(width, display_width(row.name));
  width = std::max(width, static_cast<size_t>(report.digits));
  std::string text(width, ' ');
  text += ' ';
  for (const char* header : {"precision", "recall", "f1-score", "support"})
    text.append(" ").append(right_aligned(header, 9));
  text += "\n\n";
  for (const ReportRow& row : report.classes) text += text_row(row, width, report.digits);
  text += "\n";
  text.append(right_aligned("accuracy", width)).append(" ");
  text.append(" ").append(std::string(9, ' ')).append(" ").append(std::string(9, ' '));
  text.append(" ").append(right_aligned(fixed(report.accuracy, report.digits), 9));
  text.append(" ").append(right_aligned(std::to_string(report.total_support), 9)).append("\n");
  text += text_row(report.macro_avg, width, report.digits);
  text += text_row(report.weighted_avg, width, report.digits);
  return text;
}

std::string to_markdown(const ClassificationReport& report) {
  const int digits = report.digits;
  std::string text = "| class | precision | recall | f1-score | support |\n|---|---:|---:|---:|---:|\n";
  auto row_line = [&](const ReportRow& row) {
    std::string name;  // a '|' would end the cell: escape it
    for (char c : row.name) {
      if (c == '|') name += '\\';
      name += c;
    }
    std::string line = "| ";
    line.append(name).append(" | ").append(fixed(row.precision, digits)).append(" | ");
    line.append(fixed(row.recall, digits)).append(" | ").append(fixed(row.f1, digits)).append(" | ");
    return line.append(std::to_string(row.support)).append(" |\n");
  };
  for (const ReportRow& row : report.classes) text += row_line(row);
  text.append("| accuracy |  |  | ").append(fixed(report.accuracy, digits)).append(" | ");
  text.append(std::to_string(report.total_support)).append(" |\n");
  text += row_line(report.macro_avg);
  text += row_line(report.weighted_avg);
  return text;
}

std::string to_csv(const ClassificationReport& report) {
  std::string text = "class,precision,recall,f1-score,support\n";
  auto row_line = [](const ReportRow& row) {
    std::string line = csv_field(row.name);
    line.append(",").append(shortest(row.precision)).append(",").append(shortest(row.recall));
    return line.append(",").append(shortest(row.f1)).append(",").append(std::to_string(row.support)).append("\n");
  };
  for (const ReportRow& row : report.classes) text += row_line(row);
  text.append("accuracy,,,").append(shortest(report.accuracy)).append(",");
  text.append(std::to_string(report.total_support)).append("\n");
  text += row_line(report.macro_avg);
  text += row_line(report.weighted_avg);
  return text;
}

void write_csv(const ClassificationReport& report, const std::string& path) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  FULCRUM_CHECK(file.is_open(), "write_csv: cannot open '" << path << "' for writing: " << std::strerror(errno));
  const std::string text = to_csv(report);
  file.write(text.data(), static_cast<std::streamsize>(text.size()));
  file.flush();
  FULCRUM_CHECK(file.good(), "write_csv: writing '" << path << "' failed: " << std::strerror(errno));
}

ClassificationReport classification_report(const Tensor& predictions, const Tensor& targets, int64_t num_classes,
                                           const ReportOptions& options) {
  if (num_classes < 0) {
    const std::vector<int64_t> p = detail::class_indices(predictions, "classification_report", "predictions");
    const std::vector<int64_t> t = detail::class_indices(targets, "classification_report", "targets");
    num_classes = 0;
    for (int64_t label : p) num_classes = std::max(num_classes, label + 1);
    for (int64_t label : t) num_classes = std::max(num_classes, label + 1);
  }
  return classification_report(confusion_matrix(predictions, targets, num_classes), options);
}

}  // namespace fulcrum::metrics
