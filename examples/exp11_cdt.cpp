// examples/exp11_cdt.cpp — docs/REPRODUCTION.md experiment 11: class-dependent temperatures (CDT,
// Ye et al. 2020; docs/LOSSES.md §7). Every class gets a temperature from the training counts,
//   a_c = (n_max / n_c)^γ            (1 for the largest class, growing for the rare ones),
// used in one of two forms that are NOT equivalent:
//   cross_entropy  −log p_y                      plain nll_loss on the Net's log-probabilities
//   cdt_paper      −log softmax(z / a)_y         the paper (BagofTricks-LT): each raw logit is
//                                                divided by its temperature before the softmax;
//                                                test time uses the raw logits. γ = 0.2
//                                                (BagofTricks' CIFAR-10-LT setting; --gamma-paper)
//   cdt_book       −log p_y / a_y                the book's notebook: log_softmax(z) / a then
//                                                nll_loss, i.e. cross-entropy with the unnormalised
//                                                class weight 1/a_y (rare classes slightly *down*-
//                                                weighted); mean ÷ N. γ = 0.014 (--gamma-book),
//                                                a = [1.0, 1.0070, …, 1.0664] as the book prints.
// The paper's form shrinks the rare classes' logits during training, so the network must make
// them larger to win: at test time, without the division, the rare classes are favoured.
// No published MNIST-LT numbers for CDT; the paper reports CIFAR (BagofTricks: 22.90 % error on
// CIFAR-10-LT IF100 with ResNet-32, against 29.64 % for plain cross-entropy).
//
//   exp11_cdt --data DIR [--epochs 20] [--seed 1] [--quick] [--gamma-paper 0.2] [--gamma-book 0.014]
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 8.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "examples/common/study.hpp"

using namespace fulcrum;

int main(int argc, char** argv) {
  const study::Experiment experiment{
      .number = 11,
      .title = "class-dependent temperatures: the paper's form on logits and the book's form on log-probabilities",
      .variants = {"cross_entropy", "cdt_paper", "cdt_book"}};
  double gamma_paper = 0.2;
  double gamma_book = 0.014;
  auto add_options = [&](CLI::App& app) {
    app.add_option("--gamma-paper", gamma_paper, "γ of cdt_paper: a_c = (n_max/n_c)^γ")->capture_default_str()
        ->check(CLI::Range(0.0, 10.0));
    app.add_option("--gamma-book", gamma_book, "γ of cdt_book")->capture_default_str()->check(CLI::Range(0.0, 10.0));
  };

  return study::main(argc, argv, experiment, [&](study::Run& run) {
    if (run.variant == "cross_entropy") {
      auto model = study::book_net();
      return run.fit(*model, [](const Tensor& log_probs, const Tensor& y) { return nll_loss(log_probs, y); });
    }
    const bool paper = run.variant == "cdt_paper";
    const double gamma = paper ? gamma_paper : gamma_book;
    const Tensor temperatures = cdt_temperatures(run.data.counts, gamma);
    std::printf("temperatures a (gamma %g) =", gamma);
    for (double a : temperatures.to_vector()) std::printf(" %.4f", a);
    std::printf("\n");

    if (paper) {  // raw logits in, raw logits out at test time
      auto model = study::book_net(/*log_softmax=*/false);
      return run.fit(*model, [&](const Tensor& logits, const Tensor& y) { return cdt_loss(logits, y, temperatures); });
    }
    auto model = study::book_net();  // the book's Net: log-probabilities
    return run.fit(*model, [&](const Tensor& log_probs, const Tensor& y) {
      return cdt_nll_loss(log_probs, y, temperatures);
    });
  }, add_options);
}
