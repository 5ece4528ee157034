// examples/book_net.hpp — the book's convolutional Net for 28×28 grey images (docs/REPRODUCTION.md):
//   conv1 (1→10, 5×5) → max_pool 2 → relu → conv2 (10→20, 5×5) → Dropout2d(.5) → max_pool 2 →
//   relu → flatten (320) → fc1 (320→50) → relu → dropout(.5) → fc2 (50→10) → log_softmax.
// PyTorch's default initialisation (the layers' own). BookNet(false) returns the logits instead. Shared by the examples and bench/.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapters 6 and 8.
#pragma once
#include <memory>

#include "fulcrum.hpp"

namespace examples {

using namespace fulcrum;

class BookNet : public nn::Module {
public:
  // log_softmax = false: the Net without its last log_softmax (raw logits, for sigmoid losses).
  explicit BookNet(bool log_softmax = true) : nn::Module("Net"), log_softmax_(log_softmax) {
    conv1 = register_module("conv1", nn::Conv2d({.in_channels = 1, .out_channels = 10, .kernel_size = 5}));
    conv2 = register_module("conv2", nn::Conv2d({.in_channels = 10, .out_channels = 20, .kernel_size = 5}));
    conv2_drop = register_module("conv2_drop", nn::Dropout2d());
    fc1 = register_module("fc1", nn::Linear({.in_features = 320, .out_features = 50}));
    fc2 = register_module("fc2", nn::Linear({.in_features = 50, .out_features = 10}));
  }

  // x [N, 1, 28, 28] → log-probabilities [N, 10].
  Tensor forward(const Tensor& x) override {
    Tensor h = relu(F::max_pool2d((*conv1)(x), {.kernel_size = {2, 2}}));            // [N, 10, 12, 12]
    h = relu(F::max_pool2d((*conv2_drop)((*conv2)(h)), {.kernel_size = {2, 2}}));   // [N, 20, 4, 4]
    h = relu((*fc1)(h.flatten(1)));                                                  // [N, 50]
    h = F::dropout(h, 0.5, is_training());
    Tensor logits = (*fc2)(h);                                                       // [N, 10]
    return log_softmax_ ? log_softmax(logits, 1) : logits;
  }

  std::shared_ptr<nn::Conv2d> conv1, conv2;
  std::shared_ptr<nn::Dropout2d> conv2_drop;
  std::shared_ptr<nn::Linear> fc1, fc2;

private:
  bool log_softmax_ = true;
};

}  // namespace examples
