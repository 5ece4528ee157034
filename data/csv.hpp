// data/csv.hpp — a CSV reader for tabular classification data: a header line of column names,
// numeric feature columns, one label column (numbers or strings, mapped to class indices), and
// an optional filter (e.g. split == train). Other readers: cifar.hpp, image_folder.hpp, text.hpp.
//
// Dialect (RFC 4180 subset): fields separated by `delimiter`; a field may be quoted with "…"
// (a quoted field may hold the delimiter, and "" stands for one quote) but not a line break;
// CRLF or LF line ends; blank lines are skipped (pandas' skip_blank_lines). Spaces around a
// numeric cell are allowed. Every error names file:line:column (1-based; the column counts
// characters, the field number and name are given too) and what was expected there.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "data/dataset.hpp"

namespace fulcrum::data {

struct CsvOptions {
  std::string label_column{};                // required: the column holding the class
  std::vector<std::string> feature_columns{};  // empty: every column except label and filter, in file order
  std::string filter_column{};               // empty: keep every row
  std::string filter_value{};                // keep the rows whose filter cell equals this (exact text)
  DType dtype = DType::f32;                  // of the features: f32 or f64
  char delimiter = ',';
};

// features [N, F] (options.dtype), targets i64 [N], the feature column names in tensor order,
// and the class names: targets[i] = c means the label cell was classes[c].
// Class names are the distinct label values of ALL rows (not only those the filter keeps, so a
// train and a test read share one label space), sorted numerically when every label is a number
// ("2" < "10"; "1" and "1.0" are one class, named by the spelling that sorts first as text),
// otherwise as byte strings.
struct CsvTable {
  Tensor features;
  Tensor targets;
  std::vector<std::string> feature_names;
  std::vector<std::string> classes;
};

CsvTable read_csv(const std::filesystem::path& path, const CsvOptions& options);

// read_csv as a TensorDataset (inputs = features, targets).
std::shared_ptr<TensorDataset> csv_dataset(const std::filesystem::path& path, const CsvOptions& options);

}  // namespace fulcrum::data
