// tests/losses/class_weights.cpp — the class-weighting schemes of losses/class_weights.hpp:
// balanced (the book's MNIST-LT vector), class_counts, inverse (square-root) frequency in its named
// normalisations, effective number (Cui et al.), CDT temperatures, LDAM margins and class-difficulty
// (CDB) weights. Where the numbers come from: the vectors printed
// in docs/LOSSES.md §1, §5, §6, §7 (the book's prints, or numpy on the reference formulas, 4-8
// digits), and hand-derived cases worked out in the comments; the balanced weights are the vector
// printed in the book for MNIST-LT (docs/LOSSES.md §1).
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 8.
#include <doctest/doctest.h>

#include <cmath>
#include <initializer_list>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "losses/class_weights.hpp"
#include "tests/test_support.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;

namespace {

const std::vector<int64_t> kMnistLT = {5923, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60};
const std::vector<int64_t> kCifar10LT100 = {5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50};

// Elementwise |actual − expected| ≤ atol (the references print a fixed number of decimals).
void check_values(const Tensor& actual, const std::vector<double>& expected, double atol) {
  INFO("actual: " << actual);
  REQUIRE(actual.shape() == Shape{static_cast<int64_t>(expected.size())});
  const std::vector<double> values = actual.to_vector<double>();
  for (size_t c = 0; c < expected.size(); ++c) {
    INFO("class " << c);
    CHECK(std::abs(values[c] - expected[c]) <= atol);
  }
}
double total(const Tensor& t) { return sum(t.to(f64)).item(); }
// The targets T of tests/reference/losses_reference.py (as in cross_entropy.cpp).
Tensor T() { return tensor({2, 0, 1, 2}, {.dtype = i64}); }

}  // namespace

TEST_CASE("inverse_frequency_class_weights: the docs/LOSSES.md §1 variants on MNIST-LT") {
  // power 1, balanced = sklearn 'balanced' (the book's vector).
  check_values(inverse_frequency_class_weights(kMnistLT, {.dtype = f64}),
               {0.25002533, 0.41181869, 0.68687384, 1.14620743, 1.91330749, 3.19159483, 5.32697842, 8.92108434,
                14.809, 24.68166667},
               5e-9);
  // sqrt(balanced) (docs/LOSSES.md §1, 4 decimals).
  check_values(inverse_sqrt_frequency_class_weights(kMnistLT),
               {0.5, 0.6417, 0.8288, 1.0706, 1.3832, 1.7865, 2.3080, 2.9868, 3.8482, 4.9681}, 5e-5);
  // n^{-1/2} normalised to Σ = C (docs/LOSSES.md §1, 4 decimals).
  Tensor normalised = inverse_sqrt_frequency_class_weights(
      kMnistLT, {.normalization = InverseFrequencyNormalization::sum_to_classes, .dtype = f64});
  check_values(normalised, {0.2461, 0.3158, 0.4078, 0.5268, 0.6807, 0.8791, 1.1357, 1.4697, 1.8936, 2.4447}, 5e-5);
  CHECK(total(normalised) == doctest::Approx(10.0).epsilon(1e-14));
  // BagofTricks Square CS_CE: (n_min / n_c)^½ — the rarest class 1, class 0 sqrt(60/5923).
  Tensor tricks = inverse_sqrt_frequency_class_weights(
      kMnistLT, {.normalization = InverseFrequencyNormalization::relative_to_min, .dtype = f64});
  CHECK(tricks.at({9}) == 1.0);
  CHECK(tricks.at({0}) == doctest::Approx(std::sqrt(60.0 / 5923.0)).epsilon(1e-15));
  // Raw 1/n_c and power 0 (all ones).
  Tensor raw = inverse_frequency_class_weights({4, 2, 1}, {.normalization = InverseFrequencyNormalization::none, .dtype = f64});
  check_values(raw, {0.25, 0.5, 1.0}, 0.0);
  check_values(inverse_frequency_class_weights({4, 2, 1}, {.power = 0.0, .dtype = f64}), {1.0, 1.0, 1.0}, 0.0);
  // The sqrt variant ignores a power passed to it.
  check_values(inverse_sqrt_frequency_class_weights({4, 1}, {.power = 3.0, .normalization = InverseFrequencyNormalization::none, .dtype = f64}),
               {0.5, 1.0}, 0.0);
  CHECK(inverse_frequency_class_weights({4, 1}).dtype() == f32);
}

