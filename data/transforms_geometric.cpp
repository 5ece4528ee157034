// data/transforms_geometric.cpp — flips, quarter turns, pads and crops (all index remappings of
// the pixels, any image dtype of transforms_util.hpp) and their random transforms. Resize and the
// random resized crop: transforms_resize.cpp.
#include "data/transforms_geometric.hpp"

#include <algorithm>
#include <numeric>

#include "core/error.hpp"
#include "data/transforms_util.hpp"

namespace fulcrum::data {

namespace detail {

Tensor remap(const Tensor& image, const std::vector<int64_t>& rows, const std::vector<int64_t>& cols,
             double fill) {
  const int64_t channels = image.size(0), height = image.size(1), width = image.size(2);
  const auto out_height = static_cast<int64_t>(rows.size()), out_width = static_cast<int64_t>(cols.size());
  Tensor out = Tensor::empty({channels, out_height, out_width}, image.dtype());
  dispatch_image(image.dtype(), [&]<typename T>() {
    const T* in = image.data_ptr<T>();
    T* to = out.data_ptr<T>();
    const auto fill_value = static_cast<T>(fill);
    for (int64_t c = 0; c < channels; ++c) {
      const T* plane = in + c * height * width;
      for (int64_t i = 0; i < out_height; ++i) {
        for (int64_t j = 0; j < out_width; ++j) {
          const bool inside = rows[i] >= 0 && cols[j] >= 0;
          *to++ = inside ? plane[rows[i] * width + cols[j]] : fill_value;
        }
      }
    }
  });
  return out;
}

}  // namespace detail

namespace {

std::vector<int64_t> identity(int64_t n) {
  std::vector<int64_t> index(static_cast<size_t>(n));
  std::iota(index.begin(), index.end(), 0);
  return index;
}
std::vector<int64_t> reversed(int64_t n) {
  std::vector<int64_t> index = identity(n);
  std::reverse(index.begin(), index.end());
  return index;
}

// Source indices of the padded axis: position p of the output reads p − before of the input,
// mapped back inside [0, n) by the mode (−1 = fill).
std::vector<int64_t> padded_index(int64_t n, int64_t before, int64_t after, PaddingMode mode) {
  std::vector<int64_t> index;
  for (int64_t p = -before; p < n + after; ++p) {
    int64_t source = p;
    if (p < 0 || p >= n) {
      switch (mode) {
        case PaddingMode::constant: source = -1; break;
        case PaddingMode::edge: source = std::clamp<int64_t>(p, 0, n - 1); break;
        case PaddingMode::reflect: source = p < 0 ? -p : 2 * (n - 1) - p; break;
        case PaddingMode::symmetric: source = p < 0 ? -p - 1 : 2 * n - 1 - p; break;
      }
    }
    index.push_back(source);
  }
  return index;
}

const char* mode_name(PaddingMode mode) {
  switch (mode) {
    case PaddingMode::constant: return "constant";
    case PaddingMode::edge: return "edge";
    case PaddingMode::reflect: return "reflect";
    case PaddingMode::symmetric: return "symmetric";
  }
  return "?";
}

// {all}, {left/right, top/bottom} or {left, top, right, bottom} → {left, top, right, bottom}.
std::array<int64_t, 4> padding_ltrb(const std::vector<int64_t>& padding, const char* who) {
  FULCRUM_CHECK(padding.size() == 1 || padding.size() == 2 || padding.size() == 4,
                who << ": padding must have 1, 2 or 4 values (all / left-right, top-bottom / left, top, "
                       "right, bottom), got " << padding.size());
  for (int64_t value : padding)
    FULCRUM_CHECK(value >= 0, who << ": padding must be ≥ 0, got " << detail::repr_list(padding));
  if (padding.size() == 1) return {padding[0], padding[0], padding[0], padding[0]};
  if (padding.size() == 2) return {padding[0], padding[1], padding[0], padding[1]};
  return {padding[0], padding[1], padding[2], padding[3]};
}

}  // namespace

Tensor hflip(const Tensor& image) {
  const Tensor source = detail::image_argument(image, "hflip", true);
  return detail::remap(source, identity(source.size(1)), reversed(source.size(2)), 0.0);
}

Tensor vflip(const Tensor& image) {
  const Tensor source = detail::image_argument(image, "vflip", true);
  return detail::remap(source, reversed(source.size(1)), identity(source.size(2)), 0.0);
}

Tensor rot90(const Tensor& image, int64_t k) {
  const Tensor source = detail::image_argument(image, "rot90", true);
  const int64_t turns = ((k % 4) + 4) % 4;
  if (turns == 0) return source.clone();
  if (turns == 2) return detail::remap(source, reversed(source.size(1)), reversed(source.size(2)), 0.0);
  // One or three quarter turns transpose the plane: k = 1 reads in[j, W−1−i], k = 3 in[H−1−j, i].
  const int64_t channels = source.size(0), height = source.size(1), width = source.size(2);
  Tensor out = Tensor::empty({channels, width, height}, source.dtype());
  detail::dispatch_image(source.dtype(), [&]<typename T>() {
    const T* in = source.data_ptr<T>();
    T* to = out.data_ptr<T>();
    for (int64_t c = 0; c < channels; ++c) {
      const T* plane = in + c * height * width;
      for (int64_t i = 0; i < width; ++i) {
        for (int64_t j = 0; j < height; ++j) {
          *to++ = turns == 1 ? plane[j * width + (width - 1 - i)] : plane[(height - 1 - j) * width + i];
        }
      }
    }
  });
  return out;
}

Tensor pad(const Tensor& image, const std::vector<int64_t>& padding, double fill, PaddingMode padding_mode) {
  const Tensor source = detail::image_argument(image, "pad", true);
  const auto [left, top, right, bottom] = padding_ltrb(padding, "pad");
  const int64_t height = source.size(1), width = source.size(2);
  if (padding_mode == PaddingMode::reflect || padding_mode == PaddingMode::symmetric) {
    const int64_t limit_h = padding_mode == PaddingMode::reflect ? height - 1 : height;
    const int64_t limit_w = padding_mode == PaddingMode::reflect ? width - 1 : width;
    FULCRUM_CHECK(std::max(top, bottom) <= limit_h && std::max(left, right) <= limit_w,
                  "pad: " << mode_name(padding_mode) << " padding " << detail::repr_list(padding)
                          << " of an image " << shape_str(source.shape()) << " must be "
                          << (padding_mode == PaddingMode::reflect ? "< " : "≤ ")
                          << "the image's height and width (one reflection)");
  }
  if (source.dtype() == DType::u8)
    FULCRUM_CHECK(fill >= 0 && fill <= 255 && fill == std::floor(fill),
                  "pad: fill " << fill << " is not a u8 value (an integer in [0, 255])");
  return detail::remap(source, padded_index(height, top, bottom, padding_mode),
                       padded_index(width, left, right, padding_mode), fill);
}

Tensor crop(const Tensor& image, int64_t top, int64_t left, int64_t height, int64_t width) {
  const Tensor source = detail::image_argument(image, "crop", true);
  FULCRUM_CHECK(height >= 1 && width >= 1, "crop: the window " << height << " × " << width
                                                               << " must be at least 1 × 1");
  // Rows/cols outside the image read as 0, like F.crop's zero padding.
  const auto window = [](int64_t start, int64_t length, int64_t n) {
    std::vector<int64_t> index;
    for (int64_t p = start; p < start + length; ++p) index.push_back(p >= 0 && p < n ? p : -1);
    return index;
  };
  return detail::remap(source, window(top, height, source.size(1)), window(left, width, source.size(2)), 0.0);
}

Tensor center_crop(const Tensor& image, const std::vector<int64_t>& size) {
  Tensor source = detail::image_argument(image, "center_crop", true);
  const auto [crop_height, crop_width] = detail::size_pair(size, "center_crop");
  int64_t height = source.size(1), width = source.size(2);
  if (crop_height > height || crop_width > width) {  // torchvision pads with zeros first
    const int64_t extra_h = std::max<int64_t>(crop_height - height, 0);
    const int64_t extra_w = std::max<int64_t>(crop_width - width, 0);
    source = pad(source, {extra_w / 2, extra_h / 2, (extra_w + 1) / 2, (extra_h + 1) / 2});
    height = source.size(1);
    width = source.size(2);
  }
  const auto top = static_cast<int64_t>(std::nearbyint(static_cast<double>(height - crop_height) / 2.0));
  const auto left = static_cast<int64_t>(std::nearbyint(static_cast<double>(width - crop_width) / 2.0));
  return crop(source, top, left, crop_height, crop_width);
}

// ---- random transforms ----

RandomHorizontalFlip::RandomHorizontalFlip(RandomFlipOptions options) : options_(options) {
  detail::check_probability(options_.p, "RandomHorizontalFlip");
}
Tensor RandomHorizontalFlip::operator()(const Tensor& input, Generator& generator) const {
  const bool flip = generator.uniform() < options_.p;
  return flip ? hflip(input) : detail::image_argument(input, "RandomHorizontalFlip", true);
}
std::string RandomHorizontalFlip::repr() const {
  return std::string("RandomHorizontalFlip(p=").append(detail::repr_number(options_.p)).append(")");
}

RandomVerticalFlip::RandomVerticalFlip(RandomFlipOptions options) : options_(options) {
  detail::check_probability(options_.p, "RandomVerticalFlip");
}
Tensor RandomVerticalFlip::operator()(const Tensor& input, Generator& generator) const {
  const bool flip = generator.uniform() < options_.p;
  return flip ? vflip(input) : detail::image_argument(input, "RandomVerticalFlip", true);
}
std::string RandomVerticalFlip::repr() const {
  return std::string("RandomVerticalFlip(p=").append(detail::repr_number(options_.p)).append(")");
}

RandomRotation90::RandomRotation90(RandomRotation90Options options) : options_(std::move(options)) {
  FULCRUM_CHECK(!options_.k.empty(), "RandomRotation90: the list of quarter turns k is empty");
}
Tensor RandomRotation90::operator()(const Tensor& input, Generator& generator) const {
  const uint64_t choice = generator.random_below(options_.k.size());
  return rot90(input, options_.k[choice]);
}
std::string RandomRotation90::repr() const {
  return std::string("RandomRotation90(k=").append(detail::repr_list(options_.k)).append(")");
}

RandomCrop::RandomCrop(RandomCropOptions options) : options_(std::move(options)) {
  detail::size_pair(options_.size, "RandomCrop");
  if (!options_.padding.empty()) padding_ltrb(options_.padding, "RandomCrop");
}
Tensor RandomCrop::operator()(const Tensor& input, Generator& generator) const {
  Tensor image = detail::image_argument(input, "RandomCrop", true);
  const auto [crop_height, crop_width] = detail::size_pair(options_.size, "RandomCrop");
  if (!options_.padding.empty()) image = pad(image, options_.padding, options_.fill, options_.padding_mode);
  if (options_.pad_if_needed && image.size(2) < crop_width)
    image = pad(image, {crop_width - image.size(2), 0}, options_.fill, options_.padding_mode);
  if (options_.pad_if_needed && image.size(1) < crop_height)
    image = pad(image, {0, crop_height - image.size(1)}, options_.fill, options_.padding_mode);
  const int64_t height = image.size(1), width = image.size(2);
  FULCRUM_CHECK(crop_height <= height && crop_width <= width,
                "RandomCrop: the crop " << crop_height << " × " << crop_width << " is larger than the "
                                        << (options_.padding.empty() ? "" : "padded ") << "image "
                                        << height << " × " << width << " (input " << shape_str(input.shape())
                                        << "); pad it or set pad_if_needed");
  const auto top = static_cast<int64_t>(generator.random_below(static_cast<uint64_t>(height - crop_height + 1)));
  const auto left = static_cast<int64_t>(generator.random_below(static_cast<uint64_t>(width - crop_width + 1)));
  return crop(image, top, left, crop_height, crop_width);
}
std::string RandomCrop::repr() const {
  const auto [h, w] = detail::size_pair(options_.size, "RandomCrop");
  std::string padding = "None";
  if (options_.padding.size() == 1) padding = std::to_string(options_.padding[0]);
  if (options_.padding.size() > 1) padding = detail::repr_list(options_.padding);
  return std::string("RandomCrop(size=").append(detail::repr_tuple({h, w})).append(", padding=").append(padding).append(")");
}

CenterCrop::CenterCrop(CenterCropOptions options) : options_(std::move(options)) {
  detail::size_pair(options_.size, "CenterCrop");
}
Tensor CenterCrop::operator()(const Tensor& input, Generator&) const {
  return center_crop(input, options_.size);
}
std::string CenterCrop::repr() const {
  const auto [h, w] = detail::size_pair(options_.size, "CenterCrop");
  return std::string("CenterCrop(size=").append(detail::repr_tuple({h, w})).append(")");
}

}  // namespace fulcrum::data
