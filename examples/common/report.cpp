// examples/common/report.cpp — reading the run store, averaging over seeds, results.csv and
// report.md (see report.hpp). The plots are drawn by plots.cpp.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 8 (Table 8.1).
#include "examples/common/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/error.hpp"

namespace study::report {

namespace fs = std::filesystem;
namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr int num_classes = 10;
}  // namespace

const std::vector<Published>& published_figures() {
  static const std::vector<Published> figures = {
      {7, "plain", "book, class weighting (≈)", {nan, nan, nan, nan, nan, nan, nan, nan, 53, 40}, 84.6},
      {7, "weighted", "book, class weighting (≈)", {nan, nan, nan, nan, nan, nan, nan, nan, 88, 82}, 93.6},
      {10, "cross_entropy", "book Table 8.1", {99.9, 99.6, 98.1, 96.8, 97.7, 94.2, 92.8, 81.2, 63.6, 49.1}, 87.4},
      {10, "cb_softmax", "book Table 8.1 (β = 0.9999)", {99.0, 99.0, 97.3, 94.7, 97.5, 97.4, 98.3, 94.3, 93.8, 91.4}, 96.3},
  };
  return figures;
}

int Table::column(const std::string& name) const {
  const auto it = std::find(columns.begin(), columns.end(), name);
  return it == columns.end() ? -1 : static_cast<int>(it - columns.begin());
}

double Table::number(size_t row, const std::string& name) const {
  const int c = column(name);
  if (c < 0 || row >= rows.size() || static_cast<size_t>(c) >= rows[row].size()) return nan;
  try {
    return std::stod(rows[row][static_cast<size_t>(c)]);
  } catch (const std::exception&) {
    return nan;
  }
}

