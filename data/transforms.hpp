// data/transforms.hpp — image preprocessing; the header to include. Whole-set: u8 pixels →
// normalised f32, the work of torchvision's ToTensor + Normalize done once for all N images.
// Per example: the Transform interface (transform.hpp) that the DataLoader applies to each
// example it loads, and here Normalize, Compose, RandomApply and classes_below (which classes to
// augment); flips / crops / resize in transforms_geometric.hpp, colour / blur / noise in
// transforms_color.hpp. Transforms run in the loader on data, outside autograd: none is
// differentiable. Readers that give u8 images: idx.hpp, mnist.hpp.
//
//   auto augment = std::make_shared<Compose>(Compose::List{
//       std::make_shared<RandomCrop>(RandomCropOptions{.size = {28}, .padding = {2}}),
//       std::make_shared<RandomHorizontalFlip>()});
//   DataLoader loader(train, {.batch_size = 64, .transform = augment,
//                             .transform_classes = classes_below(class_counts(*train), 0.5)});
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "core/tensor.hpp"
#include "data/transform.hpp"
#include "data/transforms_color.hpp"
#include "data/transforms_geometric.hpp"

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

// ---- per-example transforms ----
// torchvision's F.normalize on one image [C, H, W] f32: out[c] = (x[c] − mean[c]) / std[c], in
// float (mean and std rounded to float first); one value applies to every channel; std ≠ 0.
Tensor normalize(const Tensor& image, const std::vector<double>& mean, const std::vector<double>& std);
class Normalize : public Transform {  // no draws
public:
  explicit Normalize(Normalization options);
  Tensor operator()(const Tensor& input, Generator& generator) const override;
  std::string repr() const override;  // Normalize(mean=[0.5], std=[0.25])
private:
  Normalization options_;
};

// The transforms in order, all drawing from the one generator (so the draws add up).
class Compose : public Transform {
public:
  using List = std::vector<std::shared_ptr<const Transform>>;
  explicit Compose(List transforms);
  Tensor operator()(const Tensor& input, Generator& generator) const override;
  std::string repr() const override;  // "Compose(\n    A\n    B\n)", as torchvision
  const List& transforms() const { return transforms_; }
private:
  List transforms_;
};

// torchvision.transforms.RandomApply: the transforms in order with probability p, else the input
// unchanged. Draws: 1 (u; applied when u < p), then the transforms' own draws only when applied.
class RandomApply : public Transform {
public:
  explicit RandomApply(Compose::List transforms, double p = 0.5);
  Tensor operator()(const Tensor& input, Generator& generator) const override;
  std::string repr() const override;  // "RandomApply(\n    p=0.5\n    A\n)", as torchvision
private:
  Compose::List transforms_;
  double p_;
};

// The minority classes to augment (DataLoaderOptions::transform_classes): every class c with
// counts[c] < fraction_of_max · max(counts), in increasing order. fraction_of_max in (0, 1]:
// 1 gives every class short of the largest; counts come from class_counts (dataset.hpp).
std::vector<int64_t> classes_below(const std::vector<int64_t>& counts, double fraction_of_max);

}  // namespace fulcrum::data
