// data/csv.cpp — read_csv in one streaming pass. The header line gives the column layout
// (Columns); every later line is split in place — fields are string_views into one reused line
// buffer, quotes undone by compacting the buffer — and only what the table keeps is stored: the
// parsed feature numbers and one label id per kept row. Peak memory is therefore about the
// feature tensor's size (see Chunks), not many times the file's text (measured on a 50 MB file
// of 520k rows × 10 numbers: 425 MB before, when every field was a std::string). At the end the
// distinct labels are sorted into classes.
#include "data/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string_view>

#include "core/error.hpp"
#include "data/printable.hpp"

namespace fulcrum::data {
namespace {

struct Field {
  std::string_view text;
  int64_t column;  // 1-based character position of the field's first character
};

std::string where(const std::filesystem::path& path, int64_t line, int64_t column) {
  std::string text = path.string();
  text.append(":").append(std::to_string(line)).append(":").append(std::to_string(column));
  return text;
}

// Splits `line` (without its line end) into `fields`; quotes as in the header comment. A quoted
// field is unescaped in place: the bytes are moved left inside `line` (writing never overtakes
// reading), so each field's text is a view into `line`.
void split_line(std::string& line, char delimiter, const std::filesystem::path& path, int64_t number,
                std::vector<Field>& fields) {
  fields.clear();
  size_t read = 0, write = 0;
  while (true) {
    const size_t start = write;
    const int64_t column = static_cast<int64_t>(read) + 1;
    if (read < line.size() && line[read] == '"') {
      ++read;
      while (true) {
        FULCRUM_CHECK(read < line.size(), where(path, number, column)
                                              << ": read_csv: quoted field is not closed before the end of the line "
                                              << "(expected a closing \"; line breaks inside quotes are not supported)");
        if (line[read] == '"') {
          if (read + 1 < line.size() && line[read + 1] == '"') {  // "" stands for one quote
            line[write++] = '"';
            read += 2;
            continue;
          }
          ++read;
          break;
        }
        line[write++] = line[read++];
      }
      FULCRUM_CHECK(read == line.size() || line[read] == delimiter,
                    where(path, number, static_cast<int64_t>(read) + 1)
                        << ": read_csv: expected '" << delimiter << "' or the line end after a quoted field, found '"
                        << escaped(std::string_view(line).substr(read, 1)) << "'");
    } else {
      while (read < line.size() && line[read] != delimiter) line[write++] = line[read++];
    }
    fields.push_back({std::string_view(line).substr(start, write - start), column});
    if (read == line.size()) break;
    ++read;  // the delimiter; a line ending in it has one more, empty, field
    ++write;
  }
}

// The cell as a finite double, or nothing.
bool parse_number(std::string_view text, double& value) {
  const size_t begin = text.find_first_not_of(" \t");
  const size_t end = text.find_last_not_of(" \t");
  if (begin == std::string_view::npos) return false;
  const char* first = text.data() + begin;
  const char* last = text.data() + end + 1;
  if (*first == '+') {  // from_chars rejects a leading '+'; "+-5" or "++5" stay malformed
    ++first;
    if (first == last || *first == '-' || *first == '+') return false;
  }
#if defined(_LIBCPP_VERSION) && _LIBCPP_VERSION < 170000
  // libc++ before 17 has no floating-point from_chars; only the clang fuzz build (tests/fuzz)
  // uses it. strtod on a copy restricted to the characters of a decimal number ("inf", "nan"
  // and hex floats, which from_chars also refuses or isfinite rejects, cannot get through).
  const std::string copy(first, last);
  if (copy.find_first_not_of("0123456789.eE+-") != std::string::npos) return false;
  char* stop = nullptr;
  value = std::strtod(copy.c_str(), &stop);
  return stop == copy.c_str() + copy.size() && std::isfinite(value);
#else
  const auto result = std::from_chars(first, last, value);
  return result.ec == std::errc() && result.ptr == last && std::isfinite(value);
#endif
}

bool is_blank(std::string_view text) { return text.find_first_not_of(" \t") == std::string_view::npos; }

// Reads the next non-blank line into `line` (without its '\r'), counting every line read in
// `number`; false at the end of the file. `strip_bom`: drop a UTF-8 byte-order mark from line 1
// (Excel writes one).
bool next_line(std::istream& in, std::string& line, int64_t& number, bool strip_bom = false) {
  while (std::getline(in, line)) {
    ++number;
    if (strip_bom && number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!is_blank(line)) return true;
  }
  return false;
}

// The header: column names and which of them are the label, the filter and the features.
struct Columns {
  std::vector<std::string> names;
  int64_t line = 0;
  size_t label = 0, filter = 0;
  bool filtering = false;
  std::vector<size_t> features;
};

Columns read_header(const std::vector<Field>& fields, int64_t line, const std::filesystem::path& path,
                    const CsvOptions& options) {
  Columns columns;
  columns.line = line;
  std::map<std::string, size_t, std::less<>> index_of;  // names must be unique for the lookup to mean anything
  for (size_t f = 0; f < fields.size(); ++f) {
    columns.names.emplace_back(fields[f].text);
    FULCRUM_CHECK(index_of.emplace(columns.names.back(), f).second,
                  where(path, line, fields[f].column) << ": read_csv: column name " << printable(fields[f].text)
                                                      << " appears twice in the header");
  }
  auto find = [&](const std::string& name, const char* role) {
    const auto found = index_of.find(name);
    if (found == index_of.end()) {
      std::string list;  // the first 20 names, each escaped and cut to 40 bytes
      for (size_t f = 0; f < columns.names.size() && f < 20; ++f) list.append(f ? ", " : "").append(escaped(columns.names[f]));
      if (columns.names.size() > 20) list.append(", … (").append(std::to_string(columns.names.size())).append(" in all)");
      FULCRUM_FAIL(where(path, line, 1) << ": read_csv: no " << role << " column " << printable(name)
                                        << " in the header (columns: " << list << ")");
    }
    return found->second;
  };
  columns.label = find(options.label_column, "label");
  columns.filtering = !options.filter_column.empty();
  columns.filter = columns.filtering ? find(options.filter_column, "filter") : 0;
  if (options.feature_columns.empty()) {
    for (size_t f = 0; f < fields.size(); ++f) {
      if (f != columns.label && !(columns.filtering && f == columns.filter)) columns.features.push_back(f);
    }
  } else {
    for (const std::string& name : options.feature_columns) columns.features.push_back(find(name, "feature"));
  }
  return columns;
}

// Label texts → ids in order of first appearance (over all rows, kept or not).
struct Labels {
  std::map<std::string, int64_t, std::less<>> id_of;
  std::vector<std::string> texts;  // by id
  int64_t intern(std::string_view text) {
    const auto found = id_of.find(text);
    if (found != id_of.end()) return found->second;
    texts.emplace_back(text);
    id_of.emplace(texts.back(), static_cast<int64_t>(texts.size()) - 1);
    return static_cast<int64_t>(texts.size()) - 1;
  }
};

// classes (sorted: numerically when every label is a number, "1" and "1.0" one class named by the
// spelling that sorts first as text; otherwise as byte strings) and each label id's class.
std::vector<int64_t> sort_classes(const Labels& labels, std::vector<std::string>& classes) {
  std::vector<int64_t> by_text(labels.texts.size());  // ids in text order
  for (size_t i = 0; i < by_text.size(); ++i) by_text[i] = static_cast<int64_t>(i);
  std::sort(by_text.begin(), by_text.end(), [&](int64_t a, int64_t b) { return labels.texts[a] < labels.texts[b]; });
  std::vector<double> value(labels.texts.size());
  bool numeric = true;
  for (size_t i = 0; i < labels.texts.size(); ++i) numeric = numeric && parse_number(labels.texts[i], value[i]);
  if (numeric) std::stable_sort(by_text.begin(), by_text.end(), [&](int64_t a, int64_t b) { return value[a] < value[b]; });
  std::vector<int64_t> class_of(labels.texts.size());
  for (size_t k = 0; k < by_text.size(); ++k) {
    const int64_t id = by_text[k];
    if (k == 0 || !numeric || value[id] != value[by_text[k - 1]]) classes.push_back(labels.texts[id]);
    class_of[id] = static_cast<int64_t>(classes.size()) - 1;
  }
  return class_of;
}

// The parsed features, in chunks of about 1 Mi values: copied into the tensor at the end one
// chunk at a time, each freed right after, so the peak is about the tensor plus one chunk
// (one growing vector would need the tensor plus the whole vector, and its regrowth copies).
template <typename T> struct Chunks {
  static constexpr size_t kValues = size_t{1} << 20;
  std::vector<std::vector<T>> chunks;
  void push_back(T value) {
    if (chunks.empty() || chunks.back().size() == kValues) chunks.emplace_back().reserve(kValues);
    chunks.back().push_back(value);
  }
  void move_to(T* out) {
    for (std::vector<T>& chunk : chunks) {
      out = std::copy(chunk.begin(), chunk.end(), out);
      std::vector<T>().swap(chunk);
    }
  }
};

// Parses row `fields`' feature cells onto the end of `values` (f32 or f64 as asked).
template <typename T>
void parse_features(const std::vector<Field>& fields, const Columns& columns, int64_t line,
                    const std::filesystem::path& path, Chunks<T>& values) {
  for (size_t f : columns.features) {
    const Field& cell = fields[f];
    double value = 0;
    FULCRUM_CHECK(parse_number(cell.text, value), where(path, line, cell.column)
                                                      << ": read_csv: field " << f + 1 << " (column "
                                                      << printable(columns.names[f]) << "): expected a finite number, found "
                                                      << printable(cell.text));
    FULCRUM_CHECK(std::isfinite(static_cast<T>(value)),
                  where(path, line, cell.column) << ": read_csv: field " << f + 1 << " (column "
                                                 << printable(columns.names[f]) << "): " << printable(cell.text)
                                                 << " is beyond the f32 range (±3.4e38); read with dtype f64");
    values.push_back(static_cast<T>(value));
  }
}

// What every row must have, whether or not the filter keeps it: as many fields as the header has
// columns, and a label. Returns the label cell.
const Field& check_row(const std::vector<Field>& fields, const Columns& columns, int64_t line,
                       const std::filesystem::path& path, const CsvOptions& options) {
  if (fields.size() != columns.names.size()) {
    const int64_t column = fields.size() > columns.names.size() ? fields[columns.names.size()].column : 1;
    FULCRUM_FAIL(where(path, line, column) << ": read_csv: row has " << fields.size() << " fields, expected "
                                           << columns.names.size() << " (as many as the header's columns)");
  }
  const Field& label = fields[columns.label];
  FULCRUM_CHECK(!is_blank(label.text), where(path, line, label.column)
                                           << ": read_csv: the label column " << printable(options.label_column)
                                           << " is empty in this row; expected a class label");
  return label;
}

// The table from what the rows left: feature names in tensor order, the sorted classes, targets
// (each kept row's label id mapped to its class) and the features, moved chunk by chunk.
template <typename T>
CsvTable make_table(const Columns& columns, const Labels& labels, const std::vector<int64_t>& row_labels,
                    Chunks<T>& values, DType dtype) {
  CsvTable table;
  for (size_t f : columns.features) table.feature_names.push_back(columns.names[f]);
  const std::vector<int64_t> class_of = sort_classes(labels, table.classes);
  const auto rows = static_cast<int64_t>(row_labels.size());
  table.targets = Tensor::empty({rows}, DType::i64);
  std::transform(row_labels.begin(), row_labels.end(), table.targets.data_ptr<int64_t>(),
                 [&](int64_t id) { return class_of[static_cast<size_t>(id)]; });
  table.features = Tensor::empty({rows, static_cast<int64_t>(columns.features.size())}, dtype);
  values.move_to(table.features.data_ptr<T>());
  return table;
}

// The rows after the header: each is checked, its label interned (every row's label is a class,
// kept or not), and, when the filter keeps it, its features parsed. T: f32 or f64.
template <typename T>
CsvTable read_rows(std::istream& in, const std::filesystem::path& path, const CsvOptions& options,
                   const Columns& columns, int64_t number) {
  Labels labels;
  std::vector<int64_t> row_labels;  // label id per kept row
  Chunks<T> values;
  std::string line;
  std::vector<Field> fields;
  while (next_line(in, line, number)) {
    split_line(line, options.delimiter, path, number, fields);
    const int64_t id = labels.intern(check_row(fields, columns, number, path, options).text);
    if (columns.filtering && fields[columns.filter].text != options.filter_value) continue;
    parse_features(fields, columns, number, path, values);
    row_labels.push_back(id);
  }
  FULCRUM_CHECK(!columns.filtering || !row_labels.empty(),
                path.string() << ": read_csv: no row has " << escaped(options.filter_column) << " == "
                              << printable(options.filter_value));
  return make_table(columns, labels, row_labels, values, options.dtype);
}

// Opens `path` after checking the options read_csv needs.
std::ifstream open_csv(const std::filesystem::path& path, const CsvOptions& options) {
  FULCRUM_CHECK(!options.label_column.empty(), "read_csv: " << path.string() << ": CsvOptions.label_column is empty");
  FULCRUM_CHECK(options.dtype == DType::f32 || options.dtype == DType::f64,
                "read_csv: features are f32 or f64, not " << dtype_name(options.dtype));
  std::error_code error;
  FULCRUM_CHECK(std::filesystem::is_regular_file(path, error), path.string() << ": read_csv: no such file");
  std::ifstream in(path, std::ios::binary);
  FULCRUM_CHECK(in.good(), path.string() << ": read_csv: cannot open the file for reading");
  return in;
}

}  // namespace

CsvTable read_csv(const std::filesystem::path& path, const CsvOptions& options) {
  std::ifstream in = open_csv(path, options);
  // The header: the first non-blank line, without a UTF-8 byte-order mark.
  std::string line;
  std::vector<Field> fields;
  int64_t number = 0;
  FULCRUM_CHECK(next_line(in, line, number, /*strip_bom=*/true),
                path.string() << ": read_csv: empty file, expected a header line of column names");
  split_line(line, options.delimiter, path, number, fields);
  const Columns columns = read_header(fields, number, path, options);
  return options.dtype == DType::f64 ? read_rows<double>(in, path, options, columns, number)
                                     : read_rows<float>(in, path, options, columns, number);
}

std::shared_ptr<TensorDataset> csv_dataset(const std::filesystem::path& path, const CsvOptions& options) {
  CsvTable table = read_csv(path, options);
  return std::make_shared<TensorDataset>(table.features, table.targets);
}

}  // namespace fulcrum::data