namespace {

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> cells;
  std::stringstream stream(line);
  std::string cell;
  while (std::getline(stream, cell, separator)) cells.push_back(cell);
  return cells;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Table read_csv_table(const std::string& path) {
  Table table;
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return table;
  table.columns = split(line, ',');
  while (std::getline(in, line))
    if (!line.empty()) table.rows.push_back(split(line, ','));
  return table;
}

std::string run_dir(const std::string& out_dir, int experiment, const std::string& variant, uint64_t seed) {
  char number[8];
  std::snprintf(number, sizeof number, "%02d", experiment);
  return out_dir + "/runs/exp" + number + "/" + variant + "/seed" + std::to_string(seed);
}

std::string done_marker(const std::string& run_directory) { return run_directory + "/done.txt"; }

std::vector<RunResult> load_runs(const std::string& out_dir, const std::vector<ExperimentInfo>& experiments) {
  std::vector<RunResult> runs;
  for (const ExperimentInfo& info : experiments) {
    for (const std::string& variant : info.variants) {
      const fs::path variant_dir = fs::path(run_dir(out_dir, info.number, variant, 0)).parent_path();
      if (!fs::is_directory(variant_dir)) continue;
      std::vector<fs::path> seed_dirs;
      for (const fs::directory_entry& entry : fs::directory_iterator(variant_dir)) seed_dirs.push_back(entry.path());
      std::sort(seed_dirs.begin(), seed_dirs.end());
      for (const fs::path& dir : seed_dirs) {
        if (!fs::exists(done_marker(dir.string()))) continue;  // unfinished: not a result
        RunResult run;
        run.experiment = info.number;
        run.variant = variant;
        run.seed = std::stoull(dir.filename().string().substr(4));
        std::string status = read_text(dir / (variant + ".status"));
        while (!status.empty() && status.back() == '\n') status.pop_back();
        run.status = status;
        for (const std::string& line : split(read_text(done_marker(dir.string())), '\n'))
          if (line.rfind("wall_seconds=", 0) == 0) run.wall_seconds = std::stod(line.substr(13));
        run.epochs = read_csv_table((dir / (variant + ".epochs.csv")).string());
        run.summary = read_csv_table((dir / (variant + ".summary.csv")).string());
        std::ifstream confusion(dir / (variant + ".confusion.csv"));
        std::string line;
        while (std::getline(confusion, line)) {
          std::vector<double> row;
          for (const std::string& cell : split(line, ',')) row.push_back(std::stod(cell));
          run.confusion.push_back(row);
        }
        runs.push_back(std::move(run));
      }
    }
  }
  return runs;
}

MeanStd mean_std(const std::vector<double>& values) {
  MeanStd result;
  result.n = values.size();
  if (values.empty()) return {nan, nan, 0};
  for (double v : values) result.mean += v;
  result.mean /= static_cast<double>(values.size());
  if (values.size() > 1) {
    double squares = 0;
    for (double v : values) squares += (v - result.mean) * (v - result.mean);
    result.std = std::sqrt(squares / static_cast<double>(values.size() - 1));
  }
  return result;
}

namespace {

const std::vector<std::string> metric_columns = {"accuracy", "macro_f1", "balanced_accuracy", "g_mean"};

std::string class_column(int c) { return "acc_" + std::to_string(c); }

// "87.4 ± 1.2" (in %), or "87.4" for one seed.
std::string cell(const MeanStd& m) {
  if (m.n == 0 || std::isnan(m.mean)) return "–";
  char text[48];
  if (m.n > 1) std::snprintf(text, sizeof text, "%.1f ± %.1f", 100 * m.mean, 100 * m.std);
  else std::snprintf(text, sizeof text, "%.1f", 100 * m.mean);
  return text;
}

// Every (series, kind) of one experiment in first-seen order, with its per-seed rows.
struct Aggregate {
  std::string series, kind;
  std::vector<const RunResult*> runs;
  std::vector<size_t> rows;  // the row of each run's summary
  MeanStd of(const std::string& column) const {
    std::vector<double> values;
    for (size_t i = 0; i < runs.size(); ++i) values.push_back(runs[i]->summary.number(rows[i], column));
    return mean_std(values);
  }
};

std::vector<Aggregate> aggregate(const std::vector<const RunResult*>& runs) {
  std::vector<Aggregate> groups;
  for (const RunResult* run : runs) {
    for (size_t r = 0; r < run->summary.rows.size(); ++r) {
      const std::string series = run->summary.rows[r][0], kind = run->summary.rows[r][1];
      auto it = std::find_if(groups.begin(), groups.end(),
                             [&](const Aggregate& g) { return g.series == series && g.kind == kind; });
      if (it == groups.end()) it = groups.insert(groups.end(), Aggregate{series, kind, {}, {}});
      it->runs.push_back(run);
      it->rows.push_back(r);
    }
  }
  return groups;
}

void write_table(std::ostream& md, const std::vector<Aggregate>& groups, const std::string& kind) {
  md << "| series | epoch | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | overall | macro-F1 | bal. acc. | G-mean | seeds |\n"
     << "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const Aggregate& g : groups) {
    if (g.kind != kind) continue;
    const MeanStd epoch = g.of("epoch");
    char epoch_text[32];
    std::snprintf(epoch_text, sizeof epoch_text, "%.1f", epoch.mean);
    md << "| " << g.series << " | " << epoch_text;
    for (int c = 0; c < num_classes; ++c) md << " | " << cell(g.of(class_column(c)));
    for (const std::string& m : metric_columns) md << " | " << cell(g.of(m));
    md << " | " << g.runs.size() << " |\n";
  }
  md << "\n";
}

void write_published(std::ostream& md, int experiment, const std::vector<Aggregate>& groups) {
  bool header = false;
  for (const Published& p : published_figures()) {
    if (p.experiment != experiment) continue;
    if (!header) {
      md << "Published figures beside ours (ours: mean over seeds; the difference is ours − published, "
            "in points; the book picks the best epoch on the test set):\n\n"
         << "| series | source | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | overall |\n"
         << "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
      header = true;
    }
    auto text = [](double v) {
      if (std::isnan(v)) return std::string("–");
      char t[16];
      std::snprintf(t, sizeof t, "%.1f", v);
      return std::string(t);
    };
    md << "| " << p.series << " | " << p.source;
    for (double v : p.per_class) md << " | " << text(v);
    md << " | " << text(p.overall) << " |\n";
    for (const std::string kind : {"best", "last"}) {
      const auto g = std::find_if(groups.begin(), groups.end(),
                                  [&](const Aggregate& a) { return a.series == p.series && a.kind == kind; });
      if (g == groups.end()) continue;
      md << "| " << p.series << " | ours, " << kind << " epoch";
      for (int c = 0; c < num_classes; ++c) md << " | " << cell(g->of(class_column(c)));
      md << " | " << cell(g->of("accuracy")) << " |\n";
      md << "| " << p.series << " | difference (" << kind << ")";
      for (int c = 0; c < num_classes; ++c) {
        const double d = std::isnan(p.per_class[c]) ? nan : 100 * g->of(class_column(c)).mean - p.per_class[c];
        md << " | ";
        if (std::isnan(d)) md << "–";
        else md << (d >= 0 ? "+" : "") << text(d);
      }
      const double d = 100 * g->of("accuracy").mean - p.overall;
      md << " | " << (d >= 0 ? "+" : "") << text(d) << " |\n";
    }
  }
  if (header) md << "\n";
}

void write_results_csv(const std::string& path, const std::vector<RunResult>& runs) {
  std::ofstream csv(path, std::ios::trunc);
  csv << "experiment,variant,seed,status,series,kind,epoch,train_loss,seconds,lr,accuracy,macro_f1,"
         "balanced_accuracy,g_mean";
  for (int c = 0; c < num_classes; ++c) csv << ",acc_" << c;
  csv << "\n";
  const std::vector<std::string> epoch_columns = {"epoch", "train_loss", "seconds", "lr", "accuracy", "macro_f1",
                                                  "balanced_accuracy", "g_mean"};
  for (const RunResult& run : runs) {
    const std::string status = run.status.rfind("ok", 0) == 0 ? "ok" : "diverged";
    const std::string prefix = std::to_string(run.experiment) + "," + run.variant + "," + std::to_string(run.seed) + "," + status + ",";
    for (const std::vector<std::string>& row : run.epochs.rows) {
      csv << prefix << run.variant << ",epoch";
      for (const std::string& name : epoch_columns) {
        const int c = run.epochs.column(name);
        csv << "," << (c >= 0 && static_cast<size_t>(c) < row.size() ? row[static_cast<size_t>(c)] : "");
      }
      for (int k = 0; k < num_classes; ++k) {
        const int c = run.epochs.column(class_column(k));
        csv << "," << (c >= 0 && static_cast<size_t>(c) < row.size() ? row[static_cast<size_t>(c)] : "");
      }
      csv << "\n";
    }
    for (size_t r = 0; r < run.summary.rows.size(); ++r) {
      if (run.summary.rows[r][1] != "post-hoc") continue;
      csv << prefix << run.summary.rows[r][0] << ",post-hoc," << run.summary.rows[r][2] << ",,,";
      for (const std::string& m : metric_columns) csv << "," << run.summary.rows[r][static_cast<size_t>(run.summary.column(m))];
      for (int k = 0; k < num_classes; ++k) csv << "," << run.summary.rows[r][static_cast<size_t>(run.summary.column(class_column(k)))];
      csv << "\n";
    }
  }
  FULCRUM_CHECK(csv.good(), "reproduce: cannot write " << path);
}

// The plots of one experiment; returns Markdown image lines.
std::string experiment_plots(const std::string& out_dir, const ExperimentInfo& info,
                             const std::vector<const RunResult*>& runs, const std::vector<Aggregate>& groups);

}  // namespace

