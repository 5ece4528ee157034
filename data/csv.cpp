// data/csv.cpp — read_csv: split every line into fields (remembering where each starts, for
// messages), resolve the column names against the header, then parse the kept rows' numeric
// cells with std::from_chars and map the labels to sorted class indices.
#include "data/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include "core/error.hpp"

namespace fulcrum::data {
namespace {

struct Field {
  std::string text;
  int64_t column;  // 1-based character position of the field's first character
};

struct Line {
  std::vector<Field> fields;
  int64_t number;  // 1-based line number in the file
};

std::string where(const std::filesystem::path& path, int64_t line, int64_t column) {
  std::string text = path.string();
  text.append(":").append(std::to_string(line)).append(":").append(std::to_string(column));
  return text;
}

// Splits one line (without its line end) into fields; quotes as in the header comment.
std::vector<Field> split_line(const std::string& line, char delimiter, const std::filesystem::path& path,
                              int64_t number) {
  std::vector<Field> fields;
  size_t i = 0;
  while (true) {
    Field field{"", static_cast<int64_t>(i) + 1};
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (true) {
        FULCRUM_CHECK(i < line.size(), where(path, number, field.column)
                                           << ": read_csv: quoted field is not closed before the end of the line "
                                           << "(expected a closing \"; line breaks inside quotes are not supported)");
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.text.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.text.push_back(line[i++]);
      }
      FULCRUM_CHECK(i == line.size() || line[i] == delimiter,
                    where(path, number, static_cast<int64_t>(i) + 1)
                        << ": read_csv: expected '" << delimiter << "' or the line end after a quoted field, found '"
                        << line[i] << "'");
    } else {
      while (i < line.size() && line[i] != delimiter) field.text.push_back(line[i++]);
    }
    fields.push_back(std::move(field));
    if (i == line.size()) break;
    ++i;  // the delimiter; a line ending in it has one more, empty, field
  }
  return fields;
}

// The cell as a finite double, or nothing.
bool parse_number(const std::string& text, double& value) {
  size_t begin = text.find_first_not_of(" \t");
  size_t end = text.find_last_not_of(" \t");
  if (begin == std::string::npos) return false;
  const char* first = text.data() + begin;
  const char* last = text.data() + end + 1;
  if (*first == '+') {  // from_chars rejects a leading '+'; "+-5" or "++5" stay malformed
    ++first;
    if (first == last || *first == '-' || *first == '+') return false;
  }
  const auto result = std::from_chars(first, last, value);
  return result.ec == std::errc() && result.ptr == last && std::isfinite(value);
}

}  // namespace

