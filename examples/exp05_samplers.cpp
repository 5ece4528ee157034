// examples/exp05_samplers.cpp — docs/REPRODUCTION.md experiment 5: data-level re-balancing. The book's
// Net and plain NLL on MNIST-LT; only the ORDER in which the training images are visited changes
// (data/sampler.hpp holds each sampler's formula and citation; docs/LOSSES.md §17):
//   plain                   shuffled, every image once per epoch (the baseline)
//   random_over             imblearn RandomOverSampler: every class up to n_max (10 × 5923 per epoch)
//   random_under            imblearn RandomUnderSampler: every class down to n_min (10 × 60 per epoch)
//   weighted_random         torch WeightedRandomSampler, weight 1/n_c per image, N draws with
//                           replacement (the book's compute_sample_weight('balanced') up to a scale)
//   class_balanced          Kang et al. 2020: a class with p_c = 1/C, then an image of it
//   square_root             the same with p_c ∝ √n_c
//   progressively_balanced  p_c(t) = (1 − t/T)·n_c/N + (t/T)/C over the run's T epochs
//   label_shuffling         Hikvision's "class reorganisation": every class n_max times per epoch
//   batch_balanced          every batch holds the same number of images of every class
//   dynamic                 the book's dynamic sampler (ch. 7): after every epoch, class weights
//                           w_c = (1 − F1_c) · C / Σ_k (1 − F1_k) from the per-class F1 of that
//                           epoch's evaluation — the TEST set, as the book does (a leak the book
//                           makes; the weights only steer sampling, the model never sees the test
//                           labels' gradients). Every image of class c then has weight w_c (the
//                           book's rule, so class c is drawn ∝ n_c · w_c), N draws with
//                           replacement. Epoch 1 uses compute_sample_weight('balanced').
//                           The book trains this one with lr 0.1; here every sampler uses --lr.
// Published figures (BagofTricks, CIFAR-10-LT, not MNIST): class-balanced, square-root and
// progressive sampling all beat the plain baseline; over-sampling dominates under-sampling
// (Buda et al. 2018). No MNIST-LT table to match.
//
//   exp05_samplers --data DIR [--epochs 20] [--seed 1] [--quick] [--out DIR] [--variant dynamic]
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapters 6 and 8 (the Net), chapter 7 (the dynamic sampler).
#include <algorithm>
#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

#include "examples/common/study.hpp"

using namespace fulcrum;

namespace {

// The book's DynamicSampler: torch.multinomial over per-image weights w_{y_i}, N draws with
// replacement. Unlike the library's samplers it is not a pure function of the epoch: its class
// weights are replaced between epochs (on_epoch_end), and the next epoch draws with them.
class DynamicSampler : public data::Sampler {
public:
  DynamicSampler(std::vector<int64_t> targets, std::vector<double> class_weights, Generator generator)
      : targets_(std::move(targets)), class_weights_(std::move(class_weights)), generator_(generator) {}
  int64_t size() const override { return static_cast<int64_t>(targets_.size()); }
  std::vector<int64_t> indices(int64_t epoch) const override {
    std::vector<double> weights(targets_.size());
    for (size_t i = 0; i < targets_.size(); ++i) weights[i] = class_weights_[static_cast<size_t>(targets_[i])];
    Generator generator = data::epoch_generator(generator_, epoch);
    return data::multinomial(weights, size(), /*replacement=*/true, generator);
  }
  void set_class_weights(std::vector<double> class_weights) { class_weights_ = std::move(class_weights); }

private:
  std::vector<int64_t> targets_;
  std::vector<double> class_weights_;
  Generator generator_;
};

// The book's update: w_c = (1 − F1_c) · C / Σ_k (1 − F1_k). Every F1 = 1 leaves nothing to
// re-weight (0/0): the old weights stay.
void update_from_f1(DynamicSampler& sampler, const training::Evaluation& evaluation) {
  const std::vector<double> f1 = metrics::precision_recall_fscore_support(evaluation.confusion).f1;
  double total = 0;
  for (double f : f1) total += 1 - f;
  if (total <= 0) return;
  std::vector<double> weights;
  std::printf("dynamic: class weights for the next epoch");
  for (double f : f1) {
    weights.push_back((1 - f) * static_cast<double>(f1.size()) / total);
    std::printf(" %.3f", weights.back());
  }
  std::printf("\n");
  sampler.set_class_weights(std::move(weights));
}

}  // namespace

int main(int argc, char** argv) {
  const study::Experiment experiment{
      .number = 5,
      .title = "re-sampling: over / under, weighted, class-aware, label shuffling, balanced batches, dynamic",
      .variants = {"plain", "random_over", "random_under", "weighted_random", "class_balanced", "square_root",
                   "progressively_balanced", "label_shuffling", "batch_balanced", "dynamic"}};

  return study::main(argc, argv, experiment, [](study::Run& run) {
    // 1. Data: MNIST-LT; the samplers only need its labels.
    const std::vector<int64_t> targets = run.data.train->targets();
    const std::vector<int64_t>& counts = run.data.counts;
    const Generator generator(run.options.seed);
    const std::string& v = run.variant;

    // 2. The sampler of this variant (plain: none, the loader shuffles).
    std::shared_ptr<DynamicSampler> dynamic;
    if (v == "random_over") run.sampler = std::make_shared<data::RandomOverSampler>(targets, generator);
    if (v == "random_under") run.sampler = std::make_shared<data::RandomUnderSampler>(targets, generator);
    if (v == "class_balanced") run.sampler = std::make_shared<data::ClassBalancedSampler>(targets, generator);
    if (v == "square_root") run.sampler = std::make_shared<data::SquareRootSampler>(targets, generator);
    if (v == "label_shuffling") run.sampler = std::make_shared<data::LabelShufflingSampler>(targets, generator);
    if (v == "progressively_balanced")
      run.sampler = std::make_shared<data::ProgressivelyBalancedSampler>(targets, run.options.epochs, generator);
    if (v == "weighted_random" || v == "dynamic") {
      // compute_sample_weight('balanced'): N / (C · n_{y_i}) per image (∝ 1/n_{y_i}).
      const std::vector<double> class_weights = balanced_class_weights(counts, {.dtype = DType::f64}).to_vector();
      std::vector<double> weights;
      for (int64_t y : targets) weights.push_back(class_weights[static_cast<size_t>(y)]);
      if (v == "weighted_random") {
        run.sampler = std::make_shared<data::WeightedRandomSampler>(weights, static_cast<int64_t>(targets.size()),
                                                                    /*replacement=*/true, generator);
      } else {
        run.sampler = dynamic = std::make_shared<DynamicSampler>(targets, class_weights, generator);
      }
    }
    if (v == "batch_balanced") {
      // The batch must split evenly over the classes: 64 → 60 (6 images of each of 10 classes).
      const int64_t classes = run.data.num_classes;
      const int64_t batch = std::max(classes, run.options.batch_size / classes * classes);
      std::printf("batch_balanced: batches of %lld (%lld per class)\n", static_cast<long long>(batch),
                  static_cast<long long>(batch / classes));
      run.batch_sampler = std::make_shared<data::BalancedBatchSampler>(targets, batch, generator);
    }

    // 3. Model, loss and training: the same for every sampler.
    auto model = study::book_net();
    return run.fit(
        *model, [](const Tensor& log_probs, const Tensor& y) { return nll_loss(log_probs, y); },
        [&](training::FitOptions& fit) {
          if (dynamic) fit.on_epoch_end = [&](const training::EpochRecord& r) { update_from_f1(*dynamic, r.evaluation); };
        });
  });
}