TEST_CASE("effective_number_class_weights: Cui et al. vectors of docs/LOSSES.md §5") {
  Tensor mnist = effective_number_class_weights(kMnistLT, 0.9999, {.dtype = f64});
  check_values(mnist, {0.05336, 0.07896, 0.12297, 0.19676, 0.32019, 0.52598, 0.86982, 1.44859, 2.39675, 3.98661}, 5e-6);
  CHECK(total(mnist) == doctest::Approx(10.0).epsilon(1e-14));
  check_values(effective_number_class_weights(kMnistLT, 0.999),
               {0.2115, 0.21687, 0.23852, 0.29076, 0.39133, 0.56797, 0.86873, 1.37844, 2.21552, 3.62035}, 5e-5);
  check_values(effective_number_class_weights(kCifar10LT100, 0.9999),
               {0.0506, 0.0769, 0.1211, 0.1950, 0.3188, 0.5246, 0.8683, 1.4426, 2.4092, 3.9927}, 5e-5);
  // β = 0: every class weighs 1 (1 − 0^n = 1 for n ≥ 1).
  check_values(effective_number_class_weights({100, 3, 1}, 0.0, {.dtype = f64}), {1.0, 1.0, 1.0}, 1e-15);
  // Hand-derived, unnormalised: β = ½, n = [1, 2] → α = (½)/(1 − ½) = 1 and (½)/(1 − ¼) = 2/3.
  check_values(effective_number_class_weights({1, 2}, 0.5, {.normalization = WeightNormalization::none, .dtype = f64}),
               {1.0, 2.0 / 3.0}, 1e-15);
  // The book's normalisation: Σ = 1/C.
  CHECK(total(effective_number_class_weights({1, 2}, 0.5, {.normalization = WeightNormalization::book})) ==
        doctest::Approx(0.5).epsilon(1e-6));
  // β close to 1 tends to inverse frequency ∝ 1/n (β^n via expm1 keeps the digits).
  Tensor near_one = effective_number_class_weights({1000, 10}, 1.0 - 1e-12, {.normalization = WeightNormalization::none, .dtype = f64});
  CHECK(near_one.at({1}) / near_one.at({0}) == doctest::Approx(100.0).epsilon(1e-6));
}

TEST_CASE("cdt_temperatures: the book's γ = 0.014 vector on MNIST-LT") {
  check_values(cdt_temperatures(kMnistLT, 0.014),
               {1.0, 1.0070, 1.0142, 1.0215, 1.0289, 1.0363, 1.0438, 1.0513, 1.0588, 1.0664}, 5e-5);
  // γ = 0: all ones; hand-derived γ = 1: n_max / n_c.
  check_values(cdt_temperatures({8, 2, 1}, 0.0, {.dtype = f64}), {1.0, 1.0, 1.0}, 0.0);
  check_values(cdt_temperatures({8, 2, 1}, 1.0, {.dtype = f64}), {1.0, 4.0, 8.0}, 1e-15);
}

TEST_CASE("ldam_margins: CIFAR-10-LT (IF 100) margins of docs/LOSSES.md §6") {
  Tensor margins = ldam_margins(kCifar10LT100);
  check_values(margins, {0.1581, 0.1797, 0.2042, 0.2321, 0.2638, 0.2998, 0.3407, 0.3872, 0.4405, 0.5}, 5e-5);
  // Hand-derived: n = [16, 1], max_m = 1 → n^{-1/4} = [½, 1] → [½, 1].
  check_values(ldam_margins({16, 1}, 1.0, {.dtype = f64}), {0.5, 1.0}, 1e-15);
  CHECK(ldam_margins(kCifar10LT100, 0.3, {.dtype = f64}).at({9}) == 0.3);
}

