// tests/data/loader_basics.cpp — the DataLoader's single-thread API (data/dataloader.cpp): batch
// shapes, the last batch, drop_last, sequential order, shuffling fixed by the seed and the epoch.
// (Batch samplers, transforms and workers: tests/test_dataloader.cpp.)
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

// ---------------------------------------------------------------- DataLoader

namespace {

// Every batch of one epoch (one range-for), as row numbers.
std::vector<std::vector<int64_t>> run_epoch(DataLoader& loader) {
  std::vector<std::vector<int64_t>> batches;
  for (const Batch& batch : loader) batches.push_back(row_numbers(batch));
  return batches;
}

std::vector<int64_t> flat(const std::vector<std::vector<int64_t>>& batches) {
  std::vector<int64_t> all;
  for (const auto& batch : batches) all.insert(all.end(), batch.begin(), batch.end());
  return all;
}

// A sampler that claims one size and delivers another.
class LyingSampler : public Sampler {
public:
  int64_t size() const override { return 4; }
  std::vector<int64_t> indices(int64_t) const override { return {0, 1, 2}; }
};

}  // namespace

TEST_CASE("DataLoader: batch shapes, the last batch, drop_last, sequential order") {
  const auto dataset = numbered_dataset(10, 3);
  DataLoader loader(dataset, {.batch_size = 4});
  CHECK(loader.size() == 3);
  std::vector<Shape> input_shapes, target_shapes;
  std::vector<int64_t> rows;
  for (const Batch& batch : loader) {
    input_shapes.push_back(batch.inputs.shape());
    target_shapes.push_back(batch.targets.shape());
    CHECK(batch.inputs.dtype() == DType::f32);
    CHECK(batch.targets.dtype() == DType::i64);
    CHECK(batch.inputs.is_contiguous());
    // Targets travel with their inputs.
    const std::vector<int64_t> numbers = row_numbers(batch);
    for (size_t b = 0; b < numbers.size(); ++b) CHECK(batch.targets.at({static_cast<int64_t>(b)}) == numbers[b] % 3);
    rows.insert(rows.end(), numbers.begin(), numbers.end());
  }
  CHECK(input_shapes == std::vector<Shape>{{4, 1, 2, 2}, {4, 1, 2, 2}, {2, 1, 2, 2}});
  CHECK(target_shapes == std::vector<Shape>{{4}, {4}, {2}});
  CHECK(rows == std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});

  DataLoader dropping(dataset, {.batch_size = 4, .drop_last = true});
  CHECK(dropping.size() == 2);
  CHECK(run_epoch(dropping) == std::vector<std::vector<int64_t>>{{0, 1, 2, 3}, {4, 5, 6, 7}});
  DataLoader exact(dataset, {.batch_size = 5, .drop_last = true});
  CHECK(exact.size() == 2);
  CHECK(run_epoch(exact).back() == std::vector<int64_t>{5, 6, 7, 8, 9});
  DataLoader whole(dataset, {.batch_size = 64});
  CHECK(whole.size() == 1);
  CHECK(run_epoch(whole).front().size() == 10);

  // The generic stacking path gives the same batches as the index_select one.
  DataLoader generic(std::make_shared<NumberedDataset>(10, 3), {.batch_size = 4});
  CHECK(run_epoch(generic) == std::vector<std::vector<int64_t>>{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}});

  check_contains(error_message([&] { DataLoader(dataset, {.batch_size = 0}); }),
                 {"DataLoader: batch_size must be ≥ 1, got 0"});
  check_contains(error_message([&] { DataLoader(nullptr); }), {"DataLoader: the dataset is null"});
  check_contains(error_message([&] {
                   DataLoader(dataset, {.shuffle = true, .sampler = std::make_shared<SequentialSampler>(10)});
                 }),
                 {"DataLoader: a sampler fixes the order, so it cannot be combined with shuffle = true"});
  DataLoader lying(dataset, {.sampler = std::make_shared<LyingSampler>()});
  check_contains(error_message([&] { run_epoch(lying); }),
                 {"DataLoader: the sampler gave 3 indices for epoch 0 but its size() is 4"});
}

TEST_CASE("DataLoader: shuffling visits every index once per epoch, fixed by the seed and the epoch") {
  const auto dataset = numbered_dataset(50, 4);
  DataLoader loader(dataset, {.batch_size = 8, .shuffle = true, .generator = Generator(7)});
  CHECK(loader.size() == 7);
  std::vector<int64_t> identity(50);
  std::iota(identity.begin(), identity.end(), int64_t{0});
  std::vector<std::vector<int64_t>> orders;
  for (int epoch = 0; epoch < 3; ++epoch) {
    CHECK(loader.epoch() == epoch);
    const auto batches = run_epoch(loader);
    CHECK(batches.size() == 7);
    CHECK(batches.back().size() == 2);
    orders.push_back(flat(batches));
    std::vector<int64_t> sorted = orders.back();
    std::sort(sorted.begin(), sorted.end());
    CHECK(sorted == identity);  // every index exactly once
  }
  CHECK(orders[0] != identity);  // actually shuffled
  CHECK(orders[0] != orders[1]);  // a new order each epoch
  CHECK(orders[1] != orders[2]);

  // Same seed → same orders; another seed → others; set_epoch resumes mid-run.
  DataLoader twin(dataset, {.batch_size = 8, .shuffle = true, .generator = Generator(7)});
  CHECK(flat(run_epoch(twin)) == orders[0]);
  CHECK(flat(run_epoch(twin)) == orders[1]);
  DataLoader resumed(dataset, {.batch_size = 8, .shuffle = true, .generator = Generator(7)});
  resumed.set_epoch(2);
  CHECK(flat(run_epoch(resumed)) == orders[2]);
  CHECK(flat(loader.batch_indices(1)) == orders[1]);
  DataLoader other(dataset, {.batch_size = 8, .shuffle = true, .generator = Generator(8)});
  CHECK(flat(run_epoch(other)) != orders[0]);

  // drop_last with shuffle: 6 full batches, 48 distinct indices.
  DataLoader dropping(dataset, {.batch_size = 8, .shuffle = true, .drop_last = true, .generator = Generator(7)});
  const std::vector<int64_t> dropped = flat(run_epoch(dropping));
  CHECK(dropped.size() == 48);
  CHECK(std::set<int64_t>(dropped.begin(), dropped.end()).size() == 48);
  CHECK(dropped == std::vector<int64_t>(orders[0].begin(), orders[0].begin() + 48));

  // Unseeded: the seed comes from the default generator, so manual_seed fixes it.
  manual_seed(11);
  DataLoader first(dataset, {.batch_size = 8, .shuffle = true});
  manual_seed(11);
  DataLoader second(dataset, {.batch_size = 8, .shuffle = true});
  CHECK(flat(run_epoch(first)) == flat(run_epoch(second)));

  // Over a Subset the loader yields the source rows the subset names.
  const auto subset = std::make_shared<Subset>(dataset, std::vector<int64_t>{40, 3, 17});
  DataLoader subset_loader(subset, {.batch_size = 2, .shuffle = true, .generator = Generator(1)});
  std::vector<int64_t> seen = flat(run_epoch(subset_loader));
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<int64_t>{3, 17, 40});
}
