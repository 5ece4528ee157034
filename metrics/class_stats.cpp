// metrics/class_stats.cpp — class counts, imbalance ratio and the text bar chart (see the header).
#include "metrics/class_stats.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/class_labels.hpp"

namespace fulcrum::metrics {

namespace {
void check_counts(const std::vector<int64_t>& counts, const char* function) {
  FULCRUM_CHECK(!counts.empty(), function << ": no classes (empty count vector)");
  int64_t total = 0;
  for (size_t c = 0; c < counts.size(); ++c) {
    FULCRUM_CHECK(counts[c] >= 0, function << ": class " << c << " has a negative count " << counts[c]);
    total += counts[c];
  }
  FULCRUM_CHECK(total > 0, function << ": every class count is 0 (no samples)");
}

size_t display_width(const std::string& text) {  // code points, not bytes ("█" is 3 bytes)
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}
}  // namespace

double imbalance_ratio(const std::vector<int64_t>& counts) {
  check_counts(counts, "imbalance_ratio");
  const auto [smallest, largest] = std::minmax_element(counts.begin(), counts.end());
  return *smallest == 0 ? INFINITY : static_cast<double>(*largest) / static_cast<double>(*smallest);
}

ClassStats class_stats(const std::vector<int64_t>& counts) {
  check_counts(counts, "class_stats");
  ClassStats stats;
  stats.counts = counts;
  for (int64_t count : counts) stats.total += count;
  for (int64_t count : counts) stats.fractions.push_back(static_cast<double>(count) / static_cast<double>(stats.total));
  stats.majority_class = std::max_element(counts.begin(), counts.end()) - counts.begin();  // first maximum
  stats.minority_class = std::min_element(counts.begin(), counts.end()) - counts.begin();  // first minimum
  stats.imbalance_ratio = imbalance_ratio(counts);
  return stats;
}

ClassStats class_stats(const Tensor& labels, int64_t num_classes) {
  return class_stats(fulcrum::class_counts(labels, num_classes));
}

std::string class_distribution_chart(const std::vector<int64_t>& counts, const ClassChartOptions& options) {
  check_counts(counts, "class_distribution_chart");
  FULCRUM_CHECK(options.width >= 1, "class_distribution_chart: width must be ≥ 1, got " << options.width);
  FULCRUM_CHECK(options.class_names.empty() || options.class_names.size() == counts.size(),
                "class_distribution_chart: " << options.class_names.size() << " class_names for " << counts.size()
                                             << " classes");
  FULCRUM_CHECK(!options.bar_symbol.empty(), "class_distribution_chart: bar_symbol is empty");
  std::vector<std::string> names(counts.size());
  size_t name_width = 0;
  for (size_t c = 0; c < counts.size(); ++c) {
    names[c] = options.class_names.empty() ? std::to_string(c) : options.class_names[c];
    name_width = std::max(name_width, display_width(names[c]));
  }
  const double largest = static_cast<double>(*std::max_element(counts.begin(), counts.end()));
  auto scale = [&](double n) { return options.log_scale ? std::log10(1 + n) : n; };
  std::string chart;
  for (size_t c = 0; c < counts.size(); ++c) {
    const double n = static_cast<double>(counts[c]);
    int64_t length = static_cast<int64_t>(std::floor(static_cast<double>(options.width) * scale(n) / scale(largest) + 0.5));
    if (counts[c] > 0) length = std::max<int64_t>(length, 1);
    chart += names[c];
    chart.append(name_width - display_width(names[c]), ' ');
    chart += ' ';
    for (int64_t i = 0; i < length; ++i) chart += options.bar_symbol;
    chart.append(" ").append(std::to_string(counts[c])).append("\n");
  }
  return chart;
}

}  // namespace fulcrum::metrics