std::string write_report(const ReportContext& context, const std::vector<ExperimentInfo>& experiments,
                         const std::vector<RunResult>& runs) {
  write_results_csv(context.out_dir + "/results.csv", runs);
  const bool plots = gnuplot_available();
  double total_seconds = 0;
  for (const RunResult& run : runs) total_seconds += run.wall_seconds;

  std::ostringstream md;
  md << "# Fulcrum's reproduction study\n\n"
     << "Written by `reproduce` from the runs in `runs/` (one folder per experiment, variant and seed; "
     << "`results.csv` has every epoch of every run).\n\n"
     << "- protocol: " << (context.quick ? "**quick smoke mode** (3 epochs, n_max 2000, 2,000 test images) — not a result"
                                         : "the book's — Kumar Abhishek and Dr. Mounir Abdelaziz, *Machine Learning for Imbalanced "
                                           "Data* (Packt, 2023), chapters 6 and 8; docs/REPRODUCTION.md: MNIST-LT ratio 100, "
                                           "the Net, SGD lr 0.01 momentum 0.5, batch 64")
     << "\n- data: `" << context.data_dir << "`\n- seeds requested: " << context.seeds
     << " (the `seeds` column of each table says how many finished)\n- machine: " << context.machine
     << "\n- wall time of the runs: " << static_cast<long long>(total_seconds / 60) << " min (sum over "
     << runs.size() << " runs)\n- command: `" << context.command << "`\n\n"
     << "**Best and last epoch.** The book reports the best test accuracy over the epochs and the per-class "
        "accuracy at the first epoch reaching it: that selects the epoch on the test set, an optimistic "
        "figure. The last epoch is the fair one; both are given. Per-class accuracy is the recall of each "
        "class; cells are mean ± sample standard deviation over seeds, in %.\n\n";
  if (!plots) md << "*Plots skipped: gnuplot was not found (`apt-get install gnuplot-nox`); every table is here.*\n\n";

  for (const ExperimentInfo& info : experiments) {
    std::vector<const RunResult*> mine;
    for (const RunResult& run : runs)
      if (run.experiment == info.number) mine.push_back(&run);
    md << "## Experiment " << info.number << " — " << info.title << "\n\n";
    if (mine.empty()) {
      md << "No finished run yet (`reproduce --only " << info.number << "`).\n\n";
      continue;
    }
    md << "Program: `examples/" << info.program << ".cpp`; data: " << info.data << ".\n\n";
    // A diverged run is named here and left out of every table and plot: its last finite
    // epochs are not a result.
    std::vector<const RunResult*> finished;
    for (const RunResult* run : mine) {
      if (run->status.rfind("ok", 0) == 0) finished.push_back(run);
      else md << "- **" << run->variant << ", seed " << run->seed << ": " << run->status
              << "** — left out of the tables and plots.\n";
    }
    if (finished.size() < mine.size()) md << "\n";
    mine = finished;
    const std::vector<Aggregate> groups = aggregate(mine);
    md << "**Best epoch** (the book's figure):\n\n";
    write_table(md, groups, "best");
    md << "**Last epoch** (the fair figure):\n\n";
    write_table(md, groups, "last");
    if (std::any_of(groups.begin(), groups.end(), [](const Aggregate& g) { return g.kind == "post-hoc"; })) {
      md << "**After training** (post-hoc, on the last epoch's model):\n\n";
      write_table(md, groups, "post-hoc");
    }
    write_published(md, info.number, groups);
    if (plots) md << experiment_plots(context.out_dir, info, mine, groups);
  }
  const std::string path = context.out_dir + "/report.md";
  std::ofstream(path, std::ios::trunc) << md.str();
  return path;
}

