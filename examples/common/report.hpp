// examples/common/report.hpp — the study's report: reads the run store that `reproduce` fills
// (OUT/runs/expNN/VARIANT/seedS/, the files study::main writes), averages over seeds and writes
// OUT/results.csv (one row per run and epoch), OUT/report.md (tables, published figures beside
// ours) and the PNG plots (plots.cpp, gnuplot). The runner itself is examples/reproduce.cpp.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 8 (Table 8.1).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace study::report {

// One experiment of the study as the runner and the report know it.
struct ExperimentInfo {
  int number = 0;           // docs/REPRODUCTION.md's row
  std::string program;      // the example, e.g. "exp07_class_weights"
  std::string title;
  std::string data;         // what it trains on
  double minutes_full = 0;  // expected wall time of one seed, full protocol, 2 cores
  std::vector<std::string> variants;  // from the program's --list-variants, in its order
};

// A published figure to stand beside ours (docs/REPRODUCTION.md); NaN where not given.
struct Published {
  int experiment;
  std::string series;               // our variant it corresponds to
  std::string source;               // e.g. "book Table 8.1"
  std::vector<double> per_class;    // [10] in %, NaN where the source gives none
  double overall;                   // %
};
const std::vector<Published>& published_figures();

// A table of numbers with named columns, as read from one CSV file.
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  int column(const std::string& name) const;  // −1 when absent
  double number(size_t row, const std::string& name) const;
};
Table read_csv_table(const std::string& path);  // an empty Table when the file is absent

// One finished run: one (experiment, variant, seed).
struct RunResult {
  int experiment = 0;
  std::string variant;
  uint64_t seed = 0;
  std::string status;                             // "ok" or "diverged: …"
  double wall_seconds = 0;
  Table epochs;                                   // VARIANT.epochs.csv
  Table summary;                                  // VARIANT.summary.csv
  std::vector<std::vector<double>> confusion;     // best epoch's, rows = true class
};
std::vector<RunResult> load_runs(const std::string& out_dir, const std::vector<ExperimentInfo>& experiments);

// The store's folder of one run, and the file that marks it finished (holds its configuration).
std::string run_dir(const std::string& out_dir, int experiment, const std::string& variant, uint64_t seed);
std::string done_marker(const std::string& run_directory);

struct ReportContext {
  std::string out_dir;
  std::string data_dir;
  bool quick = false;
  int seeds = 0;
  std::string command;   // how the study was started
  std::string machine;   // CPU model and cores
};

// results.csv, report.md and (when gnuplot exists) the plots; returns the report's path.
std::string write_report(const ReportContext& context, const std::vector<ExperimentInfo>& experiments,
                         const std::vector<RunResult>& runs);

// Mean and sample standard deviation (0 for one value) of `values`.
struct MeanStd {
  double mean = 0, std = 0;
  size_t n = 0;
};
MeanStd mean_std(const std::vector<double>& values);

// Plots (plots.cpp). Each writes OUT/NAME.png via a gnuplot script OUT/plots/NAME.gp and returns
// the PNG's file name, or "" when gnuplot failed (the report then says so).
bool gnuplot_available();
struct Series {
  std::string name;
  std::vector<double> x, y;
};
std::string plot_lines(const std::string& out_dir, const std::string& name, const std::string& title,
                       const std::string& xlabel, const std::string& ylabel, const std::vector<Series>& series,
                       bool log_x = false);
// Grouped bars: one group per class, one bar per series (values in %).
std::string plot_grouped_bars(const std::string& out_dir, const std::string& name, const std::string& title,
                              const std::vector<std::string>& series_names,
                              const std::vector<std::vector<double>>& values_per_series);
// A row-normalised confusion matrix as a heat map.
std::string plot_heatmap(const std::string& out_dir, const std::string& name, const std::string& title,
                         const std::vector<std::vector<double>>& confusion);

}  // namespace study::report
