// examples/inspect_data.cpp — loads the data sets it is given with the readers of data/ and
// prints what is in them: per-class counts of every split, and for the image folder the time of
// the first load (decoding every JPEG with stb_image, in parallel) against the second (the
// safetensors cache, data/cache.hpp).
//
//   inspect_data --cifar-jpg DIR   CIFAR-10 as JPEG folders: DIR/train/<class>/*.jpg, DIR/test/…
//                                  (unpack ../shared/data/cifar10/cifar10-jpg.tar.gz somewhere)
//                [--cache DIR]     where the decoded tensors go (default: <cifar-jpg>/.fulcrum-cache)
//                --trec DIR        train_5500.label and TREC_10.label
//                --csv FILE        a CSV with a header, e.g. ../shared/data/tabular/caravan.csv
//                [--csv-label NAME]  label column (default: the last column)
//                [--csv-split NAME]  split column (default: "split" when the header has one)
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "data/cifar.hpp"
#include "data/csv.hpp"
#include "data/image_folder.hpp"
#include "data/text.hpp"
#include "fulcrum.hpp"

using namespace fulcrum;
using namespace fulcrum::data;
namespace fs = std::filesystem;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void print_counts(const std::string& title, const Tensor& targets, const std::vector<std::string>& classes) {
  const std::vector<int64_t> counts =
      class_counts(targets.to_vector<int64_t>(), static_cast<int64_t>(classes.size()));
  std::printf("%s: %lld examples\n", title.c_str(), static_cast<long long>(targets.numel()));
  for (size_t c = 0; c < classes.size(); ++c) {
    std::printf("  %3zu %-14s %6lld\n", c, classes[c].c_str(), static_cast<long long>(counts[c]));
  }
}

void inspect_cifar_jpg(const fs::path& dir, const fs::path& cache_dir) {
  for (const char* split : {"train", "test"}) {
    const ImageFolderOptions options{.channels = 3, .height = 32, .width = 32, .cache_dir = cache_dir};
    double seconds[2] = {0, 0};
    ImageFolder folder;
    for (int run = 0; run < 2; ++run) {
      const auto start = std::chrono::steady_clock::now();
      folder = load_image_folder(dir / split, options);
      seconds[run] = seconds_since(start);
      std::printf("CIFAR-10 JPEG %s, load %d: %.3f s, from_cache %s (cache: %s)\n", split, run + 1, seconds[run],
                  folder.from_cache ? "yes" : "no", folder.cache_status.c_str());
    }
    std::printf("  images %s, first/second load time ratio %.1f\n", shape_str(folder.images.shape()).c_str(),
                seconds[0] / seconds[1]);
    print_counts(std::string("CIFAR-10 JPEG ").append(split), folder.targets, folder.classes);
  }
}

void inspect_trec(const fs::path& dir) {
  for (bool train : {true, false}) {
    const TextSplit split = load_trec(dir, train);
    print_counts(std::string("TREC ").append(train ? trec_train_file : trec_test_file), split.labels, split.classes);
    if (train) {
      const Vocabulary vocabulary = Vocabulary::build(tokenize_all(split.texts));
      std::printf("  vocabulary of the training split: %lld tokens (min_freq 1, with <pad> and <unk>)\n",
                  static_cast<long long>(vocabulary.size()));
    }
  }
}

void inspect_csv(const fs::path& file, std::string label, std::string split_column) {
  std::ifstream in(file);
  std::string header;
  std::getline(in, header);
  if (label.empty()) label = header.substr(header.rfind(',') + 1);
  std::string padded = ",";
  padded.append(header).append(",");
  if (split_column.empty() && padded.find(",split,") != std::string::npos) split_column = "split";
  if (split_column.empty()) {
    const CsvTable table = read_csv(file, {.label_column = label});
    print_counts(file.filename().string() + " (" + std::to_string(table.features.size(1)) + " features)",
                 table.targets, table.classes);
    return;
  }
  for (const char* value : {"train", "test"}) {
    const CsvTable table = read_csv(file, {.label_column = label, .filter_column = split_column, .filter_value = value});
    print_counts(file.filename().string() + " " + split_column + " == " + value + " (" +
                     std::to_string(table.features.size(1)) + " features, label " + label + ")",
                 table.targets, table.classes);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
  if (argc < 3 || argc % 2 == 0) {
    std::fprintf(stderr, "usage: %s [--cifar-jpg DIR [--cache DIR]] [--trec DIR] [--csv FILE [--csv-label NAME] "
                         "[--csv-split NAME]]\n", argv[0]);
    return 2;
  }
  try {
    if (args.count("--cifar-jpg")) {
      const fs::path dir = args["--cifar-jpg"];
      inspect_cifar_jpg(dir, args.count("--cache") ? fs::path(args["--cache"]) : dir / ".fulcrum-cache");
    }
    if (args.count("--trec")) inspect_trec(args["--trec"]);
    if (args.count("--csv")) inspect_csv(args["--csv"], args["--csv-label"], args["--csv-split"]);
  } catch (const Error& e) {
    std::fprintf(stderr, "inspect_data: %s\n", e.what());
    return 1;
  }
  return 0;
}
