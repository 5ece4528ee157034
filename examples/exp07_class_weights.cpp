// examples/exp07_class_weights.cpp — docs/REPRODUCTION.md experiment 7: class weights.
// sklearn's compute_class_weight('balanced') on the MNIST-LT counts, w_c = N / (C · n_c), printed
// as the book prints it; then the book's Net trained with plain NLL and with NLL weighted by w
// (PyTorch's weighted mean: Σ w_y · loss / Σ w_y), per-class test accuracy side by side.
// Book: plain ≈ 84.6 % (classes 8/9 ≈ 53/40 %), weighted ≈ 93.6 % (8/9 ≈ 88/82 %).
// The README's main job: with no --data it trains on Debian's Fashion-MNIST (long-tailed the same way).
//
//   exp07_class_weights --data DIR [--epochs 20] [--seed 1] [--quick] [--out DIR] [--variant weighted]
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 8.
#include <cstdio>

#include "examples/common/study.hpp"

using namespace fulcrum;

int main(int argc, char** argv) {
  const study::Experiment experiment{
      .number = 7,
      .title = "class weights: NLL against NLL weighted by compute_class_weight('balanced')",
      .variants = {"plain", "weighted"}};

  return study::main(argc, argv, experiment, [](study::Run& run) {
    // The weights come from the training counts only: w_c = N / (C · n_c).
    const Tensor weights = balanced_class_weights(run.data.counts);
    std::printf("class distribution (imbalance ratio %.1f:1):\n%s", metrics::imbalance_ratio(run.data.counts),
                metrics::class_distribution_chart(run.data.counts, {.width = 40}).c_str());
    if (run.variant == "weighted") {
      std::printf("compute_class_weight('balanced') =");
      for (double w : weights.to_vector()) std::printf(" %.8g", w);
      std::printf("\n");
    }
    const Tensor weight = run.variant == "weighted" ? weights : Tensor();

    auto model = study::book_net();
    return run.fit(*model, [&](const Tensor& log_probs, const Tensor& targets) {
      return nll_loss(log_probs, targets, {.weight = weight});
    });
  });
}
