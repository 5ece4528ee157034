// tests/data/real_data.cpp — real data when present: MNIST (../shared/data/mnist) and the Debian
// Fashion-MNIST (sizes, class counts, the -LT variants, normalisation, a loader epoch), with a
// visible skip message otherwise.
#include <doctest/doctest.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "tests/shared_data.hpp"
#include "tests/test_support.hpp"
#include "tests/data/data_support.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;
using namespace fulcrum::data;
namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

using namespace fulcrum::testing::data_tests;

// ---------------------------------------------------------------- real data (when present)

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Mean and std (population) of all pixels scaled to [0, 1], from exact integer sums.
std::pair<double, double> pixel_mean_std(const Tensor& images) {
  const uint8_t* pixels = images.data_ptr<uint8_t>();
  const int64_t count = images.numel();
  uint64_t sum = 0, sum_squares = 0;
  for (int64_t i = 0; i < count; ++i) {
    sum += pixels[i];
    sum_squares += static_cast<uint64_t>(pixels[i]) * pixels[i];
  }
  const double n = static_cast<double>(count);
  const double mean = static_cast<double>(sum) / n / 255.0;
  const double second_moment = static_cast<double>(sum_squares) / n / (255.0 * 255.0);
  return {mean, std::sqrt(second_moment - mean * mean)};
}

}  // namespace

TEST_CASE("MNIST (../shared/data/mnist): sizes, class counts, MNIST-LT, normalisation, a loader epoch" *
          fulcrum::testing::skip_unless_data("mnist")) {
  REQUIRE_DATA("mnist");
  const std::optional<fs::path> shared = fulcrum::testing::find_shared_data("mnist");
  const auto start = std::chrono::steady_clock::now();
  const MnistSplit train = load_mnist(*shared / "mnist", true);
  const MnistSplit test = load_mnist(*shared / "mnist", false);
  const double load_seconds = seconds_since(start);
  const auto normalize_start = std::chrono::steady_clock::now();
  const Tensor inputs = normalize_images(train.images, mnist_normalization);
  MESSAGE("MNIST: read 60,000 + 10,000 gzip'd images in " << load_seconds << " s, normalised the training set in "
                                                            << seconds_since(normalize_start) << " s");
  CHECK(train.images.shape() == Shape{60000, 28, 28});
  CHECK(test.images.shape() == Shape{10000, 28, 28});
  const std::vector<int64_t> targets = as_vector(train.labels);
  CHECK(class_counts(targets, 10) == std::vector<int64_t>{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949});
  CHECK(class_counts(as_vector(test.labels), 10) ==
        std::vector<int64_t>{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009});
  // The normalisation constants are the training set's own statistics.
  const auto [mean, std] = pixel_mean_std(train.images);
  CHECK(std::abs(mean - mnist_normalization.mean[0]) < 1e-4);
  CHECK(std::abs(std - mnist_normalization.std[0]) < 1e-4);
  CHECK(inputs.shape() == Shape{60000, 1, 28, 28});
  CHECK(std::abs(inputs.mean().item()) < 1e-3);

  // MNIST-LT: n_max 6000, ρ 100; MNIST has only 5923 zeros.
  const std::vector<int64_t> kept = make_imbalanced(targets, long_tail_counts(6000, 10, 100), 0);
  CHECK(kept.size() == 14809);
  const auto source = std::make_shared<TensorDataset>(inputs, train.labels);
  const auto long_tail = std::make_shared<Subset>(source, kept);
  CHECK(class_counts(*long_tail) == std::vector<int64_t>{5923, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60});
  CHECK(make_imbalanced(targets, long_tail_counts(6000, 10, 100), 0) == kept);

  DataLoader loader(long_tail, {.batch_size = 64, .shuffle = true, .generator = Generator(1)});
  CHECK(loader.size() == 232);  // ⌈14809 / 64⌉
  const auto epoch_start = std::chrono::steady_clock::now();
  int64_t batches = 0, examples = 0;
  std::vector<int64_t> seen_counts(10, 0);
  for (const Batch& batch : loader) {
    if (batches == 0) CHECK(batch.inputs.shape() == Shape{64, 1, 28, 28});
    for (int64_t target : as_vector(batch.targets)) ++seen_counts[static_cast<size_t>(target)];
    examples += batch.inputs.size(0);
    ++batches;
  }
  MESSAGE("MNIST-LT: one shuffled epoch of 232 batches in " << seconds_since(epoch_start) << " s");
  CHECK(batches == 232);
  CHECK(examples == 14809);
  CHECK(seen_counts == class_counts(*long_tail));
}

TEST_CASE("Fashion-MNIST (Debian dataset-fashion-mnist): sizes, balanced classes, Fashion-MNIST-LT" *
          fulcrum::testing::skip_unless_data(fashion_mnist_default_dir)) {
  REQUIRE_DATA(std::string(fashion_mnist_default_dir));
  const auto start = std::chrono::steady_clock::now();
  const MnistSplit train = load_mnist(fashion_mnist_default_dir, true);
  const MnistSplit test = load_mnist(fashion_mnist_default_dir, false);
  MESSAGE("Fashion-MNIST: read 60,000 + 10,000 gzip'd images in " << seconds_since(start) << " s");
  CHECK(train.images.shape() == Shape{60000, 28, 28});
  CHECK(test.images.shape() == Shape{10000, 28, 28});
  const std::vector<int64_t> targets = as_vector(train.labels);
  CHECK(class_counts(targets, 10) == std::vector<int64_t>(10, 6000));
  CHECK(class_counts(as_vector(test.labels), 10) == std::vector<int64_t>(10, 1000));
  const auto [mean, std] = pixel_mean_std(train.images);
  CHECK(std::abs(mean - fashion_mnist_normalization.mean[0]) < 1e-4);
  CHECK(std::abs(std - fashion_mnist_normalization.std[0]) < 1e-4);
  const std::vector<int64_t> kept = make_imbalanced(targets, long_tail_counts(6000, 10, 100), 3);
  CHECK(kept.size() == 14886);
  std::vector<int64_t> kept_targets;
  for (int64_t index : kept) kept_targets.push_back(targets[static_cast<size_t>(index)]);
  CHECK(class_counts(kept_targets, 10) == long_tail_counts(6000, 10, 100));
}
