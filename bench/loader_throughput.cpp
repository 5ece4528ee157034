// bench/loader_throughput.cpp — does the DataLoader keep the book's Net fed? On Fashion-MNIST
// (/usr/share/datasets/fashion-mnist; synthetic 28×28 images when absent) at batch 64, it times
//  * step:  one SGD training step of examples::BookNet on a fixed batch (no loading),
//  * load:  iterating the loader alone (shuffled), per batch,
//  * loop:  the training loop fed by the loader, per batch,
// for 0 / 1 / 2 worker threads, with no transform and with RandomShift (a random-crop-like
// ±2-pixel translation with zero fill, drawn from the example's generator). load/step < 1 means
// the loader alone is faster than the Net; loop/step − 1 is what loading still costs the loop
// (with workers it should hide behind the step, as far as the cores allow).
// The step is re-timed next to every row (the machine may be shared); OMP_NUM_THREADS=1 makes
// the numbers steadier on a loaded machine.
//   loader_throughput [BATCHES=150]
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), whose Net is that of chapters 6 and 8.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>

#include "bench/bench_args.hpp"
#include "examples/book_net.hpp"

using namespace fulcrum;

namespace {

// A ±max_shift pixel translation of a [C, H, W] f32 image, zero filled: what RandomCrop(28,
// padding=2) does, written as plain loops.
class RandomShift : public data::Transform {
public:
  explicit RandomShift(int64_t max_shift) : max_shift_(max_shift) {}
  Tensor operator()(const Tensor& input, Generator& generator) const override {
    const Tensor source = input.contiguous();
    const int64_t channels = source.size(0), height = source.size(1), width = source.size(2);
    const auto span = static_cast<uint64_t>(2 * max_shift_ + 1);
    const int64_t dy = static_cast<int64_t>(generator.random_below(span)) - max_shift_;
    const int64_t dx = static_cast<int64_t>(generator.random_below(span)) - max_shift_;
    Tensor out = zeros(source.shape());
    const float* from = source.data_ptr<float>();
    float* to = out.data_ptr<float>();
    for (int64_t c = 0; c < channels; ++c) {
      for (int64_t y = 0; y < height; ++y) {
        const int64_t sy = y + dy;
        if (sy < 0 || sy >= height) continue;
        for (int64_t x = 0; x < width; ++x) {
          const int64_t sx = x + dx;
          if (sx >= 0 && sx < width) to[(c * height + y) * width + x] = from[(c * height + sy) * width + sx];
        }
      }
    }
    return out;
  }
  std::string repr() const override {
    return std::string("RandomShift(").append(std::to_string(max_shift_)).append(")");
  }

private:
  int64_t max_shift_;
};

double seconds(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const char* usage = "loader_throughput [BATCHES=150]";
  if (argc > 2) {
    std::fprintf(stderr, "usage: %s\n", usage);
    return 2;
  }
  const int64_t batches = argc > 1 ? bench::parse_count(argv[1], "BATCHES", 1, 1000000, usage) : 150;
  const int64_t batch_size = 64;
  manual_seed(0);

  std::shared_ptr<data::TensorDataset> train;
  const char* source = "synthetic";
  std::error_code error;
  if (std::filesystem::is_directory(data::fashion_mnist_default_dir, error)) {
    train = data::mnist_dataset(data::fashion_mnist_default_dir, true, data::fashion_mnist_normalization);
    source = data::fashion_mnist_default_dir;
  } else {
    const Tensor images = randint(0, 256, {60000, 28, 28}).to(DType::u8);
    train = std::make_shared<data::TensorDataset>(data::normalize_images(images, data::fashion_mnist_normalization),
                                                  randint(0, 10, {60000}));
  }
  std::printf("data: %s, %lld images; batch %lld; %lld batches per measurement\n", source,
              static_cast<long long>(train->size()), static_cast<long long>(batch_size),
              static_cast<long long>(batches));

  examples::BookNet model;
  optim::SGD optimizer(model.parameters(), {.lr = 0.01, .momentum = 0.5});
  auto step = [&](const data::Batch& batch) {
    optimizer.zero_grad();
    Tensor loss = nll_loss(model(batch.inputs), batch.targets);
    loss.backward();
    optimizer.step();
  };
  const data::Batch fixed = train->get_batch([&] {
    std::vector<int64_t> first(static_cast<size_t>(batch_size));
    for (int64_t i = 0; i < batch_size; ++i) first[static_cast<size_t>(i)] = i;
    return first;
  }());
  for (int i = 0; i < 10; ++i) step(fixed);  // warm-up

  const auto shift = std::make_shared<RandomShift>(2);
  std::printf("\n%-12s %7s %10s %10s %10s %9s %10s\n", "transform", "workers", "load ms", "loop ms", "step ms",
              "load/step", "loop/step");
  for (bool transformed : {false, true}) {
    for (int64_t workers : {0, 1, 2}) {
      data::DataLoaderOptions options{.batch_size = batch_size, .shuffle = true, .generator = Generator(1),
                                      .num_workers = workers};
      if (transformed) options.transform = shift;
      data::DataLoader loader(train, options);
      // The step alone, measured next to each row so that a shared machine's load hits both alike.
      const double step_ms = 1e3 * seconds([&] { for (int64_t i = 0; i < batches; ++i) step(fixed); }) / batches;
      // The loader alone: the first `batches` batches of an epoch (the loop is left early).
      const double load_ms = 1e3 * seconds([&] {
        int64_t n = 0;
        for (const data::Batch& batch : loader) {
          if (batch.inputs.size(0) != batch_size || ++n == batches) break;
        }
      }) / batches;
      // The training loop fed by the loader.
      const double loop_ms = 1e3 * seconds([&] {
        int64_t n = 0;
        for (const data::Batch& batch : loader) {
          step(batch);
          if (++n == batches) break;
        }
      }) / batches;
      std::printf("%-12s %7lld %10.3f %10.3f %10.3f %9.4f %10.3f\n", transformed ? shift->repr().c_str() : "none",
                  static_cast<long long>(workers), load_ms, loop_ms, step_ms, load_ms / step_ms, loop_ms / step_ms);
      std::fflush(stdout);
    }
  }
  return 0;
}
