// tests/core/tensor_random.cpp — the Philox random number generator (core/rng.hpp): Random123's
// published known-answer vectors, how random fills map Philox words to values, seeds, generator
// offsets, statistical sanity. Expected values are derived by hand or from Random123's vectors.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "core/ops.hpp"
#include "tests/core/tensor_support.hpp"

using namespace fulcrum;

using namespace fulcrum::testing::tensor_tests;

// ---- random number generation ---------------------------------------------------------------
TEST_CASE("philox4x32-10 matches Random123's known-answer vectors") {
  // Random123 tests/kat_vectors, "philox4x32 10" lines: counter words, key words → output.
  // philox4x32(counter_low, counter_high, key) takes the words little-end first.
  using W = std::array<uint32_t, 4>;
  CHECK(philox4x32(0, 0, 0) == W{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
  CHECK(philox4x32(~uint64_t{0}, ~uint64_t{0}, ~uint64_t{0}) ==
        W{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
  // counter {243f6a88, 85a308d3, 13198a2e, 03707344}, key {a4093822, 299f31d0}
  CHECK(philox4x32(0x85a308d3243f6a88ULL, 0x0370734413198a2eULL, 0x299f31d0a4093822ULL) ==
        W{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
  // A generator's block b is philox(counter b, key seed).
  Generator g(0);
  CHECK(g.block(0) == W{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
}

TEST_CASE("random fills map Philox words to values as documented (known answers)") {
  // Seed 0, block 0 = {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8} (the KAT above).
  const uint32_t w[4] = {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8};
  {  // f32 uniform: element i = (word i >> 8) · 2^-24
    Generator g(0);
    const std::vector<float> r = rand({4}, {}, &g).to_vector<float>();
    for (int i = 0; i < 4; ++i) CHECK(r[i] == static_cast<float>(w[i] >> 8) * 0x1.0p-24f);
    CHECK(r[0] == doctest::Approx(0.399045).epsilon(1e-5));  // 0x6627e8 / 2^24
  }
  {  // f64 uniform: element 0 = ((w0 << 21) | (w1 >> 11)) · 2^-53
    Generator g(0);
    const double r = rand({1}, {.dtype = DType::f64}, &g).item();
    const uint64_t bits = (static_cast<uint64_t>(w[0]) << 21) | (w[1] >> 11);
    CHECK(r == static_cast<double>(bits) * 0x1.0p-53);
  }
  {  // randint(0, 10): floor(64-bit word pair · 10 / 2^64): 0x6627e8d5… → 3, 0xbc57ac4c… → 7
    Generator g(0);
    CHECK(randint(0, 10, {2}, {.dtype = DType::i64}, &g).to_vector<int64_t>() == I{3, 7});
  }
  {  // randn: Box–Muller on block 0, u1 = 1 − U(w0, w1), u2 = U(w2, w3)
    Generator g(0);
    const V z = values(randn({2}, {.dtype = DType::f64}, &g));
    auto u53 = [](uint32_t hi, uint32_t lo) {
      return static_cast<double>((static_cast<uint64_t>(hi) << 21) | (lo >> 11)) * 0x1.0p-53;
    };
    const double u1 = 1.0 - u53(w[0], w[1]), u2 = u53(w[2], w[3]);
    const double radius = std::sqrt(-2.0 * std::log(u1));
    CHECK(z[0] == doctest::Approx(radius * std::cos(2.0 * M_PI * u2)).epsilon(1e-12));
    CHECK(z[1] == doctest::Approx(radius * std::sin(2.0 * M_PI * u2)).epsilon(1e-12));
  }
}

TEST_CASE("same seed gives identical tensors; different seeds differ") {
  Generator a(42), b(42), c(43);
  const V ra = values(rand({100}, {}, &a)), rb = values(rand({100}, {}, &b)), rc = values(rand({100}, {}, &c));
  CHECK(ra == rb);
  CHECK(ra != rc);
  CHECK(values(randn({3, 7}, {}, &a)) == values(randn({3, 7}, {}, &b)));
  CHECK(randint(0, 1000, {50}, {.dtype = DType::i64}, &a).to_vector<int64_t>() ==
        randint(0, 1000, {50}, {.dtype = DType::i64}, &b).to_vector<int64_t>());
  CHECK(randperm(30, &a).to_vector<int64_t>() == randperm(30, &b).to_vector<int64_t>());
  CHECK(values(randn({100}, {}, &a)) != values(randn({100}, {}, &c)));

  // The default generator, seeded like torch.manual_seed.
  manual_seed(7);
  const V d1 = values(rand({8}));
  manual_seed(7);
  const V d2 = values(rand({8}));
  CHECK(d1 == d2);
  Generator seven(7);
  CHECK(values(rand({8}, {}, &seven)) == d1);
  CHECK(default_generator().seed() == 7);
}

TEST_CASE("a generator's offset advances, so consecutive calls differ") {
  Generator g(5);
  CHECK(g.seed() == 5);
  CHECK(g.offset() == 0);
  const V first = values(rand({10}, {}, &g));
  CHECK(g.offset() == 3);  // f32 uniform: 4 values per block, ceil(10 / 4)
  const V second = values(rand({10}, {}, &g));
  CHECK(g.offset() == 6);
  CHECK(first != second);
  randn({5}, {}, &g);
  CHECK(g.offset() == 9);  // normal: 2 values per block, ceil(5 / 2)
  randint(0, 10, {4}, {.dtype = DType::i64}, &g);
  CHECK(g.offset() == 11);  // randint: 2 values per block
  rand({5}, {.dtype = DType::f64}, &g);
  CHECK(g.offset() == 14);  // f64 uniform: 2 values per block
  rand({0}, {}, &g);
  CHECK(g.offset() == 14);
  // The second call continues the stream: element 0 of the second call is element 12 of a
  // single call of 16 (the first call used blocks 0..2 = 12 values).
  Generator h(5);
  const V joint = values(rand({16}, {}, &h));
  CHECK(second[0] == joint[12]);
  CHECK(first[0] == joint[0]);
  // manual_seed rewinds.
  g.manual_seed(5);
  CHECK(g.offset() == 0);
  CHECK(values(rand({10}, {}, &g)) == first);
  // Scalar draws consume one block each.
  Generator s(9);
  const double u = s.uniform();
  CHECK((u >= 0.0 && u < 1.0));
  CHECK(s.offset() == 1);
  CHECK(s.random_below(10) < 10u);
  CHECK(s.offset() == 2);
}

TEST_CASE("statistical sanity of randn, rand and randint") {
  Generator gen(2024);
  const int64_t n = 100000;
  for (DType dtype : {DType::f32, DType::f64}) {
    const V z = values(randn({n}, {.dtype = dtype}, &gen));
    double mean = 0;
    for (double v : z) mean += v;
    mean /= static_cast<double>(n);
    double var = 0;
    for (double v : z) var += (v - mean) * (v - mean);
    const double stddev = std::sqrt(var / static_cast<double>(n - 1));
    CHECK(std::abs(mean) < 0.02);
    CHECK(std::abs(stddev - 1.0) < 0.02);
    // About 68.3 % within one standard deviation.
    const auto within = std::count_if(z.begin(), z.end(), [](double v) { return std::abs(v) < 1.0; });
    CHECK(std::abs(static_cast<double>(within) / static_cast<double>(n) - 0.6827) < 0.01);

    const V u = values(rand({n}, {.dtype = dtype}, &gen));
    double umean = 0;
    for (double v : u) {
      CHECK_MESSAGE((v >= 0.0 && v < 1.0), "rand value " << v << " outside [0, 1)");
      umean += v;
    }
    umean /= static_cast<double>(n);
    CHECK(std::abs(umean - 0.5) < 0.01);
    const auto below_quarter = std::count_if(u.begin(), u.end(), [](double v) { return v < 0.25; });
    CHECK(std::abs(static_cast<double>(below_quarter) / static_cast<double>(n) - 0.25) < 0.01);
  }
  const std::vector<int64_t> k = randint(-5, 5, {10000}, {.dtype = DType::i64}, &gen).to_vector<int64_t>();
  std::set<int64_t> seen(k.begin(), k.end());
  CHECK(seen == std::set<int64_t>{-5, -4, -3, -2, -1, 0, 1, 2, 3, 4});
  for (int64_t value = -5; value < 5; ++value) {
    const auto count = std::count(k.begin(), k.end(), value);
    CHECK_MESSAGE((count > 850 && count < 1150), "value " << value << " drawn " << count << " times");
  }
}
