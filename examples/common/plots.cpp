// examples/common/plots.cpp — the study's PNG plots, drawn by gnuplot (Debian's gnuplot-nox,
// pngcairo terminal): each plot writes its data and a small script under OUT/plots/ (so a user
// can restyle it and re-run `gnuplot OUT/plots/NAME.gp`) and renders OUT/NAME.png.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "examples/common/report.hpp"

namespace study::report {

namespace fs = std::filesystem;

bool gnuplot_available() { return std::system("command -v gnuplot > /dev/null 2>&1") == 0; }

namespace {

// Gnuplot reads double-quoted strings with backslash escapes: keep titles plain.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += (c == '"' || c == '\\') ? '\'' : c;
  return out + "\"";
}

// Runs the script; returns "NAME.png" when gnuplot succeeded.
std::string render(const std::string& out_dir, const std::string& name, const std::string& script) {
  const std::string script_path = out_dir + "/plots/" + name + ".gp";
  std::ofstream(script_path, std::ios::trunc) << "set terminal pngcairo size 900,540 font ',10'\n"
                                              << "set output " << quoted(out_dir + "/" + name + ".png") << "\n"
                                              << script;
  const std::string command = "gnuplot " + script_path + " 2> " + out_dir + "/plots/" + name + ".log";
  return std::system(command.c_str()) == 0 ? name + ".png" : "";
}

std::string data_path(const std::string& out_dir, const std::string& name) {
  fs::create_directories(out_dir + "/plots");
  return out_dir + "/plots/" + name + ".dat";
}

}  // namespace

std::string plot_lines(const std::string& out_dir, const std::string& name, const std::string& title,
                       const std::string& xlabel, const std::string& ylabel, const std::vector<Series>& series,
                       bool log_x) {
  if (series.empty()) return "";
  const std::string path = data_path(out_dir, name);
  std::ofstream data(path, std::ios::trunc);
  for (const Series& s : series) {  // one gnuplot data block per series, separated by two blank lines
    for (size_t i = 0; i < s.x.size(); ++i) data << s.x[i] << ' ' << s.y[i] << '\n';
    data << "\n\n";
  }
  data.close();
  std::string script = "set title " + quoted(title) + "\nset xlabel " + quoted(xlabel) + "\nset ylabel " +
                       quoted(ylabel) + "\nset grid\nset key outside right\n" + (log_x ? "set logscale x\n" : "") +
                       "plot ";
  for (size_t k = 0; k < series.size(); ++k)
    script += (k ? ", " : "") + quoted(path) + " index " + std::to_string(k) + " with linespoints title " +
              quoted(series[k].name);
  return render(out_dir, name, script + "\n");
}

std::string plot_grouped_bars(const std::string& out_dir, const std::string& name, const std::string& title,
                              const std::vector<std::string>& series_names,
                              const std::vector<std::vector<double>>& values_per_series) {
  if (series_names.empty()) return "";
  const std::string path = data_path(out_dir, name);
  std::ofstream data(path, std::ios::trunc);
  const size_t classes = values_per_series[0].size();
  for (size_t c = 0; c < classes; ++c) {  // row = class, column k + 2 = series k
    data << c;
    for (const std::vector<double>& values : values_per_series) data << ' ' << values[c];
    data << '\n';
  }
  data.close();
  std::string script = "set title " + quoted(title) +
                       "\nset style data histogram\nset style histogram clustered gap 1\nset style fill solid 0.8 "
                       "border -1\nset boxwidth 0.9\nset yrange [0:105]\nset xlabel 'class'\nset ylabel 'accuracy "
                       "(%)'\nset key outside right\nset grid ytics\nplot ";
  for (size_t k = 0; k < series_names.size(); ++k)
    script += (k ? ", " : "") + quoted(path) + " using " + std::to_string(k + 2) + (k ? "" : ":xtic(1)") +
              " title " + quoted(series_names[k]);
  return render(out_dir, name, script + "\n");
}

std::string plot_heatmap(const std::string& out_dir, const std::string& name, const std::string& title,
                         const std::vector<std::vector<double>>& confusion) {
  if (confusion.empty()) return "";
  const std::string path = data_path(out_dir, name);
  std::ofstream data(path, std::ios::trunc);
  for (const std::vector<double>& row : confusion) {  // row-normalised, in %
    double total = 0;
    for (double v : row) total += v;
    for (size_t j = 0; j < row.size(); ++j) data << (j ? " " : "") << (total > 0 ? 100 * row[j] / total : 0.0);
    data << '\n';
  }
  data.close();
  const std::string n = std::to_string(confusion.size() - 1);
  const std::string script =
      "set title " + quoted(title) + "\nset size ratio -1\nset xlabel 'predicted class'\nset ylabel 'true class'\n" +
      "set xrange [-0.5:" + n + ".5]\nset yrange [" + n + ".5:-0.5]\nset xtics 1\nset ytics 1\n" +
      "set cblabel '% of the true class'\nset cbrange [0:100]\nset palette defined (0 'white', 1 '#1f4e9c')\n" +
      "plot " + quoted(path) + " matrix with image notitle, " + quoted(path) +
      " matrix using 1:2:($3 >= 0.5 ? sprintf('%.0f', $3) : '') with labels font ',8' notitle\n";
  return render(out_dir, name, script);
}

}  // namespace study::report
