// examples/exp08_drw.cpp — docs/REPRODUCTION.md experiment 8: deferred re-weighting (DRW; Cao et al.
// 2019, "Learning Imbalanced Datasets with Label-Distribution-Aware Margin Loss", §3.3). Learn the
// features first with the plain loss, re-weight only afterwards:
//   stage 1, epochs 1 … 15:   nll_loss(log p, y)                          SGD(lr, momentum)
//   stage 2, epochs 16 … 30:  Σ_n w_{y_n}·(−log p_{n,y_n}) / Σ_n w_{y_n}   a FRESH SGD (no momentum
//                             carried over), w_c = N / (C · n_c) (sklearn 'balanced', as experiment 7)
// against `plain_30`, plain NLL for the same 30 epochs. So this program's default is 30 epochs, not
// the book's 20. With --epochs E (or --quick: E = 3) stage 1 has ceil(E / 2) epochs and stage 2
// the rest; the variant names keep the protocol's numbers. The second stage continues the epoch
// numbering, the epoch log and the shuffling order of the first (study::Run::fit).
// kaidic/LDAM-DRW switches at epoch 160 of 200 to class-balanced weights (β = 0.9999, DrwSchedule
// in losses/schedules.hpp) and keeps its optimiser; the book's two-stage recipe, followed here,
// uses the balanced weights and a fresh optimiser. Published (LDAM paper, CIFAR-10-LT ρ = 100,
// ResNet-32): ERM 29.64 % error, CB re-weighting from the start 27.63 %, DRW with CE (M-DRW) 24.94 %.
//
//   exp08_drw --data DIR [--epochs 30] [--seed 1] [--quick] [--out DIR] [--variant drw]
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 8.
#include <cstdio>

#include "examples/common/study.hpp"

using namespace fulcrum;

int main(int argc, char** argv) {
  const study::Experiment experiment{
      .number = 8,
      .title = "deferred re-weighting: 15 plain epochs, then 15 with balanced class weights and a fresh SGD",
      .variants = {"plain_30", "drw"},
      .description = "--epochs is the total of both stages (default 30); stage 1 has ceil(epochs / 2).",
      .epochs = 30};

  return study::main(argc, argv, experiment, [](study::Run& run) {
    // 1. Data: MNIST-LT. The stage-2 weights come from its training counts: w_c = N / (C · n_c).
    const int total = run.options.epochs;
    const int stage_1 = (total + 1) / 2;
    const Tensor weights = balanced_class_weights(run.data.counts);

    // 2. Model: the book's Net.
    auto model = study::book_net();
    const auto plain = [](const Tensor& log_probs, const Tensor& y) { return nll_loss(log_probs, y); };
    const auto weighted = [&](const Tensor& log_probs, const Tensor& y) {
      return nll_loss(log_probs, y, {.weight = weights});
    };

    // 3. Training. The baseline: every epoch plain.
    if (run.variant == "plain_30") return run.fit(*model, plain);

    // DRW, stage 1: plain NLL for ceil(E / 2) epochs.
    run.fit(*model, plain, [&](training::FitOptions& fit) { fit.epochs = stage_1; });
    if (run.history.diverged || total == stage_1) return run.history;

    // Stage 2: the weighted loss and a fresh SGD (run.fit builds a new one), the remaining epochs.
    std::printf("drw: epoch %d on, NLL weighted by compute_class_weight('balanced') and a fresh SGD\n", stage_1 + 1);
    return run.fit(*model, weighted, [&](training::FitOptions& fit) { fit.epochs = total - stage_1; });
  });
}
