// data/transforms.cpp — normalize_images: a u8 pixel has only 256 values, so each channel gets
// a 256-entry table of its normalised floats and the pass over the images is one lookup per
// pixel (parallel over images with OpenMP).
#include "data/transforms.hpp"

#include <array>
#include <cmath>

#include "core/error.hpp"

namespace fulcrum::data {

Tensor normalize_images(const Tensor& images, const Normalization& normalization) {
  FULCRUM_CHECK(images.defined(), "normalize_images: the images tensor is undefined");
  FULCRUM_CHECK(images.dtype() == DType::u8, "normalize_images: expected u8 pixels, got "
                                                 << dtype_name(images.dtype()) << " " << shape_str(images.shape()));
  FULCRUM_CHECK(images.dim() == 3 || images.dim() == 4,
                "normalize_images: expected images [N, H, W] or [N, C, H, W], got " << shape_str(images.shape()));
  const Tensor source = images.dim() == 3 ? images.unsqueeze(1).contiguous() : images.contiguous();
  const int64_t channels = source.size(1);
  const auto check_values = [&](const char* name, const std::vector<double>& values) {
    FULCRUM_CHECK(values.size() == 1 || static_cast<int64_t>(values.size()) == channels,
                  "normalize_images: " << name << " has " << values.size() << " values for images with "
                                       << channels << " channels (expected 1 or " << channels << ")");
  };
  check_values("mean", normalization.mean);
  check_values("std", normalization.std);

  // table[c][x] = (float(x) / 255 − mean_c) / std_c, each step rounded to float as in PyTorch.
  std::vector<std::array<float, 256>> table(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c) {
    const auto& means = normalization.mean;
    const auto& stds = normalization.std;
    const auto mean = static_cast<float>(means.size() == 1 ? means[0] : means[c]);
    const auto std = static_cast<float>(stds.size() == 1 ? stds[0] : stds[c]);
    FULCRUM_CHECK(std::isfinite(std) && std > 0.0f,
                  "normalize_images: std of channel " << c << " must be positive, got " << std);
    for (int x = 0; x < 256; ++x) table[c][x] = (static_cast<float>(x) / 255.0f - mean) / std;
  }

  Tensor out = Tensor::empty(source.shape(), DType::f32);
  const uint8_t* pixels = source.data_ptr<uint8_t>();
  float* values = out.data_ptr<float>();
  const int64_t planes = source.size(0) * channels;  // one H×W plane per (image, channel)
  const int64_t plane_size = source.numel() / std::max<int64_t>(planes, 1);
#pragma omp parallel for schedule(static) if (source.numel() > (1 << 16))
  for (int64_t plane = 0; plane < planes; ++plane) {
    const std::array<float, 256>& lookup = table[static_cast<size_t>(plane % channels)];
    const uint8_t* from = pixels + plane * plane_size;
    float* to = values + plane * plane_size;
    for (int64_t i = 0; i < plane_size; ++i) to[i] = lookup[from[i]];
  }
  return out;
}

}  // namespace fulcrum::data
