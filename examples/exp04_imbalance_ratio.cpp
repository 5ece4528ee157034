// examples/exp04_imbalance_ratio.cpp — docs/REPRODUCTION.md experiment 4: how much imbalance hurts.
// The book's Net with plain NLL, trained on MNIST made imbalanced at the ratios ρ = 1, 10, 50,
// 100, 200 in two profiles (data/imbalance.hpp), each variant on its own training set:
//   long tail  n_c = int(6000 · (1/ρ)^(c/9))          (Cao et al. 2019; ρ = 100 is MNIST-LT)
//   step       n_c = 6000 for c < 5, int(6000 / ρ) for the five minority classes c ≥ 5
//              (Buda, Maki, Mazurowski 2018)
// MNIST has fewer than 6000 images of some digits (5923 zeros, 5421 fives, …): a class keeps what
// it has, so ρ = 1 is all of MNIST's 60,000 images. Reported per variant: the overall test
// accuracy and the minority accuracy = the mean per-class accuracy of classes 5–9 (the five
// smallest in both profiles), at the best and at the last epoch. Buda et al. find that
// imbalance harms more the larger ρ and the more classes are minorities (step hurts more than a
// long tail of the same ρ); the book shows the same trend for the long tail, no table to match.
//
//   exp04_imbalance_ratio --data DIR [--epochs 20] [--seed 1] [--quick] [--out DIR] [--variant step_100]
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 6.
#include <cstdio>
#include <string>
#include <vector>

#include "examples/common/study.hpp"

using namespace fulcrum;

namespace {

// A variant's data: "balanced" (ρ = 1), "long_tail_<ρ>" or "step_<ρ>".
struct Setting {
  study::Profile profile = study::Profile::long_tail;
  double ratio = 1;
};

Setting setting_of(const std::string& variant) {
  if (variant == "balanced") return {study::Profile::long_tail, 1.0};
  const bool step = variant.rfind("step_", 0) == 0;
  const std::string number = variant.substr(variant.rfind('_') + 1);
  return {step ? study::Profile::step : study::Profile::long_tail, std::stod(number)};
}

// Mean per-class accuracy over the minority classes 5 … 9.
double minority_accuracy(const training::Evaluation& evaluation) {
  double sum = 0;
  for (size_t c = 5; c < evaluation.per_class_accuracy.size(); ++c) sum += evaluation.per_class_accuracy[c];
  return sum / static_cast<double>(evaluation.per_class_accuracy.size() - 5);
}

// One line of the closing table (the points of the accuracy-against-ratio plot).
struct Point {
  std::string variant;
  int64_t train_size = 0;
  double best_overall = 0, best_minority = 0, last_overall = 0, last_minority = 0;
};

}  // namespace

int main(int argc, char** argv) {
  const study::Experiment experiment{
      .number = 4,
      .title = "accuracy against the imbalance ratio (long-tail and step profiles)",
      .variants = {"balanced", "long_tail_10", "long_tail_50", "long_tail_100", "long_tail_200", "step_10", "step_50",
                   "step_100", "step_200"},
      .description = "The Net with plain NLL on MNIST at imbalance ratios 1, 10, 50, 100, 200; minority accuracy = "
                     "mean accuracy of classes 5-9."};
  std::vector<Point> points;

  const int code = study::main(argc, argv, experiment, [&](study::Run& run) {
    // 1. Data: this variant's own imbalanced training set (the test set stays balanced).
    const Setting setting = setting_of(run.variant);
    run.use_data(study::load_imbalanced_mnist(run.options, setting.ratio, setting.profile));
    std::printf("%s: ratio %g, %lld training images, counts", run.variant.c_str(), setting.ratio,
                static_cast<long long>(run.data.train->size()));
    for (int64_t n : run.data.counts) std::printf(" %lld", static_cast<long long>(n));
    std::printf("\n");

    // 2. Model and loss: the book's Net and plain NLL, whatever the ratio.
    auto model = study::book_net();
    run.fit(*model, [](const Tensor& log_probs, const Tensor& targets) { return nll_loss(log_probs, targets); });

    // 3. Overall and minority accuracy at the best and the last epoch.
    if (!run.history.epochs.empty()) {
      const training::Evaluation& best = run.history.best().evaluation;
      const training::Evaluation& last = run.history.last().evaluation;
      points.push_back({run.variant, run.data.train->size(), best.accuracy, minority_accuracy(best), last.accuracy,
                        minority_accuracy(last)});
    }
    return run.history;
  });

  if (points.empty()) return code;  // --help, --list-variants, a bad command line or data
  std::printf("\naccuracy against the imbalance ratio (%%); minority = mean accuracy of classes 5-9\n");
  std::printf("%-16s %8s | %12s %12s | %12s %12s\n", "variant", "train", "best overall", "best minor.",
              "last overall", "last minor.");
  for (const Point& p : points) {
    std::printf("%-16s %8lld | %12.2f %12.2f | %12.2f %12.2f\n", p.variant.c_str(), static_cast<long long>(p.train_size),
                100 * p.best_overall, 100 * p.best_minority, 100 * p.last_overall, 100 * p.last_minority);
  }
  return code;
}
