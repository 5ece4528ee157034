// data/transform.hpp — the Transform interface alone: what the DataLoader applies to each example
// it loads. The transforms themselves (flips, crops, resize, colour jitter, blur, noise, Compose)
// are declared in transforms_geometric.hpp, transforms_color.hpp and transforms.hpp, the umbrella
// users include.
#pragma once
#include <string>

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

}  // namespace fulcrum::data
