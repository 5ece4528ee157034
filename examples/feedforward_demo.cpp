// examples/feedforward_demo.cpp — a 4 → 10 → 3 network trained with raw tensors: parameters
// with requires_grad, cross-entropy written out as log_softmax + gather, plain SGD (lr 0.01)
// by hand, 100 full-batch epochs on 100 random samples with 3 random classes. The loss falls.
#include <cmath>
#include <cstdio>

#include "fulcrum.hpp"

using namespace fulcrum;

int main() {
  manual_seed(0);
  const int64_t samples = 100, inputs = 4, hidden = 10, classes = 3, epochs = 100;
  const double lr = 0.01;

  // Data: random features, random labels (the network can only memorise them).
  Tensor features = randn({samples, inputs});
  Tensor labels = randint(0, classes, {samples});

  // Parameters, initialised like PyTorch's nn.Linear: U(−1/√fan_in, 1/√fan_in).
  auto linear_init = [](int64_t fan_in, const Shape& shape) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
    return uniform(shape, -bound, bound, {.requires_grad = true});
  };
  Tensor w1 = linear_init(inputs, {inputs, hidden}), b1 = linear_init(inputs, {hidden});
  Tensor w2 = linear_init(hidden, {hidden, classes}), b2 = linear_init(hidden, {classes});

  double first_loss = 0, last_loss = 0;
  for (int64_t epoch = 1; epoch <= epochs; ++epoch) {
    // Forward: relu(x W1 + b1) W2 + b2 → logits [100, 3].
    Tensor h = relu(matmul(features, w1) + b1);
    Tensor logits = matmul(h, w2) + b2;
    // Cross-entropy: mean over samples of −log softmax(logits)[label].
    Tensor log_probs = log_softmax(logits, 1);
    Tensor loss = -mean(gather(log_probs, 1, labels.unsqueeze(1)));

    for (Tensor* p : {&w1, &b1, &w2, &b2}) p->set_grad(Tensor());  // zero_grad
    loss.backward();
    {
      NoGradGuard no_grad;  // the update itself is not part of the graph
      for (Tensor* p : {&w1, &b1, &w2, &b2}) p->sub_(p->grad() * lr);
    }

    last_loss = loss.item();
    if (epoch == 1) first_loss = last_loss;
    std::printf("epoch %3lld  loss %.6f\n", static_cast<long long>(epoch), last_loss);
  }
  std::printf("loss fell from %.6f to %.6f\n", first_loss, last_loss);
  return last_loss < first_loss ? 0 : 1;
}
