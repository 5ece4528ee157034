// examples/exp12_cdb.cpp — docs/REPRODUCTION.md experiment 12: the class-wise difficulty-balanced
// (CDB) loss of Sinha et al. (ACCV 2020; docs/LOSSES.md §8), as the book's notebook runs it.
// After every epoch, the per-class accuracy A_c on a validation set gives each class a difficulty
// and the next epoch's weight:
//   d_c = 1 − A_c,   w_c = d_c^τ  (τ = 1.5, --tau),   rescaled to Σ_c w_c = C
//   L = Σ_n −w_{y_n} log p_{n,y_n} / Σ_n w_{y_n}     the book's NLLLoss(weight = w) on log-probs
// (cdb_loss takes logits; the Net's log-probabilities are valid ones: log_softmax(log p) = log p).
// The first epoch uses uniform weights; epoch t's accuracies weigh epoch t + 1 (the training
// callback on_epoch_end does the update). A class classified perfectly on validation gets w = 0
// until it slips (cdb_loss returns 0, not NaN, for a batch of such classes only).
// Validation, as the book: 20 % of the *imbalanced* training set, never trained on; the other
// 80 % are the training set of BOTH variants (the book: SubsetRandomSampler), so the baseline is
// trained on the same images. The split is stratified here (the book's is a plain random 20 %
// with numpy seed 42), so every class, also the rarest, is in the validation set: 12 of class 9's
// 60 images. The official code uses a balanced validation set (25 per class) taken before the
// imbalance, and divides by N instead of Σ w (docs/LOSSES.md §8): not what the book does.
// Expect the weights to swing: a class near 100 % on validation gets w ≈ 0, is neglected for an
// epoch, drops, and then gets a large weight (seed 1: validation accuracy 90 %, 41 %, 89 %, 61 %,
// 92 % over the first five epochs, as classes 0 and 1 go from w ≈ 0.001 to ≈ 2.8 and back).
// No published MNIST-LT figure for CDB.
//
//   exp12_cdb --data DIR [--epochs 20] [--seed 1] [--quick] [--tau 1.5]
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 8.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "examples/common/study.hpp"

using namespace fulcrum;

int main(int argc, char** argv) {
  const study::Experiment experiment{
      .number = 12,
      .title = "class-wise difficulty-balanced loss: weights from the previous epoch's validation accuracy",
      .variants = {"cross_entropy", "cdb"}};
  double tau = 1.5;
  auto add_options = [&](CLI::App& app) {
    app.add_option("--tau", tau, "exponent τ of w_c = (1 − A_c)^τ")->capture_default_str()->check(CLI::Range(0.0, 10.0));
  };

  return study::main(argc, argv, experiment, [&](study::Run& run) {
    // 20 % of the training images for validation; training draws a random order of the other
    // 80 % every epoch (weights 1 on them and 0 on the validation images, without replacement).
    const data::Split split = data::train_validation_split(
        run.data.train->targets(), {.validation_fraction = 0.2, .stratify = true, .seed = run.options.seed});
    std::vector<double> in_training(static_cast<size_t>(run.data.train->size()), 0.0);
    for (int64_t i : split.train) in_training[static_cast<size_t>(i)] = 1.0;
    run.sampler = std::make_shared<data::WeightedRandomSampler>(
        in_training, static_cast<int64_t>(split.train.size()), /*replacement=*/false, Generator(run.options.seed));
    data::DataLoader validation(std::make_shared<data::Subset>(run.data.train, split.validation), {.batch_size = 1000});
    std::printf("training on %zu images, validating on %zu\n", split.train.size(), split.validation.size());

    auto model = study::book_net();
    if (run.variant == "cross_entropy")
      return run.fit(*model, [](const Tensor& log_probs, const Tensor& y) { return nll_loss(log_probs, y); });

    ClassDifficultyUpdater updater(run.data.num_classes, {.tau = tau});
    Tensor weight = updater.weights();  // uniform in the first epoch
    const CdbLossOptions options{.normalization = CdbNormalization::total_weight};
    auto loss = [&](const Tensor& log_probs, const Tensor& y) { return cdb_loss(log_probs, y, weight, options); };

    return run.fit(*model, loss, [&](training::FitOptions& fit) {
      fit.on_epoch_end = [&](const training::EpochRecord& record) {
        const training::Evaluation on_validation = training::evaluate(*model, validation);
        weight = updater.update(on_validation.per_class_accuracy);
        std::printf("  epoch %d: validation accuracy %.2f %%, next epoch's weights", record.epoch,
                    100 * on_validation.accuracy);
        for (double w : weight.to_vector()) std::printf(" %.3f", w);
        std::printf("\n");
      };
    });
  }, add_options);
}
