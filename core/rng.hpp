// core/rng.hpp — the one random number generator: Philox4x32-10, a counter-based generator
// (Salmon et al., SC 2011). A value is a pure function of (seed, counter), so the n-th number
// of a stream is the same on every run and every device and can be computed in parallel.
// A Generator hands out consecutive counter ranges; kernels map element i → counter offset + i.
#pragma once
#include <array>
#include <cstdint>

namespace fulcrum {

// One Philox4x32-10 block: four 32-bit outputs for a 128-bit counter and a 64-bit key.
std::array<uint32_t, 4> philox4x32(uint64_t counter_low, uint64_t counter_high, uint64_t key);

class Generator {
public:
  explicit Generator(uint64_t seed = 0) : seed_(seed) {}
  void manual_seed(uint64_t seed) { seed_ = seed; offset_ = 0; }
  uint64_t seed() const { return seed_; }
  uint64_t offset() const { return offset_; }
  // Jump to a position in the stream (torch.Generator.set_offset): with seed() and offset() it
  // is the whole state, so manual_seed(seed) + set_offset(offset) restores a saved generator.
  void set_offset(uint64_t offset) { offset_ = offset; }
  // Reserves `count` blocks of four 32-bit values and returns the first block's counter.
  uint64_t reserve_blocks(uint64_t count) { uint64_t first = offset_; offset_ += count; return first; }
  // Block `block` of this generator's stream (no state change).
  std::array<uint32_t, 4> block(uint64_t block) const { return philox4x32(block, 0, seed_); }
  // Convenience scalar draws (each consumes one block).
  double uniform();                       // [0, 1)
  uint64_t random_below(uint64_t bound);  // [0, bound)

private:
  uint64_t seed_;
  uint64_t offset_ = 0;
};

Generator& default_generator();
void manual_seed(uint64_t seed);  // seeds the default generator, like torch.manual_seed

// Bits → floats: 24 bits for a float in [0, 1), 53 bits (two words) for a double.
inline float uniform_float(uint32_t bits) { return static_cast<float>(bits >> 8) * 0x1.0p-24f; }
inline double uniform_double(uint32_t high, uint32_t low) {
  uint64_t bits = (static_cast<uint64_t>(high) << 21) | (low >> 11);
  return static_cast<double>(bits & ((1ULL << 53) - 1)) * 0x1.0p-53;
}

}  // namespace fulcrum
