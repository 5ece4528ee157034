// data/transforms_geometric.hpp — transforms that move pixels: flips, quarter turns, pads, crops,
// bilinear resize and the random resized crop (torchvision.transforms and its functional
// namespace, tensor path of 0.14). Images are [C, H, W]; f32 and u8 are both accepted (u8 as in
// torchvision: resize interpolates in float and rounds half to even). Colour, blur and noise:
// transforms_color.hpp. They run in the loader on data: nothing here records autograd.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "data/transform.hpp"

namespace fulcrum::data {

// ---- functions (torchvision.transforms.functional) ----
Tensor hflip(const Tensor& image);  // out[c, i, j] = in[c, i, W−1−j]
Tensor vflip(const Tensor& image);  // out[c, i, j] = in[c, H−1−i, j]
// torch.rot90(image, k, dims=[1, 2]): k quarter turns counter-clockwise (k may be negative);
// k = 1 gives out[c, i, j] = in[c, j, W−1−i], shape [C, W, H].
Tensor rot90(const Tensor& image, int64_t k);

// Padding modes of F.pad, for an image row 0 1 2 3 padded by 2 on each side:
//   constant  f f|0 1 2 3|f f    edge       0 0|0 1 2 3|3 3
//   reflect   2 1|0 1 2 3|2 1    symmetric  1 0|0 1 2 3|3 2
// reflect needs padding < the size of that side, symmetric ≤ it (one reflection, as torch's).
enum class PaddingMode { constant, edge, reflect, symmetric };
// padding: {all}, {left/right, top/bottom} or {left, top, right, bottom}, each ≥ 0.
Tensor pad(const Tensor& image, const std::vector<int64_t>& padding, double fill = 0.0,
           PaddingMode padding_mode = PaddingMode::constant);
// image[:, top : top+height, left : left+width]; the part outside the image is 0 (F.crop).
Tensor crop(const Tensor& image, int64_t top, int64_t left, int64_t height, int64_t width);
// The centred window: top = round((H − h) / 2), left = round((W − w) / 2), Python's round (half to
// even); a window larger than the image pads it with zeros first, ⌊excess/2⌋ before and the rest
// after. size {s} or {h, w}.
Tensor center_crop(const Tensor& image, const std::vector<int64_t>& size);

// Bilinear resize, torch.nn.functional.interpolate(align_corners=False, antialias=False) — the
// tensor default of torchvision 0.14 (antialias=None means False there). Output pixel (i, j) reads
// the input at the real coordinates
//   y = max(0, (i + 0.5)·H/h − 0.5),  x = max(0, (j + 0.5)·W/w − 0.5)
// y0 = ⌊y⌋, y1 = min(y0 + 1, H − 1), λy = y − y0 (same for x), and
//   out = (1−λy)·[(1−λx)·in[y0, x0] + λx·in[y0, x1]] + λy·[(1−λx)·in[y1, x0] + λx·in[y1, x1]]
// with the scale H/h a float, y and λ in double, λ rounded to float, the sums in float, as
// PyTorch 1.13's CPU kernel. size {s}: the smaller edge becomes s and the other
// ⌊s·long/short⌋ (then capped at max_size, as torchvision); {h, w}: exactly h × w. An output the
// size of the input returns the input unchanged.
Tensor resize(const Tensor& image, const std::vector<int64_t>& size,
              std::optional<int64_t> max_size = std::nullopt);
// crop(image, top, left, height, width) then resize to size ({s} = s × s here, or {h, w}).
Tensor resized_crop(const Tensor& image, int64_t top, int64_t left, int64_t height, int64_t width,
                    const std::vector<int64_t>& size);

// ---- random transforms. The blocks each call takes from the generator are listed per class
// (in a Compose the next transform continues the same stream). ----
struct RandomFlipOptions {
  double p = 0.5;
};
// Flips when u < p, u = generator.uniform() (1 draw), as torchvision's `torch.rand(1) < p`.
class RandomHorizontalFlip : public Transform {
public:
  explicit RandomHorizontalFlip(RandomFlipOptions options = {});
  Tensor operator()(const Tensor& input, Generator& generator) const override;
  std::string repr() const override;  // RandomHorizontalFlip(p=0.5)
private:
  RandomFlipOptions options_;
};
class RandomVerticalFlip : public Transform {
public:
  explicit RandomVerticalFlip(RandomFlipOptions options = {});
  Tensor operator()(const Tensor& input, Generator& generator) const override;
  std::string repr() const override;  // RandomVerticalFlip(p=0.5)
private:
  RandomFlipOptions options_;
};

// Not in torchvision: rot90 by a k drawn uniformly from `k` (1 draw: random_below(k.size())).
// {0, 1, 2, 3} gives the 4 rotations of the square's symmetry group; {0, 2} keeps H × W.
struct RandomRotation90Options {
  std::vector<int64_t> k = {0, 1, 2, 3};
};
class RandomRotation90 : public Transform {
public:
  explicit RandomRotation90(RandomRotation90Options options = {});
  Tensor operator()(const Tensor& input, Generator& generator) const override;
  std::string repr() const override;  // RandomRotation90(k=[0, 1, 2, 3])
private:
  RandomRotation90Options options_;
};

// torchvision.transforms.RandomCrop: pad by `padding` (if given), pad the width / height up to
// the crop size when pad_if_needed, then a window at top = random_below(H − h + 1),
// left = random_below(W − w + 1) (2 draws, always). A crop larger than the padded image: Error.
struct RandomCropOptions {
  std::vector<int64_t> size;             // {s} or {h, w}
  std::vector<int64_t> padding = {};     // empty = None; else as pad()
  bool pad_if_needed = false;
  double fill = 0.0;
  PaddingMode padding_mode = PaddingMode::constant;
};
class RandomCrop : public Transform {
public:
  explicit RandomCrop(RandomCropOptions options);
  Tensor operator()(const Tensor& input, Generator& generator) const override;
  std::string repr() const override;  // RandomCrop(size=(32, 32), padding=4)
private:
  RandomCropOptions options_;
};

struct CenterCropOptions {
  std::vector<int64_t> size;  // {s} or {h, w}
};
class CenterCrop : public Transform {  // deterministic: no draws
public:
  explicit CenterCrop(CenterCropOptions options);
  Tensor operator()(const Tensor& input, Generator& generator) const override;
  std::string repr() const override;  // CenterCrop(size=(3, 4))
private:
  CenterCropOptions options_;
};

struct ResizeOptions {
  std::vector<int64_t> size;  // {s}: smaller edge; {h, w}: exact
  std::optional<int64_t> max_size = std::nullopt;
};
class Resize : public Transform {  // deterministic: no draws; bilinear, antialias=False
public:
  explicit Resize(ResizeOptions options);
  Tensor operator()(const Tensor& input, Generator& generator) const override;
  // Resize(size=[4, 6], interpolation=bilinear, max_size=None, antialias=None)
  std::string repr() const override;
private:
  ResizeOptions options_;
};

// torchvision.transforms.RandomResizedCrop: a box of area s·H·W and aspect w/h = r, with
// s ~ U[scale] and log r ~ U[log ratio], w = round(√(s·H·W·r)), h = round(√(s·H·W / r)) (Python's
// round), accepted when 0 < w ≤ W and 0 < h ≤ H, placed at top ~ U{0 … H−h}, left ~ U{0 … W−w};
// up to 10 attempts, then the fallback: the largest centred box whose aspect is clamped to the
// ratio range. The box is then resized bilinearly to `size`. Draws: 2 per attempt (uniform for s,
// uniform for log r) and 2 for the accepted box's position (random_below), so 4 … 22. The
// algorithm is torchvision's; the numbers are not torch's (our generator is Philox, not mt19937).
struct RandomResizedCropOptions {
  std::vector<int64_t> size;  // {s} or {h, w}
  std::array<double, 2> scale = {0.08, 1.0};
  std::array<double, 2> ratio = {3.0 / 4.0, 4.0 / 3.0};
};
struct CropBox {
  int64_t top, left, height, width;
};
class RandomResizedCrop : public Transform {
public:
  explicit RandomResizedCrop(RandomResizedCropOptions options);
  Tensor operator()(const Tensor& input, Generator& generator) const override;
  // The box for an image of height × width (RandomResizedCrop.get_params); the same draws as ().
  CropBox get_params(int64_t height, int64_t width, Generator& generator) const;
  // RandomResizedCrop(size=(32, 32), scale=(0.08, 1.0), ratio=(0.75, 1.3333),
  //                   interpolation=bilinear, antialias=None)
  std::string repr() const override;
private:
  RandomResizedCropOptions options_;
};

}  // namespace fulcrum::data
