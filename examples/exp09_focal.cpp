// examples/exp09_focal.cpp — docs/REPRODUCTION.md experiment 9: focal loss (Lin et al. 2017, "Focal
// Loss for Dense Object Detection"; docs/LOSSES.md §4) against cross-entropy on MNIST-LT. The factor
// (1 − p_t)^γ shrinks the loss of the examples the model already gets right, so the hard ones —
// often the rare classes — weigh more. Three variants, all on the book's Net:
//   cross_entropy  nll_loss on the Net's log-probabilities: mean_n −log p_{n,y_n}
//   focal          softmax focal loss on the same log-probabilities, γ = 2, α = 1:
//                  mean_n −(1 − p_t)^γ · log p_t   (÷ N; FocalInput::log_probs)
//   sigmoid_focal  torchvision.ops.sigmoid_focal_loss on the RAW logits (BookNet(false)) against
//                  one-hot targets, α = .25, γ = 2, reduction "mean" = the mean over all N·C
//                  elements (torchvision's, and the book's CIFAR10_LT_Focal_Loss notebook):
//                  p = σ(x), p_t = p·y + (1 − p)(1 − y),
//                  l = (α·y + (1 − α)(1 − y)) · (1 − p_t)^γ · BCE(x, y)
//                  so the 9 negatives of every image weigh .75 each and its positive .25; the
//                  prediction is the argmax of the logits. ÷ N·C makes its gradients ~C times
//                  weaker than cross-entropy's: at the book's lr it learns slowly.
//   sigmoid_focal_retinanet  the same l, normalised as the paper's RetinaNet: summed and divided
//                  by the number of positives (one per image: ÷ N), and the last layer's bias
//                  initialised to −log((1 − π)/π), π = .01, so that training starts with every
//                  σ ≈ .01 instead of letting the negatives' loss dominate the first steps.
// The per-epoch test accuracy (the experiment's curve) is the epoch log, VARIANT.epochs.csv.
// Published (LDAM paper, CIFAR-10-LT ρ = 100, ResNet-32): ERM 29.64 % error, focal 29.62 %;
// the book shows focal loss near cross-entropy overall and slightly better on the rare classes.
//
//   exp09_focal --data DIR [--epochs 20] [--seed 1] [--quick] [--out DIR] [--variant sigmoid_focal]
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 8.
#include <cmath>

#include "examples/common/study.hpp"

using namespace fulcrum;

int main(int argc, char** argv) {
  const study::Experiment experiment{
      .number = 9,
      .title = "focal loss: softmax focal (gamma 2) and sigmoid focal (alpha .25, gamma 2) against cross-entropy",
      .variants = {"cross_entropy", "focal", "sigmoid_focal", "sigmoid_focal_retinanet"}};

  return study::main(argc, argv, experiment, [](study::Run& run) {
    // 1. Data: MNIST-LT (the protocol's, in study). 2. Model: the Net, with log_softmax except
    // for the sigmoid loss, which wants logits.
    const bool sigmoid = run.variant.rfind("sigmoid_focal", 0) == 0;
    const bool retinanet = run.variant == "sigmoid_focal_retinanet";
    auto model = study::book_net(/*log_softmax=*/!sigmoid);
    const int64_t classes = run.data.num_classes;
    if (retinanet) {
      NoGradGuard no_grad;
      model->fc2->bias.fill_(-std::log((1 - 0.01) / 0.01));  // ≈ −4.595
    }

    // 3. The loss of this variant.
    training::LossFunction loss;
    if (run.variant == "cross_entropy") {
      loss = [](const Tensor& log_probs, const Tensor& y) { return nll_loss(log_probs, y); };
    } else if (run.variant == "focal") {
      loss = [](const Tensor& log_probs, const Tensor& y) {
        return focal_loss(log_probs, y, {.gamma = 2.0, .input = FocalInput::log_probs});
      };
    } else {
      loss = [classes, retinanet](const Tensor& logits, const Tensor& y) {
        const Tensor one_hot_targets = one_hot(y, classes).to(logits.dtype());  // float 0/1 [N, C]
        if (!retinanet)  // torchvision's mean over all N·C elements
          return sigmoid_focal_loss(logits, one_hot_targets, {.alpha = 0.25, .gamma = 2.0, .reduction = Reduction::mean});
        const Tensor total = sigmoid_focal_loss(logits, one_hot_targets, {.alpha = 0.25, .gamma = 2.0, .reduction = Reduction::sum});
        return total / static_cast<double>(y.size(0));  // ÷ the number of positives, N
      };
    }

    // 4. Training: the book's recipe; the test accuracy of every epoch goes to the log.
    return run.fit(*model, loss);
  });
}
