// bench/decode_throughput.cpp — how fast does load_image_folder decode a folder of images?
// Decodes ROOT (an ImageFolder layout, e.g. the CIFAR-10 JPEG folder's train/ with 50,000 32×32
// JPEGs) REPEATS times without the cache and prints images/s for the fastest run (the machine
// may be shared: the fastest run is the least disturbed). Threads: OMP_NUM_THREADS.
//   decode_throughput ROOT [REPEATS=3]
#include <chrono>
#include <cstdio>
#include <limits>

#include "bench/bench_args.hpp"
#include "data/image_folder.hpp"

using namespace fulcrum;

int main(int argc, char** argv) {
  const char* usage = "decode_throughput ROOT [REPEATS=3]   (ROOT: root/<class>/<image files>)";
  if (argc < 2 || argc > 3 || argv[1][0] == '-') {
    std::fprintf(stderr, "usage: %s\n", usage);
    return 2;
  }
  const int64_t repeats = argc > 2 ? bench::parse_count(argv[2], "REPEATS", 1, 1000, usage) : 3;
  double best = std::numeric_limits<double>::infinity();
  int64_t images = 0;
  for (int64_t r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const data::ImageFolder folder = data::load_image_folder(argv[1]);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    images = folder.images.size(0);
    std::printf("run %lld: %lld images in %.3f s\n", static_cast<long long>(r + 1), static_cast<long long>(images),
                seconds);
    if (seconds < best) best = seconds;
  }
  std::printf("decode throughput: %.0f images/s (fastest of %lld runs)\n", static_cast<double>(images) / best,
              static_cast<long long>(repeats));
  return 0;
}
