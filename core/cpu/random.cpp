// core/cpu/random.cpp — random fills from Philox blocks. Element i always uses the same block
// and word (f32: block i/4, word i%4; f64: block i/2, words 2(i%2), 2(i%2)+1), so the values
// depend only on (seed, position): identical for any thread count, and on CUDA.
// Normal numbers use Box–Muller on one block per pair: z0, z1 = √(−2 ln u1)·(cos, sin)(2π u2).
#include <cmath>

#include "core/cpu/kernels.hpp"
#include "core/cpu/strided.hpp"
#include "core/rng.hpp"

namespace fulcrum::cpu {

void uniform(const Tensor& out, uint64_t seed, uint64_t first_block, double low, double high) {
  const int64_t n = out.numel();
  dispatch_float(out.dtype(), "uniform", [&]<typename T>() {
    T* target = out.data_ptr<T>();
    const bool single = std::is_same_v<T, float>;
    const int64_t per_block = single ? 4 : 2;
#pragma omp parallel for schedule(static) if (n > kParallelGrain)
    for (int64_t b = 0; b < (n + per_block - 1) / per_block; ++b) {
      const auto words = philox4x32(first_block + b, 0, seed);
      for (int64_t w = 0; w < per_block && b * per_block + w < n; ++w) {
        const double u = single ? uniform_float(words[w])
                                : uniform_double(words[2 * w], words[2 * w + 1]);
        T value = static_cast<T>(low + (high - low) * u);
        if (value >= static_cast<T>(high)) value = static_cast<T>(low);  // rounding guard: [low, high)
        target[b * per_block + w] = value;
      }
    }
  });
}

void normal(const Tensor& out, uint64_t seed, uint64_t first_block, double mean, double std) {
  const int64_t n = out.numel();
  dispatch_float(out.dtype(), "normal", [&]<typename T>() {
    T* target = out.data_ptr<T>();
#pragma omp parallel for schedule(static) if (n > kParallelGrain)
    for (int64_t b = 0; b < (n + 1) / 2; ++b) {
      const auto words = philox4x32(first_block + b, 0, seed);
      const double u1 = 1.0 - uniform_double(words[0], words[1]);  // (0, 1]: log is finite
      const double u2 = uniform_double(words[2], words[3]);
      const double radius = std::sqrt(-2.0 * std::log(u1));
      target[2 * b] = static_cast<T>(mean + std * radius * std::cos(2.0 * M_PI * u2));
      if (2 * b + 1 < n) target[2 * b + 1] = static_cast<T>(mean + std * radius * std::sin(2.0 * M_PI * u2));
    }
  });
}

// Integers in [low, high): a 64-bit draw scaled by the range (multiply-shift; bias < 2^-32).
void randint(const Tensor& out, uint64_t seed, uint64_t first_block, int64_t low, int64_t high) {
  const int64_t n = out.numel();
  const auto range = static_cast<unsigned __int128>(high - low);
  dispatch_all(out.dtype(), "randint", [&]<typename T>() {
    T* target = out.data_ptr<T>();
#pragma omp parallel for schedule(static) if (n > kParallelGrain)
    for (int64_t b = 0; b < (n + 1) / 2; ++b) {
      const auto words = philox4x32(first_block + b, 0, seed);
      for (int64_t w = 0; w < 2 && 2 * b + w < n; ++w) {
        const uint64_t bits = (static_cast<uint64_t>(words[2 * w]) << 32) | words[2 * w + 1];
        const auto offset = static_cast<int64_t>((bits * range) >> 64);
        target[2 * b + w] = static_cast<T>(low + offset);
      }
    }
  });
}

}  // namespace fulcrum::cpu
