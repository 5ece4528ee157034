// data/transforms.hpp — whole-set image preprocessing: u8 pixels → normalised f32, the work of
// torchvision's ToTensor + Normalize done once for all N images rather than per example.
// Per-example random transforms (flips, crops, noise; with an explicit RNG) come with the
// augmentation issue. Readers that give u8 images: idx.hpp, mnist.hpp.
#pragma once
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum::data {

// Per-channel mean and std of the pixels scaled to [0, 1]; one value applies to every channel.
struct Normalization {
  std::vector<double> mean;
  std::vector<double> std;
};

// The usual constants, computed over each training set (see the tests, which recompute them).
inline const Normalization mnist_normalization{.mean = {0.1307}, .std = {0.3081}};
inline const Normalization fashion_mnist_normalization{.mean = {0.2860}, .std = {0.3530}};

// (x / 255 − mean[c]) / std[c] for u8 images [N, H, W] (→ [N, 1, H, W]) or [N, C, H, W], as
// f32. The arithmetic is torchvision's on CPU, step by step in float:
// x.float().div(255).sub(mean).div(std). 60,000 MNIST images take a few milliseconds.
Tensor normalize_images(const Tensor& images, const Normalization& normalization);

}  // namespace fulcrum::data