TEST_CASE("class_difficulty_weights: fixed and dynamic τ, both normalisations") {
  // Hand-derived: A = [0.9, 0.6, 0.0] → d = [0.1, 0.4, 1.0]; τ = 1.5:
  //   d^τ = [0.0316227766, 0.2529822128, 1.0], Σ = 1.2846049894.
  const std::vector<double> raw = {std::pow(0.1, 1.5), std::pow(0.4, 1.5), 1.0};
  const double s = raw[0] + raw[1] + raw[2];
  check_values(class_difficulty_weights({0.9, 0.6, 0.0}, {.normalization = WeightNormalization::none, .dtype = f64}), raw, 1e-15);
  check_values(class_difficulty_weights({0.9, 0.6, 0.0}, {.dtype = f64}),
               {raw[0] * 3 / s, raw[1] * 3 / s, raw[2] * 3 / s}, 1e-15);  // official: ·C/Σ
  check_values(class_difficulty_weights({0.9, 0.6, 0.0}, {.normalization = WeightNormalization::book, .dtype = f64}),
               {raw[0] / (s * 3), raw[1] / (s * 3), raw[2] / (s * 3)}, 1e-15);  // book: /(Σ·C)
  // Dynamic: τ = sigmoid((1 − 0.1)/(1 − 1.0 + 0.01)) = sigmoid(90) ≈ 1 (to 1e-39).
  check_values(class_difficulty_weights({0.9, 0.6, 0.0}, {.dynamic_tau = true, .normalization = WeightNormalization::none, .dtype = f64}),
               {0.1, 0.4, 1.0}, 1e-15);
  // Dynamic, A = [0.5, 0.75] → d = [0.5, 0.25], τ = sigmoid(0.75 / 0.51).
  const double tau = 1.0 / (1.0 + std::exp(-0.75 / 0.51));
  check_values(class_difficulty_weights({0.5, 0.75}, {.dynamic_tau = true, .normalization = WeightNormalization::none, .dtype = f64}),
               {std::pow(0.5, tau), std::pow(0.25, tau)}, 1e-15);
  // Epoch 0 of the official code: d = 1 everywhere → uniform weights.
  check_values(class_difficulty_weights({0.0, 0.0, 0.0, 0.0}, {.dynamic_tau = true, .dtype = f64}), {1, 1, 1, 1}, 1e-15);
  // A perfectly learnt class weighs 0.
  CHECK(class_difficulty_weights({1.0, 0.5}, {.dtype = f64}).at({0}) == 0.0);
  // NaN accuracy (class absent from validation) with a substitute: 0 → full difficulty.
  check_values(class_difficulty_weights({NAN, 0.75}, {.tau = 1.0, .normalization = WeightNormalization::none,
                                                      .nan_accuracy = 0.0, .dtype = f64}),
               {1.0, 0.25}, 1e-15);
}

TEST_CASE("class weights: bad input of the new schemes gives a clear fulcrum::Error") {
  CHECK_ERROR_CONTAINS(inverse_frequency_class_weights({3, 0}),
                      "inverse_frequency_class_weights: class 1 has no samples (count 0)");
  CHECK_ERROR_CONTAINS(inverse_sqrt_frequency_class_weights({3, -2}),
                      "inverse_frequency_class_weights: class 1 has a negative count -2");
  CHECK_ERROR_CONTAINS(inverse_frequency_class_weights({}), "inverse_frequency_class_weights: expected one count per class");
  CHECK_ERROR_CONTAINS(inverse_frequency_class_weights({3, 1}, {.power = -1.0}), "power must be finite and >= 0, got -1");
  CHECK_ERROR_CONTAINS(effective_number_class_weights({3, 0}, 0.99),
                      "effective_number_class_weights: class 1 has no samples (count 0)");
  CHECK_ERROR_CONTAINS(effective_number_class_weights({3, 1}, 1.0), "beta must be in [0, 1), got 1");
  CHECK_ERROR_CONTAINS(effective_number_class_weights({3, 1}, -0.5), "beta must be in [0, 1), got -0.5");
  CHECK_ERROR_CONTAINS(effective_number_class_weights({3, 1}, NAN), "beta must be in [0, 1)");
  CHECK_ERROR_CONTAINS(effective_number_class_weights({3, 1}, 0.9, {.dtype = i64}), "expected dtype f32 or f64, got i64");
  CHECK_ERROR_CONTAINS(cdt_temperatures({5, 0, 1}, 0.1), "cdt_temperatures: class 1 has no samples (count 0)");
  CHECK_ERROR_CONTAINS(cdt_temperatures({5, 1}, -0.1), "cdt_temperatures: gamma must be finite and >= 0, got -0.1");
  CHECK_ERROR_CONTAINS(ldam_margins({5, 0}), "ldam_margins: class 1 has no samples (count 0)");
  CHECK_ERROR_CONTAINS(ldam_margins({5, 1}, 0.0), "ldam_margins: max_m must be finite and > 0, got 0");
  CHECK_ERROR_CONTAINS(class_difficulty_weights({0.5, 1.2}),
                      "class_difficulty_weights: accuracies must be in [0, 1], got accuracy[1] = 1.2");
  CHECK_ERROR_CONTAINS(class_difficulty_weights({-0.1, 0.5}), "got accuracy[0] = -0.1");
  CHECK_ERROR_CONTAINS(class_difficulty_weights({0.5, NAN}),
                      "class_difficulty_weights: the accuracy of class 1 is NaN", "nan_accuracy");
  CHECK_ERROR_CONTAINS(class_difficulty_weights({}), "class_difficulty_weights: expected one accuracy per class");
  CHECK_ERROR_CONTAINS(class_difficulty_weights({1.0, 1.0}), "cannot normalise weights whose sum is 0");
  CHECK_ERROR_CONTAINS(class_difficulty_weights({0.5}, {.tau = -1.0}), "tau must be finite and >= 0, got -1");
  CHECK_ERROR_CONTAINS(class_difficulty_weights({NAN}, {.nan_accuracy = 2.0}), "nan_accuracy must be in [0, 1], got 2");
  // The edges that are valid.
  CHECK_NOTHROW((void)class_difficulty_weights({1.0, 1.0}, {.normalization = WeightNormalization::none}));
  CHECK_NOTHROW((void)effective_number_class_weights({1}, 0.0));
}

