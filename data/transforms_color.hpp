// data/transforms_color.hpp — transforms that change pixel values, not positions: grayscale,
// brightness / contrast / saturation (ColorJitter), Gaussian blur (torchvision 0.14's tensor
// formulas) and additive Gaussian noise (torchvision.transforms.v2.GaussianNoise of 0.19). Images
// are [C, H, W] in [0, 1] as f32; u8 (in [0, 255]) is accepted where torchvision accepts it, said
// per function. Flips, crops and resizing: transforms_geometric.hpp.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "data/transform.hpp"

namespace fulcrum::data {

// ---- functions (torchvision.transforms.functional) ----
// ITU-R 601 luma, L = 0.2989·R + 0.587·G + 0.114·B, for C = 3 (C = 1 is returned as is);
// [1, H, W], or the luma repeated into [3, H, W] when num_output_channels = 3. f32 or u8 (u8: L
// computed in float and truncated, as torch's .to(uint8)).
Tensor rgb_to_grayscale(const Tensor& image, int64_t num_output_channels = 1);

// All three blend the image with a reference image and clamp to [0, bound] (bound 1 for f32,
// 255 for u8, where the result is truncated): out = clamp(f·image + (1 − f)·reference).
//   brightness: reference = 0 (black)                  — any number of channels
//   contrast:   reference = mean of rgb_to_grayscale(image) over all pixels (a constant);
//               for C = 1 the mean of the image       — C ∈ {1, 3}
//   saturation: reference = rgb_to_grayscale(image), per pixel; C = 1 is returned unchanged
// f = 1 gives the image back, f = 0 the reference; factor ≥ 0.
Tensor adjust_brightness(const Tensor& image, double brightness_factor);
Tensor adjust_contrast(const Tensor& image, double contrast_factor);
Tensor adjust_saturation(const Tensor& image, double saturation_factor);

// Gaussian blur with kernel_size {k} or {kx, ky} (odd, ≥ 1) and sigma {s} or {sx, sy} (> 0).
// 1-D kernel: x_i = i − (k−1)/2 for i = 0 … k−1, g_i = exp(−x_i² / (2σ²)) / Σ_j exp(−x_j² / (2σ²)).
// The 2-D kernel g_y ⊗ g_x is applied as two 1-D passes (rows, then columns) over the image
// padded by (k−1)/2 in reflect mode (needs (k−1)/2 < that side). torchvision convolves once with
// the outer product: the same sums, rounded differently (≈1e-7). f32, or u8 (computed in float,
// rounded half to even).
Tensor gaussian_blur(const Tensor& image, const std::vector<int64_t>& kernel_size,
                     const std::vector<double>& sigma);

// ---- transforms. Draws per call are listed; they do not depend on the image. ----
// torchvision.transforms.ColorJitter without hue. A value v (≥ 0) picks the factor from
// [max(0, 1 − v), 1 + v]; v = 0 disables it (no draw). The three adjustments are applied in a
// random order, as torchvision does (it draws torch.randperm(4) with hue).
// Draws: 1 (the order: random_below(6)), then 1 uniform per enabled factor, in the order
// brightness, contrast, saturation.
struct ColorJitterOptions {
  double brightness = 0.0;
  double contrast = 0.0;
  double saturation = 0.0;
};
struct ColorJitterParams {
  std::array<int, 3> order;  // 0 = brightness, 1 = contrast, 2 = saturation, in application order
  // The drawn factors; unset when that adjustment is disabled.
  std::optional<double> brightness = std::nullopt;
  std::optional<double> contrast = std::nullopt;
  std::optional<double> saturation = std::nullopt;
};
class ColorJitter : public Transform {
public:
  explicit ColorJitter(ColorJitterOptions options = {});
  Tensor operator()(const Tensor& input, Generator& generator) const override;
  ColorJitterParams get_params(Generator& generator) const;  // the draws of one call
  // ColorJitter(brightness=[0.6, 1.4], contrast=None, saturation=None, hue=None)
  std::string repr() const override;
private:
  ColorJitterOptions options_;
};

struct GrayscaleOptions {
  int64_t num_output_channels = 1;  // 1 or 3
};
class Grayscale : public Transform {  // no draws
public:
  explicit Grayscale(GrayscaleOptions options = {});
  Tensor operator()(const Tensor& input, Generator& generator) const override;
  std::string repr() const override;  // Grayscale(num_output_channels=1)
private:
  GrayscaleOptions options_;
};

// Grayscale with as many output channels as input channels, when u < p (1 draw).
struct RandomGrayscaleOptions {
  double p = 0.1;
};
class RandomGrayscale : public Transform {
public:
  explicit RandomGrayscale(RandomGrayscaleOptions options = {});
  Tensor operator()(const Tensor& input, Generator& generator) const override;
  std::string repr() const override;  // RandomGrayscale(p=0.1)
private:
  RandomGrayscaleOptions options_;
};

// torchvision.transforms.GaussianBlur: σ ~ U[sigma[0], sigma[1]] (1 draw), then gaussian_blur
// with (σ, σ).
struct GaussianBlurOptions {
  std::vector<int64_t> kernel_size;  // {k} or {kx, ky}
  std::array<double, 2> sigma = {0.1, 2.0};
};
class GaussianBlur : public Transform {
public:
  explicit GaussianBlur(GaussianBlurOptions options);
  Tensor operator()(const Tensor& input, Generator& generator) const override;
  std::string repr() const override;  // GaussianBlur(kernel_size=(3, 3), sigma=(0.1, 2.0))
private:
  GaussianBlurOptions options_;
};

// Not in torchvision 0.14; the definition of torchvision.transforms.v2.GaussianNoise (0.19):
// out = image + mean + sigma·z, z ~ N(0, 1) per element, then clamp to [0, 1] when clip. f32 only.
// Draws: ⌈numel / 2⌉ blocks (the `normal` factory with this generator: Box–Muller, two per block).
struct GaussianNoiseOptions {
  double mean = 0.0;
  double sigma = 0.1;
  bool clip = true;
};
class GaussianNoise : public Transform {
public:
  explicit GaussianNoise(GaussianNoiseOptions options = {});
  Tensor operator()(const Tensor& input, Generator& generator) const override;
  std::string repr() const override;  // GaussianNoise(mean=0.0, sigma=0.1, clip=True)
private:
  GaussianNoiseOptions options_;
};

}  // namespace fulcrum::data
