// data/transforms.hpp — image preprocessing. Whole-set: u8 pixels → normalised f32, the work of
// torchvision's ToTensor + Normalize done once for all N images rather than per example.
// Per example: the Transform interface that the DataLoader applies to each example it loads
// (random flips, crops, jitter, noise …), drawing its randomness only from the Generator it is
// handed. Readers that give u8 images: idx.hpp, mnist.hpp.
#pragma once
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "core/tensor.hpp"

namespace fulcrum::data {

// A per-example transform (torchvision.transforms, with the RNG explicit). `input` is one
// example's tensor, e.g. an image [C, H, W] f32; the result may have another shape (a crop).
// All randomness comes from `generator`: the DataLoader hands every example a generator that
// depends only on (loader seed, epoch, position in the epoch), so augmented batches are the same
// whatever the number of workers. A transform holds no mutable state and may be called from
// several threads at once.
class Transform {
public:
  virtual ~Transform() = default;
  virtual Tensor operator()(const Tensor& input, Generator& generator) const = 0;
  // How it prints, torchvision style, e.g. "RandomHorizontalFlip(p=0.5)".
  virtual std::string repr() const = 0;
};

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
