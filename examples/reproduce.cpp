// examples/reproduce.cpp — re-runs the study: every experiment program of examples/ (one per
// docs/REPRODUCTION.md row that runs on MNIST), every variant, several seeds, then writes the report.
//
//   reproduce --list                          the experiments, their data and expected time
//   reproduce --data DIR --out study          all of them, 3 seeds (resumable)
//   reproduce --only 7,10 --seeds 1           some of them
//   reproduce --quick --out /tmp/smoke        the whole study in smoke mode (minutes)
//
// Resumable: run (experiment, variant, seed) lives in OUT/runs/expNN/VARIANT/seedS/ and is done
// when its done.txt exists and holds the same configuration (program, variant, seed, epochs,
// quick, data). Re-running skips what is done; the run that was in progress resumes after its
// last finished epoch (the program's checkpoints, study.hpp). Each run is the example program itself, started as a child
// process with --variant/--seed/--out, so what the report shows is what a user can re-run alone.
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "examples/common/report.hpp"
#include "fulcrum.hpp"

namespace fs = std::filesystem;
using study::report::ExperimentInfo;

namespace {

// The study (docs/REPRODUCTION.md numbers); minutes = one seed, full protocol, 2 cores (measured).
std::vector<ExperimentInfo> experiment_table() {
  return {
      {4, "exp04_imbalance_ratio", "accuracy against the imbalance ratio (long tail and step)", "MNIST, ratios 1–200", 30, {}},
      {5, "exp05_samplers", "re-balancing samplers", "MNIST-LT", 25, {}},
      {7, "exp07_class_weights", "class weights (compute_class_weight('balanced'))", "MNIST-LT", 4, {}},
      {8, "exp08_drw", "deferred re-weighting (15 + 15 epochs)", "MNIST-LT", 6, {}},
      {9, "exp09_focal", "focal loss (softmax and sigmoid forms)", "MNIST-LT", 6, {}},
      {10, "exp10_class_balanced", "class-balanced loss, β = 0.9999 (Table 8.1)", "MNIST-LT", 8, {}},
      {11, "exp11_cdt", "class-dependent temperatures", "MNIST-LT", 6, {}},
      {12, "exp12_cdb", "class-wise difficulty-balanced loss", "MNIST-LT", 4, {}},
      {14, "exp14_loss_catalogue", "GHM-C, Dice, label smoothing, Tversky, MFE / MSFE", "MNIST-LT", 16, {}},
      {15, "exp15_weight_balancing", "weight balancing, logit adjustment", "MNIST-LT", 6, {}},
      {16, "exp16_siamese", "Siamese network with contrastive loss", "MNIST-LT", 6, {}},
  };
}

struct Options {
  bool list = false, all = false, quick = false, report_only = false;
  std::vector<int> only;
  int seeds = 3;
  std::string out = "study";
  std::string data = fulcrum::data::fashion_mnist_default_dir;
  int epochs = 0;  // 0: each program's default
  int threads = 0;
};

// Runs `command`, calling on_line for every line it prints; returns its exit status (−1 if it
// could not be started or was killed by a signal).
int run_command(const std::string& command, const std::function<void(const std::string&)>& on_line) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return -1;
  char buffer[4096];
  std::string line;
  while (std::fgets(buffer, sizeof buffer, pipe)) {
    line += buffer;
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      on_line(line);
      line.clear();
    }
  }
  if (!line.empty()) on_line(line);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string machine_description() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, model = "unknown CPU";
  while (std::getline(cpuinfo, line))
    if (line.rfind("model name", 0) == 0) { model = line.substr(line.find(':') + 2); break; }
  std::time_t now = std::time(nullptr);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  return model + ", " + std::to_string(std::thread::hardware_concurrency()) + " cores; report written " + date;
}

std::string minutes(double seconds) {
  char text[32];
  if (seconds < 90) std::snprintf(text, sizeof text, "%.0f s", seconds);
  else std::snprintf(text, sizeof text, "%.0f min", seconds / 60);
  return text;
}

}  // namespace