namespace {

std::string experiment_plots(const std::string& out_dir, const ExperimentInfo& info,
                             const std::vector<const RunResult*>& runs, const std::vector<Aggregate>& groups) {
  std::ostringstream md;
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "exp%02d", info.number);
  auto image = [&](const std::string& file, const std::string& alt) {
    if (file.empty()) md << "*(" << alt << ": gnuplot failed, see " << out_dir << "/plots/)*\n\n";
    else md << "![" << alt << "](" << file << ")\n\n";
  };

  if (info.number == 4) {  // accuracy against the imbalance ratio, last epoch
    Series overall_lt{"overall, long tail", {}, {}}, minority_lt{"classes 5-9, long tail", {}, {}};
    Series overall_step{"overall, step", {}, {}}, minority_step{"classes 5-9, step", {}, {}};
    for (const Aggregate& g : groups) {
      if (g.kind != "last") continue;
      double ratio = 0;
      bool lt = false, step = false;
      if (g.series == "balanced") ratio = 1, lt = step = true;
      else if (g.series.rfind("long_tail_", 0) == 0) ratio = std::stod(g.series.substr(10)), lt = true;
      else if (g.series.rfind("step_", 0) == 0) ratio = std::stod(g.series.substr(5)), step = true;
      else continue;
      double minority = 0;
      for (int c = 5; c < 10; ++c) minority += g.of(class_column(c)).mean / 5;
      const double overall = g.of("accuracy").mean;
      if (lt) overall_lt.x.push_back(ratio), overall_lt.y.push_back(100 * overall),
              minority_lt.x.push_back(ratio), minority_lt.y.push_back(100 * minority);
      if (step) overall_step.x.push_back(ratio), overall_step.y.push_back(100 * overall),
                minority_step.x.push_back(ratio), minority_step.y.push_back(100 * minority);
    }
    for (Series* s : {&overall_lt, &minority_lt, &overall_step, &minority_step}) {  // sort by ratio
      std::vector<std::pair<double, double>> points;
      for (size_t i = 0; i < s->x.size(); ++i) points.push_back({s->x[i], s->y[i]});
      std::sort(points.begin(), points.end());
      for (size_t i = 0; i < points.size(); ++i) s->x[i] = points[i].first, s->y[i] = points[i].second;
    }
    image(plot_lines(out_dir, std::string(prefix) + "_ratio", "test accuracy against the imbalance ratio (last epoch)",
                     "imbalance ratio", "accuracy (%)", {overall_lt, minority_lt, overall_step, minority_step}, true),
          "accuracy against the imbalance ratio");
  }

