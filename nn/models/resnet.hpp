// nn/models/resnet.hpp — the CIFAR ResNet of He et al. 2016 (§4.2), as used by LDAM-DRW (Cao et
// al. 2019, kaidic/LDAM-DRW models/resnet_cifar.py): depth 6n + 2 for 32×32 images —
//   conv3×3(3→16) → BN → ReLU → layer1 (n BasicBlocks, 16 ch) → layer2 (n, 32 ch, stride 2)
//   → layer3 (n, 64 ch, stride 2) → global average pool → linear (64 → num_classes).
// Names follow PyTorch's modules (conv1.weight, layer1.0.bn2.running_mean, layer2.0.shortcut.0.weight,
// linear.weight), so state dicts move to and from that code. The layers: nn/layers.hpp.
#pragma once
#include <memory>

#include "nn/container.hpp"
#include "nn/conv.hpp"
#include "nn/module.hpp"
#include "nn/normalization.hpp"

namespace fulcrum::nn::models {

// How a block whose shape changes (stride 2, more channels) carries x to the sum.
enum class Shortcut {
  projection,  // He et al.'s option B: 1×1 conv (stride s, no bias) + BN; "shortcut.0", "shortcut.1"
  padding,     // option A, kaidic's default: x[:, :, ::s, ::s] with zero channels added on both
               // sides; no parameters (ResNet-32 then has the paper's 0.46M parameters)
};

struct ResNetOptions {
  int64_t depth = 32;               // 6n + 2: 8, 20, 32, 44, 56, 110 (n BasicBlocks per stage)
  int64_t num_classes = 10;
  bool normed_linear = false;       // LDAM's cosine classifier (nn::NormedLinear) instead of Linear
  Shortcut shortcut = Shortcut::projection;
  int64_t in_channels = 3;
};

// out = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)); conv1 has the block's stride.
// The shortcut is the identity (an empty Sequential, no state) when the shape does not change.
class BasicBlock : public Module {
public:
  BasicBlock(int64_t in_planes, int64_t planes, int64_t stride, Shortcut shortcut);
  Tensor forward(const Tensor& x) override;  // [N, in_planes, H, W] → [N, planes, ⌈H/s⌉, ⌈W/s⌉]

  std::shared_ptr<Conv2d> conv1, conv2;
  std::shared_ptr<BatchNorm2d> bn1, bn2;
  std::shared_ptr<Sequential> shortcut;  // empty (identity or padding) or [Conv2d 1×1, BatchNorm2d]

private:
  int64_t planes_, stride_;
  bool pad_channels_ = false;  // option A: subsample and zero-pad in forward
};

class ResNet : public Module {
public:
  // Initialisation as LDAM-DRW (_weights_init): kaiming_normal_ with PyTorch's defaults (mode
  // fan_in, gain √2, so std = √(2 / (in · k²))) on every Conv2d and Linear weight; the Linear
  // bias, BatchNorm (weight 1, bias 0) and NormedLinear keep their own layers' initialisation.
  explicit ResNet(ResNetOptions options = {});
  Tensor forward(const Tensor& x) override;  // [N, in_channels, H, W] → logits [N, num_classes]
  std::string extra_repr() const override;

  ResNetOptions options;
  std::shared_ptr<Conv2d> conv1;
  std::shared_ptr<BatchNorm2d> bn1;
  std::shared_ptr<Sequential> layer1, layer2, layer3;  // children "0" … "n−1": BasicBlocks
  std::shared_ptr<Module> linear;                      // Linear or NormedLinear (64 → num_classes)
};

// Factories named after kaidic's resnet32(num_classes = 10, use_norm = False) and friends, with
// this file's default projection shortcuts (466,906 parameters for ResNet-32); kaidic's own
// LDAM-DRW model uses the padding shortcut (option A, 464,154): ResNet({.depth = 32,
// .shortcut = Shortcut::padding}). A kaidic state dict loads only into the latter.
ResNet resnet8(int64_t num_classes = 10, bool normed_linear = false);   // n = 1, for quick runs and tests
ResNet resnet20(int64_t num_classes = 10, bool normed_linear = false);  // n = 3
ResNet resnet32(int64_t num_classes = 10, bool normed_linear = false);  // n = 5

}  // namespace fulcrum::nn::models