// ---- class weights ----
TEST_CASE("balanced_class_weights: reproduces the book's MNIST-LT vector") {
  const std::vector<int64_t> counts = {5923, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60};
  const std::vector<double> book = {0.25002533, 0.41181869, 0.68687384, 1.14620743, 1.91330749,
                                    3.19159483, 5.32697842, 8.92108434, 14.809, 24.68166667};
  Tensor weights = balanced_class_weights(counts);
  CHECK(weights.dtype() == f32);
  CHECK(weights.shape() == Shape{10});
  // The book prints 8 decimals: agree to that (f32 keeps ~7 significant digits).
  check_close(weights, from_vector(book, {10}, {.dtype = f64}), 1e-6);
  Tensor weights64 = balanced_class_weights(counts, {.dtype = f64});
  CHECK(weights64.dtype() == f64);
  check_close(weights64, from_vector(book, {10}, {.dtype = f64}), 2e-8);
  // Exactly N / (C · n_c): N = 14809, so the rarest class gets 14809 / 600.
  CHECK(weights64.at({9}) == doctest::Approx(14809.0 / 600.0).epsilon(1e-15));
  // A balanced data set gets all ones.
  check_close(balanced_class_weights({7, 7, 7}, {.dtype = f64}), ones({3}, {.dtype = f64}));
}

TEST_CASE("class_counts: from labels, as torch.bincount(minlength = C)") {
  Tensor labels = tensor({{2, 0, 2}, {2, 1, 0}}, {.dtype = i64});
  CHECK(class_counts(labels, 4) == std::vector<int64_t>{2, 1, 3, 0});
  CHECK(class_counts(zeros({0}, {.dtype = i64}), 2) == std::vector<int64_t>{0, 0});
  check_close(balanced_class_weights(class_counts(labels, 3), {.dtype = f64}),
              tensor({1.0, 2.0, 2.0 / 3.0}, {.dtype = f64}));  // 6 / (3 · [2, 1, 3])
}

TEST_CASE("class weights: bad input gives a clear fulcrum::Error") {
  CHECK_ERROR_CONTAINS(balanced_class_weights({10, 5, 0, 2}),
                   "balanced_class_weights: class 2 has no samples (count 0)");
  CHECK_ERROR_CONTAINS(balanced_class_weights({}), "balanced_class_weights: expected one count per class, got an empty list");
  CHECK_ERROR_CONTAINS(balanced_class_weights({3, -1}), "balanced_class_weights: class 1 has a negative count -1");
  CHECK_ERROR_CONTAINS(balanced_class_weights({3, 1}, {.dtype = i64}), "expected dtype f32 or f64, got i64");
  CHECK_ERROR_CONTAINS(class_counts(tensor({0, 3, 1}, {.dtype = i64}), 3),
                   "class_counts: label 3 (at position 1) is out of range for C = 3 classes");
  CHECK_ERROR_CONTAINS(class_counts(tensor({0.0, 1.0}, {.dtype = f64}), 3), "class_counts: labels must be i64");
  CHECK_ERROR_CONTAINS(class_counts(T(), 0), "class_counts: num_classes must be >= 1, got 0");
}