  // Per-class accuracy at the best epoch, one bar per series.
  std::vector<std::string> names;
  std::vector<std::vector<double>> values;
  for (const Aggregate& g : groups) {
    if (g.kind == "last") continue;
    names.push_back(g.series + (g.kind == "post-hoc" ? "" : " (best)"));
    std::vector<double> per_class;
    for (int c = 0; c < num_classes; ++c) per_class.push_back(100 * g.of(class_column(c)).mean);
    values.push_back(per_class);
  }
  image(plot_grouped_bars(out_dir, std::string(prefix) + "_classes", "per-class test accuracy", names, values),
        "per-class accuracy");

  // Test accuracy per epoch, mean over seeds.
  std::vector<Series> curves;
  for (const std::string& variant : info.variants) {
    std::map<double, std::vector<double>> by_epoch;
    for (const RunResult* run : runs)
      if (run->variant == variant)
        for (size_t r = 0; r < run->epochs.rows.size(); ++r)
          by_epoch[run->epochs.number(r, "epoch")].push_back(100 * run->epochs.number(r, "accuracy"));
    if (by_epoch.empty()) continue;
    Series s{variant, {}, {}};
    for (const auto& [epoch, accuracies] : by_epoch) s.x.push_back(epoch), s.y.push_back(mean_std(accuracies).mean);
    curves.push_back(s);
  }
  image(plot_lines(out_dir, std::string(prefix) + "_epochs", "test accuracy per epoch (mean over seeds)", "epoch",
                   "accuracy (%)", curves),
        "accuracy per epoch");

  // The confusion matrix of the variant with the best mean macro-F1 at the last epoch (first seed).
  const Aggregate* best = nullptr;
  for (const Aggregate& g : groups)
    if (g.kind == "last" && (!best || g.of("macro_f1").mean > best->of("macro_f1").mean)) best = &g;
  if (best) {
    for (const RunResult* run : runs) {
      if (run->variant != best->series || run->confusion.empty()) continue;
      image(plot_heatmap(out_dir, std::string(prefix) + "_confusion",
                         "confusion matrix, row-normalised: " + run->variant + ", seed " + std::to_string(run->seed) +
                             ", best epoch",
                         run->confusion),
            "confusion matrix");
      break;
    }
  }
  return md.str();
}

}  // namespace

}  // namespace study::report