int main(int argc, char** argv) try {
  Options o;
  CLI::App app{"Re-runs the MNIST experiments of docs/REPRODUCTION.md and writes OUT/report.md, OUT/results.csv and the plots."};
  app.add_flag("--list", o.list, "print every experiment with its number, data and expected time, and exit");
  app.add_option("--only", o.only, "experiments to run, by docs/REPRODUCTION.md number (e.g. 5,9,10)")->delimiter(',')
      ->check(CLI::Range(1, 20));
  app.add_flag("--all", o.all, "every experiment (the default)");
  app.add_option("--seeds", o.seeds, "seeds 1 … N per variant")->capture_default_str()->check(CLI::Number)
      ->check(CLI::Range(1, 100));
  app.add_flag("--quick", o.quick, "smoke mode of every program (3 epochs, small subsets): the whole study in minutes");
  app.add_option("--out", o.out, "the run store and the report")->capture_default_str();
  app.add_option("--data", o.data, "folder with the four MNIST IDX files")->capture_default_str();
  app.add_option("--epochs", o.epochs, "epochs per run (default: each program's protocol)")->check(CLI::Number)
      ->check(CLI::Range(1, 100000));
  app.add_option("--threads", o.threads, "OpenMP threads of each run")->check(CLI::Number)->check(CLI::Range(1, 1024));
  app.add_flag("--report-only", o.report_only, "write the report from the finished runs, run nothing");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }
  if (!o.only.empty() && o.all) {
    std::fprintf(stderr, "reproduce: --only and --all exclude each other\n");
    return 2;
  }

  std::vector<ExperimentInfo> experiments = experiment_table();
  if (o.list) {
    std::printf("%3s  %-24s %-22s %8s  %s\n", "#", "program", "data", "min/seed", "experiment");
    for (const ExperimentInfo& e : experiments)
      std::printf("%3d  %-24s %-22s %8.0f  %s\n", e.number, e.program.c_str(), e.data.c_str(), e.minutes_full,
                  e.title.c_str());
    return 0;
  }
  if (!o.only.empty()) {
    std::vector<ExperimentInfo> chosen;
    for (int number : o.only) {
      auto it = std::find_if(experiments.begin(), experiments.end(), [&](const ExperimentInfo& e) { return e.number == number; });
      if (it == experiments.end()) {
        std::fprintf(stderr, "reproduce: --only %d: experiment %d is not part of this study (see --list)\n", number, number);
        return 2;
      }
      chosen.push_back(*it);
    }
    experiments = chosen;
  }

  // The programs sit next to this one; each tells its variants.
  const fs::path bin_dir = fs::canonical("/proc/self/exe").parent_path();
  for (ExperimentInfo& e : experiments) {
    const fs::path program = bin_dir / e.program;
    FULCRUM_CHECK(fs::exists(program), "reproduce: " << program.string() << " is missing (build it: meson compile -C build)");
    const int status = run_command(shell_quote(program.string()) + " --list-variants",
                                   [&](const std::string& line) { e.variants.push_back(line); });
    FULCRUM_CHECK(status == 0 && !e.variants.empty(), "reproduce: " << e.program << " --list-variants failed");
    for (const std::string& v : e.variants)  // names become folder names and command-line words
      FULCRUM_CHECK(!v.empty() && v.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos,
                    "reproduce: " << e.program << " --list-variants printed '" << v
                                  << "', not a variant name (lower-case letters, digits, _)");
  }
  if (!o.report_only) {
    try {
      fulcrum::data::load_mnist(o.data, false);  // the test split: a fast check that --data is right
    } catch (const fulcrum::Error& error) {
      std::fprintf(stderr, "reproduce: --data %s: %s\n  The study needs the four MNIST IDX files (train-images-idx3-ubyte.gz, "
                   "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) in one folder: MNIST "
                   "from its home page, or Fashion-MNIST with `apt-get install dataset-fashion-mnist` (then --data %s).\n",
                   o.data.c_str(), error.what(), fulcrum::data::fashion_mnist_default_dir);
      return 1;
    }
  }
  fs::create_directories(o.out);
  const std::string data_dir = fs::absolute(o.data).lexically_normal().string();

  // Every (experiment, variant, seed): seed 1 of the whole study first, the short experiments
  // first, so an interrupted study has one seed of as many experiments as possible.
  struct Job { const ExperimentInfo* experiment; std::string variant; uint64_t seed; };
  std::vector<const ExperimentInfo*> by_time;
  for (const ExperimentInfo& e : experiments) by_time.push_back(&e);
  std::stable_sort(by_time.begin(), by_time.end(),
                   [](const ExperimentInfo* a, const ExperimentInfo* b) { return a->minutes_full < b->minutes_full; });
  std::vector<Job> jobs;
  for (uint64_t seed = 1; seed <= static_cast<uint64_t>(o.seeds); ++seed)
    for (const ExperimentInfo* e : by_time)
      for (const std::string& variant : e->variants) jobs.push_back({e, variant, seed});

  int failed = 0, skipped = 0, ran = 0;
  double seconds_run = 0;
  for (size_t k = 0; k < jobs.size() && !o.report_only; ++k) {
    const Job& job = jobs[k];
    const std::string dir = study::report::run_dir(o.out, job.experiment->number, job.variant, job.seed);
    std::ostringstream config;
    config << "program=" << job.experiment->program << "\nvariant=" << job.variant << "\nseed=" << job.seed
           << "\nepochs=" << o.epochs << "\nquick=" << o.quick << "\ndata=" << data_dir << "\n";
    std::ifstream marker(study::report::done_marker(dir));
    std::string done((std::istreambuf_iterator<char>(marker)), std::istreambuf_iterator<char>());
    if (done.rfind(config.str(), 0) == 0) { ++skipped; continue; }  // finished with this configuration
    // An unfinished run starts again, from its checkpoints when it left some (the program
    // resumes them if they were written with the same options, and sets them aside otherwise).
    if (fs::exists(dir)) {
      for (const fs::directory_entry& entry : fs::directory_iterator(dir))
        if (entry.path().string().find(".checkpoint-") == std::string::npos) fs::remove_all(entry.path());
    }
    fs::create_directories(dir);

    std::string command = shell_quote((bin_dir / job.experiment->program).string()) + " --variant " + job.variant +
                          " --seed " + std::to_string(job.seed) + " --out " + shell_quote(dir) + " --data " +
                          shell_quote(data_dir);
    if (o.quick) command += " --quick";
    if (o.epochs > 0) command += " --epochs " + std::to_string(o.epochs);
    if (o.threads > 0) command += " --threads " + std::to_string(o.threads);

    const size_t remaining = jobs.size() - k;
    const std::string eta = ran > 0 ? minutes(seconds_run / ran * static_cast<double>(remaining)) : "?";
    char prefix[160];
    std::snprintf(prefix, sizeof prefix, "[run %zu/%zu exp%02d %s seed %llu | ETA %s]", k + 1, jobs.size(),
                  job.experiment->number, job.variant.c_str(), static_cast<unsigned long long>(job.seed), eta.c_str());
    std::printf("%s starting\n", prefix);
    std::fflush(stdout);
    const auto start = std::chrono::steady_clock::now();
    const int status = run_command(command, [&](const std::string& line) {
      if (line.find("epoch") != std::string::npos || line.find("error") != std::string::npos) {
        std::printf("%s %s\n", prefix, line.c_str());
        std::fflush(stdout);
      }
    });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (status == 0 || status == 3) {  // 3: the run diverged; its files say so and it counts as done
      std::ofstream(study::report::done_marker(dir)) << config.str() << "wall_seconds=" << seconds << "\n";
      ++ran;
      seconds_run += seconds;
      std::printf("%s %s in %s\n", prefix, status == 0 ? "done" : "DIVERGED", minutes(seconds).c_str());
    } else {
      ++failed;
      std::fprintf(stderr, "%s FAILED with status %d: %s\n", prefix, status, command.c_str());
    }
  }

  const std::vector<study::report::RunResult> runs = study::report::load_runs(o.out, experiments);
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(i ? argv[i] : "reproduce");
  const std::string report = study::report::write_report(
      {.out_dir = o.out, .data_dir = data_dir, .quick = o.quick, .seeds = o.seeds, .command = command_line,
       .machine = machine_description()},
      experiments, runs);
  std::printf("reproduce: %d runs done now, %d already done, %d failed; %zu runs in the report: %s\n", ran, skipped,
              failed, runs.size(), report.c_str());
  return failed == 0 ? 0 : 1;
} catch (const fulcrum::Error& error) {
  std::fprintf(stderr, "error: %s\n", error.what());
  return 1;
}