CsvTable read_csv(const std::filesystem::path& path, const CsvOptions& options) {
  FULCRUM_CHECK(!options.label_column.empty(), "read_csv: " << path.string() << ": CsvOptions.label_column is empty");
  FULCRUM_CHECK(options.dtype == DType::f32 || options.dtype == DType::f64,
                "read_csv: features are f32 or f64, not " << dtype_name(options.dtype));
  std::error_code error;
  FULCRUM_CHECK(std::filesystem::is_regular_file(path, error), path.string() << ": read_csv: no such file");
  std::ifstream in(path, std::ios::binary);
  FULCRUM_CHECK(in.good(), path.string() << ": read_csv: cannot open the file for reading");

  std::vector<Line> lines;
  std::string text;
  for (int64_t number = 1; std::getline(in, text); ++number) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    lines.push_back({split_line(text, options.delimiter, path, number), number});
  }
  FULCRUM_CHECK(!lines.empty(), path.string() << ": read_csv: empty file, expected a header line of column names");
  const Line& header = lines.front();

  // Column names → field index; names must be unique for the lookup to mean anything.
  std::map<std::string, size_t> index_of;
  for (size_t f = 0; f < header.fields.size(); ++f) {
    const Field& field = header.fields[f];
    FULCRUM_CHECK(index_of.emplace(field.text, f).second,
                  where(path, header.number, field.column) << ": read_csv: column name \"" << field.text
                                                           << "\" appears twice in the header");
  }
  auto column = [&](const std::string& name, const char* role) {
    const auto found = index_of.find(name);
    if (found == index_of.end()) {
      std::ostringstream names;
      for (size_t f = 0; f < header.fields.size(); ++f) names << (f ? ", " : "") << header.fields[f].text;
      FULCRUM_FAIL(where(path, header.number, 1) << ": read_csv: no " << role << " column \"" << name
                                                 << "\" in the header (columns: " << names.str() << ")");
    }
    return found->second;
  };
  const size_t label = column(options.label_column, "label");
  const bool filtering = !options.filter_column.empty();
  const size_t filter = filtering ? column(options.filter_column, "filter") : 0;
  std::vector<size_t> features;
  CsvTable table;
  if (options.feature_columns.empty()) {
    for (size_t f = 0; f < header.fields.size(); ++f) {
      if (f != label && !(filtering && f == filter)) features.push_back(f);
    }
  } else {
    for (const std::string& name : options.feature_columns) features.push_back(column(name, "feature"));
  }
  for (size_t f : features) table.feature_names.push_back(header.fields[f].text);

  // Every row: the right number of fields; the kept ones are parsed below.
  std::vector<const Line*> kept;
  for (size_t l = 1; l < lines.size(); ++l) {
    const Line& line = lines[l];
    if (line.fields.size() != header.fields.size()) {
      const int64_t column_number = line.fields.size() > header.fields.size()
                                        ? line.fields[header.fields.size()].column
                                        : static_cast<int64_t>(1);
      FULCRUM_FAIL(where(path, line.number, column_number)
                   << ": read_csv: row has " << line.fields.size() << " fields, expected " << header.fields.size()
                   << " (as many as the header's columns)");
    }
    if (!filtering || line.fields[filter].text == options.filter_value) kept.push_back(&line);
  }
  if (filtering) {
    FULCRUM_CHECK(!kept.empty(), path.string() << ": read_csv: no row has " << options.filter_column << " == \""
                                               << options.filter_value << "\"");
  }

  // Class names from all rows; numeric order when every label is a number. An empty label is an
  // Error (it would silently become a class "" and turn the order to text order).
  std::set<std::string> distinct;
  for (size_t l = 1; l < lines.size(); ++l) {
    const Field& cell = lines[l].fields[label];
    FULCRUM_CHECK(cell.text.find_first_not_of(" \t") != std::string::npos,
                  where(path, lines[l].number, cell.column) << ": read_csv: the label column \"" << options.label_column
                                                            << "\" is empty in this row; expected a class label");
    distinct.insert(cell.text);
  }
  bool numeric = true;
  std::vector<std::pair<double, std::string>> by_value;
  for (const std::string& name : distinct) {
    double value = 0;
    numeric = numeric && parse_number(name, value);
    by_value.emplace_back(value, name);
  }
  std::map<std::string, int64_t> class_of;
  if (numeric) {
    std::stable_sort(by_value.begin(), by_value.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    // "1" and "1.0" are one class, named by the spelling that sorts first as text.
    for (size_t k = 0; k < by_value.size(); ++k) {
      if (k == 0 || by_value[k].first != by_value[k - 1].first) table.classes.push_back(by_value[k].second);
      class_of[by_value[k].second] = static_cast<int64_t>(table.classes.size()) - 1;
    }
  } else {
    for (const std::string& name : distinct) {
      class_of[name] = static_cast<int64_t>(table.classes.size());
      table.classes.push_back(name);
    }
  }

  const int64_t rows = static_cast<int64_t>(kept.size());
  const int64_t width = static_cast<int64_t>(features.size());
  std::vector<double> values(static_cast<size_t>(rows * width));
  table.targets = Tensor::empty({rows}, DType::i64);
  int64_t* targets = table.targets.data_ptr<int64_t>();
  for (int64_t r = 0; r < rows; ++r) {
    const Line& line = *kept[static_cast<size_t>(r)];
    for (int64_t j = 0; j < width; ++j) {
      const size_t f = features[static_cast<size_t>(j)];
      const Field& cell = line.fields[f];
      double& value = values[static_cast<size_t>(r * width + j)];
      FULCRUM_CHECK(parse_number(cell.text, value), where(path, line.number, cell.column)
                                                         << ": read_csv: field " << f + 1 << " (column \""
                                                         << header.fields[f].text << "\"): expected a finite number, found \""
                                                         << cell.text << "\"");
      FULCRUM_CHECK(options.dtype == DType::f64 || std::isfinite(static_cast<float>(value)),
                    where(path, line.number, cell.column)
                        << ": read_csv: field " << f + 1 << " (column \"" << header.fields[f].text << "\"): \""
                        << cell.text << "\" is beyond the f32 range (±3.4e38); read with dtype f64");
    }
    targets[r] = class_of.at(line.fields[label].text);
  }
  table.features = Tensor::empty({rows, width}, options.dtype);
  if (options.dtype == DType::f64) {
    std::copy(values.begin(), values.end(), table.features.data_ptr<double>());
  } else {
    std::transform(values.begin(), values.end(), table.features.data_ptr<float>(),
                   [](double v) { return static_cast<float>(v); });
  }
  return table;
}

std::shared_ptr<TensorDataset> csv_dataset(const std::filesystem::path& path, const CsvOptions& options) {
  CsvTable table = read_csv(path, options);
  return std::make_shared<TensorDataset>(table.features, table.targets);
}

}  // namespace fulcrum::data
