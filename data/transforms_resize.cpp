// data/transforms_resize.cpp — bilinear resize (PyTorch's CPU upsample_bilinear2d arithmetic, in
// float), resized_crop, and the Resize / RandomResizedCrop transforms with torchvision's 10-attempt
// box search. The formulas are in transforms_geometric.hpp.
#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "data/transforms_geometric.hpp"
#include "data/transforms_util.hpp"

namespace fulcrum::data {

namespace {

// One output axis of length `out` over an input axis of length `in`: the two source indices and
// their weights with PyTorch 1.13's CPU rounding (measured on its outputs): the scale in/out is a
// float, the source coordinate scale·(i + 0.5) − 0.5 and λ are computed in double, then λ is
// rounded to float and 1 − λ taken in float. (All-float arithmetic differs by an ulp, enough to
// move a u8 result that lands on .5.)
struct Taps {
  std::vector<int64_t> first, second;
  std::vector<float> first_weight, second_weight;
};
Taps linear_taps(int64_t in, int64_t out) {
  Taps taps;
  const float scale = static_cast<float>(in) / static_cast<float>(out);
  for (int64_t i = 0; i < out; ++i) {
    const double real = std::max(static_cast<double>(scale) * (static_cast<double>(i) + 0.5) - 0.5, 0.0);
    const int64_t index = std::min(static_cast<int64_t>(std::floor(real)), in - 1);
    const auto lambda = static_cast<float>(std::clamp(real - static_cast<double>(index), 0.0, 1.0));
    taps.first.push_back(index);
    taps.second.push_back(index < in - 1 ? index + 1 : index);
    taps.first_weight.push_back(1.0f - lambda);
    taps.second_weight.push_back(lambda);
  }
  return taps;
}

// torchvision's _compute_resized_output_size: {s} fixes the smaller edge (the larger one becomes
// ⌊s·long/short⌋, capped at max_size), {h, w} fixes both.
std::array<int64_t, 2> output_size(int64_t height, int64_t width, const std::vector<int64_t>& size,
                                   std::optional<int64_t> max_size) {
  FULCRUM_CHECK(size.size() == 1 || size.size() == 2,
                "resize: size must have 1 value (the smaller edge) or 2 (height, width), got " << size.size());
  for (int64_t value : size)
    FULCRUM_CHECK(value >= 1, "resize: size values must be ≥ 1, got " << detail::repr_list(size));
  if (size.size() == 2) {
    FULCRUM_CHECK(!max_size.has_value(), "resize: max_size applies only when size gives the smaller edge "
                                         "(one value), got size " << detail::repr_list(size));
    return {size[0], size[1]};
  }
  const int64_t short_edge = std::min(height, width), long_edge = std::max(height, width);
  int64_t new_short = size[0];
  auto new_long = static_cast<int64_t>(static_cast<double>(new_short) * static_cast<double>(long_edge) /
                                       static_cast<double>(short_edge));
  if (max_size.has_value()) {
    FULCRUM_CHECK(*max_size > size[0], "resize: max_size = " << *max_size << " must be strictly greater than "
                                                             << "the requested smaller edge " << size[0]);
    if (new_long > *max_size) {
      new_short = static_cast<int64_t>(static_cast<double>(*max_size) * static_cast<double>(new_short) /
                                       static_cast<double>(new_long));
      new_long = *max_size;
    }
  }
  return width <= height ? std::array<int64_t, 2>{new_long, new_short} : std::array<int64_t, 2>{new_short, new_long};
}

Tensor bilinear(const Tensor& image, int64_t out_height, int64_t out_width) {
  const int64_t channels = image.size(0), height = image.size(1), width = image.size(2);
  const Taps rows = linear_taps(height, out_height), cols = linear_taps(width, out_width);
  Tensor out = Tensor::empty({channels, out_height, out_width}, image.dtype());
  detail::dispatch_image(image.dtype(), [&]<typename T>() {
    const T* in = image.data_ptr<T>();
    T* to = out.data_ptr<T>();
    for (int64_t c = 0; c < channels; ++c) {
      const T* plane = in + c * height * width;
      for (int64_t i = 0; i < out_height; ++i) {
        const T* row0 = plane + rows.first[i] * width;
        const T* row1 = plane + rows.second[i] * width;
        for (int64_t j = 0; j < out_width; ++j) {
          const int64_t x0 = cols.first[j], x1 = cols.second[j];
          const float w0 = cols.first_weight[j], w1 = cols.second_weight[j];
          const float top = static_cast<float>(row0[x0]) * w0 + static_cast<float>(row0[x1]) * w1;
          const float bottom = static_cast<float>(row1[x0]) * w0 + static_cast<float>(row1[x1]) * w1;
          const float value = top * rows.first_weight[i] + bottom * rows.second_weight[i];
          if constexpr (std::is_same_v<T, uint8_t>) {
            *to++ = detail::round_to_u8(value);
          } else {
            *to++ = value;
          }
        }
      }
    }
  });
  return out;
}

}  // namespace

Tensor resize(const Tensor& image, const std::vector<int64_t>& size, std::optional<int64_t> max_size) {
  const Tensor source = detail::image_argument(image, "resize", true);
  const auto [out_height, out_width] = output_size(source.size(1), source.size(2), size, max_size);
  if (out_height == source.size(1) && out_width == source.size(2)) return source;  // as torchvision
  return bilinear(source, out_height, out_width);
}

Tensor resized_crop(const Tensor& image, int64_t top, int64_t left, int64_t height, int64_t width,
                    const std::vector<int64_t>& size) {
  const auto [out_height, out_width] = detail::size_pair(size, "resized_crop");
  return resize(crop(image, top, left, height, width), {out_height, out_width});
}

Resize::Resize(ResizeOptions options) : options_(std::move(options)) {
  output_size(1, 1, options_.size, options_.max_size);  // validates size and max_size
}
Tensor Resize::operator()(const Tensor& input, Generator&) const {
  return resize(input, options_.size, options_.max_size);
}
std::string Resize::repr() const {
  const std::string size = options_.size.size() == 1 ? std::to_string(options_.size[0]) : detail::repr_list(options_.size);
  const std::string max_size = options_.max_size ? std::to_string(*options_.max_size) : "None";
  return std::string("Resize(size=").append(size).append(", interpolation=bilinear, max_size=").append(max_size)
      .append(", antialias=None)");
}

RandomResizedCrop::RandomResizedCrop(RandomResizedCropOptions options) : options_(std::move(options)) {
  detail::size_pair(options_.size, "RandomResizedCrop");
  const auto [scale_low, scale_high] = options_.scale;
  const auto [ratio_low, ratio_high] = options_.ratio;
  FULCRUM_CHECK(scale_low >= 0 && scale_low <= scale_high && scale_high > 0 && std::isfinite(scale_high),
                "RandomResizedCrop: scale must be (min, max) with 0 ≤ min ≤ max, max > 0, got ("
                    << scale_low << ", " << scale_high << ")");
  FULCRUM_CHECK(ratio_low > 0 && ratio_low <= ratio_high && std::isfinite(ratio_high),
                "RandomResizedCrop: ratio must be (min, max) with 0 < min ≤ max, got (" << ratio_low << ", "
                                                                                       << ratio_high << ")");
}

CropBox RandomResizedCrop::get_params(int64_t height, int64_t width, Generator& generator) const {
  const double area = static_cast<double>(height) * static_cast<double>(width);
  const double log_ratio_low = std::log(options_.ratio[0]), log_ratio_high = std::log(options_.ratio[1]);
  for (int attempt = 0; attempt < 10; ++attempt) {
    const double target_area = area * (options_.scale[0] + (options_.scale[1] - options_.scale[0]) * generator.uniform());
    const double aspect_ratio = std::exp(log_ratio_low + (log_ratio_high - log_ratio_low) * generator.uniform());
    const auto w = static_cast<int64_t>(std::nearbyint(std::sqrt(target_area * aspect_ratio)));  // half to even
    const auto h = static_cast<int64_t>(std::nearbyint(std::sqrt(target_area / aspect_ratio)));
    if (0 < w && w <= width && 0 < h && h <= height) {
      const auto top = static_cast<int64_t>(generator.random_below(static_cast<uint64_t>(height - h + 1)));
      const auto left = static_cast<int64_t>(generator.random_below(static_cast<uint64_t>(width - w + 1)));
      return {top, left, h, w};
    }
  }
  // Fallback: the whole image, narrowed to the nearest allowed aspect ratio, centred.
  const double in_ratio = static_cast<double>(width) / static_cast<double>(height);
  int64_t w = width, h = height;
  if (in_ratio < options_.ratio[0]) {
    h = static_cast<int64_t>(std::nearbyint(static_cast<double>(w) / options_.ratio[0]));
  } else if (in_ratio > options_.ratio[1]) {
    w = static_cast<int64_t>(std::nearbyint(static_cast<double>(h) * options_.ratio[1]));
  }
  h = std::max<int64_t>(h, 1);  // an extreme ratio on a 1-pixel side would round to 0
  w = std::max<int64_t>(w, 1);
  return {(height - h) / 2, (width - w) / 2, h, w};
}

Tensor RandomResizedCrop::operator()(const Tensor& input, Generator& generator) const {
  const Tensor image = detail::image_argument(input, "RandomResizedCrop", true);
  const CropBox box = get_params(image.size(1), image.size(2), generator);
  return resized_crop(image, box.top, box.left, box.height, box.width, options_.size);
}

std::string RandomResizedCrop::repr() const {
  const auto [h, w] = detail::size_pair(options_.size, "RandomResizedCrop");
  // torchvision prints scale and ratio rounded to 4 decimals.
  const auto rounded = [](double value) { return detail::repr_number(std::nearbyint(value * 1e4) / 1e4); };
  return std::string("RandomResizedCrop(size=").append(detail::repr_tuple({h, w}))
      .append(", scale=(").append(rounded(options_.scale[0])).append(", ").append(rounded(options_.scale[1]))
      .append("), ratio=(").append(rounded(options_.ratio[0])).append(", ").append(rounded(options_.ratio[1]))
      .append("), interpolation=bilinear, antialias=None)");
}

}  // namespace fulcrum::data
