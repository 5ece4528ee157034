// metrics/class_stats.hpp — how imbalanced a label set is: counts and fractions per class, the
// imbalance ratio n_max / n_min, and a text bar chart of the class distribution (the book's first
// figure, one line per class). Counts come from fulcrum::class_counts (core/class_labels.hpp, from
// a label tensor or vector) or data::class_counts (from a Dataset); both give std::vector<int64_t>.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 6.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum::metrics {

struct ClassStats {
  std::vector<int64_t> counts;
  std::vector<double> fractions;   // n_c / N
  int64_t total = 0;               // N = Σ n_c
  int64_t majority_class = 0;      // first class with the largest count
  int64_t minority_class = 0;      // first class with the smallest count
  double imbalance_ratio = 0;      // n_max / n_min (+inf if a class has 0 samples)
};
// counts: at least one class, every n_c ≥ 0, N > 0.
ClassStats class_stats(const std::vector<int64_t>& counts);
// From i64 labels in [0, num_classes) (Error naming an out-of-range label).
ClassStats class_stats(const Tensor& labels, int64_t num_classes);

// ρ = n_max / n_min, the ratio of the long-tail and step profiles (data/imbalance.hpp). A class
// with 0 samples makes the ratio +infinity — the set is infinitely imbalanced (the class can
// never be learnt), and an infinity prints visibly as "inf"; an empty or all-zero count vector
// is an Error.
double imbalance_ratio(const std::vector<int64_t>& counts);

struct ClassChartOptions {
  int64_t width = 50;                    // characters of the longest bar
  std::vector<std::string> class_names = {};  // one per class; empty → the class index
  bool log_scale = false;                // bar ∝ log10(1 + n) instead of n
  std::string bar_symbol = "█";          // "#" for plain-ASCII terminals
};

// One line per class: the name left-aligned to the longest name, a space, the bar, a space, the
// count. Bar length = round(width · n / n_max) (log scale: round(width · log10(1+n) /
// log10(1+n_max))), at least 1 for any n > 0 so that a rare class stays visible, 0 for n = 0:
//   0 ██████████████████████████████████████████████████ 5923
//   1 ██████████████████████████████ 3597
//   9 █ 60
std::string class_distribution_chart(const std::vector<int64_t>& counts, const ClassChartOptions& options = {});

}  // namespace fulcrum::metrics
